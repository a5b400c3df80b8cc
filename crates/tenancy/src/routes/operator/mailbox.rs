//! `GET /operator/mailbox`: the newest email of every school; `GET /operator/mailbox/{tenant_id}/{id}`
//! shows one as its recipient would see it.

use axum::{
    extract::{Path, State},
    response::Html,
};
use kernel::{AppError, AppResult, AppState, TenantId, mail, web::Shell};
use minijinja::{context, value::Serde};
use uuid::Uuid;

use crate::{console, operator::Operator};

pub async fn index(_: Operator, State(state): State<AppState>, shell: Shell) -> AppResult<Html<String>> {
    let messages = mail::recent_all(&state, 200).await?;
    let names = console::school_names(&state).await?;
    let schools: Vec<String> = messages.iter().map(|m| names.get(&m.tenant_id).cloned().unwrap_or_default()).collect();
    kernel::web::render(
        &state,
        &shell,
        "tenancy/operator/mailbox.html",
        context! { messages => Serde(messages), schools },
    )
}

pub async fn show(
    _: Operator,
    State(state): State<AppState>,
    shell: Shell,
    Path((tenant_id, id)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let tenant: TenantId = tenant_id.parse().map_err(|_| AppError::NotFound)?;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = state.db.tenant(tenant).await?;
    let message = mail::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let school = console::school_names(&state).await?.remove(&tenant).unwrap_or_default();
    kernel::web::render(
        &state,
        &shell,
        "tenancy/operator/message.html",
        context! { school, ..crate::mailbox::view(&state, message) },
    )
}
