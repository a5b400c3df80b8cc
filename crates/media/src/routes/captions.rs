//! `POST /admin/media/{id}/captions` (a WebVTT or SRT file with its language) and
//! `POST /admin/media/{id}/captions/{caption}/delete`.

use axum::{
    extract::{Multipart, Path, multipart::MultipartRejection},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult};

use super::parse;
use crate::{
    captions::{self, MAX_CAPTION_BYTES},
    model::{Caption, MediaId, keys},
    store,
};

/// The unique index that keeps one track per language and label on an item.
const DUPLICATE: &str = "media_captions_lang_label_key";

pub async fn add(
    ctx: Ctx,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let id: MediaId = parse(&id)?;
    let media = {
        let mut tx = ctx.tx().await?;
        store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?
    };
    let back = format!("/admin/media/{}", media.id);
    let mut multipart = multipart.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let (mut label, mut lang, mut file) = (String::new(), String::new(), Vec::new());
    let mut too_large = false;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| AppError::BadRequest(e.body_text()))? {
        match field.name().unwrap_or("") {
            "label" => label = field.text().await.map_err(|e| AppError::BadRequest(e.body_text()))?,
            "lang" => lang = field.text().await.map_err(|e| AppError::BadRequest(e.body_text()))?,
            "file" => {
                while let Some(chunk) = field.chunk().await.map_err(|e| AppError::BadRequest(e.body_text()))? {
                    if file.len() + chunk.len() > MAX_CAPTION_BYTES {
                        too_large = true;
                    } else {
                        file.extend_from_slice(&chunk);
                    }
                }
            }
            _ => {}
        }
    }
    let (label, lang) = (label.trim().to_string(), lang.trim().to_string());
    let refuse =
        |message: String| -> AppResult<Response> { Ok(ctx.redirect_with(&back, "error", message).into_response()) };
    if too_large {
        return refuse(ctx.t("media-caption-too-large"));
    } else if label.chars().count() > 60 {
        return refuse(ctx.t("media-caption-label"));
    } else if !captions::is_language(&lang) {
        return refuse(ctx.t("media-caption-lang"));
    }
    let file = match captions::prepare(&file) {
        Ok(vtt) => vtt,
        Err(r) => return refuse(ctx.t_args(r.key, &[("line", r.line.unwrap_or(0).to_string().into())])),
    };
    let caption = Caption { id: uuid::Uuid::now_v7(), label, lang, byte_size: file.len() as i64 };
    let shown = captions::track_label(ctx.shell.locale, &caption.lang, &caption.label);
    let mut tx = ctx.tx().await?;
    match store::insert_caption(&mut tx, media.id, &caption).await {
        Err(sqlx::Error::Database(d)) if d.constraint() == Some(DUPLICATE) => {
            return refuse(ctx.t_args("media-caption-duplicate", &[("track", shown.into())]));
        }
        other => other?,
    }
    let key = keys::caption(media.id, caption.id).map_err(|e| AppError::Internal(e.into()))?;
    ctx.state
        .storage
        .put(ctx.school.id, &key, file, Some("text/vtt"))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tx.commit().await?;
    Ok(ctx
        .redirect_with(&back, "success", ctx.t_args("media-caption-added", &[("label", shown.into())]))
        .into_response())
}

pub async fn remove(ctx: Ctx, Path((id, caption)): Path<(String, String)>) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    let id: MediaId = parse(&id)?;
    let caption: uuid::Uuid = parse(&caption)?;
    let mut tx = ctx.tx().await?;
    store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    store::delete_caption(&mut tx, id, caption).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let key = keys::caption(id, caption).map_err(|e| AppError::Internal(e.into()))?;
    ctx.state.storage.delete(ctx.school.id, &key).await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(ctx.redirect_with(&format!("/admin/media/{id}"), "success", ctx.t("media-caption-removed")).into_response())
}
