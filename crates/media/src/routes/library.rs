//! `GET /admin/media`: the library (search, filters, storage used against the plan, uploader),
//! and `GET /admin/media/items`, its list alone, which htmx polls while something processes.

use axum::{
    extract::Query,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Duration, Utc};
use identity::{Ctx, Permission};
use kernel::{
    AppResult,
    db::TenantTx,
    i18n::{self, ArgValue, Locale},
    plan::Plan,
};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    model::{Media, REFUSED_KEPT_DAYS, Upload},
    service, store,
};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    /// Show items older than this one (the "Load more" cursor).
    #[serde(default)]
    before: String,
}

/// Items per page of the library.
pub const PAGE: i64 = 50;

/// One row of the library, ready to show.
#[derive(Debug, Serialize)]
pub struct Row {
    /// The item.
    #[serde(flatten)]
    pub media: Media,
    /// `uploading`, `processing`, `ready`, `failed`.
    pub state: String,
    /// Percent of the upload received or of the processing done.
    pub percent: i64,
    /// Why the latest file was refused, in the viewer's language.
    pub error: Option<String>,
    /// A replacement is being received or processed.
    pub replacing: bool,
    /// Still changing: the page keeps polling.
    pub busy: bool,
    /// When a refused item leaves the library.
    pub removes_at: Option<DateTime<Utc>>,
}

/// The message for a refused upload.
pub fn error_message(locale: Locale, upload: &Upload) -> Option<String> {
    let key = upload.error_key.as_deref()?;
    let what =
        upload.error_detail.as_deref().map(|d| i18n::t(locale, &format!("media-detected-{d}"))).unwrap_or_default();
    Some(i18n::t_args(locale, key, &[("what", ArgValue::Str(what)), ("name", ArgValue::Str(upload.file_name.clone()))]))
}

/// Rows for these items, with the state of their latest upload.
pub async fn rows(tx: &mut TenantTx, locale: Locale, items: Vec<Media>) -> sqlx::Result<Vec<Row>> {
    let ids: Vec<_> = items.iter().map(|m| m.id).collect();
    let latest = store::latest_uploads(tx, &ids).await?;
    Ok(items
        .into_iter()
        .map(|media| {
            let upload = latest.iter().find(|u| u.media_id == media.id);
            let newer = upload.filter(|u| Some(u.id) != media.current_upload);
            let (state, percent, error) = match newer {
                Some(u) if u.state == "receiving" => {
                    ("uploading".to_string(), u.received * 100 / u.length.max(1), None)
                }
                Some(u) if u.state == "processing" => ("processing".to_string(), (u.progress * 100.0) as i64, None),
                Some(u) if u.state == "failed" => ("failed".to_string(), 0, error_message(locale, u)),
                _ => (media.status.clone(), 100, None),
            };
            let replacing = media.current_upload.is_some() && matches!(state.as_str(), "uploading" | "processing");
            let busy = state == "processing" || media.mp4_status.as_deref() == Some("processing");
            let state =
                if media.current_upload.is_some() && state != "failed" && !replacing { "ready".into() } else { state };
            let removes_at = media.refused_at.map(|at| at + Duration::days(REFUSED_KEPT_DAYS));
            Row { media, state, percent, error, replacing, busy, removes_at }
        })
        .collect())
}

/// One page of rows, whether any is still changing, and the cursor of the next page.
async fn list(ctx: &Ctx, q: &ListQuery) -> AppResult<(Vec<Row>, bool, Option<String>)> {
    let mut tx = ctx.tx().await?;
    let filter = store::Filter {
        query: Some(q.q.trim().to_string()).filter(|s| !s.is_empty()),
        kind: Some(q.kind.clone()).filter(|k| matches!(k.as_str(), "video" | "audio" | "file")),
        before: q.before.parse().ok(),
        limit: PAGE + 1,
    };
    let mut items = store::list(&mut tx, &filter).await?;
    let more = items.len() as i64 > PAGE;
    items.truncate(PAGE as usize);
    let next = if more { items.last().map(|m| m.id.to_string()) } else { None };
    let rows = rows(&mut tx, ctx.shell.locale, items).await?;
    let busy = rows.iter().any(|r| r.busy);
    Ok((rows, busy, next))
}

/// Bytes used (stored and reserved by unfinished uploads), the plan's quota, and the percent.
async fn usage(ctx: &Ctx) -> AppResult<(i64, i64, f64)> {
    let (used, reserved) = {
        let mut tx = ctx.tx().await?;
        store::usage(&mut tx).await?
    };
    let quota = Plan::named(&ctx.school.plan).storage_bytes as i64;
    let percent = ((used + reserved) as f64 * 100.0 / quota as f64).clamp(0.0, 100.0);
    Ok((used + reserved, quota, (percent * 10.0).round() / 10.0))
}

pub async fn index(ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let (rows, busy, next) = list(&ctx, &q).await?;
    let (used, quota, used_percent) = usage(&ctx).await?;
    let plan = Plan::named(&ctx.school.plan);
    let html = ctx.render(
        "media/library.html",
        context! {
            rows => Serde(&rows),
            busy,
            next,
            before => q.before,
            q => q.q,
            kind => q.kind,
            used,
            quota,
            used_percent,
            max_upload => plan.max_upload_bytes as i64,
            chunk => service::CLIENT_CHUNK_BYTES as i64,
            accept => service::ACCEPT,
        },
    )?;
    Ok(html.into_response())
}

pub async fn items(ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let (rows, busy, next) = list(&ctx, &q).await?;
    let (used, quota, used_percent) = usage(&ctx).await?;
    let html = ctx.render(
        "media/_items.html",
        context! {
            rows => Serde(&rows), busy, next, before => q.before, q => q.q, kind => q.kind,
            oob => true, used, quota, used_percent,
        },
    )?;
    Ok(html.into_response())
}
