//! `GET/POST /admin/media/{id}`: one item — preview player, title, downloads, replace, captions,
//! where it is used, who watched; plus its status (polled), poster, download setting, deletion.

use axum::{
    extract::Path,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    jobs::{self, NewJob},
    plan::Plan,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::parse;
use crate::{
    captions,
    model::{Kind, Media, MediaId, keys},
    serve::{self, Delivery},
    service::{self, MP4_JOB},
    store,
};

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct RenameForm {
    #[serde(default)]
    title: String,
}

/// A recent viewer as the item page lists them.
#[derive(Debug, Serialize)]
struct Watcher {
    name: String,
    email: String,
    watched_ms: i64,
    /// Where they stopped, as a percent of the duration.
    percent: i64,
    last: chrono::DateTime<chrono::Utc>,
}

async fn load(ctx: &Ctx, id: &str) -> AppResult<Media> {
    let id: MediaId = parse(id)?;
    let mut tx = ctx.tx().await?;
    store::find(&mut tx, id).await?.ok_or(AppError::NotFound)
}

async fn page(ctx: &Ctx, media: Media, form: &RenameForm, errors: &FieldErrors) -> AppResult<Response> {
    let user = ctx.user()?;
    let mut tx = ctx.tx().await?;
    let captions = store::captions(&mut tx, media.id).await?;
    let uses = store::uses(&mut tx, media.id).await?;
    let (viewers, seconds) = store::view_totals(&mut tx, media.id).await?;
    let duration = media.duration_ms.unwrap_or(0) as f64 / 1000.0;
    let mut watchers = vec![];
    for v in store::recent_views(&mut tx, media.id, 10).await? {
        let Some(person) = identity::store::find(&mut tx, v.user_id).await? else { continue };
        let percent = if duration > 0.0 { (v.position / duration * 100.0).clamp(0.0, 100.0).round() as i64 } else { 0 };
        watchers.push(Watcher {
            name: person.name,
            email: person.email,
            watched_ms: (v.seconds_watched * 1000.0) as i64,
            percent,
            last: v.last_beat_at,
        });
    }
    let row = super::rows(&mut tx, ctx.shell.locale, vec![media.clone()]).await?.pop();
    drop(tx);
    let player = if media.is_ready() && media.kind().is_playable() {
        Some(super::watch::player(ctx, user, &media, &captions).await?)
    } else {
        None
    };
    let plan = Plan::named(&ctx.school.plan);
    let locale = ctx.shell.locale;
    let tracks: Vec<_> = captions
        .iter()
        .map(|c| json!({ "id": c.id, "label": c.label, "shown": captions::track_label(locale, &c.lang, &c.label) }))
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = ctx.render(
        "media/item.html",
        context! {
            media => Serde(&media),
            row => Serde(&row),
            form => Serde(form),
            errors => Serde(errors),
            captions => Serde(&tracks),
            languages => Serde(&captions::languages(locale)),
            uses => Serde(&uses),
            viewers,
            watchers => Serde(&watchers),
            watched_ms => (seconds * 1000.0) as i64,
            player => Serde(&player),
            max_upload => plan.max_upload_bytes as i64,
            chunk => service::CLIENT_CHUNK_BYTES as i64,
            accept => if media.kind() == Kind::File { service::ACCEPT } else { "video/*,audio/*" },
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let media = load(&ctx, &id).await?;
    let form = RenameForm { title: media.title.clone() };
    page(&ctx, media, &form, &FieldErrors::default()).await
}

pub async fn rename(ctx: Ctx, Path(id): Path<String>, Form(f): Form<RenameForm>) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let media = load(&ctx, &id).await?;
    let title = f.title.trim();
    let mut errors = FieldErrors::default();
    if title.is_empty() {
        errors.add("title", ctx.t("media-title-required"));
    } else if title.chars().count() > 200 {
        errors.add("title", ctx.t("media-title-too-long"));
    }
    if !errors.is_empty() {
        return page(&ctx, media, &f, &errors).await;
    }
    let mut tx = ctx.tx().await?;
    store::rename(&mut tx, media.id, title).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(&format!("/admin/media/{}", media.id), "success", ctx.t("media-renamed")).into_response())
}

/// The status block alone (htmx polls it while the item processes).
pub async fn status(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let media = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let row = super::rows(&mut tx, ctx.shell.locale, vec![media.clone()]).await?.pop();
    let busy = row.as_ref().is_some_and(|r| r.busy || r.state == "uploading");
    let html = ctx.render("media/_status.html", context! { media => Serde(&media), row => Serde(&row) })?;
    let mut res = html.into_response();
    if !busy {
        // Settled: reload the page so the player and details show the new version.
        res.headers_mut().insert("hx-refresh", axum::http::HeaderValue::from_static("true"));
    }
    Ok(res)
}

pub async fn poster(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let media = load(&ctx, &id).await?;
    let version = media.current_upload.filter(|_| media.kind() == Kind::Video).ok_or(AppError::NotFound)?;
    let key = keys::hls(media.id, version).and_then(|k| k.join("poster.jpg")).map_err(|_| AppError::NotFound)?;
    let how = Delivery { content_type: "image/jpeg", cache: "private, max-age=3600", attachment: None };
    serve::object(&ctx.state.storage, ctx.school.id, &key, &headers, how).await
}

#[derive(Debug, Deserialize)]
pub struct DownloadForm {
    #[serde(default)]
    downloadable: Option<String>,
}

pub async fn downloadable(ctx: Ctx, Path(id): Path<String>, Form(f): Form<DownloadForm>) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let on = f.downloadable.is_some_and(|v| v == "on" || v == "true" || v == "1");
    let id: MediaId = parse(&id)?;
    let mut tx = ctx.tx().await?;
    let media = store::find_for_update(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    store::set_downloadable(&mut tx, media.id, on).await?;
    let needs_mp4 = on && media.kind().is_playable() && media.mp4_status.is_none();
    if let Some(version) = media.current_upload.filter(|_| needs_mp4) {
        store::set_mp4(&mut tx, media.id, Some("processing"), None).await?;
        let job = NewJob::new(MP4_JOB, json!({ "media": media.id, "upload": version })).key(format!("mp4-{version}"));
        jobs::enqueue(&mut tx, job).await?;
    }
    tx.commit().await?;
    let message = if on { ctx.t("media-downloads-on") } else { ctx.t("media-downloads-off") };
    Ok(ctx.redirect_with(&format!("/admin/media/{}", media.id), "success", message).into_response())
}

pub async fn delete(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let media = load(&ctx, &id).await?;
    if !service::delete_media(&ctx.state, ctx.school.id, media.id).await? {
        return Err(AppError::NotFound);
    }
    let message = ctx.t_args("media-deleted", &[("title", media.title.clone().into())]);
    Ok(ctx.redirect_with("/admin/media", "success", message).into_response())
}
