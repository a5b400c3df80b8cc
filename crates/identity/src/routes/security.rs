//! `GET /account/security` and `POST /account/2fa/{setup,enable,disable}`: two-factor login
//! with an authenticator app, for the team.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{Value, context, value::Serde};
use serde::Deserialize;
use serde_json::json;

use crate::{
    Ctx, Permission,
    model::User,
    service::two_factor,
    store::{self, two_factor as tf},
};

/// The code form's field.
#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The turn-off form's field.
#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    password: String,
}

/// Renders one state of the security page; never cached (it may hold a secret or codes).
fn render(ctx: &Ctx, user: &User, mode: &str, extra: Value, errors: &FieldErrors) -> AppResult<Response> {
    let html = ctx.render(
        "identity/security.html",
        context! {
            layout => super::account::layout_for(user),
            security_tab => true,
            me => Serde(user),
            mode,
            errors => Serde(errors),
            ..extra
        },
    )?;
    Ok((super::form_status(errors), [(header::CACHE_CONTROL, "no-store")], html).into_response())
}

async fn status_page(ctx: &Ctx, user: &User, errors: &FieldErrors) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let codes_left = tf::recovery_codes_left(&mut tx, user.id).await?;
    tx.commit().await?;
    render(ctx, user, "status", context! { codes_left }, errors)
}

fn setup_page(ctx: &Ctx, user: &User, secret: &str, errors: &FieldErrors) -> AppResult<Response> {
    let url = two_factor::otpauth_url(secret, &ctx.school.name, &user.email)?;
    let qr = Value::from_safe_string(two_factor::qr_svg(&url)?);
    render(ctx, user, "setup", context! { qr, secret => two_factor::grouped(secret) }, errors)
}

pub async fn show(ctx: Ctx) -> AppResult<Response> {
    let user = ctx.user()?;
    if !super::account::has_security_tab(user) {
        return Err(AppError::Forbidden);
    }
    status_page(&ctx, user, &FieldErrors::default()).await
}

pub async fn setup(ctx: Ctx) -> AppResult<Response> {
    let user = ctx.require(Permission::ViewAdmin)?;
    if user.totp_enabled_at.is_some() {
        return Ok(ctx.redirect_with("/account/security", "info", ctx.t("two-factor-already-on")).into_response());
    }
    let secret = two_factor::new_secret();
    let mut tx = ctx.tx().await?;
    tf::set_pending_secret(&mut tx, &ctx.state.config.keys, user.id, &secret).await?;
    tx.commit().await?;
    setup_page(&ctx, user, &secret, &FieldErrors::default())
}

pub async fn enable(ctx: Ctx, Form(f): Form<CodeForm>) -> AppResult<Response> {
    let user = ctx.require(Permission::ViewAdmin)?;
    if user.totp_enabled_at.is_some() {
        return Ok(ctx.redirect_with("/account/security", "info", ctx.t("two-factor-already-on")).into_response());
    }
    let mut tx = ctx.tx().await?;
    let Some(secret) = tf::state(&mut tx, &ctx.state.config.keys, user.id).await?.and_then(|s| s.totp_secret) else {
        return Ok(ctx.redirect_with("/account/security", "info", ctx.t("two-factor-start-again")).into_response());
    };
    if let Err(wait) = ctx.rate_check("2fa-enable", super::LOGIN_FAILURE_LIMIT) {
        let errors = super::wait_errors(&ctx, "code", wait);
        return Ok(kernel::rate::too_many_requests(setup_page(&ctx, user, &secret, &errors)?, wait));
    }
    let Some(codes) = two_factor::enable(&mut tx, &ctx.state.config.keys, user, &f.code).await? else {
        drop(tx);
        let mut errors = FieldErrors::default();
        errors.add("code", ctx.t("two-factor-code-wrong"));
        return setup_page(&ctx, user, &secret, &errors);
    };
    store::audit(&mut tx, user.id, "two_factor.enabled", json!({})).await?;
    tx.commit().await?;
    render(&ctx, user, "codes", context! { codes }, &FieldErrors::default())
}

pub async fn disable(ctx: Ctx, Form(f): Form<DisableForm>) -> AppResult<Response> {
    let user = ctx.user()?;
    if user.totp_enabled_at.is_none() {
        return Ok(ctx.redirect_with("/account/security", "info", ctx.t("two-factor-already-off")).into_response());
    }
    if let Err(wait) = ctx.rate_check("account-2fa-off", super::ACCOUNT_LIMIT) {
        let errors = super::wait_errors(&ctx, "password", wait);
        return Ok(kernel::rate::too_many_requests(status_page(&ctx, user, &errors).await?, wait));
    }
    let mut tx = ctx.tx().await?;
    if !two_factor::disable(&mut tx, user, &f.password).await? {
        drop(tx);
        let mut errors = FieldErrors::default();
        errors.add("password", ctx.t("validation-current-password-wrong"));
        return status_page(&ctx, user, &errors).await;
    }
    store::audit(&mut tx, user.id, "two_factor.disabled", json!({})).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/account/security", "success", ctx.t("two-factor-disabled")).into_response())
}
