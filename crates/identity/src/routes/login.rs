//! `GET/POST /login` and `POST /logout`.

use axum::response::{IntoResponse, Redirect, Response};
use kernel::{
    AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{Ctx, service};

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

/// The login page's query: where to go afterwards, and whether the school was just created.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
    #[serde(default)]
    welcome: Option<String>,
}

pub async fn form(ctx: Ctx, q: axum::extract::Query<NextQuery>) -> AppResult<Response> {
    if let Some(user) = &ctx.user {
        return Ok(Redirect::to(user.home()).into_response());
    }
    let new_school = q.0.welcome.is_some();
    let f = LoginForm { next: q.0.next, ..Default::default() };
    page_with(&ctx, &f, &FieldErrors::default(), new_school)
}

fn page(ctx: &Ctx, f: &LoginForm, errors: &FieldErrors) -> AppResult<Response> {
    page_with(ctx, f, errors, false)
}

fn page_with(ctx: &Ctx, f: &LoginForm, errors: &FieldErrors, new_school: bool) -> AppResult<Response> {
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let html = ctx.render(
        "identity/login.html",
        context! { form => context!{ email => f.email.clone() }, errors => Serde(errors), next => crate::ctx::safe_next(f.next.as_deref()), new_school },
    )?;
    Ok((status, html).into_response())
}

pub async fn submit(ctx: Ctx, Form(f): Form<LoginForm>) -> AppResult<Response> {
    ctx.rate_limit("login", super::LOGIN_LIMIT)?;
    let mut tx = ctx.tx().await?;
    let user = match service::check_login(&mut tx, &f.email, &f.password).await? {
        service::LoginCheck::Ok(user) => user,
        service::LoginCheck::Invalid => {
            let mut errors = FieldErrors::default();
            errors.add("email", ctx.t("login-invalid"));
            return page(&ctx, &f, &errors);
        }
    };
    let next = crate::ctx::safe_next(f.next.as_deref());
    if user.totp_enabled_at.is_some() {
        // The password was right; the session waits for the code from the app.
        service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, true).await?;
        tx.commit().await?;
        return Ok(Redirect::to(&super::login_2fa::path_with_next(&next)).into_response());
    }
    service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, false).await?;
    tx.commit().await?;
    let to = if next.is_empty() { user.home().to_string() } else { next };
    let greeting = ctx.t_args("login-welcome-back", &[("name", user.name.clone().into())]);
    Ok(ctx.redirect_with(&to, "success", greeting).into_response())
}

pub async fn logout(ctx: Ctx) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    service::end_session(&ctx.state, &mut tx, &ctx.visitor).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/", "info", ctx.t("logout-done")).into_response())
}
