//! What an uploaded file holds, and whether it is whole: ffprobe, then a short decode at both ends.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::AsyncReadExt;

use super::ffmpeg::{self, ToolError};
use super::sniff::{Detected, sniff};

/// How long ffprobe and each decode check may take before the file is given up on.
const TOOL_LIMIT: Duration = Duration::from_secs(120);

/// What ffprobe found in a playable file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// What the first bytes say the file is.
    pub detected: Detected,
    /// The file's size.
    pub size_bytes: u64,
    /// The playing time, in milliseconds (always > 0).
    pub duration_ms: i64,
    /// ffprobe's demuxer names, e.g. `mov,mp4,m4a,3gp,3g2,mj2`.
    pub format_name: String,
    /// The first real video stream; cover art (an attached picture) does not count.
    pub video: Option<VideoInfo>,
    /// The first audio stream.
    pub audio: Option<AudioInfo>,
}

impl Probe {
    /// The playing time in microseconds, the unit of ffmpeg's progress reports.
    pub fn duration_us(&self) -> i64 {
        self.duration_ms * 1000
    }
}

/// A video stream, with its size as shown to the viewer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoInfo {
    /// The stream's index in the file (for `-map 0:N`).
    pub stream_index: u32,
    /// ffprobe's codec name, e.g. `h264`, `hevc`, `vp9`.
    pub codec: String,
    /// Displayed width: non-square pixels stretched and rotation applied, as ffmpeg will decode it.
    pub width: u32,
    /// Displayed height, like `width`.
    pub height: u32,
    /// Average frames per second (0.0 when the file does not say).
    pub fps: f64,
    /// Rotation from the display matrix in degrees, 0, 90, 180 or 270 (ffmpeg's sign).
    pub rotation: u16,
}

/// An audio stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioInfo {
    /// The stream's index in the file (for `-map 0:N`).
    pub stream_index: u32,
    /// ffprobe's codec name, e.g. `aac`, `mp3`, `opus`.
    pub codec: String,
    /// Number of channels.
    pub channels: u32,
    /// Samples per second.
    pub sample_rate: u32,
}

/// Why a file cannot be used; [`ProbeError::message_key`] names the message shown to the person.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The file has no bytes at all.
    #[error("the file is empty")]
    Empty,
    /// The file is something else (a PDF renamed `.mp4`, an image…) or nothing ffprobe can read.
    #[error("the file is {}, not audio or video", .detected.noun())]
    NotMedia {
        /// What the bytes say it is.
        detected: Detected,
    },
    /// The container is recognised but the data is cut short or damaged (an interrupted upload or export).
    #[error("the file is incomplete or damaged")]
    Truncated,
    /// A media container with neither a video nor an audio stream in it.
    #[error("the file has no audio or video streams")]
    NoStreams,
    /// The file could not be read.
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
    /// ffprobe or ffmpeg could not be run, or took too long: a problem on our side, not the person's.
    #[error(transparent)]
    Tool(ToolError),
}

impl ProbeError {
    /// The Fluent key of the message for the person who uploaded the file.
    ///
    /// `media-error-not-media` takes `$kind` ([`Detected::as_str`]); the two last are our fault, not theirs.
    pub fn message_key(&self) -> &'static str {
        match self {
            ProbeError::Empty => "media-error-empty",
            ProbeError::NotMedia { .. } => "media-error-not-media",
            ProbeError::Truncated => "media-error-truncated",
            ProbeError::NoStreams => "media-error-no-streams",
            ProbeError::Io(_) | ProbeError::Tool(_) => "media-error-internal",
        }
    }
}

/// Reads what `path` holds, and checks that it decodes at its start and at its end.
///
/// Refuses, with the matching [`ProbeError`]: empty files; documents and images (by their bytes, whatever
/// their name); files ffprobe cannot read; files without audio or video; and cut or damaged files — ffprobe
/// failing on a recognised container (e.g. "moov atom not found"), no duration, or nothing decodable in the
/// last three seconds.
pub async fn probe(path: &Path) -> Result<Probe, ProbeError> {
    let size_bytes = tokio::fs::metadata(path).await?.len();
    if size_bytes == 0 {
        return Err(ProbeError::Empty);
    }
    let detected = sniff(&read_head(path).await?);
    if detected != Detected::Unknown && !detected.is_media_candidate() {
        return Err(ProbeError::NotMedia { detected });
    }

    let args = ["-loglevel", "warning", "-print_format", "json", "-show_format", "-show_streams"];
    let mut args: Vec<OsString> = args.iter().map(OsString::from).collect();
    args.extend(ffmpeg::input(path)?);
    let run = match ffmpeg::ffprobe(args, TOOL_LIMIT).await {
        Ok(run) => run,
        Err(ToolError::Failed { .. }) if detected.is_media_candidate() => return Err(ProbeError::Truncated),
        Err(ToolError::Failed { .. }) => return Err(ProbeError::NotMedia { detected }),
        Err(e) => return Err(ProbeError::Tool(e)),
    };
    let output: FfprobeOutput = serde_json::from_slice(&run.stdout).map_err(|e| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, format!("ffprobe printed unexpected JSON: {e}"))
    })?;
    let mut probe = interpret(detected, size_bytes, output)?;

    // An MP3 without a length header gets a duration guessed from the first frame's bitrate; count instead.
    if probe.duration_ms <= 0 || run.stderr.contains("Estimating duration from bitrate") {
        probe.duration_ms = measure_duration_ms(path, &probe).await?;
    }
    if probe.duration_ms <= 0 || run.stderr.contains("filesize and duration do not match") {
        return Err(ProbeError::Truncated);
    }
    check_decodes(path, &probe).await?;
    Ok(probe)
}

/// The first bytes of the file, enough for [`sniff`].
async fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(1024);
    tokio::fs::File::open(path).await?.take(1024).read_to_end(&mut head).await?;
    Ok(head)
}

/// Decodes the first two and the last three seconds: a file cut short has a duration in its header but no
/// data at the end.
async fn check_decodes(path: &Path, probe: &Probe) -> Result<(), ProbeError> {
    let duration = probe.duration_ms as f64 / 1000.0;
    let tail_start = (duration - 3.0).max(0.0);
    let mut windows = vec![(tail_start, None)];
    if tail_start > 0.0 {
        windows.insert(0, (0.0, Some(2.0)));
    }
    for (start, span) in windows {
        let mut args = vec![OsString::from("-ss"), format!("{start:.3}").into()];
        args.extend(ffmpeg::input(path)?);
        args.extend(stream_maps(probe));
        if let Some(span) = span {
            args.extend(["-t".into(), format!("{span:.3}").into()]);
        }
        args.extend(["-f", "null", "-"].map(OsString::from));
        let run = match tokio::time::timeout(TOOL_LIMIT, ffmpeg::ffmpeg(args, &mut |_| {})).await {
            Err(_) => return Err(ProbeError::Tool(ToolError::TimedOut { tool: "ffmpeg", limit: TOOL_LIMIT })),
            Ok(Err(ToolError::Failed { .. })) => return Err(ProbeError::Truncated),
            Ok(Err(e)) => return Err(ProbeError::Tool(e)),
            Ok(Ok(run)) => run,
        };
        if run.out_time_us <= 0 || is_cut_short(&run.stderr) {
            tracing::debug!(start, out_time_us = run.out_time_us, stderr = %run.stderr, "decode check failed");
            return Err(ProbeError::Truncated);
        }
    }
    Ok(())
}

/// The playing time found by reading every packet (no decoding), for files whose header does not say.
async fn measure_duration_ms(path: &Path, probe: &Probe) -> Result<i64, ProbeError> {
    let mut args = ffmpeg::input(path)?;
    args.extend(stream_maps(probe));
    args.extend(["-c", "copy", "-f", "null", "-"].map(OsString::from));
    match tokio::time::timeout(TOOL_LIMIT, ffmpeg::ffmpeg(args, &mut |_| {})).await {
        Err(_) => Err(ProbeError::Tool(ToolError::TimedOut { tool: "ffmpeg", limit: TOOL_LIMIT })),
        Ok(Err(ToolError::Failed { .. })) => Err(ProbeError::Truncated),
        Ok(Err(e)) => Err(ProbeError::Tool(e)),
        Ok(Ok(run)) if is_cut_short(&run.stderr) => Err(ProbeError::Truncated),
        Ok(Ok(run)) => Ok(run.out_time_us / 1000),
    }
}

/// `-map` options for the chosen video and audio streams (skipping cover art, subtitles and data).
pub(crate) fn stream_maps(probe: &Probe) -> Vec<OsString> {
    let indexes = [probe.video.as_ref().map(|v| v.stream_index), probe.audio.as_ref().map(|a| a.stream_index)];
    indexes.into_iter().flatten().flat_map(|i| ["-map".into(), format!("0:{i}").into()]).collect()
}

/// Whether ffmpeg's errors say the data ran out before the index said it would.
fn is_cut_short(stderr: &str) -> bool {
    ["partial file", "ended prematurely"].iter().any(|marker| stderr.contains(marker))
}

#[derive(Debug, Deserialize)]
struct FfprobeOutput {
    #[serde(default)]
    streams: Vec<FfStream>,
    format: Option<FfFormat>,
}

#[derive(Debug, Deserialize)]
struct FfFormat {
    format_name: Option<String>,
    duration: Option<String>,
}

#[derive(Debug, Deserialize)]
struct FfStream {
    index: u32,
    codec_type: Option<String>,
    codec_name: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    sample_aspect_ratio: Option<String>,
    avg_frame_rate: Option<String>,
    r_frame_rate: Option<String>,
    channels: Option<u32>,
    sample_rate: Option<String>,
    duration: Option<String>,
    #[serde(default)]
    disposition: HashMap<String, i64>,
    #[serde(default)]
    tags: HashMap<String, String>,
    #[serde(default)]
    side_data_list: Vec<serde_json::Value>,
}

/// Turns ffprobe's JSON into a [`Probe`] (duration 0 when unknown), refusing images and stream-less files.
fn interpret(detected: Detected, size_bytes: u64, output: FfprobeOutput) -> Result<Probe, ProbeError> {
    let format_name = output.format.as_ref().and_then(|f| f.format_name.clone()).unwrap_or_default();
    // Still images and text that ffprobe happens to read (BMP, TIFF, SVG, ANSI art) are not media.
    if format_name == "image2" || format_name == "tty" || format_name.ends_with("_pipe") {
        return Err(ProbeError::NotMedia { detected });
    }
    let is = |s: &&FfStream, kind: &str| s.codec_type.as_deref() == Some(kind);
    let video = output
        .streams
        .iter()
        .find(|s| is(s, "video") && s.disposition.get("attached_pic").copied().unwrap_or(0) == 0)
        .map(video_info)
        .filter(|v| v.width > 0 && v.height > 0);
    let audio = output.streams.iter().find(|s| is(s, "audio")).map(|s| AudioInfo {
        stream_index: s.index,
        codec: s.codec_name.clone().unwrap_or_default(),
        channels: s.channels.unwrap_or(0),
        sample_rate: s.sample_rate.as_deref().and_then(|r| r.parse().ok()).unwrap_or(0),
    });
    if video.is_none() && audio.is_none() {
        return Err(ProbeError::NoStreams);
    }

    let used = [video.as_ref().map(|v| v.stream_index), audio.as_ref().map(|a| a.stream_index)];
    let stream_seconds = output
        .streams
        .iter()
        .filter(|s| used.contains(&Some(s.index)))
        .filter_map(|s| seconds(s.duration.as_deref()))
        .fold(0.0_f64, f64::max);
    let seconds = output.format.as_ref().and_then(|f| seconds(f.duration.as_deref())).unwrap_or(stream_seconds);
    Ok(Probe { detected, size_bytes, duration_ms: (seconds * 1000.0).round() as i64, format_name, video, audio })
}

fn video_info(s: &FfStream) -> VideoInfo {
    let (coded_w, coded_h) = (s.width.unwrap_or(0), s.height.unwrap_or(0));
    // Non-square pixels (DV, some screen recorders) are stretched to square ones by the width.
    let width = match s.sample_aspect_ratio.as_deref().and_then(ratio) {
        Some(sar) if sar > 0.0 && (sar - 1.0).abs() > 1e-3 => (f64::from(coded_w) * sar).round() as u32,
        _ => coded_w,
    };
    let rotation = rotation(s);
    let (width, height) = if rotation % 180 == 90 { (coded_h, width) } else { (width, coded_h) };
    let fps = [&s.avg_frame_rate, &s.r_frame_rate]
        .into_iter()
        .filter_map(|r| r.as_deref().and_then(ratio))
        .find(|fps| *fps > 0.0 && *fps < 1000.0)
        .unwrap_or(0.0);
    VideoInfo { stream_index: s.index, codec: s.codec_name.clone().unwrap_or_default(), width, height, fps, rotation }
}

/// The display-matrix rotation, normalised to 0, 90, 180 or 270.
fn rotation(s: &FfStream) -> u16 {
    let from_side_data = s.side_data_list.iter().find_map(|d| d.get("rotation").and_then(serde_json::Value::as_f64));
    let from_tag = || s.tags.get("rotate").and_then(|r| r.parse::<f64>().ok());
    let degrees = from_side_data.or_else(from_tag).unwrap_or(0.0);
    ((degrees / 90.0).round() as i64 * 90).rem_euclid(360) as u16
}

/// Parses ffprobe's `30000/1001` or `16:9` forms.
fn ratio(text: &str) -> Option<f64> {
    let (num, den) = text.split_once(['/', ':'])?;
    let (num, den) = (num.parse::<f64>().ok()?, den.parse::<f64>().ok()?);
    (den != 0.0).then(|| num / den)
}

fn seconds(text: Option<&str>) -> Option<f64> {
    text?.parse::<f64>().ok().filter(|s| s.is_finite() && *s > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Probe, ProbeError> {
        interpret(Detected::Mp4, 1000, serde_json::from_str(json).unwrap())
    }

    #[test]
    fn cover_art_is_not_video() {
        let probe = parse(
            r#"{"streams": [
                {"index": 0, "codec_type": "audio", "codec_name": "mp3", "channels": 2, "sample_rate": "44100"},
                {"index": 1, "codec_type": "video", "codec_name": "mjpeg", "width": 600, "height": 600,
                 "disposition": {"attached_pic": 1}}
            ], "format": {"format_name": "mp3", "duration": "12.5"}}"#,
        )
        .unwrap();
        assert!(probe.video.is_none());
        assert_eq!(probe.audio.unwrap().sample_rate, 44100);
        assert_eq!(probe.duration_ms, 12_500);
    }

    #[test]
    fn rotation_and_non_square_pixels_give_the_displayed_size() {
        let probe = parse(
            r#"{"streams": [{"index": 0, "codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080,
                "avg_frame_rate": "30000/1001", "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]}],
                "format": {"format_name": "mov,mp4", "duration": "3.0"}}"#,
        )
        .unwrap();
        let video = probe.video.unwrap();
        assert_eq!((video.width, video.height, video.rotation), (1080, 1920, 270));
        assert!((video.fps - 29.97).abs() < 0.01);

        let dv = parse(
            r#"{"streams": [{"index": 0, "codec_type": "video", "codec_name": "dvvideo", "width": 720, "height": 480,
                "sample_aspect_ratio": "32:27", "avg_frame_rate": "0/0", "r_frame_rate": "30000/1001"}],
                "format": {"format_name": "avi", "duration": "3.0"}}"#,
        )
        .unwrap();
        assert_eq!(dv.video.map(|v| (v.width, v.height)), Some((853, 480)));
    }

    #[test]
    fn duration_falls_back_to_the_streams_then_to_zero() {
        let probe = parse(
            r#"{"streams": [{"index": 0, "codec_type": "audio", "codec_name": "opus", "duration": "4.25"},
                            {"index": 1, "codec_type": "audio", "codec_name": "opus", "duration": "99"}],
                "format": {"format_name": "ogg"}}"#,
        )
        .unwrap();
        assert_eq!(probe.duration_ms, 4_250);
        let unknown = parse(r#"{"streams": [{"index": 0, "codec_type": "audio"}], "format": {"duration": "N/A"}}"#);
        assert_eq!(unknown.unwrap().duration_ms, 0);
    }

    #[test]
    fn images_and_subtitles_are_refused() {
        let image = parse(
            r#"{"streams": [{"index": 0, "codec_type": "video", "codec_name": "bmp", "width": 10, "height": 10}],
                "format": {"format_name": "bmp_pipe"}}"#,
        );
        assert!(matches!(image, Err(ProbeError::NotMedia { .. })));
        let subtitles =
            parse(r#"{"streams": [{"index": 0, "codec_type": "subtitle"}], "format": {"format_name": "srt"}}"#);
        assert!(matches!(subtitles, Err(ProbeError::NoStreams)));
    }

    #[test]
    fn every_error_has_a_message_key() {
        let errors = [
            ProbeError::Empty,
            ProbeError::NotMedia { detected: Detected::Pdf },
            ProbeError::Truncated,
            ProbeError::NoStreams,
            ProbeError::Io(std::io::Error::other("x")),
        ];
        let keys: Vec<&str> = errors.iter().map(ProbeError::message_key).collect();
        assert_eq!(
            keys,
            [
                "media-error-empty",
                "media-error-not-media",
                "media-error-truncated",
                "media-error-no-streams",
                "media-error-internal"
            ]
        );
    }
}
