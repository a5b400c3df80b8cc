//! `GET/POST /admin/settings/branding`: colours, heading font and logo, with a preview.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppResult,
    web::{FieldErrors, Form, School, school::FONTS},
};
use minijinja::{context, value::Serde};

use crate::settings::{self, Branding, BrandingForm};

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    page(&ctx, &BrandingForm::from_school(&ctx.school), &FieldErrors::default())
}

/// Renders the page; `errors` may carry the logo's message under `logo`.
pub(super) fn page(ctx: &Ctx, f: &BrandingForm, errors: &FieldErrors) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    // The preview shows what was typed when it is valid, otherwise what is saved.
    let shown = Branding::parse(f, ctx.shell.locale).unwrap_or(Branding {
        brand_color: ctx.school.brand_color.clone(),
        accent_color: ctx.school.accent_color.clone(),
        heading_font: ctx.school.heading_font.clone(),
    });
    let preview_css = School::compute_theme(&shown.brand_color, &shown.accent_color, &shown.heading_font).replacen(
        ":root",
        "#brand-preview",
        1,
    );
    let fonts: Vec<(&str, &str, &str)> = FONTS.to_vec();
    let html = ctx.render(
        "tenancy/settings/branding.html",
        context! {
            form => Serde(f),
            errors => Serde(errors),
            fonts => Serde(fonts),
            preview_css,
            shown => context! { brand_color => shown.brand_color.clone(), accent_color => shown.accent_color.clone() },
            logo_max_mb => crate::branding::LOGO_MAX_BYTES / (1024 * 1024),
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn save(ctx: Ctx, Form(f): Form<BrandingForm>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let branding = match Branding::parse(&f, ctx.shell.locale) {
        Ok(b) => b,
        Err(errors) => return page(&ctx, &f, &errors),
    };
    let mut tx = ctx.tx().await?;
    settings::save_branding(&mut tx, &branding).await?;
    settings::audit(&mut tx, user, "settings.branding_updated").await?;
    tx.commit().await?;
    crate::resolve::forget(&ctx.state);
    Ok(ctx.redirect_with("/admin/settings/branding", "success", ctx.t("branding-saved")).into_response())
}
