//! `GET/POST /admin/settings/branding`: colours, heading font, logo and the home page's hero,
//! all saved by the page's one form (multipart, for the logo), with a preview.

use axum::{
    extract::{
        Multipart,
        multipart::{MultipartError, MultipartRejection},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, School, school::FONTS},
};
use minijinja::{context, value::Serde};

use crate::{
    branding::{self, LOGO_MAX_BYTES},
    hero::{self, Hero, HeroForm, Target},
    settings::{self, Branding, BrandingForm},
};

/// The largest body this page accepts: well above the logo limit, so that a photo straight
/// from a phone still reaches the handler and gets the message beside the logo field.
pub const BODY_MAX: usize = 32 * 1024 * 1024;
/// Longest text field read from the form; anything longer fails validation anyway.
const TEXT_FIELD_MAX: usize = 4096;

/// What the page's form sent, as typed.
#[derive(Default)]
struct Sent {
    branding: BrandingForm,
    hero: HeroForm,
    remove_logo: bool,
    logo: Logo,
}

/// The logo field of a submission.
#[derive(Default)]
enum Logo {
    /// No file chosen.
    #[default]
    Unchanged,
    /// A file, up to the logo limit.
    File(Vec<u8>),
    /// A file over the logo limit.
    TooLarge,
}

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    let mut tx = ctx.tx().await?;
    let saved = hero::load(&mut tx).await?;
    tx.commit().await?;
    let sent = Sent { branding: BrandingForm::from_school(&ctx.school), hero: saved.form(), ..Sent::default() };
    page(&ctx, &sent, &FieldErrors::default(), StatusCode::OK).await
}

/// Renders the page with what was typed, and `errors` beside their fields.
async fn page(ctx: &Ctx, sent: &Sent, errors: &FieldErrors, status: StatusCode) -> AppResult<Response> {
    // The preview shows what was typed when it is valid, otherwise what is saved.
    let shown = Branding::parse(&sent.branding, ctx.shell.locale).unwrap_or(Branding {
        brand_color: ctx.school.brand_color.clone(),
        accent_color: ctx.school.accent_color.clone(),
        heading_font: ctx.school.heading_font.clone(),
    });
    let hero = match Hero::parse(&sent.hero, ctx.shell.locale) {
        Ok(hero) => hero,
        Err(_) => {
            let mut tx = ctx.tx().await?;
            let saved = hero::load(&mut tx).await?;
            tx.commit().await?;
            saved
        }
    };
    let preview_css = School::compute_theme(&shown.brand_color, &shown.accent_color, &shown.heading_font).replacen(
        ":root",
        "#brand-preview",
        1,
    );
    let fonts: Vec<(&str, &str, &str)> = FONTS.to_vec();
    let targets: Vec<(&str, String)> =
        Target::ALL.iter().map(|t| (t.key(), ctx.t(&format!("hero-target-{}", t.key())))).collect();
    let html = ctx.render(
        "tenancy/settings/branding.html",
        context! {
            form => Serde(&sent.branding),
            hero => Serde(&sent.hero),
            remove_logo => sent.remove_logo,
            errors => Serde(errors),
            fonts => Serde(fonts),
            targets => Serde(targets),
            preview_css,
            preview => Serde(hero.shown(&ctx.school, ctx.shell.locale)),
            shown => context! { brand_color => shown.brand_color.clone(), accent_color => shown.accent_color.clone() },
            logo_max_mb => LOGO_MAX_BYTES / (1024 * 1024),
            limits => context! { headline => hero::HEADLINE_MAX, text => hero::TEXT_MAX, label => hero::LABEL_MAX },
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn save(ctx: Ctx, multipart: Result<Multipart, MultipartRejection>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let multipart = multipart.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let sent = read(multipart).await?;
    let locale = ctx.shell.locale;
    let mut errors = FieldErrors::default();
    let branding = Branding::parse(&sent.branding, locale).map_err(|e| errors.0.extend(e.0)).ok();
    let hero = Hero::parse(&sent.hero, locale).map_err(|e| errors.0.extend(e.0)).ok();
    let logo = match &sent.logo {
        Logo::Unchanged => Ok(None),
        Logo::TooLarge => Err("logo-too-large"),
        Logo::File(bytes) => branding::check_logo(bytes).map(|kind| Some((kind, bytes.as_slice()))),
    };
    let max_mb = ((LOGO_MAX_BYTES / (1024 * 1024)) as i64).into();
    match &logo {
        Err(key) => errors.add("logo", ctx.t_args(key, &[("max", max_mb)])),
        // A browser cannot keep a chosen file across a reload: say so beside the field.
        Ok(Some(_)) if !errors.is_empty() => errors.add("logo", ctx.t("logo-choose-again")),
        Ok(_) => {}
    }
    let (Some(branding), Some(hero), Ok(logo)) = (branding, hero, logo) else {
        let status = if matches!(sent.logo, Logo::TooLarge) {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return page(&ctx, &sent, &errors, status).await;
    };
    let mut tx = ctx.tx().await?;
    settings::save_branding(&mut tx, &branding).await?;
    hero::save(&mut tx, &hero).await?;
    settings::audit(&mut tx, user, "settings.branding_updated").await?;
    if let Some((kind, bytes)) = logo {
        branding::replace_logo(&mut tx, kind, bytes).await?;
        settings::audit(&mut tx, user, "settings.logo_updated").await?;
    } else if sent.remove_logo && branding::remove_logo(&mut tx).await? {
        settings::audit(&mut tx, user, "settings.logo_removed").await?;
    }
    tx.commit().await?;
    crate::resolve::forget(&ctx.state);
    Ok(ctx.redirect_with("/admin/settings/branding", "success", ctx.t("branding-saved")).into_response())
}

/// Reads the form. Past the body limit the logo counts as too large and what was read before
/// it is kept, so the page comes back with the creator's other values.
async fn read(mut multipart: Multipart) -> AppResult<Sent> {
    let mut sent = Sent::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return too_large(e, sent),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "logo" {
            let chosen = field.file_name().is_some_and(|n| !n.is_empty());
            match kernel::web::multipart::read_capped(field, LOGO_MAX_BYTES).await {
                Ok(Some(bytes)) if chosen || !bytes.is_empty() => sent.logo = Logo::File(bytes),
                Ok(Some(_)) => {}
                Ok(None) => sent.logo = Logo::TooLarge,
                Err(e) => return too_large(e, sent),
            }
            continue;
        }
        let value = match kernel::web::multipart::read_capped(field, TEXT_FIELD_MAX).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned(),
            Err(e) => return too_large(e, sent),
        };
        match name.as_str() {
            "brand_color" => sent.branding.brand_color = value,
            "accent_color" => sent.branding.accent_color = value,
            "heading_font" => sent.branding.heading_font = value,
            "hero_headline" => sent.hero.hero_headline = value,
            "hero_text" => sent.hero.hero_text = value,
            "hero_button_label" => sent.hero.hero_button_label = value,
            "hero_button_target" => sent.hero.hero_button_target = value,
            "remove_logo" => sent.remove_logo = value == "1",
            _ => {}
        }
    }
    Ok(sent)
}

/// A body past [`BODY_MAX`] becomes a too-large logo; any other broken body is refused.
fn too_large(e: MultipartError, mut sent: Sent) -> AppResult<Sent> {
    if e.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return Err(AppError::BadRequest(e.body_text()));
    }
    sent.logo = Logo::TooLarge;
    Ok(sent)
}
