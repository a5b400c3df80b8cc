//! A page's published versions: who published each and when (listed in the editor's
//! Versions panel), a preview of one, and restoring one into the draft.

use std::collections::HashMap;

use axum::{
    extract::Path,
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, db::TenantTx, i18n::ArgValue, ids::UserId};
use serde::Serialize;

use super::admin_pages::{load, page_error, wants_json};
use crate::{model::Page, pages, store};

/// One line of the Versions panel.
#[derive(Debug, Serialize)]
pub struct VersionRow {
    /// 1, 2, 3…
    pub number: i32,
    /// Who published it (empty when their account is gone).
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Whether visitors see it now.
    pub live: bool,
}

/// `page`'s versions, newest first, with their publishers' names.
pub(crate) async fn list_of(tx: &mut TenantTx, page: &Page) -> AppResult<Vec<VersionRow>> {
    let versions = store::versions(tx, page.id).await?;
    let ids: Vec<UserId> = versions.iter().filter_map(|v| v.published_by.map(UserId)).collect();
    let names: HashMap<UserId, String> =
        identity::store::find_many(tx, &ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    Ok(versions
        .into_iter()
        .map(|v| VersionRow {
            number: v.number,
            by: v.published_by.and_then(|u| names.get(&UserId(u)).cloned()).unwrap_or_default(),
            at: v.created_at,
            live: page.published_version == Some(v.number) && page.archived_at.is_none(),
        })
        .collect())
}

fn number(n: &str) -> AppResult<i32> {
    n.parse().ok().filter(|n| *n > 0).ok_or(AppError::NotFound)
}

/// Version `n` in a tab of its own.
pub async fn show(ctx: Ctx, Path((id, n)): Path<(String, String)>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    let n = number(&n)?;
    let mut tx = ctx.tx().await?;
    let v = store::version(&mut tx, page.id, n).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    super::editor::preview_of(&ctx, &page, &v.document, Some(n)).await
}

/// Copies version `n` into the draft; the editor gets `{revision, document, message}`.
pub async fn restore(ctx: Ctx, headers: HeaderMap, Path((id, n)): Path<(String, String)>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let page = load(&ctx, &id).await?;
    let n = number(&n)?;
    let mut tx = ctx.tx().await?;
    let revision = pages::restore(&ctx.state, &mut tx, page.id, n, Some(user.0)).await.map_err(page_error)?;
    let draft = store::page(&mut tx, page.id).await?.ok_or(AppError::NotFound)?.draft;
    tx.commit().await?;
    let msg = ctx.t_args("builder-restored-version", &[("version", ArgValue::Num(n as f64))]);
    if wants_json(&headers) {
        let body = serde_json::json!({ "revision": revision, "document": draft, "message": msg });
        return Ok(kernel::web::Json(body).into_response());
    }
    Ok(ctx.redirect_with(&format!("/admin/pages/{}", page.id), "success", msg).into_response())
}
