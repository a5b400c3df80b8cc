//! `GET/POST /login` and `POST /logout`.

use axum::response::{IntoResponse, Redirect, Response};
use kernel::{
    AppResult,
    lockout::Factor,
    rate,
    web::{FieldErrors, Form, local_path, safe_redirect},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    Ctx,
    service::{self, lockout},
};

/// The login form's fields.
#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// The login page's query: where to go afterwards.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn form(ctx: Ctx, q: axum::extract::Query<NextQuery>) -> AppResult<Response> {
    if let Some(user) = &ctx.user {
        return Ok(Redirect::to(user.home()).into_response());
    }
    let f = LoginForm { next: q.0.next, ..Default::default() };
    page(&ctx, &f, &FieldErrors::default())
}

fn page(ctx: &Ctx, f: &LoginForm, errors: &FieldErrors) -> AppResult<Response> {
    let next = local_path(f.next.as_deref()).unwrap_or_default();
    let html = ctx.render(
        "identity/login.html",
        context! { form => context!{ email => f.email.clone() }, errors => Serde(errors), next },
    )?;
    Ok((super::form_status(errors), html).into_response())
}

/// The form again, with what was typed and how long to wait.
fn refused(ctx: &Ctx, f: &LoginForm, wait: u64) -> AppResult<Response> {
    Ok(rate::too_many_requests(page(ctx, f, &super::wait_errors(ctx, "email", wait))?, wait))
}

pub async fn submit(ctx: Ctx, Form(f): Form<LoginForm>) -> AppResult<Response> {
    if let Err(wait) = ctx.rate_peek("login-failed", super::LOGIN_FAILURE_LIMIT) {
        return refused(&ctx, &f, wait);
    }
    let mut tx = ctx.tx().await?;
    if let Some(wait) = lockout::locked(&mut tx, Factor::Password, &f.email).await? {
        return refused(&ctx, &f, wait);
    }
    let user = match service::check_login(&mut tx, &f.email, &f.password).await? {
        service::LoginCheck::Ok(user) => user,
        service::LoginCheck::Suspended => {
            tx.commit().await?;
            let mut errors = FieldErrors::default();
            errors.add("email", ctx.t_args("login-suspended", &[("school", ctx.school.name.clone().into())]));
            return Ok((axum::http::StatusCode::FORBIDDEN, page(&ctx, &f, &errors)?).into_response());
        }
        service::LoginCheck::Invalid => {
            ctx.rate_hit("login-failed", super::LOGIN_FAILURE_LIMIT);
            let locked = lockout::failed(&ctx.state, &mut tx, &ctx.school, Factor::Password, &f.email).await?;
            tx.commit().await?;
            if let Some(wait) = locked {
                return refused(&ctx, &f, wait);
            }
            let mut errors = FieldErrors::default();
            errors.add("email", ctx.t("login-invalid"));
            return page(&ctx, &f, &errors);
        }
    };
    lockout::succeeded(&mut tx, Factor::Password, &f.email).await?;
    let next = local_path(f.next.as_deref());
    if user.totp_enabled_at.is_some() {
        // The password was right; the session waits for the code from the app.
        service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, true, &ctx.device()).await?;
        tx.commit().await?;
        return Ok(Redirect::to(&super::login_2fa::path_with_next(next)).into_response());
    }
    service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, false, &ctx.device()).await?;
    tx.commit().await?;
    let to = safe_redirect(next, user.home());
    let greeting = ctx.t_args("login-welcome-back", &[("name", user.name.clone().into())]);
    Ok(ctx.redirect_with(&to, "success", greeting).into_response())
}

pub async fn logout(ctx: Ctx) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    service::end_session(&ctx.state, &mut tx, &ctx.visitor).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/", "info", ctx.t("logout-done")).into_response())
}
