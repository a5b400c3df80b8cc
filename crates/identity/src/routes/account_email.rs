//! `POST /account/email` (ask to move the account to a new address) and
//! `GET /confirm-email/{token}` (the link sent to the new address).

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use kernel::{AppResult, web::Form};
use serde::Deserialize;

use crate::{Ctx, service, service::account::EmailChange};

/// The change-email form's fields.
#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    email_password: String,
}

pub async fn submit(ctx: Ctx, Form(f): Form<EmailForm>) -> AppResult<Response> {
    let user = ctx.user()?;
    if let Err(wait) = ctx.rate_check("account-email", super::ACCOUNT_LIMIT) {
        let typed = super::account::Typed { new_email: Some(f.new_email), ..Default::default() };
        let errors = super::wait_errors(&ctx, "new_email", wait);
        return Ok(kernel::rate::too_many_requests(super::account::page(&ctx, typed, &errors).await?, wait));
    }
    let mut tx = ctx.tx().await?;
    let asked = service::account::request_email_change(
        &ctx.state,
        &mut tx,
        &ctx.school,
        user,
        &f.new_email,
        &f.email_password,
        ctx.shell.locale,
    )
    .await?;
    let email = match asked {
        Ok(email) => email,
        Err(errors) => {
            let typed = super::account::Typed { new_email: Some(f.new_email), ..Default::default() };
            return super::account::page(&ctx, typed, &errors).await;
        }
    };
    tx.commit().await?;
    let msg = ctx.t_args("account-email-link-sent", &[("email", email.as_str().into())]);
    Ok(ctx.redirect_with("/account", "info", msg).into_response())
}

pub async fn confirm(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    if !super::plausible_token(&token) {
        return super::dead_link(&ctx, "email");
    }
    let mut tx = ctx.tx().await?;
    let outcome = service::account::confirm_email_change(&ctx.state, &mut tx, &ctx.school, &token).await?;
    tx.commit().await?;
    match outcome {
        EmailChange::Done(user) => {
            let msg = ctx.t_args("account-email-changed", &[("email", user.email.clone().into())]);
            let to = if ctx.user.as_ref().is_some_and(|v| v.id == user.id) { "/account" } else { "/login" };
            Ok(ctx.redirect_with(to, "success", msg).into_response())
        }
        EmailChange::Taken => super::dead_link(&ctx, "email-taken"),
        EmailChange::Invalid => super::dead_link(&ctx, "email"),
    }
}
