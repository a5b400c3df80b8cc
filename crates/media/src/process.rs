//! The processing job: joins an upload's chunks, checks what the file really is, transcodes
//! audio and video into encrypted HLS, and makes the result the item's served version.
//!
//! Every step can be repeated: a worker that dies mid-way leaves the job to be claimed again,
//! and the next attempt starts by removing whatever output the last one left.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::Context;
use futures::{StreamExt, TryStreamExt, stream};
use kernel::{
    AppState, TenantId,
    jobs::{self, Job, NewJob},
    secret,
    storage::{Bytes, StorageKey},
};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{
    model::{Kind, Media, MediaId, RenditionInfo, Upload, UploadId, keys},
    service::{MP4_JOB, PROCESS_JOB},
    store,
    transcode::{self, Detected},
};

/// Attempts before a failing transcode is reported to the creator.
pub const ATTEMPTS: i32 = 3;

/// Purpose under which HLS keys are sealed in the database.
pub const KEY_PURPOSE: &str = "media-hls-key";

/// Registers media's jobs.
pub fn register(w: &mut kernel::state::Wiring) {
    w.jobs.register(PROCESS_JOB, process);
    w.jobs.register(MP4_JOB, make_mp4);
    w.jobs.register(crate::service::EXPIRE_JOB, crate::service::expire_upload);
    w.jobs.register(crate::sweep::SWEEP_JOB, crate::sweep::sweep_refused);
}

async fn load(state: &AppState, tenant: TenantId, id: UploadId) -> anyhow::Result<Option<(Upload, Media)>> {
    let mut tx = state.db.tenant(tenant).await?;
    let Some(upload) = store::find_upload(&mut tx, id).await? else { return Ok(None) };
    let Some(item) = store::find(&mut tx, upload.media_id).await? else { return Ok(None) };
    Ok(Some((upload, item)))
}

async fn process(state: AppState, job: Job) -> anyhow::Result<()> {
    let result = process_attempt(&state, &job).await;
    if let Err(e) = &result
        && job.attempt >= ATTEMPTS
    {
        // The last attempt failed on our side (storage, ffprobe missing…): tell the creator rather
        // than leave the item "processing" for ever; the dead job stays visible to the operator.
        tracing::error!(error = ?e, "processing failed for good");
        if let Ok(id) = serde_json::from_value::<UploadId>(job.payload["upload"].clone())
            && let Ok(Some((upload, item))) = load(&state, job.tenant, id).await
            && upload.state == "processing"
        {
            reject(&state, job.tenant, &upload, &item, "media-error-internal", None).await?;
        }
    }
    result
}

async fn process_attempt(state: &AppState, job: &Job) -> anyhow::Result<()> {
    let state = state.clone();
    let id: UploadId = serde_json::from_value(job.payload["upload"].clone()).context("payload")?;
    let tenant = job.tenant;
    let Some((upload, item)) = load(&state, tenant, id).await? else { return Ok(()) };
    if upload.state != "processing" {
        return Ok(());
    }
    let scratch = kernel::scratch::dir().context("scratch folder")?;
    let work = tempfile::Builder::new().prefix("media-").tempdir_in(scratch).context("temporary folder")?;
    let source = work.path().join("source");
    let source_bytes = assemble(&state, tenant, &upload, &source).await.context("joining the upload")?;
    let hls = keys::hls(upload.media_id, id)?;
    // Whatever an earlier, interrupted attempt wrote.
    state.storage.delete_prefix(tenant, &hls).await?;

    let expected =
        if item.current_upload.is_some() { item.kind() } else { Kind::guess(&upload.file_type, &upload.file_name) };
    let mut head = vec![0u8; 4096];
    let n = tokio::fs::File::open(&source).await?.read(&mut head).await?;
    head.truncate(n);
    let detected = transcode::sniff(&head);

    let outcome = match expected {
        Kind::File => check_file(&upload.file_name, detected).map(|ct| Outcome::File { content_type: ct }),
        Kind::Video | Kind::Audio => match transcode::probe(&source).await {
            // Our side (ffprobe missing, a timeout): try again later rather than blame the file.
            Err(e @ (transcode::ProbeError::Io(_) | transcode::ProbeError::Tool(_))) => {
                return Err(anyhow::Error::new(e).context("probing"));
            }
            Err(e) => Err((e.message_key(), Some(detected.as_str().to_string()))),
            Ok(p) if p.video.is_none() && p.audio.is_none() => Err(("media-error-no-streams", None)),
            Ok(p) => Ok(Outcome::Media(Box::new(p))),
        },
    };
    let outcome = match outcome {
        Ok(o) => o,
        Err((key, detail)) => {
            return reject(&state, tenant, &upload, &item, key, detail.as_deref()).await;
        }
    };

    let published = match outcome {
        Outcome::File { content_type } => Publish {
            kind: Kind::File,
            content_type: content_type.to_string(),
            version_bytes: source_bytes,
            duration_ms: None,
            width: None,
            height: None,
            renditions: vec![],
            hls_key: None,
        },
        Outcome::Media(probe) => {
            let out = work.path().join("hls");
            tokio::fs::create_dir_all(&out).await?;
            let key = transcode::HlsKey::generate();
            let (progress, watcher) = progress_writer(state.clone(), job.clone());
            let result = if probe.video.is_some() {
                transcode::transcode_video(&source, &out, &probe, &key, &progress).await.map(|o| {
                    let renditions = o
                        .renditions
                        .iter()
                        .map(|r| RenditionInfo {
                            name: r.name.clone(),
                            height: r.height,
                            width: r.width,
                            bandwidth: u64::from(r.video_maxrate_kbps + r.audio_kbps) * 1000,
                        })
                        .collect::<Vec<_>>();
                    (Kind::Video, renditions, Some(o.width as i32), Some(o.height as i32), o.duration_ms)
                })
            } else {
                transcode::transcode_audio(&source, &out, &probe, &key, &progress).await.map(|o| {
                    let r = RenditionInfo { name: "audio".into(), height: 0, width: 0, bandwidth: 128_000 };
                    (Kind::Audio, vec![r], None, None, o.duration_ms)
                })
            };
            watcher.abort();
            let (kind, renditions, width, height, duration_ms) = match result {
                Ok(r) => r,
                Err(e) if job.attempt < ATTEMPTS => {
                    state.storage.delete_prefix(tenant, &hls).await?;
                    return Err(anyhow::Error::new(e).context("transcoding"));
                }
                Err(e) => {
                    tracing::warn!(error = %e, upload = %id, "transcode failed for good");
                    state.storage.delete_prefix(tenant, &hls).await?;
                    return reject(&state, tenant, &upload, &item, "media-error-transcode", None).await;
                }
            };
            let stored = put_folder(&state, tenant, &out, &hls).await.context("storing the HLS output")?;
            let sealed = secret::seal(&state.config.keys, KEY_PURPOSE, &hex::encode(key.bytes));
            Publish {
                kind,
                content_type: probe_content_type(detected, kind).into(),
                version_bytes: source_bytes + stored,
                duration_ms: Some(duration_ms),
                width,
                height,
                renditions,
                hls_key: Some(sealed),
            }
        }
    };
    finish(&state, tenant, &upload, &item, source_bytes, published).await
}

enum Outcome {
    File { content_type: &'static str },
    Media(Box<transcode::Probe>),
}

struct Publish {
    kind: Kind,
    content_type: String,
    version_bytes: u64,
    duration_ms: Option<i64>,
    width: Option<i32>,
    height: Option<i32>,
    renditions: Vec<RenditionInfo>,
    hls_key: Option<String>,
}

/// Makes the new version the served one and removes the one it replaces.
async fn finish(
    state: &AppState,
    tenant: TenantId,
    upload: &Upload,
    item: &Media,
    source_bytes: u64,
    p: Publish,
) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(tenant).await?;
    let Some(now) = store::find_for_update(&mut tx, item.id).await? else {
        // Deleted while processing: leave nothing behind.
        drop(tx);
        state.storage.delete_prefix(tenant, &keys::item(item.id)?).await?;
        return Ok(());
    };
    store::publish(
        &mut tx,
        item.id,
        &store::Published {
            upload: upload.id,
            kind: p.kind.as_str(),
            file_name: &upload.file_name,
            content_type: &p.content_type,
            source_bytes: source_bytes as i64,
            version_bytes: p.version_bytes as i64,
            duration_ms: p.duration_ms,
            width: p.width,
            height: p.height,
            renditions: &p.renditions,
            hls_key: p.hls_key.as_deref(),
        },
    )
    .await?;
    store::set_upload_state(&mut tx, upload.id, "ready", None).await?;
    if let Some(old) = now.current_upload.filter(|old| *old != upload.id) {
        store::set_upload_state(&mut tx, old, "replaced", None).await?;
    }
    if now.downloadable && p.kind != Kind::File {
        store::set_mp4(&mut tx, item.id, Some("processing"), None).await?;
        let job =
            NewJob::new(MP4_JOB, json!({ "media": item.id, "upload": upload.id })).key(format!("mp4-{}", upload.id));
        jobs::enqueue(&mut tx, job).await?;
    }
    // Earlier versions: the one replaced, and refused files kept until now.
    let stale = store::stale_versions(&mut tx, item.id, upload.id).await?;
    tx.commit().await?;
    for old in now.current_upload.filter(|old| *old != upload.id).into_iter().chain(stale) {
        state.storage.delete_prefix(tenant, &keys::version(item.id, old)?).await?;
    }
    tracing::info!(media = %item.id, upload = %upload.id, kind = p.kind.as_str(), "media ready");
    Ok(())
}

/// Records why the file was refused. A first upload keeps its original (so the creator sees it
/// and can delete it); a refused replacement is removed and the old version keeps playing.
async fn reject(
    state: &AppState,
    tenant: TenantId,
    upload: &Upload,
    item: &Media,
    key: &str,
    detail: Option<&str>,
) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(tenant).await?;
    store::set_upload_state(&mut tx, upload.id, "failed", Some((key, detail))).await?;
    if item.current_upload.is_none() {
        // Nothing of it is kept: it counts nothing, and the row goes once the creator has seen why.
        store::set_refused(&mut tx, item.id).await?;
        crate::sweep::schedule(&mut tx, item.id).await?;
    }
    tx.commit().await?;
    state.storage.delete_prefix(tenant, &keys::version(item.id, upload.id)?).await?;
    tracing::info!(media = %item.id, upload = %upload.id, reason = key, "media refused");
    Ok(())
}

/// Whether a plain file is what its name says; the content type to serve it with, or why not.
fn check_file(file_name: &str, detected: Detected) -> Result<&'static str, (&'static str, Option<String>)> {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let expected = match ext.as_str() {
        "pdf" => Detected::Pdf,
        "zip" | "epub" | "docx" | "xlsx" | "pptx" => Detected::Zip,
        "png" => Detected::Png,
        "jpg" | "jpeg" => Detected::Jpeg,
        "gif" => Detected::Gif,
        "webp" => Detected::Webp,
        _ => return Err(("media-error-file-type", Some(detected.as_str().to_string()))),
    };
    if detected != expected {
        return Err(("media-error-lies", Some(detected.as_str().to_string())));
    }
    Ok(match ext.as_str() {
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "epub" => "application/epub+zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        _ => "image/webp",
    })
}

fn probe_content_type(detected: Detected, kind: Kind) -> &'static str {
    match (detected, kind) {
        (Detected::Webm, _) => "video/webm",
        (Detected::Mp3, _) => "audio/mpeg",
        (Detected::Wav, _) => "audio/wav",
        (Detected::Ogg, _) => "audio/ogg",
        (Detected::Flac, _) => "audio/flac",
        (_, Kind::Audio) => "audio/mp4",
        _ => "video/mp4",
    }
}

/// Writes processing progress to the database at most every second and a half.
fn progress_writer(state: AppState, job: Job) -> (impl Fn(f32) + Send + Sync, tokio::task::JoinHandle<()>) {
    let (tx, mut rx) = tokio::sync::watch::channel(0.0f32);
    let (tenant, id): (TenantId, UploadId) =
        (job.tenant, serde_json::from_value(job.payload["upload"].clone()).unwrap_or_default());
    let task = tokio::spawn(async move {
        let mut last = -1.0f32;
        loop {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let now = *rx.borrow_and_update();
            if (now - last).abs() >= 0.01 {
                last = now;
                if let Ok(mut t) = state.db.tenant(tenant).await
                    && store::set_progress(&mut t, id, now * 0.97).await.is_ok()
                {
                    let _ = t.commit().await;
                }
            }
            if rx.has_changed().is_err() {
                break;
            }
        }
    });
    let report = move |p: f32| {
        tx.send_replace(p.clamp(0.0, 1.0));
    };
    (report, task)
}

/// Joins the upload's chunks into one local file (and the stored original); returns its size.
/// On a retry after the chunks were joined, reads the stored original instead.
async fn assemble(state: &AppState, tenant: TenantId, upload: &Upload, to: &Path) -> anyhow::Result<u64> {
    let source = keys::source(upload.media_id, upload.id)?;
    let parts_key = keys::parts(upload.media_id, upload.id)?;
    let parts = state.storage.list(tenant, &parts_key).await?;
    let mut file = tokio::fs::File::create(to).await?;
    if parts.is_empty() {
        append_object(state, tenant, &source, &mut file).await.context("the original file")?;
    } else {
        let mut expected_offset = 0u64;
        for part in &parts {
            let offset = keys::part_offset(&part.key).context("part name")?;
            if offset < expected_offset {
                // A chunk that lost a race at this offset and was not cleaned up: not counted.
                continue;
            }
            anyhow::ensure!(offset == expected_offset, "chunk at {offset}, expected {expected_offset}");
            append_object(state, tenant, &part.key, &mut file).await?;
            expected_offset += part.size;
        }
        anyhow::ensure!(
            expected_offset == upload.length as u64,
            "chunks hold {expected_offset} of {} bytes",
            upload.length
        );
    }
    file.flush().await?;
    drop(file);
    let size = tokio::fs::metadata(to).await?.len();
    if !parts.is_empty() {
        state.storage.put_stream(tenant, &source, read_file(to.to_path_buf()), None).await?;
        state.storage.delete_prefix(tenant, &parts_key).await?;
    }
    Ok(size)
}

/// Streams a stored object onto the end of a local file.
async fn append_object(
    state: &AppState,
    tenant: TenantId,
    key: &StorageKey,
    file: &mut tokio::fs::File,
) -> anyhow::Result<()> {
    let (_, mut body) = state.storage.get_stream(tenant, key).await?;
    while let Some(chunk) = body.next().await {
        file.write_all(&chunk?).await?;
    }
    Ok(())
}

/// A local file as a stream of 1 MiB chunks.
fn read_file(path: PathBuf) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    stream::once(async move { tokio::fs::File::open(path).await })
        .map_ok(|file| {
            stream::try_unfold(file, |mut file| async move {
                let mut buf = vec![0u8; 1 << 20];
                let n = file.read(&mut buf).await?;
                if n == 0 {
                    return Ok(None);
                }
                buf.truncate(n);
                Ok(Some((Bytes::from(buf), file)))
            })
        })
        .try_flatten()
}

/// Uploads every file under `dir` to `prefix`, a few at a time; returns the bytes stored.
async fn put_folder(state: &AppState, tenant: TenantId, dir: &Path, prefix: &StorageKey) -> anyhow::Result<u64> {
    let mut files = vec![];
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let mut entries = tokio::fs::read_dir(&d).await?;
        while let Some(e) = entries.next_entry().await? {
            if e.file_type().await?.is_dir() {
                pending.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    let total = stream::iter(files)
        .map(|path| async move {
            let rel = path.strip_prefix(dir)?.to_string_lossy().replace('\\', "/");
            let key = prefix.join(&rel)?;
            let bytes = tokio::fs::read(&path).await?;
            let n = bytes.len() as u64;
            state.storage.put(tenant, &key, bytes, Some(content_type(&rel))).await?;
            anyhow::Ok(n)
        })
        .buffer_unordered(4)
        .try_fold(0u64, |sum, n| async move { Ok(sum + n) })
        .await?;
    Ok(total)
}

/// The content type of an HLS output file, by its name.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("m3u8") => "application/vnd.apple.mpegurl",
        Some("ts") => "video/mp2t",
        Some("m4s") => "video/iso.segment",
        Some("aac") => "audio/aac",
        Some("jpg") => "image/jpeg",
        Some("vtt") => "text/vtt; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Job: the MP4 (or M4A) offered for download.
async fn make_mp4(state: AppState, job: Job) -> anyhow::Result<()> {
    let media: MediaId = serde_json::from_value(job.payload["media"].clone())?;
    let upload: UploadId = serde_json::from_value(job.payload["upload"].clone())?;
    let tenant = job.tenant;
    let item = {
        let mut tx = state.db.tenant(tenant).await?;
        store::find(&mut tx, media).await?
    };
    let Some(item) = item.filter(|m| m.current_upload == Some(upload)) else { return Ok(()) };
    let scratch = kernel::scratch::dir().context("scratch folder")?;
    let work = tempfile::Builder::new().prefix("mp4-").tempdir_in(scratch).context("temporary folder")?;
    let source = work.path().join("source");
    {
        let mut file = tokio::fs::File::create(&source).await?;
        append_object(&state, tenant, &keys::source(media, upload)?, &mut file).await?;
        file.flush().await?;
    }
    let probe = transcode::probe(&source).await.map_err(|e| anyhow::anyhow!("probe: {e}"))?;
    let ext = if item.kind() == Kind::Audio { "m4a" } else { "mp4" };
    let out = work.path().join(format!("download.{ext}"));
    let result = transcode::mp4_rendition(&source, &out, &probe, 720, &|_| {}).await;
    let mut tx = state.db.tenant(tenant).await?;
    match result {
        Ok(_) => {
            let key = keys::mp4(media, upload)?;
            let size = state.storage.put_stream(tenant, &key, read_file(out.clone()), Some(mp4_type(ext))).await?;
            store::set_mp4(&mut tx, media, Some("ready"), Some(size as i64)).await?;
            store::add_storage(&mut tx, media, size as i64).await?;
        }
        Err(e) if job.attempt < ATTEMPTS => return Err(anyhow::Error::new(e).context("making the download")),
        Err(e) => {
            tracing::warn!(error = %e, %media, "download rendition failed");
            store::set_mp4(&mut tx, media, Some("failed"), None).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The content type of the download file.
pub fn mp4_type(ext: &str) -> &'static str {
    if ext == "m4a" { "audio/mp4" } else { "video/mp4" }
}
