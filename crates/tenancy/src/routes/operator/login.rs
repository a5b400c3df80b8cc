//! `GET/POST /operator/login` and `POST /operator/logout`.

use std::time::Duration;

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use kernel::{
    AppResult, AppState, i18n,
    lockout::{self, Account},
    rate::{self, Limit},
    web::{FieldErrors, Form, Shell, Visitor},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::operator::{self, Operator};

/// Failed logins per address: operators hold every school's keys. Each operator account is
/// also locked after repeated failures from anywhere (`kernel::lockout`).
pub const LOGIN_FAILURE_LIMIT: Limit = Limit { max: 10, window: Duration::from_secs(900) };

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

/// The form again, with the address typed and how long to wait.
fn refused(state: &AppState, shell: &Shell, email: &str, retry_after: u64) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    errors.add("email", rate::wait_message(shell.locale, retry_after));
    Ok(rate::too_many_requests(page(state, shell, email, &errors)?, retry_after))
}

pub async fn submit(
    State(state): State<AppState>,
    shell: Shell,
    visitor: Visitor,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let rate_key = format!("operator-login-failed:{}", shell.client_ip);
    let account = Account::Operator { email: &f.email };
    if let Err(wait) = state.rate.peek(&rate_key, LOGIN_FAILURE_LIMIT) {
        return refused(&state, &shell, &f.email, wait);
    }
    // Short transactions of their own: none is held open while the password is checked.
    let mut tx = state.db.platform().await?;
    let locked = lockout::locked(&mut tx, account).await?;
    tx.commit().await?;
    if let Some(wait) = locked {
        return refused(&state, &shell, &f.email, wait);
    }
    let Some(op) = operator::check_login(&state, &f.email, &f.password).await? else {
        tracing::info!(email = %f.email.trim(), "operator login refused");
        state.rate.hit(&rate_key, LOGIN_FAILURE_LIMIT);
        let mut tx = state.db.platform().await?;
        let failure = lockout::failed(&mut tx, account).await?;
        tx.commit().await?;
        if let Some(wait) = failure.locked_for {
            if failure.first_lock {
                tracing::warn!(email = %f.email.trim(), "operator account locked after failed logins");
            }
            return refused(&state, &shell, &f.email, wait);
        }
        let mut errors = FieldErrors::default();
        errors.add("email", i18n::t(shell.locale, "operator-login-invalid"));
        return page(&state, &shell, &f.email, &errors);
    };
    let mut tx = state.db.platform().await?;
    lockout::clear(&mut tx, account).await?;
    tx.commit().await?;
    let token = operator::start_session(&state, &op).await?;
    visitor.rotate(&state.config.keys);
    visitor.flash("success", i18n::t_args(shell.locale, "operator-login-welcome", &[("name", op.name.clone().into())]));
    tracing::info!(operator = %op.email, "operator logged in");
    let mut res = Redirect::to("/operator").into_response();
    res.headers_mut().append(header::SET_COOKIE, operator::cookie_header(&visitor, &token));
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
    res.headers_mut().append(header::SET_COOKIE, operator::cookie_header(&visitor, ""));
    Ok(res)
}
