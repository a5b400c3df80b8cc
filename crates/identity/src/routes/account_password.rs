//! `POST /account/password`: change the password knowing the current one.

use axum::response::{IntoResponse, Response};
use kernel::{AppResult, secret::hash_token, web::Form};
use serde::Deserialize;

use crate::{Ctx, service, service::account::PasswordChange};

/// The change-password form's fields.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn submit(ctx: Ctx, Form(f): Form<PasswordForm>) -> AppResult<Response> {
    let user = ctx.user()?;
    if let Err(wait) = ctx.rate_check("account-password", super::ACCOUNT_LIMIT) {
        let errors = super::wait_errors(&ctx, "current_password", wait);
        return Ok(kernel::rate::too_many_requests(
            super::account::page(&ctx, Default::default(), &errors).await?,
            wait,
        ));
    }
    let mut tx = ctx.tx().await?;
    let keep = hash_token(&ctx.visitor.sid());
    let change = PasswordChange { current: &f.current_password, new: &f.new_password };
    let done =
        service::account::change_password(&ctx.state, &mut tx, &ctx.school, user, &keep, change, ctx.shell.locale)
            .await?;
    if let Err(errors) = done {
        return super::account::page(&ctx, super::account::Typed::default(), &errors).await;
    }
    tx.commit().await?;
    Ok(ctx.redirect_with("/account", "success", ctx.t("account-password-changed")).into_response())
}
