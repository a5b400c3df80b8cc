//! `GET /login/link/{token}`: a sign-in link handed over from the platform host (after "Create
//! my school", or mailed from the platform's login page). It logs the person in once and lands
//! in the admin; with two-factor login on, the code step comes first.

use axum::{
    extract::{Path, Query},
    response::{IntoResponse, Redirect, Response},
};
use kernel::AppResult;

use crate::{Ctx, service};

/// `?welcome` marks the link that follows "Create my school": the greeting is a first one.
#[derive(serde::Deserialize)]
pub struct LinkQuery {
    welcome: Option<String>,
}

pub async fn open(ctx: Ctx, Path(token): Path<String>, Query(q): Query<LinkQuery>) -> AppResult<Response> {
    if !super::plausible_token(&token) {
        return super::dead_link(&ctx, "sign-in");
    }
    let mut tx = ctx.tx().await?;
    let Some(user) = service::sign_in::redeem(&mut tx, &token).await? else {
        tx.commit().await?;
        return super::dead_link(&ctx, "sign-in");
    };
    let home = Some(user.home());
    if user.totp_enabled_at.is_some() {
        service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, true, &ctx.device()).await?;
        tx.commit().await?;
        return Ok(Redirect::to(&super::login_2fa::path_with_next(home)).into_response());
    }
    service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, false, &ctx.device()).await?;
    tx.commit().await?;
    let key = if q.welcome.is_some() { "login-link-welcome" } else { "login-welcome-back" };
    let greeting = ctx.t_args(key, &[("name", user.name.clone().into()), ("school", ctx.school.name.clone().into())]);
    Ok(ctx.redirect_with(user.home(), "success", greeting).into_response())
}
