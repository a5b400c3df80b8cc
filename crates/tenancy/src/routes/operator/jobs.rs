//! `GET /operator/jobs`: queue counts and dead jobs; `POST /operator/jobs/{tenant_id}/{id}/retry`.

use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use kernel::{
    AppError, AppResult, AppState, TenantId, i18n,
    ids::JobId,
    web::{Shell, Visitor},
};
use minijinja::{context, value::Serde};

use crate::{console, operator::Operator};

pub async fn index(_: Operator, State(state): State<AppState>, shell: Shell) -> AppResult<Html<String>> {
    let depth = kernel::jobs::queue_depth(&state).await?;
    let count = |s: &str| depth.iter().find(|d| d.0 == s).map(|d| d.1).unwrap_or(0);
    let dead = console::dead_jobs(&state, 100).await?;
    kernel::web::render(
        &state,
        &shell,
        "tenancy/operator/jobs.html",
        context! {
            queued => count("queued"),
            running => count("running"),
            dead_count => count("dead"),
            dead => Serde(dead),
            clock => super::clock::view(&state),
        },
    )
}

pub async fn retry(
    op: Operator,
    State(state): State<AppState>,
    shell: Shell,
    visitor: Visitor,
    Path((tenant_id, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let tenant: TenantId = tenant_id.parse().map_err(|_| AppError::NotFound)?;
    let id: JobId = id.parse().map_err(|_| AppError::NotFound)?;
    if !kernel::jobs::retry_dead(&state, tenant, id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(operator = %op.email, tenant_id = %tenant, job_id = %id, "operator retried a dead job");
    visitor.flash("success", i18n::t(shell.locale, "operator-job-retried"));
    Ok(Redirect::to("/operator/jobs").into_response())
}
