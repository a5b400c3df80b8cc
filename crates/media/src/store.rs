//! SQL for media; every function takes the school's transaction.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use sqlx::AssertSqlSafe;

use crate::model::{Caption, Media, MediaId, RenditionInfo, Upload, UploadId, Use};

pub(crate) const MEDIA_COLUMNS: &str = "id, title, kind, status, current_upload, file_name, content_type, source_bytes, \
     storage_bytes, duration_ms, width, height, renditions, downloadable, mp4_status, refused_at, created_at, updated_at";

const UPLOAD_COLUMNS: &str = "id, media_id, length, received, file_name, file_type, state, progress, error_key, \
     error_detail, expires_at, created_at";

/// A new item for a first upload.
pub async fn insert_media(
    tx: &mut TenantTx,
    id: MediaId,
    title: &str,
    kind: &str,
    file_name: &str,
    by: Option<UserId>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into media (tenant_id, id, title, kind, file_name, created_by) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(title)
    .bind(kind)
    .bind(file_name)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A new tus upload.
#[allow(clippy::too_many_arguments)]
pub async fn insert_upload(
    tx: &mut TenantTx,
    id: UploadId,
    media: MediaId,
    length: i64,
    file_name: &str,
    file_type: &str,
    expires_at: DateTime<Utc>,
    by: Option<UserId>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into media_uploads (tenant_id, id, media_id, length, file_name, file_type, expires_at, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(media)
    .bind(length)
    .bind(file_name)
    .bind(file_type)
    .bind(expires_at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One item.
pub async fn find(tx: &mut TenantTx, id: MediaId) -> sqlx::Result<Option<Media>> {
    sqlx::query_as(AssertSqlSafe(format!("select {MEDIA_COLUMNS} from media where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// One item, locked for a change.
pub async fn find_for_update(tx: &mut TenantTx, id: MediaId) -> sqlx::Result<Option<Media>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {MEDIA_COLUMNS} from media where tenant_id = $1 and id = $2 for update"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Filters for the library list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Words in the title or file name.
    pub query: Option<String>,
    /// Only this kind.
    pub kind: Option<String>,
    /// Items created before this id (cursor), newest first.
    pub before: Option<MediaId>,
    /// At most this many.
    pub limit: i64,
}

/// The library, newest first.
pub async fn list(tx: &mut TenantTx, f: &Filter) -> sqlx::Result<Vec<Media>> {
    let pattern =
        f.query.as_deref().map(|q| format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    sqlx::query_as(AssertSqlSafe(format!(
        "select {MEDIA_COLUMNS} from media
         where tenant_id = $1
           and ($2::text is null or title ilike $2 or file_name ilike $2)
           and ($3::text is null or kind = $3)
           and ($4::uuid is null or id < $4)
         order by id desc limit $5"
    )))
    .bind(tx.tenant())
    .bind(pattern)
    .bind(&f.kind)
    .bind(f.before)
    .bind(f.limit.clamp(1, 200))
    .fetch_all(&mut **tx)
    .await
}

/// Bytes the school's library holds, plus what unfinished uploads have reserved. Refused items
/// count nothing: their bytes are gone or about to be.
pub async fn usage(tx: &mut TenantTx) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "select coalesce((select sum(storage_bytes) from media where tenant_id = $1 and status <> 'failed'), 0)::bigint,
                coalesce((select sum(length) from media_uploads where tenant_id = $1 and state in ('receiving', 'processing')), 0)::bigint",
    )
    .bind(tx.tenant())
    .fetch_one(&mut **tx)
    .await
}

/// One upload.
pub async fn find_upload(tx: &mut TenantTx, id: UploadId) -> sqlx::Result<Option<Upload>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {UPLOAD_COLUMNS} from media_uploads where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// One upload, locked.
pub async fn find_upload_for_update(tx: &mut TenantTx, id: UploadId) -> sqlx::Result<Option<Upload>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {UPLOAD_COLUMNS} from media_uploads where tenant_id = $1 and id = $2 for update"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The latest upload of each of these items (what the library shows while they process).
pub async fn latest_uploads(tx: &mut TenantTx, media: &[MediaId]) -> sqlx::Result<Vec<Upload>> {
    let ids: Vec<uuid::Uuid> = media.iter().map(|m| m.0).collect();
    sqlx::query_as(AssertSqlSafe(format!(
        "select distinct on (media_id) {UPLOAD_COLUMNS} from media_uploads
         where tenant_id = $1 and media_id = any($2) order by media_id, created_at desc"
    )))
    .bind(tx.tenant())
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}

/// Records `n` more bytes if the upload is at `offset`; false when another request moved it.
pub async fn advance(tx: &mut TenantTx, id: UploadId, offset: i64, n: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update media_uploads set received = received + $4
         where tenant_id = $1 and id = $2 and received = $3 and state = 'receiving'",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(offset)
    .bind(n)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets an upload's state (and clears or sets its error).
pub async fn set_upload_state(
    tx: &mut TenantTx,
    id: UploadId,
    state: &str,
    error: Option<(&str, Option<&str>)>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update media_uploads set state = $3, error_key = $4, error_detail = $5,
           progress = case when $3 = 'ready' then 1 else progress end
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(state)
    .bind(error.map(|e| e.0))
    .bind(error.and_then(|e| e.1))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Processing progress, 0–1.
pub async fn set_progress(tx: &mut TenantTx, id: UploadId, progress: f32) -> sqlx::Result<()> {
    sqlx::query("update media_uploads set progress = $3 where tenant_id = $1 and id = $2 and state = 'processing'")
        .bind(tx.tenant())
        .bind(id)
        .bind(progress.clamp(0.0, 1.0))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets an item's status.
pub async fn set_status(tx: &mut TenantTx, id: MediaId, status: &str) -> sqlx::Result<()> {
    sqlx::query("update media set status = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(status)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks an item whose only file was refused: it holds nothing and is removed after a while.
pub async fn set_refused(tx: &mut TenantTx, id: MediaId) -> sqlx::Result<()> {
    sqlx::query(
        "update media set status = 'failed', refused_at = now(), storage_bytes = 0 where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a finished processing run makes the item.
pub struct Published<'a> {
    /// The version now served.
    pub upload: UploadId,
    /// Its kind.
    pub kind: &'a str,
    /// Original file name.
    pub file_name: &'a str,
    /// Detected content type.
    pub content_type: &'a str,
    /// Size of the original.
    pub source_bytes: i64,
    /// Bytes this version keeps in storage.
    pub version_bytes: i64,
    /// Duration.
    pub duration_ms: Option<i64>,
    /// Width.
    pub width: Option<i32>,
    /// Height.
    pub height: Option<i32>,
    /// The ladder.
    pub renditions: &'a [RenditionInfo],
    /// The sealed HLS key.
    pub hls_key: Option<&'a str>,
}

/// Makes `p.upload` the served version; the caption bytes are kept in the total.
pub async fn publish(tx: &mut TenantTx, media: MediaId, p: &Published<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "update media set status = 'ready', current_upload = $3, kind = $4, file_name = $5, content_type = $6,
           source_bytes = $7,
           storage_bytes = $8 + coalesce((select sum(byte_size) from media_captions c
                                          where c.tenant_id = $1 and c.media_id = $2), 0),
           duration_ms = $9, width = $10, height = $11, renditions = $12, hls_key = $13,
           mp4_status = null, mp4_bytes = null
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(media)
    .bind(p.upload)
    .bind(p.kind)
    .bind(p.file_name)
    .bind(p.content_type)
    .bind(p.source_bytes)
    .bind(p.version_bytes)
    .bind(p.duration_ms)
    .bind(p.width)
    .bind(p.height)
    .bind(sqlx::types::Json(p.renditions))
    .bind(p.hls_key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds (or with a negative number removes) bytes from an item's storage total.
pub async fn add_storage(tx: &mut TenantTx, media: MediaId, bytes: i64) -> sqlx::Result<()> {
    sqlx::query("update media set storage_bytes = greatest(storage_bytes + $3, 0) where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(media)
        .bind(bytes)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The sealed HLS key of the served version.
pub async fn hls_key(tx: &mut TenantTx, media: MediaId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select hls_key from media where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(media)
        .fetch_optional(&mut **tx)
        .await
        .map(Option::flatten)
}

/// Renames an item.
pub async fn rename(tx: &mut TenantTx, media: MediaId, title: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("update media set title = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(media)
        .bind(title)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an item downloadable or not.
pub async fn set_downloadable(tx: &mut TenantTx, media: MediaId, on: bool) -> sqlx::Result<()> {
    sqlx::query("update media set downloadable = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(media)
        .bind(on)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records the download MP4's state (and size when ready).
pub async fn set_mp4(tx: &mut TenantTx, media: MediaId, status: Option<&str>, bytes: Option<i64>) -> sqlx::Result<()> {
    sqlx::query("update media set mp4_status = $3, mp4_bytes = $4 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(media)
        .bind(status)
        .bind(bytes)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Deletes an item (its uploads, captions, views and uses go with it).
pub async fn delete(tx: &mut TenantTx, media: MediaId) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from media where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(media)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Uploads of an item other than `except` whose files are no longer needed (replaced or refused).
pub async fn stale_versions(tx: &mut TenantTx, media: MediaId, except: UploadId) -> sqlx::Result<Vec<UploadId>> {
    sqlx::query_scalar(
        "select id from media_uploads where tenant_id = $1 and media_id = $2 and id <> $3
           and state in ('failed', 'replaced')",
    )
    .bind(tx.tenant())
    .bind(media)
    .bind(except)
    .fetch_all(&mut **tx)
    .await
}

/// Deletes an upload row.
pub async fn delete_upload(tx: &mut TenantTx, id: UploadId) -> sqlx::Result<()> {
    sqlx::query("delete from media_uploads where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Where the item is used.
pub async fn uses(tx: &mut TenantTx, media: MediaId) -> sqlx::Result<Vec<Use>> {
    sqlx::query_as(
        "select owner_kind, owner_id, label, url from media_uses where tenant_id = $1 and media_id = $2 order by label",
    )
    .bind(tx.tenant())
    .bind(media)
    .fetch_all(&mut **tx)
    .await
}

/// The item's caption tracks.
pub async fn captions(tx: &mut TenantTx, media: MediaId) -> sqlx::Result<Vec<Caption>> {
    sqlx::query_as(
        "select id, label, lang, byte_size from media_captions where tenant_id = $1 and media_id = $2 order by label",
    )
    .bind(tx.tenant())
    .bind(media)
    .fetch_all(&mut **tx)
    .await
}

/// Adds a caption track.
pub async fn insert_caption(tx: &mut TenantTx, media: MediaId, c: &Caption) -> sqlx::Result<()> {
    sqlx::query(
        "insert into media_captions (tenant_id, id, media_id, label, lang, byte_size) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tx.tenant())
    .bind(c.id)
    .bind(media)
    .bind(&c.label)
    .bind(&c.lang)
    .bind(c.byte_size)
    .execute(&mut **tx)
    .await?;
    add_storage(tx, media, c.byte_size).await
}

/// Removes a caption track; returns its size when it existed.
pub async fn delete_caption(tx: &mut TenantTx, media: MediaId, id: uuid::Uuid) -> sqlx::Result<Option<i64>> {
    let size: Option<i64> = sqlx::query_scalar(
        "delete from media_captions where tenant_id = $1 and media_id = $2 and id = $3 returning byte_size",
    )
    .bind(tx.tenant())
    .bind(media)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(size) = size {
        add_storage(tx, media, -size).await?;
    }
    Ok(size)
}

/// A viewer's record for an item: seconds watched and the last position.
pub async fn view(tx: &mut TenantTx, media: MediaId, user: UserId) -> sqlx::Result<Option<(f64, f64)>> {
    sqlx::query_as(
        "select seconds_watched, position from media_views where tenant_id = $1 and media_id = $2 and user_id = $3",
    )
    .bind(tx.tenant())
    .bind(media)
    .bind(user)
    .fetch_optional(&mut **tx)
    .await
}

/// Adds a heartbeat. `seconds` is capped by the time since the previous beat (plus slack), so a
/// client cannot claim more playback than the clock allows.
pub async fn record_heartbeat(
    tx: &mut TenantTx,
    media: MediaId,
    user: UserId,
    seconds: f64,
    position: f64,
) -> sqlx::Result<f64> {
    sqlx::query_scalar(
        "insert into media_views as v (tenant_id, media_id, user_id, seconds_watched, position, heartbeats)
         values ($1, $2, $3, $4, $5, 1)
         on conflict (tenant_id, media_id, user_id) do update set
           seconds_watched = v.seconds_watched
             + least(excluded.seconds_watched,
                     greatest(extract(epoch from now() - v.last_beat_at)::float8 * 2.0 + 5.0, 0)),
           position = excluded.position,
           heartbeats = v.heartbeats + 1,
           last_beat_at = now()
         returning seconds_watched",
    )
    .bind(tx.tenant())
    .bind(media)
    .bind(user)
    .bind(seconds)
    .bind(position)
    .fetch_one(&mut **tx)
    .await
}

/// One viewer's record of an item.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct View {
    /// Who.
    pub user_id: UserId,
    /// Seconds of real playback.
    pub seconds_watched: f64,
    /// Where they stopped, in seconds.
    pub position: f64,
    /// When they last watched.
    pub last_beat_at: DateTime<Utc>,
}

/// The most recent viewers of an item.
pub async fn recent_views(tx: &mut TenantTx, media: MediaId, limit: i64) -> sqlx::Result<Vec<View>> {
    sqlx::query_as(
        "select user_id, seconds_watched, position, last_beat_at from media_views
         where tenant_id = $1 and media_id = $2 order by last_beat_at desc limit $3",
    )
    .bind(tx.tenant())
    .bind(media)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Viewers and total seconds watched of an item.
pub async fn view_totals(tx: &mut TenantTx, media: MediaId) -> sqlx::Result<(i64, f64)> {
    sqlx::query_as(
        "select count(*), coalesce(sum(seconds_watched), 0)::float8 from media_views where tenant_id = $1 and media_id = $2",
    )
    .bind(tx.tenant())
    .bind(media)
    .fetch_one(&mut **tx)
    .await
}
