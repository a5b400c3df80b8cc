//! Media's types: ids, kinds, states, and an item as the library shows it.

use chrono::{DateTime, Utc};
use serde::Serialize;

kernel::id_type!(
    /// An item of the media library (what lessons point to; it survives a file replacement).
    MediaId
);
kernel::id_type!(
    /// One file sent for an item over tus, and its processing.
    UploadId
);

/// What an item is, decided by its bytes when it is processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Video: played as an HLS ladder.
    Video,
    /// Audio only (podcasts, meditations): an audio HLS rendition.
    Audio,
    /// A plain file (PDF, ZIP, image) for lesson attachments.
    File,
}

impl Kind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Video => "video",
            Self::Audio => "audio",
            Self::File => "file",
        }
    }

    /// From the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "video" => Some(Self::Video),
            "audio" => Some(Self::Audio),
            "file" => Some(Self::File),
            _ => None,
        }
    }

    /// A first guess from the type the browser gave, refined by the bytes later.
    pub fn guess(file_type: &str, file_name: &str) -> Self {
        let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if file_type.starts_with("video/") || matches!(ext.as_str(), "mp4" | "mov" | "m4v" | "webm" | "mkv" | "avi") {
            Self::Video
        } else if file_type.starts_with("audio/")
            || matches!(ext.as_str(), "mp3" | "m4a" | "wav" | "ogg" | "flac" | "aac")
        {
            Self::Audio
        } else {
            Self::File
        }
    }

    /// Whether it is played through HLS.
    pub fn is_playable(self) -> bool {
        matches!(self, Self::Video | Self::Audio)
    }
}

/// An item's state in the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Its first file is still arriving.
    Uploading,
    /// Its first file is being checked and transcoded.
    Processing,
    /// Playable / downloadable.
    Ready,
    /// Its first file was refused or could not be processed.
    Failed,
}

impl Status {
    /// From the stored text.
    pub fn parse(s: &str) -> Self {
        match s {
            "processing" => Self::Processing,
            "ready" => Self::Ready,
            "failed" => Self::Failed,
            _ => Self::Uploading,
        }
    }
}

/// A rendition in the HLS ladder, as recorded on the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RenditionInfo {
    /// Folder name, e.g. `720p` (or `audio`).
    pub name: String,
    /// Frame height (0 for audio).
    pub height: u32,
    /// Frame width (0 for audio).
    pub width: u32,
    /// Peak bandwidth in bits per second.
    pub bandwidth: u64,
}

/// Days a refused item stays in the library, so the creator can read why, before it is removed.
pub const REFUSED_KEPT_DAYS: i64 = 7;

/// An item of the library.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Media {
    /// Id.
    pub id: MediaId,
    /// The title the creator sees and may change.
    pub title: String,
    /// `video`, `audio` or `file`.
    pub kind: String,
    /// `uploading`, `processing`, `ready` or `failed`.
    pub status: String,
    /// The upload whose output is served.
    pub current_upload: Option<UploadId>,
    /// The original file name of the served version.
    pub file_name: String,
    /// The detected content type of the served version.
    pub content_type: Option<String>,
    /// Size of the original file.
    pub source_bytes: i64,
    /// Everything the item keeps in storage (original, renditions, captions).
    pub storage_bytes: i64,
    /// Duration in milliseconds (video and audio).
    pub duration_ms: Option<i64>,
    /// Source width.
    pub width: Option<i32>,
    /// Source height.
    pub height: Option<i32>,
    /// The ladder.
    pub renditions: sqlx::types::Json<Vec<RenditionInfo>>,
    /// Whether entitled students may download it.
    pub downloadable: bool,
    /// State of the MP4 made for downloads.
    pub mp4_status: Option<String>,
    /// When its only file was refused (it is removed [`REFUSED_KEPT_DAYS`] days later).
    pub refused_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Media {
    /// The kind, parsed.
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::File)
    }

    /// The status, parsed.
    pub fn status(&self) -> Status {
        Status::parse(&self.status)
    }

    /// Whether there is a version to play or download.
    pub fn is_ready(&self) -> bool {
        self.current_upload.is_some()
    }
}

/// One tus upload and its processing run.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Upload {
    /// Id (also the version folder in storage).
    pub id: UploadId,
    /// The item it is for.
    pub media_id: MediaId,
    /// Declared length in bytes.
    pub length: i64,
    /// Bytes received so far.
    pub received: i64,
    /// The name the browser gave.
    pub file_name: String,
    /// The type the browser claimed.
    pub file_type: String,
    /// `receiving`, `processing`, `ready`, `failed` or `replaced`.
    pub state: String,
    /// Processing progress, 0–1.
    pub progress: f32,
    /// Fluent key of the reason it failed.
    pub error_key: Option<String>,
    /// A detail for the message (e.g. what the file really is).
    pub error_detail: Option<String>,
    /// When an unfinished upload is removed.
    pub expires_at: DateTime<Utc>,
    /// When it started.
    pub created_at: DateTime<Utc>,
}

/// Where an item is used (recorded by other domains through [`crate::uses`]).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Use {
    /// What uses it, e.g. `lesson`.
    pub owner_kind: String,
    /// Its id.
    pub owner_id: uuid::Uuid,
    /// What to call it.
    pub label: String,
    /// Where staff edit it.
    pub url: String,
}

/// A WebVTT caption track of an item.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Caption {
    /// Id.
    pub id: uuid::Uuid,
    /// Shown in the player's menu, e.g. "English".
    pub label: String,
    /// BCP 47 language tag.
    pub lang: String,
    /// File size.
    pub byte_size: i64,
}

/// Storage keys of an item and its versions.
pub mod keys {
    use kernel::storage::{StorageError, StorageKey};

    use super::{MediaId, UploadId};

    /// Everything the item keeps: `media/{id}`.
    pub fn item(media: MediaId) -> Result<StorageKey, StorageError> {
        StorageKey::parse(&format!("media/{media}"))
    }

    /// One version's folder: `media/{id}/{upload}`.
    pub fn version(media: MediaId, upload: UploadId) -> Result<StorageKey, StorageError> {
        StorageKey::parse(&format!("media/{media}/{upload}"))
    }

    /// The chunks of a tus upload still arriving.
    pub fn parts(media: MediaId, upload: UploadId) -> Result<StorageKey, StorageError> {
        StorageKey::parse(&format!("media/{media}/{upload}/parts"))
    }

    /// One chunk, named by its starting offset (so that listing sorts them) and a random tag (so
    /// that two requests racing at one offset never write the same object).
    pub fn part(media: MediaId, upload: UploadId, offset: u64) -> Result<StorageKey, StorageError> {
        StorageKey::parse(&format!("media/{media}/{upload}/parts/{offset:020}-{}", uuid::Uuid::new_v4().simple()))
    }

    /// The offset a chunk's key starts at.
    pub fn part_offset(key: &StorageKey) -> Option<u64> {
        key.as_str().rsplit('/').next()?.split('-').next()?.parse().ok()
    }

    /// The original file.
    pub fn source(media: MediaId, upload: UploadId) -> Result<StorageKey, StorageError> {
        StorageKey::parse(&format!("media/{media}/{upload}/source"))
    }

    /// The HLS output folder.
    pub fn hls(media: MediaId, upload: UploadId) -> Result<StorageKey, StorageError> {
        StorageKey::parse(&format!("media/{media}/{upload}/hls"))
    }

    /// The MP4 (or M4A) made for downloads.
    pub fn mp4(media: MediaId, upload: UploadId) -> Result<StorageKey, StorageError> {
        StorageKey::parse(&format!("media/{media}/{upload}/download"))
    }

    /// A caption track (not tied to a version: it stays when the file is replaced).
    pub fn caption(media: MediaId, caption: uuid::Uuid) -> Result<StorageKey, StorageError> {
        StorageKey::parse(&format!("media/{media}/captions/{caption}.vtt"))
    }
}
