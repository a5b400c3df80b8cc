//! `GET/POST /operator/login` and `POST /operator/logout`.

use std::time::Duration;

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use kernel::{
    AppError, AppResult, AppState, i18n,
    rate::Limit,
    web::{FieldErrors, Form, Shell, Visitor},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::operator::{self, Operator};

/// Login attempts per address: operators hold every school's keys.
pub const LOGIN_LIMIT: Limit = Limit { max: 5, window: Duration::from_secs(900) };

/// The login form.
#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn form(
    State(state): State<AppState>,
    shell: Shell,
    op: Option<axum::extract::Extension<Operator>>,
) -> AppResult<Response> {
    if op.is_some() {
        return Ok(Redirect::to("/operator").into_response());
    }
    page(&state, &shell, "", &FieldErrors::default())
}

fn page(state: &AppState, shell: &Shell, email: &str, errors: &FieldErrors) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html =
        kernel::web::render(state, shell, "tenancy/operator/login.html", context! { email, errors => Serde(errors) })?;
    Ok((status, html).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    shell: Shell,
    visitor: Visitor,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    state
        .rate
        .check(&format!("operator-login:{}", shell.client_ip), LOGIN_LIMIT)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let Some(op) = operator::check_login(&state, &f.email, &f.password).await? else {
        tracing::info!(email = %f.email.trim(), "operator login refused");
        let mut errors = FieldErrors::default();
        errors.add("email", i18n::t(shell.locale, "operator-login-invalid"));
        return page(&state, &shell, &f.email, &errors);
    };
    let token = operator::start_session(&state, &op).await?;
    visitor.rotate(&state.config.keys);
    visitor.flash("success", i18n::t_args(shell.locale, "operator-login-welcome", &[("name", op.name.clone().into())]));
    tracing::info!(operator = %op.email, "operator logged in");
    let mut res = Redirect::to("/operator").into_response();
    res.headers_mut().append(header::SET_COOKIE, operator::cookie_header(&state, &headers, &token));
    Ok(res)
}

pub async fn logout(
    State(state): State<AppState>,
    shell: Shell,
    visitor: Visitor,
    headers: HeaderMap,
) -> AppResult<Response> {
    operator::end_session(&state, &headers).await?;
    visitor.rotate(&state.config.keys);
    visitor.flash("info", i18n::t(shell.locale, "operator-logged-out"));
    let mut res = Redirect::to("/operator/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, operator::cookie_header(&state, &headers, ""));
    Ok(res)
}
