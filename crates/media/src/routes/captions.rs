//! `POST /admin/media/{id}/captions` (a WebVTT file with its language) and
//! `POST /admin/media/{id}/captions/{caption}/delete`.

use axum::{
    extract::{Multipart, Path, multipart::MultipartRejection},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult};

use super::parse;
use crate::{
    model::{Caption, MediaId, keys},
    store,
};

/// Largest caption file accepted.
pub const MAX_CAPTION_BYTES: usize = 1024 * 1024;

/// Checks a caption file: WebVTT, UTF-8, not empty. `Err` is a Fluent key.
pub fn check_vtt(bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.is_empty() {
        return Err("media-caption-empty");
    }
    if bytes.len() > MAX_CAPTION_BYTES {
        return Err("media-caption-too-large");
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "media-caption-not-vtt")?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    if first != "WEBVTT" && !first.starts_with("WEBVTT ") && !first.starts_with("WEBVTT\t") {
        return Err("media-caption-not-vtt");
    }
    if !text.contains("-->") {
        return Err("media-caption-no-cues");
    }
    Ok(())
}

fn valid_lang(lang: &str) -> bool {
    (2..=20).contains(&lang.len())
        && lang.split('-').all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

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
    let problem = if too_large {
        Some("media-caption-too-large")
    } else if label.is_empty() || label.chars().count() > 60 {
        Some("media-caption-label")
    } else if !valid_lang(&lang) {
        Some("media-caption-lang")
    } else {
        check_vtt(&file).err()
    };
    if let Some(key) = problem {
        return Ok(ctx.redirect_with(&back, "error", ctx.t(key)).into_response());
    }
    let caption = Caption { id: uuid::Uuid::now_v7(), label, lang, byte_size: file.len() as i64 };
    let key = keys::caption(media.id, caption.id).map_err(|e| AppError::Internal(e.into()))?;
    ctx.state
        .storage
        .put(ctx.school.id, &key, file, Some("text/vtt"))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut tx = ctx.tx().await?;
    store::insert_caption(&mut tx, media.id, &caption).await?;
    tx.commit().await?;
    Ok(ctx
        .redirect_with(&back, "success", ctx.t_args("media-caption-added", &[("label", caption.label.into())]))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_must_be_webvtt_with_cues() {
        assert_eq!(check_vtt(b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"), Ok(()));
        assert_eq!(check_vtt("\u{feff}WEBVTT - Spanish\n\n00:00.000 --> 00:02.000\nHola\n".as_bytes()), Ok(()));
        assert_eq!(check_vtt(b""), Err("media-caption-empty"));
        assert_eq!(check_vtt(b"1\n00:00:00,000 --> 00:00:02,000\nSRT\n"), Err("media-caption-not-vtt"));
        assert_eq!(check_vtt(b"WEBVTT\n"), Err("media-caption-no-cues"));
        assert_eq!(check_vtt(&[0xff, 0xfe, 0x00]), Err("media-caption-not-vtt"));
        assert!(valid_lang("en") && valid_lang("pt-BR") && !valid_lang("e") && !valid_lang("en us"));
    }
}
