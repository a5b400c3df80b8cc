//! `GET /operator`: every school with its numbers; `/operator/schools/{id}/suspend` asks for
//! the reason and pauses the school, `POST /operator/schools/{id}/resume` resumes it.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use kernel::{
    AppError, AppResult, AppState, TenantId, i18n,
    web::{FieldErrors, Form, Shell, Visitor},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    operator::Operator,
    service::{self, PauseReason},
};

/// The search box.
#[derive(Deserialize, Default)]
pub struct SchoolQuery {
    #[serde(default)]
    q: String,
}

pub async fn index(
    _: Operator,
    State(state): State<AppState>,
    shell: Shell,
    Query(query): Query<SchoolQuery>,
) -> AppResult<Html<String>> {
    let q = query.q.trim();
    let schools = service::search_schools(&state, Some(q).filter(|q| !q.is_empty())).await?;
    let all = if q.is_empty() { None } else { Some(service::list_schools(&state).await?) };
    let totals = all.as_ref().unwrap_or(&schools);
    let suspended = totals.iter().filter(|s| s.status == "suspended").count();
    let students: i64 = totals.iter().map(|s| s.students).sum();
    let users: i64 = totals.iter().map(|s| s.users).sum();
    let urls: Vec<String> = schools.iter().map(|s| state.config.school_url(&s.slug)).collect();
    kernel::web::render(
        &state,
        &shell,
        "tenancy/operator/schools.html",
        context! {
            schools => Serde(&schools),
            urls,
            q,
            total => totals.len(),
            suspended,
            students,
            users,
        },
    )
}

/// The pause form: the reason, which the school's owners read in their email and admin.
#[derive(Deserialize, Default)]
pub struct PauseForm {
    #[serde(default)]
    reason: String,
}

/// `GET /operator/schools/{id}/suspend`: asks for the reason before pausing.
pub async fn pause_form(
    _: Operator,
    State(state): State<AppState>,
    shell: Shell,
    Path(id): Path<String>,
) -> AppResult<Response> {
    pause_page(&state, &shell, &id, "", &FieldErrors::default()).await
}

async fn pause_page(
    state: &AppState,
    shell: &Shell,
    id: &str,
    reason: &str,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let id: TenantId = id.parse().map_err(|_| AppError::NotFound)?;
    let school = service::school_summary(state, id).await?.ok_or(AppError::NotFound)?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = kernel::web::render(
        state,
        shell,
        "tenancy/operator/pause.html",
        context! { paused => Serde(&school), reason, errors => Serde(errors), max => service::MAX_REASON_CHARS },
    )?;
    Ok((status, html).into_response())
}

/// `POST /operator/schools/{id}/suspend`: pauses the school, with the reason required.
pub async fn suspend(
    op: Operator,
    State(state): State<AppState>,
    shell: Shell,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(f): Form<PauseForm>,
) -> AppResult<Response> {
    let reason = match PauseReason::parse(&f.reason) {
        Ok(r) => r,
        Err(key) => {
            let mut errors = FieldErrors::default();
            errors
                .add("reason", i18n::t_args(shell.locale, key, &[("max", (service::MAX_REASON_CHARS as i64).into())]));
            return pause_page(&state, &shell, &id, &f.reason, &errors).await;
        }
    };
    change(op, &state, &shell, &visitor, &id, Some(&reason)).await
}

/// `POST /operator/schools/{id}/resume`.
pub async fn resume(
    op: Operator,
    State(state): State<AppState>,
    shell: Shell,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    change(op, &state, &shell, &visitor, &id, None).await
}

async fn change(
    op: Operator,
    state: &AppState,
    shell: &Shell,
    visitor: &Visitor,
    id: &str,
    pause: Option<&PauseReason>,
) -> AppResult<Response> {
    let id: TenantId = id.parse().map_err(|_| AppError::NotFound)?;
    if !service::set_status(state, id, pause, op.id).await? {
        return Err(AppError::NotFound);
    }
    let action = if pause.is_some() { "suspended" } else { "resumed" };
    tracing::info!(operator = %op.email, tenant_id = %id, action, "operator changed a school's status");
    let key = if pause.is_some() { "operator-school-suspended" } else { "operator-school-resumed" };
    visitor.flash("success", i18n::t(shell.locale, key));
    Ok(Redirect::to("/operator").into_response())
}
