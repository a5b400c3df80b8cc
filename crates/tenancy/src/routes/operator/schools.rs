//! `GET /operator`: every school with its numbers, and `POST /operator/schools/{id}/suspend`
//! and `/resume`.

use axum::{
    extract::{Path, Query, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use kernel::{
    AppError, AppResult, AppState, TenantId, i18n,
    web::{Shell, Visitor},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{operator::Operator, service};

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

pub async fn suspend(
    op: Operator,
    state: State<AppState>,
    shell: Shell,
    visitor: Visitor,
    id: Path<String>,
) -> AppResult<Response> {
    change(op, state, shell, visitor, id, true).await
}

pub async fn resume(
    op: Operator,
    state: State<AppState>,
    shell: Shell,
    visitor: Visitor,
    id: Path<String>,
) -> AppResult<Response> {
    change(op, state, shell, visitor, id, false).await
}

async fn change(
    op: Operator,
    State(state): State<AppState>,
    shell: Shell,
    visitor: Visitor,
    Path(id): Path<String>,
    suspend: bool,
) -> AppResult<Response> {
    let id: TenantId = id.parse().map_err(|_| AppError::NotFound)?;
    if !service::set_status(&state, id, suspend, op.id).await? {
        return Err(AppError::NotFound);
    }
    let action = if suspend { "suspended" } else { "resumed" };
    tracing::info!(operator = %op.email, tenant_id = %id, action, "operator changed a school's status");
    let key = if suspend { "operator-school-suspended" } else { "operator-school-resumed" };
    visitor.flash("success", i18n::t(shell.locale, key));
    Ok(Redirect::to("/operator").into_response())
}
