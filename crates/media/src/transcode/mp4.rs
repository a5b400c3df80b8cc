//! Downloadable copies: one progressive MP4 (or M4A for audio), playable anywhere without HLS.

use std::ffi::OsString;
use std::path::Path;

use super::ffmpeg::{self, Progress};
use super::hls::{AUDIO_ONLY_KBPS, PRESET, audio_codec_args, output_fps};
use super::ladder::{CRF, ladder};
use super::output::{IoContext, TranscodeError};
use super::probe::Probe;

/// The default size cap for downloads: 720p by the shorter side.
pub const DOWNLOAD_MAX_HEIGHT: u32 = 720;

/// Writes a download copy of `input` to `out_file` and returns its size in bytes.
///
/// With video: H.264 (High, the ladder rung whose shorter side is the largest not above `max_height`, or
/// the smallest rung when none fits) and AAC 128 kbit/s stereo in an MP4 with `+faststart`. Without video
/// (or with only cover art): AAC in an MP4 container, i.e. an M4A — name `out_file` accordingly. The file
/// appears only when complete: ffmpeg writes a hidden `.part` file beside it, renamed on success and
/// deleted on failure or when the future is dropped.
pub async fn mp4_rendition(
    input: &Path,
    out_file: &Path,
    probe: &Probe,
    max_height: u32,
    progress: &(dyn Fn(f32) + Send + Sync),
) -> Result<u64, TranscodeError> {
    if probe.video.is_none() && probe.audio.is_none() {
        return Err(TranscodeError::NoAudio);
    }
    let mut progress = Progress::new(progress);
    progress.report(0.0);
    let out_file = std::path::absolute(out_file).context(|| format!("resolving {}", out_file.display()))?;
    let parent = out_file.parent().unwrap_or(Path::new("/"));
    tokio::fs::create_dir_all(parent).await.context(|| format!("creating {}", parent.display()))?;
    let part = tempfile::Builder::new()
        .prefix(".download-")
        .suffix(".part")
        .tempfile_in(parent)
        .context(|| format!("creating a temporary file in {}", parent.display()))?
        .into_temp_path();

    let mut args = ffmpeg::input(input).context(|| format!("resolving {}", input.display()))?;
    if let Some(video) = &probe.video {
        let renditions = ladder(video.width, video.height);
        let fitting = renditions.iter().rfind(|r| r.width.min(r.height) <= max_height);
        let r = fitting.or(renditions.first()).ok_or(TranscodeError::NoVideo)?;
        let mut filter = String::new();
        if let Some(fps) = output_fps(video.fps).filter(|out| *out < video.fps) {
            filter.push_str(&format!("fps=fps={fps:.6},"));
        }
        filter.push_str(&format!("scale={}:{},setsar=1", r.width, r.height));
        args.extend(["-map".into(), format!("0:{}", video.stream_index).into(), "-vf".into(), filter.into()]);
        let encoder = format!(
            "-c:v libx264 -preset {PRESET} -crf {CRF} -pix_fmt yuv420p -profile:v high -level:v {} -maxrate {}k \
             -bufsize {}k",
            r.level_str(),
            r.video_maxrate_kbps,
            r.video_bufsize_kbps
        );
        args.extend(encoder.split_whitespace().map(OsString::from));
    } else {
        args.push("-vn".into());
    }
    if let Some(audio) = &probe.audio {
        args.extend(["-map".into(), format!("0:{}", audio.stream_index).into()]);
        args.extend(audio_codec_args(audio));
        args.extend(["-b:a".into(), format!("{AUDIO_ONLY_KBPS}k").into()]);
    }
    args.extend(["-movflags", "+faststart", "-f", "mp4"].map(OsString::from));
    args.push(part.to_path_buf().into());

    let total = probe.duration_us();
    ffmpeg::ffmpeg(args, &mut |us| progress.step(0.0, 0.99, us, total))
        .await
        .map_err(TranscodeError::ffmpeg("encoding the download copy"))?;
    let bytes = tokio::fs::metadata(&part).await.context(|| format!("reading {}", part.display()))?.len();
    part.persist(&out_file).map_err(|e| e.error).context(|| format!("moving the copy to {}", out_file.display()))?;
    progress.report(1.0);
    Ok(bytes)
}
