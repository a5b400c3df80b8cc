//! Playback for anyone entitled: `GET /media/{id}` (the watch page), `GET /media/{id}/play`
//! (a fresh token), `GET /media/{id}/hls/{token}/…` (playlists, key, segments, poster,
//! thumbnails, captions), `POST /media/{id}/heartbeat`, and downloads.

use axum::{
    Json,
    extract::Path,
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use identity::{Ctx, User};
use kernel::{AppError, AppResult, secret};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use super::parse;
use crate::{
    captions, entitlement,
    model::{Caption, Kind, Media, MediaId, keys},
    serve::{self, Delivery},
    store,
    token::{self, Grant, Purpose},
};

/// What the player island is given.
#[derive(Debug, Serialize)]
pub struct Player {
    /// `video` or `audio`.
    pub kind: String,
    /// Master playlist.
    pub src: String,
    /// Where to ask for a fresh token.
    pub token_url: String,
    /// Where to send heartbeats.
    pub heartbeat_url: String,
    /// Seconds to resume at.
    pub resume: f64,
    /// Seconds.
    pub duration: f64,
    /// Poster image (video).
    pub poster: Option<String>,
    /// Thumbnail track (video).
    pub thumbnails: Option<String>,
    /// Caption tracks as JSON for the island.
    pub captions: String,
}

#[derive(Serialize)]
struct Track<'a> {
    label: String,
    lang: &'a str,
    src: String,
    default: bool,
}

fn base(media: MediaId, token: &str) -> String {
    format!("/media/{media}/hls/{token}/")
}

/// The player's settings for `user` watching `media`.
pub async fn player(ctx: &Ctx, user: &User, media: &Media, captions: &[Caption]) -> AppResult<Player> {
    let grant = Grant { tenant: ctx.school.id, media: media.id, user: user.id };
    let (token, _) = token::issue(&ctx.state.config.keys, Purpose::Play, &grant);
    let base = base(media.id, &token);
    let resume = {
        let mut tx = ctx.tx().await?;
        store::view(&mut tx, media.id, user.id).await?.map(|v| v.1).unwrap_or(0.0)
    };
    let video = media.kind() == Kind::Video;
    let tracks: Vec<Track> = captions
        .iter()
        .map(|c| Track {
            label: captions::track_label(ctx.shell.locale, &c.lang, &c.label),
            lang: &c.lang,
            src: format!("{base}captions/{}.vtt", c.id),
            default: false,
        })
        .collect();
    Ok(Player {
        kind: media.kind.clone(),
        src: format!("{base}master.m3u8"),
        token_url: format!("/media/{}/play", media.id),
        heartbeat_url: format!("/media/{}/heartbeat", media.id),
        resume,
        duration: media.duration_ms.unwrap_or(0) as f64 / 1000.0,
        poster: video.then(|| format!("{base}poster.jpg")),
        thumbnails: video.then(|| format!("{base}thumbnails.vtt")),
        captions: serde_json::to_string(&tracks).unwrap_or_else(|_| "[]".into()),
    })
}

/// The item if it exists here (404 otherwise) and `user` may watch it (403 otherwise).
async fn entitled(ctx: &Ctx, id: MediaId, user: &User) -> AppResult<Media> {
    let mut tx = ctx.tx().await?;
    let media = store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !entitlement::may_watch(&ctx.state, &mut tx, user, id).await? {
        return Err(AppError::Forbidden);
    }
    Ok(media)
}

/// `GET /media/{id}`: the item's watch page for anyone entitled.
pub async fn page(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.user()?;
    let media = entitled(&ctx, parse(&id)?, user).await?;
    let captions = {
        let mut tx = ctx.tx().await?;
        store::captions(&mut tx, media.id).await?
    };
    let player = if media.is_ready() && media.kind().is_playable() {
        Some(player(&ctx, user, &media, &captions).await?)
    } else {
        None
    };
    let html = ctx.render("media/watch.html", context! { media => Serde(&media), player => Serde(&player) })?;
    Ok(html.into_response())
}

/// A fresh playback token's addresses.
#[derive(Serialize)]
pub struct Fresh {
    src: String,
    base: String,
    expires_in: i64,
}

/// `GET /media/{id}/play`: a fresh token for the player island.
pub async fn play(ctx: Ctx, Path(id): Path<String>) -> AppResult<Json<Fresh>> {
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let media = entitled(&ctx, parse(&id)?, &user).await?;
    if !media.is_ready() || !media.kind().is_playable() {
        return Err(AppError::NotFound);
    }
    let grant = Grant { tenant: ctx.school.id, media: media.id, user: user.id };
    let (token, _) = token::issue(&ctx.state.config.keys, Purpose::Play, &grant);
    let base = base(media.id, &token);
    Ok(Json(Fresh { src: format!("{base}master.m3u8"), base, expires_in: token::PLAY_TTL_SECONDS }))
}

/// Files of the served version a token opens.
fn allowed(file: &str) -> bool {
    let parts: Vec<&str> = file.split('/').collect();
    let safe = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !s.starts_with('.')
    };
    match parts.as_slice() {
        ["master.m3u8" | "poster.jpg" | "sprite.jpg" | "thumbnails.vtt"] => true,
        [rendition, name] => {
            safe(rendition)
                && safe(name)
                && (name.ends_with(".m3u8")
                    || name.ends_with(".ts")
                    || name.ends_with(".m4s")
                    || name.ends_with(".aac"))
        }
        _ => false,
    }
}

/// `GET /media/{id}/hls/{token}/{file}`: playlists, the key, segments, poster, captions.
pub async fn hls(
    ctx: Ctx,
    Path((id, token, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let id: MediaId = parse(&id)?;
    // No session, another viewer, another school, an expired or forged token: 403, before any
    // look-up, so the answer says nothing about whether the item exists.
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let grant = Grant { tenant: ctx.school.id, media: id, user: user.id };
    if !token::verify(&ctx.state.config.keys, Purpose::Play, &grant, &token) {
        return Err(AppError::Forbidden);
    }
    let media = {
        let mut tx = ctx.tx().await?;
        store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?
    };
    let version = media.current_upload.ok_or(AppError::NotFound)?;
    if file == "key" {
        // The token outlives a change of heart: an enrolment revoked or paused mid-token stops
        // the key, so no new segment can be decrypted.
        let mut tx = ctx.tx().await?;
        if !entitlement::may_watch(&ctx.state, &mut tx, &user, id).await? {
            return Err(AppError::Forbidden);
        }
        drop(tx);
        let sealed = media_key(&ctx, id).await?;
        let hex = secret::open(&ctx.state.config.keys, crate::process::KEY_PURPOSE, &sealed)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("HLS key does not open")))?;
        let bytes = hex::decode(hex).map_err(|e| AppError::Internal(e.into()))?;
        return Ok(serve::bytes(bytes, &headers, "private, no-store"));
    }
    if let Some(caption) = file.strip_prefix("captions/").and_then(|f| f.strip_suffix(".vtt")) {
        let caption: uuid::Uuid = parse(caption)?;
        let key = keys::caption(id, caption).map_err(|_| AppError::NotFound)?;
        let how = Delivery { content_type: "text/vtt; charset=utf-8", cache: "private, max-age=600", attachment: None };
        return serve::object(&ctx.state.storage, ctx.school.id, &key, &headers, how).await;
    }
    if !allowed(&file) {
        return Err(AppError::NotFound);
    }
    let key = keys::hls(id, version).and_then(|k| k.join(&file)).map_err(|_| AppError::NotFound)?;
    let cache = if file.ends_with(".m3u8") { "private, no-cache" } else { "private, max-age=3600" };
    let how = Delivery { content_type: crate::process::content_type(&file), cache, attachment: None };
    serve::object(&ctx.state.storage, ctx.school.id, &key, &headers, how).await
}

async fn media_key(ctx: &Ctx, id: MediaId) -> AppResult<String> {
    let mut tx = ctx.tx().await?;
    store::hls_key(&mut tx, id).await?.ok_or(AppError::NotFound)
}

/// A heartbeat: seconds watched since the last one, and where the viewer is.
#[derive(Debug, Deserialize)]
pub struct Beat {
    seconds: f64,
    position: f64,
}

/// `POST /media/{id}/heartbeat`: records watching, then tells the [`crate::observe`] observers.
pub async fn heartbeat(ctx: Ctx, Path(id): Path<String>, Json(beat): Json<Beat>) -> AppResult<Response> {
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let media = entitled(&ctx, parse(&id)?, &user).await?;
    if !beat.seconds.is_finite() || !beat.position.is_finite() || beat.seconds < 0.0 || beat.position < 0.0 {
        return Err(AppError::Unprocessable("seconds and position must be positive numbers".into()));
    }
    let duration = media.duration_ms.unwrap_or(0) as f64 / 1000.0;
    let seconds = beat.seconds.min(60.0);
    let position = if duration > 0.0 { beat.position.min(duration) } else { beat.position };
    let mut tx = ctx.tx().await?;
    let total = store::record_heartbeat(&mut tx, media.id, user.id, seconds, position).await?;
    let watched = crate::observe::Watched { media: media.id, seconds: total, duration };
    crate::observe::notify(&ctx.state, &mut tx, &user, watched).await?;
    tx.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// What a download serves: the MP4/M4A made for it, or a plain file's original (with the type
/// detected when it was processed).
fn download_of(media: &Media) -> Option<(kernel::storage::StorageKey, String, String)> {
    let version = media.current_upload?;
    match media.kind() {
        Kind::File => {
            let ct = media.content_type.clone().unwrap_or_else(|| "application/octet-stream".into());
            Some((keys::source(media.id, version).ok()?, ct, media.file_name.clone()))
        }
        kind if media.mp4_status.as_deref() == Some("ready") => {
            let ext = if kind == Kind::Audio { "m4a" } else { "mp4" };
            let name = format!("{}.{ext}", media.title);
            Some((keys::mp4(media.id, version).ok()?, crate::process::mp4_type(ext).into(), name))
        }
        _ => None,
    }
}

/// `GET /media/{id}/download`: a signed download link, when the item may be downloaded.
pub async fn download(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let media = entitled(&ctx, parse(&id)?, &user).await?;
    let staff = identity::model::allows(user.role(), identity::Permission::ManageMedia);
    if !(media.downloadable || staff && media.kind() == Kind::File) {
        return Err(AppError::Forbidden);
    }
    let Some((_, _, name)) = download_of(&media) else { return Err(AppError::NotFound) };
    let grant = Grant { tenant: ctx.school.id, media: media.id, user: user.id };
    let (token, _) = token::issue(&ctx.state.config.keys, Purpose::Download, &grant);
    let safe: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
    Ok(Redirect::to(&format!("/media/{}/file/{token}/{safe}", media.id)).into_response())
}

/// `GET /media/{id}/file/{token}/{name}`: the download itself.
pub async fn file(
    ctx: Ctx,
    Path((id, token, _name)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let id: MediaId = parse(&id)?;
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let grant = Grant { tenant: ctx.school.id, media: id, user: user.id };
    if !token::verify(&ctx.state.config.keys, Purpose::Download, &grant, &token) {
        return Err(AppError::Forbidden);
    }
    let media = {
        let mut tx = ctx.tx().await?;
        store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?
    };
    let (key, content_type, name) = download_of(&media).ok_or(AppError::NotFound)?;
    let how = Delivery { content_type: &content_type, cache: "private, max-age=3600", attachment: Some(&name) };
    serve::object(&ctx.state.storage, ctx.school.id, &key, &headers, how).await
}

/// Any other path under an item: refused.
pub async fn refuse() -> AppError {
    AppError::Forbidden
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_player_files_are_served() {
        for ok in [
            "master.m3u8",
            "720p/index.m3u8",
            "720p/seg-00001.ts",
            "audio/seg-00000.ts",
            "poster.jpg",
            "sprite.jpg",
            "thumbnails.vtt",
        ] {
            assert!(super::allowed(ok), "{ok}");
        }
        for bad in
            ["source", "../source", "720p/../../source", "download", "720p/.hidden.ts", "a/b/c.ts", "720p/x.mp4", ""]
        {
            assert!(!super::allowed(bad), "{bad}");
        }
    }
}
