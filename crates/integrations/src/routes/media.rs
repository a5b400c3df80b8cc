//! The media library as the API shows it: an item with its renditions and latest upload, a page
//! of items. Shared by the `media_*` endpoints; these types are the
//! OpenAPI document's schemas.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, i18n::Locale};
use media::model::{Kind, Media, MediaId, RenditionInfo, Status, Upload, UploadId};
use serde::Serialize;
use utoipa::ToSchema;

/// What an item is, decided from its bytes once it is processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(example = "video")]
pub enum MediaKind {
    /// Video, played as an adaptive HLS stream.
    Video,
    /// Sound only (podcasts, meditations).
    Audio,
    /// A document or image for lesson attachments (PDF, ZIP, EPUB, Office, PNG, JPEG, GIF, WebP).
    File,
}

impl From<Kind> for MediaKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Video => Self::Video,
            Kind::Audio => Self::Audio,
            Kind::File => Self::File,
        }
    }
}

/// Where an item is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(example = "ready")]
pub enum MediaStatus {
    /// Its first file is still arriving.
    Uploading,
    /// Its first file is being checked and converted.
    Processing,
    /// It can be played or downloaded.
    Ready,
    /// Its first file was refused or could not be converted; `upload.error` says why.
    Failed,
}

impl From<Status> for MediaStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Uploading => Self::Uploading,
            Status::Processing => Self::Processing,
            Status::Ready => Self::Ready,
            Status::Failed => Self::Failed,
        }
    }
}

/// Where the latest file sent for an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(example = "processing")]
pub enum UploadState {
    /// Bytes are still arriving; resume it with tus at `/media/uploads/{id}`.
    Uploading,
    /// Complete, and being checked and converted.
    Processing,
    /// Refused or not convertible; `error` says why.
    Failed,
}

/// One step of the streaming ladder.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiRendition {
    /// Its name, e.g. `720p`, or `audio`.
    #[schema(example = "720p")]
    pub name: String,
    /// Frame width in pixels (0 for audio).
    #[schema(example = 1280)]
    pub width: u32,
    /// Frame height in pixels (0 for audio).
    #[schema(example = 720)]
    pub height: u32,
    /// Peak bandwidth in bits per second.
    #[schema(example = 2_800_000)]
    pub bandwidth: u64,
}

impl From<&RenditionInfo> for ApiRendition {
    fn from(r: &RenditionInfo) -> Self {
        Self { name: r.name.clone(), width: r.width, height: r.height, bandwidth: r.bandwidth }
    }
}

/// The latest file sent for an item, while it is not the one being served.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiUpload {
    /// The upload's id: its tus URL is `/media/uploads/{id}`.
    #[schema(value_type = uuid::Uuid, example = "0192f7c5-2b1d-7f00-8a3c-5d6e7f8091a2")]
    pub id: UploadId,
    /// Where it is.
    pub state: UploadState,
    /// Bytes received so far.
    #[schema(example = 52_428_800)]
    pub received_bytes: i64,
    /// The file's size, as declared when the upload was created.
    #[schema(example = 104_857_600)]
    pub length_bytes: i64,
    /// How far the current step is, from 0 to 1: bytes received while uploading, work done while
    /// processing. `null` once it failed.
    #[schema(minimum = 0, maximum = 1, example = 0.5)]
    pub progress: Option<f64>,
    /// Why it failed, in words for the creator.
    #[schema(
        example = "This file is a PDF document, not a video or audio we can play. Export it as MP4 (H.264) and upload it again."
    )]
    pub error: Option<String>,
    /// When it was created.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

/// An item of the school's media library.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiMedia {
    /// The item's id.
    #[schema(value_type = uuid::Uuid, example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")]
    pub id: MediaId,
    /// Its title in the library.
    #[schema(example = "Welcome to the course")]
    pub title: String,
    /// What it is.
    pub kind: MediaKind,
    /// Where it is in its life. An item stays `ready` while a replacement file uploads.
    pub status: MediaStatus,
    /// The original file's name.
    #[schema(example = "welcome.mp4")]
    pub file_name: String,
    /// The type detected from the file's bytes, once processed.
    #[schema(example = "video/mp4")]
    pub content_type: Option<String>,
    /// Size of the original file, in bytes.
    #[schema(example = 104_857_600)]
    pub source_bytes: i64,
    /// Everything the item keeps in storage (original, renditions, captions), in bytes; it counts
    /// against the plan's storage.
    #[schema(example = 187_695_104)]
    pub storage_bytes: i64,
    /// Length of video and audio, in milliseconds.
    #[schema(example = 93_480)]
    pub duration_ms: Option<i64>,
    /// Frame width of the original video, in pixels.
    #[schema(example = 1920)]
    pub width: Option<i32>,
    /// Frame height of the original video, in pixels.
    #[schema(example = 1080)]
    pub height: Option<i32>,
    /// The streaming ladder of video and audio; empty for files and before processing.
    pub renditions: Vec<ApiRendition>,
    /// Whether students who may watch it may also download it.
    pub downloadable: bool,
    /// The latest file sent, while it is not the one served (still arriving, processing, or
    /// refused); `null` when the served file is the latest.
    pub upload: Option<ApiUpload>,
    /// When it was created.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[schema(example = "2026-11-27T09:34:12Z")]
    pub updated_at: DateTime<Utc>,
}

/// One page of the library, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct MediaList {
    /// The items on this page.
    pub data: Vec<ApiMedia>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    #[schema(example = "AZL3xRorfD2OT1prfI2eDw")]
    pub next_cursor: Option<String>,
}

/// The API's view of these items, with the state of their latest uploads.
pub async fn items(tx: &mut TenantTx, locale: Locale, list: Vec<Media>) -> sqlx::Result<Vec<ApiMedia>> {
    let ids: Vec<MediaId> = list.iter().map(|m| m.id).collect();
    let latest = media::store::latest_uploads(tx, &ids).await?;
    Ok(list
        .into_iter()
        .map(|m| {
            let pending = latest.iter().find(|u| u.media_id == m.id && Some(u.id) != m.current_upload);
            item(m, pending.and_then(|u| upload(locale, u)))
        })
        .collect())
}

fn item(m: Media, upload: Option<ApiUpload>) -> ApiMedia {
    ApiMedia {
        id: m.id,
        kind: m.kind().into(),
        status: m.status().into(),
        renditions: m.renditions.0.iter().map(ApiRendition::from).collect(),
        title: m.title,
        file_name: m.file_name,
        content_type: m.content_type,
        source_bytes: m.source_bytes,
        storage_bytes: m.storage_bytes,
        duration_ms: m.duration_ms,
        width: m.width,
        height: m.height,
        downloadable: m.downloadable,
        upload,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// An upload that is not served yet; `None` for one already done with (ready or replaced).
fn upload(locale: Locale, u: &Upload) -> Option<ApiUpload> {
    let (state, progress) = match u.state.as_str() {
        "receiving" => (UploadState::Uploading, Some(u.received as f64 / u.length.max(1) as f64)),
        "processing" => (UploadState::Processing, Some(f64::from(u.progress))),
        "failed" => (UploadState::Failed, None),
        _ => return None,
    };
    Some(ApiUpload {
        id: u.id,
        state,
        received_bytes: u.received,
        length_bytes: u.length,
        progress: progress.map(|p| (p.clamp(0.0, 1.0) * 1000.0).round() / 1000.0),
        error: media::routes::error_message(locale, u),
        created_at: u.created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receiving(received: i64, length: i64) -> Upload {
        Upload {
            id: UploadId::new(),
            media_id: MediaId::new(),
            length,
            received,
            file_name: "talk.mp4".into(),
            file_type: "video/mp4".into(),
            state: "receiving".into(),
            progress: 0.0,
            error_key: None,
            error_detail: None,
            expires_at: Utc::now(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn uploads_report_their_step_and_progress() {
        let u = upload(Locale::En, &receiving(1, 3)).unwrap();
        assert_eq!((u.state, u.progress), (UploadState::Uploading, Some(0.333)));
        let failed = Upload {
            state: "failed".into(),
            error_key: Some("media-error-not-media".into()),
            error_detail: Some("pdf".into()),
            ..receiving(3, 3)
        };
        let u = upload(Locale::En, &failed).unwrap();
        assert_eq!((u.state, u.progress), (UploadState::Failed, None));
        assert!(u.error.unwrap().starts_with("This file is a PDF document, not a video"));
        assert!(upload(Locale::En, &Upload { state: "replaced".into(), ..receiving(3, 3) }).is_none());
    }
}
