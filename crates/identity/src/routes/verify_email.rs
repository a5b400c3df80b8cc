//! `GET /verify-email/{token}` (the link in the verification mail) and
//! `POST /verify-email/resend` (send the link again).

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use kernel::AppResult;

use crate::{Ctx, service};

pub async fn confirm(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    if !super::plausible_token(&token) {
        return super::dead_link(&ctx, "verify");
    }
    let mut tx = ctx.tx().await?;
    let verified = service::account::verify_email(&mut tx, &token).await?;
    tx.commit().await?;
    match (verified, &ctx.user) {
        (Some(user), Some(viewer)) if viewer.id == user.id => {
            Ok(ctx.redirect_with(user.home(), "success", ctx.t("verify-done")).into_response())
        }
        (Some(_), _) => Ok(ctx.redirect_with("/login", "success", ctx.t("verify-done-login")).into_response()),
        (None, Some(viewer)) if viewer.email_verified_at.is_some() => {
            Ok(ctx.redirect_with(viewer.home(), "info", ctx.t("verify-already")).into_response())
        }
        (None, _) => super::dead_link(&ctx, "verify"),
    }
}

pub async fn resend(ctx: Ctx) -> AppResult<Response> {
    let user = ctx.user()?;
    if user.email_verified_at.is_some() {
        return Ok(ctx.redirect_with(user.home(), "info", ctx.t("verify-already")).into_response());
    }
    if let Err(wait) = ctx.rate_check("verify-resend", super::RESEND_LIMIT) {
        // A button with nothing typed: back to where it was, with the wait.
        let msg = kernel::rate::wait_message(ctx.shell.locale, wait);
        return Ok(ctx.redirect_with(user.home(), "error", msg).into_response());
    }
    let mut tx = ctx.tx().await?;
    service::send_verification(&ctx.state, &mut tx, &ctx.school, user).await?;
    tx.commit().await?;
    let msg = ctx.t_args("verify-resent", &[("email", user.email.clone().into())]);
    Ok(ctx.redirect_with(user.home(), "success", msg).into_response())
}
