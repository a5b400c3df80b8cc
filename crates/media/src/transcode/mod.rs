//! ffprobe and ffmpeg: what a file is, and turning it into an encrypted HLS ladder.
//!
//! Pure media processing on local paths: no database, storage or HTTP. The upload job downloads the file to
//! a temporary folder, then:
//!
//! 1. [`probe`] says what the file holds, refusing with a [`ProbeError`] (each with a Fluent
//!    [`message_key`](ProbeError::message_key)) empty files, documents and images ([`sniff`] reads the
//!    first bytes, whatever the name), files without audio or video, and cut or damaged uploads.
//! 2. With video, [`transcode_video`] writes into an empty folder:
//!    ```text
//!    master.m3u8                 one EXT-X-STREAM-INF per rendition (BANDWIDTH, RESOLUTION, CODECS)
//!    360p/index.m3u8             VOD playlist, EXT-X-KEY URI="../key" (see KEY_URI)
//!    360p/seg-00000.ts …         AES-128-encrypted MPEG-TS, H.264 + AAC, 4–6 s each
//!    540p/ 720p/ 1080p/          as the source allows (see ladder)
//!    poster.jpg                  a frame from about 10% in, at most 1280 wide
//!    sprite.jpg                  160-px thumbnails, 10 per row, one every N s (at most ~100)
//!    thumbnails.vtt              WebVTT cues "sprite.jpg#xywh=x,y,w,h" for seek previews
//!    ```
//!    Without video, [`transcode_audio`] writes `master.m3u8` and `audio/index.m3u8` with `audio/seg-*.ts`.
//!    The caller uploads the folder as `{base}/…` and serves [`HlsKey::bytes`] at `{base}/key`.
//! 3. [`mp4_rendition`] makes the downloadable copy (MP4, or M4A for audio).
//!
//! Every ffmpeg is started through [`kernel::process`]: dropping a job's future stops it, and so does the
//! death of the worker. A failed or dropped job leaves its output folder as it found it; temporary files
//! live in the worker's [`kernel::scratch`] folder. Errors carry the end of ffmpeg's stderr.

mod ffmpeg;
mod hls;
mod images;
mod ladder;
mod mp4;
mod output;
mod playlist;
mod probe;
mod sniff;
#[cfg(test)]
mod tests;

pub use ffmpeg::ToolError;
pub use hls::{
    AUDIO_ONLY_KBPS, AudioOutput, HlsKey, KEY_URI, KEYFRAME_SECONDS, PRESET, SEGMENT_SECONDS, VideoOutput,
    transcode_audio, transcode_video,
};
pub use images::{SPRITE_COLUMNS, TILE_WIDTH, thumbnail_interval};
pub use ladder::{CRF, MAX_FPS, Profile, Rendition, ladder};
pub use mp4::{DOWNLOAD_MAX_HEIGHT, mp4_rendition};
pub use output::TranscodeError;
pub use probe::{AudioInfo, Probe, ProbeError, VideoInfo, probe};
pub use sniff::{Detected, sniff};
