//! `GET/POST /login/2fa`: the second step of logging in, for people with two-factor login on.
//! The session is *pending* until a code from the app or a recovery code is given.

use axum::response::{IntoResponse, Redirect, Response};
use kernel::{
    AppResult,
    lockout::Factor,
    rate,
    secret::hash_token,
    web::{FieldErrors, Form, local_path, safe_redirect},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    Ctx,
    model::User,
    service::{self, lockout, two_factor::SecondFactor},
    store,
};

/// The code form's fields.
#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: Option<String>,
}

/// Where to go after a query-string `next`.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// `/login/2fa`, carrying where to go afterwards.
pub(super) fn path_with_next(next: Option<&str>) -> String {
    match next {
        None => "/login/2fa".into(),
        Some(next) => {
            let q: String = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
            format!("/login/2fa?{q}")
        }
    }
}

async fn pending_user(ctx: &Ctx) -> AppResult<Option<User>> {
    let mut tx = ctx.tx().await?;
    let user = store::session_user(&mut tx, &hash_token(&ctx.visitor.sid()), true).await?;
    tx.commit().await?;
    Ok(user)
}

fn page(ctx: &Ctx, next: &str, errors: &FieldErrors) -> AppResult<Response> {
    let html = ctx.render("identity/login_2fa.html", context! { next, errors => Serde(errors) })?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn form(ctx: Ctx, q: axum::extract::Query<NextQuery>) -> AppResult<Response> {
    if let Some(user) = &ctx.user {
        return Ok(Redirect::to(user.home()).into_response());
    }
    if pending_user(&ctx).await?.is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    page(&ctx, local_path(q.0.next.as_deref()).unwrap_or_default(), &FieldErrors::default())
}

/// The form again, saying how long to wait.
fn refused(ctx: &Ctx, next: &str, wait: u64) -> AppResult<Response> {
    Ok(rate::too_many_requests(page(ctx, next, &super::wait_errors(ctx, "code", wait))?, wait))
}

pub async fn submit(ctx: Ctx, Form(f): Form<CodeForm>) -> AppResult<Response> {
    let next = local_path(f.next.as_deref());
    if let Err(wait) = ctx.rate_peek("login-2fa-failed", super::LOGIN_FAILURE_LIMIT) {
        return refused(&ctx, next.unwrap_or_default(), wait);
    }
    let mut tx = ctx.tx().await?;
    let Some(user) = store::session_user(&mut tx, &hash_token(&ctx.visitor.sid()), true).await? else {
        return Ok(ctx.redirect_with("/login", "info", ctx.t("login-2fa-expired")).into_response());
    };
    if let Some(wait) = lockout::locked(&mut tx, Factor::Code, &user.email).await? {
        return refused(&ctx, next.unwrap_or_default(), wait);
    }
    let Some(factor) = service::two_factor::check(&mut tx, &ctx.state.config.keys, &user, &f.code).await? else {
        ctx.rate_hit("login-2fa-failed", super::LOGIN_FAILURE_LIMIT);
        let locked = lockout::failed(&ctx.state, &mut tx, &ctx.school, Factor::Code, &user.email).await?;
        tx.commit().await?;
        if let Some(wait) = locked {
            return refused(&ctx, next.unwrap_or_default(), wait);
        }
        let mut errors = FieldErrors::default();
        errors.add("code", ctx.t("login-2fa-wrong"));
        return page(&ctx, next.unwrap_or_default(), &errors);
    };
    lockout::succeeded(&mut tx, Factor::Code, &user.email).await?;
    service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, false, &ctx.device()).await?;
    let left = store::two_factor::recovery_codes_left(&mut tx, user.id).await?;
    tx.commit().await?;
    if factor == SecondFactor::RecoveryCode {
        ctx.visitor.flash("warning", ctx.t_args("login-2fa-recovery-used", &[("count", left.into())]));
    }
    let to = safe_redirect(next, user.home());
    let greeting = ctx.t_args("login-welcome-back", &[("name", user.name.clone().into())]);
    Ok(ctx.redirect_with(&to, "success", greeting).into_response())
}
