//! `GET/POST /admin/settings`: the school's name, tagline, language, currency, time zone and
//! sender.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppResult,
    format::{CURRENCIES, money},
    i18n::Locale,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};

use crate::settings::{self, General, GeneralForm};

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    page(&ctx, &GeneralForm::from_school(&ctx.school), &FieldErrors::default()).await
}

async fn page(ctx: &Ctx, f: &GeneralForm, errors: &FieldErrors) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let sender_domain = crate::sender::domain(&mut tx, &ctx.school).await?;
    tx.commit().await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let currencies: Vec<(&str, String)> =
        CURRENCIES.iter().map(|c| (*c, format!("{c} · {}", money(123_400, c, ctx.shell.locale)))).collect();
    let locales: Vec<(&str, &str)> = Locale::ALL.iter().map(|l| (l.code(), l.native_name())).collect();
    let html = ctx.render(
        "tenancy/settings/general.html",
        context! {
            form => Serde(f),
            errors => Serde(errors),
            currencies => Serde(currencies),
            locales => Serde(locales),
            time_zones => Serde(kernel::zones::groups(Some(&ctx.school.time_zone))),
            sender_fallback => kernel::mail::platform_address(&ctx.state.config.mail_from),
            sender_email => ctx.school.sender_email.clone(),
            sender_domain => Serde(sender_domain),
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn save(ctx: Ctx, Form(f): Form<GeneralForm>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let general = match General::parse(&f, &ctx.school.time_zone, ctx.shell.locale) {
        Ok(g) => g,
        Err(errors) => return page(&ctx, &f, &errors).await,
    };
    let mut tx = ctx.tx().await?;
    settings::save_general(&mut tx, &general).await?;
    settings::audit(&mut tx, user, "settings.general_updated").await?;
    tx.commit().await?;
    crate::resolve::forget(&ctx.state);
    Ok(ctx.redirect_with("/admin/settings", "success", ctx.t("settings-saved")).into_response())
}
