//! Media's rules: what may be uploaded, the life of an upload, replacing and deleting items.
//! No HTTP types here; the tus routes (admin and API) and the job call these.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use chrono::{Duration, Utc};
use futures::{Stream, StreamExt};
use kernel::{
    AppState, TenantId,
    ids::UserId,
    jobs::{self, NewJob},
    plan::Plan,
    storage::Bytes,
};
use serde_json::json;

use crate::{
    model::{Kind, MediaId, Upload, UploadId, keys},
    store,
};

/// How long an unfinished upload is kept after its last chunk.
pub const UPLOAD_TTL_HOURS: i64 = 24;

/// Largest body of one tus `PATCH` (the browser sends 8 MiB chunks).
pub const MAX_CHUNK_BYTES: u64 = 64 * 1024 * 1024;

/// The chunk size the uploader uses.
pub const CLIENT_CHUNK_BYTES: u64 = 8 * 1024 * 1024;

/// File name extensions accepted as plain files (checked again against the bytes).
pub const FILE_EXTENSIONS: [&str; 11] =
    ["pdf", "zip", "epub", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "gif", "webp"];

/// What the uploader's file picker offers.
pub const ACCEPT: &str = "video/*,audio/*,.pdf,.zip,.epub,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.gif,.webp";

/// Why an upload is refused; `key` is a Fluent message with the `args`.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// HTTP status for the tus client.
    pub status: u16,
    /// Fluent key.
    pub key: &'static str,
    /// Message arguments: file name, limits.
    pub args: Vec<(&'static str, String)>,
}

impl Refusal {
    fn new(status: u16, key: &'static str) -> Self {
        Self { status, key, args: vec![] }
    }

    fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

/// What the client said about the file (tus `Upload-Metadata`).
#[derive(Clone, Debug, Default)]
pub struct NewUpload {
    /// Declared size.
    pub length: u64,
    /// The file's name.
    pub file_name: String,
    /// The type the browser claims.
    pub file_type: String,
    /// Replace this item's file instead of making a new item.
    pub replace: Option<MediaId>,
    /// Title for a new item (the file name without extension when absent).
    pub title: Option<String>,
}

/// Checks size, plan and type, then records the upload (and a new item unless replacing).
pub async fn create_upload(
    state: &AppState,
    tenant: TenantId,
    plan: &str,
    by: Option<UserId>,
    new: NewUpload,
) -> Result<Upload, CreateError> {
    let plan = Plan::named(plan);
    let name = clean_file_name(&new.file_name);
    let locale = kernel::i18n::Locale::En;
    if new.length == 0 {
        return Err(Refusal::new(400, "media-upload-empty").arg("name", &name).into());
    }
    if new.length > plan.max_upload_bytes {
        return Err(Refusal::new(413, "media-upload-too-large")
            .arg("name", &name)
            .arg("max", kernel::format::bytes(plan.max_upload_bytes, locale))
            .into());
    }
    let kind = Kind::guess(&new.file_type, &name);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if kind == Kind::File && !FILE_EXTENSIONS.contains(&ext.as_str()) {
        return Err(Refusal::new(415, "media-upload-type").arg("name", &name).into());
    }
    let mut tx = state.db.tenant(tenant).await?;
    let (used, reserved) = store::usage(&mut tx).await?;
    let after = (used + reserved) as u64 + new.length;
    if after > plan.storage_bytes {
        return Err(Refusal::new(413, "media-upload-quota")
            .arg("name", &name)
            .arg("free", kernel::format::bytes(plan.storage_bytes.saturating_sub((used + reserved) as u64), locale))
            .into());
    }
    let media = match new.replace {
        Some(id) => {
            let item = store::find_for_update(&mut tx, id).await?.ok_or(CreateError::NotFound)?;
            if item.kind() == Kind::File && kind != Kind::File || item.kind() != Kind::File && kind == Kind::File {
                return Err(Refusal::new(415, "media-replace-kind").arg("name", &name).into());
            }
            item.id
        }
        None => {
            let id = MediaId::new();
            let title = new.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
            let title = title.unwrap_or_else(|| title_from(&name));
            store::insert_media(&mut tx, id, &title, kind.as_str(), &name, by).await?;
            id
        }
    };
    let id = UploadId::new();
    let expires = Utc::now() + Duration::hours(UPLOAD_TTL_HOURS);
    store::insert_upload(&mut tx, id, media, new.length as i64, &name, &new.file_type, expires, by).await?;
    // A sweeper removes it if it is never finished.
    let sweep = NewJob::new(EXPIRE_JOB, json!({ "upload": id })).at(expires + Duration::minutes(1));
    jobs::enqueue(&mut tx, sweep).await?;
    let upload = store::find_upload(&mut tx, id).await?.ok_or(CreateError::NotFound)?;
    tx.commit().await?;
    Ok(upload)
}

/// Why an upload could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// Refused, with a message for the person.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The item to replace does not exist in this school.
    #[error("not found")]
    NotFound,
    /// Database trouble.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<Refusal> for CreateError {
    fn from(r: Refusal) -> Self {
        Self::Refused(r)
    }
}

/// Why a chunk was not taken.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// No such upload in this school (or it expired).
    #[error("not found")]
    NotFound,
    /// The client's offset is not where the upload is (tus 409).
    #[error("offset {given} but the upload is at {actual}")]
    Conflict {
        /// Offset the client sent.
        given: u64,
        /// Where the upload is.
        actual: u64,
    },
    /// The upload is already complete or cancelled.
    #[error("upload no longer accepts data")]
    Closed,
    /// More bytes than declared, or a chunk over the limit.
    #[error("too much data")]
    TooMuch,
    /// The connection broke mid-chunk: nothing of this chunk was kept.
    #[error("interrupted: {0}")]
    Interrupted(String),
    /// Storage or database trouble.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppendError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.into())
    }
}

/// Takes one chunk at `offset`; returns the new offset. When the last byte arrives the upload
/// moves to processing and the job is queued.
pub async fn append<S, E>(
    state: &AppState,
    tenant: TenantId,
    id: UploadId,
    offset: u64,
    body: S,
) -> Result<u64, AppendError>
where
    S: Stream<Item = Result<Bytes, E>> + Send,
    E: std::fmt::Display + Send,
{
    let upload = {
        let mut tx = state.db.tenant(tenant).await?;
        store::find_upload(&mut tx, id).await?.ok_or(AppendError::NotFound)?
    };
    if upload.state != "receiving" {
        return Err(AppendError::Closed);
    }
    let actual = upload.received as u64;
    if offset != actual {
        return Err(AppendError::Conflict { given: offset, actual });
    }
    let room = (upload.length as u64 - actual).min(MAX_CHUNK_BYTES);
    let counted = Arc::new(AtomicU64::new(0));
    let seen = counted.clone();
    let limited = body.map(move |chunk| {
        let chunk = chunk.map_err(|e| std::io::Error::other(e.to_string()))?;
        let total = seen.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
        if total > room { Err(std::io::Error::other("more data than the upload declared")) } else { Ok(chunk) }
    });
    let key = keys::part(upload.media_id, id, offset).map_err(anyhow::Error::new)?;
    if let Err(e) = state.storage.put_stream(tenant, &key, Box::pin(limited), None).await {
        let _ = state.storage.delete(tenant, &key).await;
        return Err(if counted.load(Ordering::Relaxed) > room {
            AppendError::TooMuch
        } else {
            AppendError::Interrupted(e.to_string())
        });
    }
    let n = counted.load(Ordering::Relaxed);
    if n == 0 {
        let _ = state.storage.delete(tenant, &key).await;
        return Ok(actual);
    }
    let mut tx = state.db.tenant(tenant).await?;
    if !store::advance(&mut tx, id, offset as i64, n as i64).await? {
        drop(tx);
        let _ = state.storage.delete(tenant, &key).await;
        let now = {
            let mut tx = state.db.tenant(tenant).await?;
            store::find_upload(&mut tx, id).await?.map(|u| u.received as u64).unwrap_or(0)
        };
        return Err(AppendError::Conflict { given: offset, actual: now });
    }
    let new_offset = actual + n;
    sqlx::query("update media_uploads set expires_at = $3 where tenant_id = $1 and id = $2")
        .bind(tenant)
        .bind(id)
        .bind(Utc::now() + Duration::hours(UPLOAD_TTL_HOURS))
        .execute(&mut *tx)
        .await?;
    if new_offset == upload.length as u64 {
        start_processing(&mut tx, &upload).await?;
    }
    tx.commit().await?;
    Ok(new_offset)
}

/// Marks a complete upload for processing and queues the job.
async fn start_processing(tx: &mut kernel::db::TenantTx, upload: &Upload) -> sqlx::Result<()> {
    store::set_upload_state(tx, upload.id, "processing", None).await?;
    let item = store::find(tx, upload.media_id).await?;
    if item.is_some_and(|m| m.current_upload.is_none()) {
        store::set_status(tx, upload.media_id, "processing").await?;
    }
    let job =
        NewJob::new(PROCESS_JOB, json!({ "upload": upload.id })).key(format!("process-{}", upload.id)).attempts(3);
    jobs::enqueue(tx, job).await?;
    Ok(())
}

/// Adds a whole file at once (the demo seeder, imports): recorded like a finished tus upload
/// and queued for processing. Returns the new item's id.
pub async fn import(
    state: &AppState,
    tenant: TenantId,
    plan: &str,
    by: Option<UserId>,
    file_name: &str,
    file_type: &str,
    bytes: Vec<u8>,
) -> anyhow::Result<MediaId> {
    let new = NewUpload {
        length: bytes.len() as u64,
        file_name: file_name.into(),
        file_type: file_type.into(),
        ..Default::default()
    };
    let upload = match create_upload(state, tenant, plan, by, new).await {
        Ok(u) => u,
        Err(e) => anyhow::bail!("importing {file_name}: {e}"),
    };
    let key = keys::source(upload.media_id, upload.id)?;
    state.storage.put(tenant, &key, bytes, Some(file_type)).await?;
    let mut tx = state.db.tenant(tenant).await?;
    store::advance(&mut tx, upload.id, 0, upload.length).await?;
    start_processing(&mut tx, &upload).await?;
    tx.commit().await?;
    Ok(upload.media_id)
}

/// Cancels an unfinished upload (tus termination): its chunks are deleted, and the item too when
/// this was its first file.
pub async fn terminate(state: &AppState, tenant: TenantId, id: UploadId) -> Result<(), AppendError> {
    let mut tx = state.db.tenant(tenant).await?;
    let upload = store::find_upload_for_update(&mut tx, id).await?.ok_or(AppendError::NotFound)?;
    if upload.state != "receiving" {
        return Err(AppendError::Closed);
    }
    discard(state, &mut tx, &upload).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an unfinished upload's chunks and row (and its item when the item has nothing else).
async fn discard(state: &AppState, tx: &mut kernel::db::TenantTx, upload: &Upload) -> anyhow::Result<()> {
    state.storage.delete_prefix(tx.tenant(), &keys::version(upload.media_id, upload.id)?).await?;
    store::delete_upload(tx, upload.id).await?;
    let item = store::find(tx, upload.media_id).await?;
    let others: i64 = sqlx::query_scalar("select count(*) from media_uploads where tenant_id = $1 and media_id = $2")
        .bind(tx.tenant())
        .bind(upload.media_id)
        .fetch_one(&mut **tx)
        .await?;
    if item.is_some_and(|m| m.current_upload.is_none()) && others == 0 {
        store::delete(tx, upload.media_id).await?;
    }
    Ok(())
}

/// Job: removes an upload that was never finished.
pub const EXPIRE_JOB: &str = "media.expire_upload";

/// Job: checks and transcodes a finished upload.
pub const PROCESS_JOB: &str = "media.process";

/// Job: makes the download MP4 of an item.
pub const MP4_JOB: &str = "media.mp4";

pub(crate) async fn expire_upload(state: AppState, job: kernel::jobs::Job) -> anyhow::Result<()> {
    let id: UploadId = serde_json::from_value(job.payload["upload"].clone())?;
    let mut tx = state.db.tenant(job.tenant).await?;
    let Some(upload) = store::find_upload_for_update(&mut tx, id).await? else { return Ok(()) };
    if upload.state != "receiving" {
        return Ok(());
    }
    if upload.expires_at > Utc::now() {
        // Still being sent: look again when it would expire.
        let again = NewJob::new(EXPIRE_JOB, json!({ "upload": id })).at(upload.expires_at + Duration::minutes(1));
        jobs::enqueue(&mut tx, again).await?;
    } else {
        discard(&state, &mut tx, &upload).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes an item and everything it keeps in storage.
pub async fn delete_media(state: &AppState, tenant: TenantId, id: MediaId) -> anyhow::Result<bool> {
    let mut tx = state.db.tenant(tenant).await?;
    if store::find_for_update(&mut tx, id).await?.is_none() {
        return Ok(false);
    }
    state.storage.delete_prefix(tenant, &keys::item(id)?).await?;
    store::delete(&mut tx, id).await?;
    tx.commit().await?;
    Ok(true)
}

/// A file name safe to show and store: no path, no control characters, at most 200 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() { "untitled".into() } else { cleaned }
}

/// A title from a file name: without extension, separators as spaces.
pub fn title_from(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map(|(s, _)| s).filter(|s| !s.is_empty()).unwrap_or(file_name);
    // `my_first-lesson` reads as words; a name that already has spaces keeps its hyphens (`warm-up`).
    let words = if stem.contains(' ') { stem.replace('_', " ") } else { stem.replace(['_', '-'], " ") };
    let title: String = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let title: String = title.chars().take(200).collect();
    if title.is_empty() { "Untitled".into() } else { title }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_titles_are_tidy() {
        assert_eq!(clean_file_name("C:\\Users\\me\\intro.mp4"), "intro.mp4");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("  \u{7}  "), "untitled");
        assert_eq!(title_from("01_welcome-to-the-course.mp4"), "01 welcome to the course");
        assert_eq!(title_from(".mp4"), ".mp4");
        assert_eq!(title_from("Studio warm-up.mp3"), "Studio warm-up");
        assert_eq!(title_from("Lesson 1 - Exposure_basics.mp4"), "Lesson 1 - Exposure basics");
    }

    #[test]
    fn kinds_are_guessed_from_type_or_name() {
        assert_eq!(Kind::guess("video/mp4", "a.mp4"), Kind::Video);
        assert_eq!(Kind::guess("", "talk.MOV"), Kind::Video);
        assert_eq!(Kind::guess("audio/mpeg", "ep1.mp3"), Kind::Audio);
        assert_eq!(Kind::guess("application/pdf", "workbook.pdf"), Kind::File);
    }
}
