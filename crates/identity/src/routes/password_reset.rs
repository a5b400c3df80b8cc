//! `GET/POST /forgot-password` (ask for a reset link) and `GET/POST /reset-password/{token}`
//! (choose a new password from the link).

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use kernel::{
    AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{Ctx, model::Email, service};

/// The forgot-password form's field.
#[derive(Deserialize, Default)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The new-password form's field.
#[derive(Deserialize, Default)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

fn forgot_page(ctx: &Ctx, email: &str, errors: &FieldErrors, sent: bool) -> AppResult<Response> {
    let html = ctx.render(
        "identity/forgot_password.html",
        context! { form => context! { email }, errors => Serde(errors), sent },
    )?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn forgot_form(ctx: Ctx) -> AppResult<Response> {
    let email = ctx.user.as_ref().map(|u| u.email.clone()).unwrap_or_default();
    forgot_page(&ctx, &email, &FieldErrors::default(), false)
}

pub async fn forgot_submit(ctx: Ctx, Form(f): Form<ForgotForm>) -> AppResult<Response> {
    if let Err(wait) = ctx.rate_peek("reset", super::RESET_LIMIT) {
        let errors = super::wait_errors(&ctx, "email", wait);
        return Ok(kernel::rate::too_many_requests(forgot_page(&ctx, &f.email, &errors, false)?, wait));
    }
    let Some(email) = Email::parse(&f.email) else {
        let mut errors = FieldErrors::default();
        errors.add("email", ctx.t("validation-email-invalid"));
        return forgot_page(&ctx, &f.email, &errors, false);
    };
    // Only requests that could send mail count, not typos.
    ctx.rate_hit("reset", super::RESET_LIMIT);
    let mut tx = ctx.tx().await?;
    service::account::request_reset(&ctx.state, &mut tx, &ctx.school, &email).await?;
    tx.commit().await?;
    // The same answer whether or not the address has an account.
    forgot_page(&ctx, email.as_str(), &FieldErrors::default(), true)
}

fn reset_page(ctx: &Ctx, token: &str, errors: &FieldErrors) -> AppResult<Response> {
    let html = ctx.render("identity/reset_password.html", context! { token, errors => Serde(errors) })?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn reset_form(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    if !super::plausible_token(&token) {
        return super::dead_link(&ctx, "reset");
    }
    let mut tx = ctx.tx().await?;
    let works = service::account::reset_link_works(&mut tx, &token).await?;
    tx.commit().await?;
    if !works {
        return super::dead_link(&ctx, "reset");
    }
    reset_page(&ctx, &token, &FieldErrors::default())
}

pub async fn reset_submit(ctx: Ctx, Path(token): Path<String>, Form(f): Form<ResetForm>) -> AppResult<Response> {
    if !super::plausible_token(&token) {
        return super::dead_link(&ctx, "reset");
    }
    if let Err(msg) = service::check_password(&f.password, ctx.shell.locale) {
        let mut errors = FieldErrors::default();
        errors.add("password", msg);
        return reset_page(&ctx, &token, &errors);
    }
    let mut tx = ctx.tx().await?;
    let Some(user) = service::account::reset_password(&mut tx, &token, &f.password).await? else {
        drop(tx);
        return super::dead_link(&ctx, "reset");
    };
    // The link proves the address, not the second factor: people with two-factor login on
    // still give a code before they are in.
    let two_factor = user.totp_enabled_at.is_some();
    service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, two_factor, &ctx.device()).await?;
    tx.commit().await?;
    if two_factor {
        return Ok(ctx.redirect_with("/login/2fa", "success", ctx.t("reset-done-2fa")).into_response());
    }
    Ok(ctx.redirect_with(user.home(), "success", ctx.t("reset-done")).into_response())
}
