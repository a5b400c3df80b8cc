//! Encrypted HLS: the video ladder in one ffmpeg process, and the audio-only variant.

use std::ffi::OsString;
use std::fmt::{self, Write as _};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ffmpeg::{self, Progress};
use super::images;
use super::ladder::{CRF, MAX_FPS, Rendition, ladder};
use super::output::{IoContext, TranscodeError, staged};
use super::playlist::{self, Variant};
use super::probe::{AudioInfo, Probe};

/// The key URI written into every variant playlist: the key is served at `{base}/key`, and variant
/// playlists live at `{base}/{name}/index.m3u8`.
pub const KEY_URI: &str = "../key";

/// Target segment length in seconds. Keyframes come every [`KEYFRAME_SECONDS`], so segments run 4–6 s.
pub const SEGMENT_SECONDS: u32 = 6;

/// Distance between forced keyframes, in seconds.
pub const KEYFRAME_SECONDS: u32 = 2;

/// The x264 preset: `veryfast` keeps a 1080p ladder near real time on 2 cores at a modest size cost.
pub const PRESET: &str = "veryfast";

/// AAC bitrate of the audio-only variant, in kbit/s.
pub const AUDIO_ONLY_KBPS: u32 = 128;

/// An AES-128 key and IV for HLS segment encryption.
///
/// The IV is written into the playlists; the key is stored by the caller and served at `{base}/key` to
/// viewers allowed to play the video. Debug output never shows either.
#[derive(Clone, PartialEq, Eq)]
pub struct HlsKey {
    /// The 16-byte AES key, served as the raw body of `{base}/key`.
    pub bytes: [u8; 16],
    /// The initialisation vector used for every segment.
    pub iv: [u8; 16],
}

impl HlsKey {
    /// A fresh random key and IV from the operating system's generator.
    pub fn generate() -> Self {
        Self { bytes: rand::random(), iv: rand::random() }
    }
}

impl fmt::Debug for HlsKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HlsKey(redacted)")
    }
}

/// What [`transcode_video`] wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VideoOutput {
    /// The playing time, in milliseconds (from the probe).
    pub duration_ms: i64,
    /// Width of the largest rendition.
    pub width: u32,
    /// Height of the largest rendition.
    pub height: u32,
    /// The renditions, smallest first, as listed in `master.m3u8`.
    pub renditions: Vec<Rendition>,
    /// Every file written, relative to `out_dir`, sorted.
    pub files: Vec<PathBuf>,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// What [`transcode_audio`] wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AudioOutput {
    /// The playing time, in milliseconds (from the probe).
    pub duration_ms: i64,
    /// Every file written, relative to `out_dir`, sorted.
    pub files: Vec<PathBuf>,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Encodes `input` into an AES-128-encrypted HLS ladder in `out_dir` (which must be empty or missing).
///
/// Writes `master.m3u8`, `{rendition}/index.m3u8` with `{rendition}/seg-00000.ts…`, `poster.jpg`,
/// `sprite.jpg` and `thumbnails.vtt`. The source is decoded once; every rendition, and the thumbnails,
/// come from one ffmpeg process. `progress` gets rising values up to 1.0, a few times a second. On error
/// `out_dir` is left as it was; dropping the future kills ffmpeg.
pub async fn transcode_video(
    input: &Path,
    out_dir: &Path,
    probe: &Probe,
    key: &HlsKey,
    progress: &(dyn Fn(f32) + Send + Sync),
) -> Result<VideoOutput, TranscodeError> {
    let video = probe.video.as_ref().ok_or(TranscodeError::NoVideo)?;
    let renditions = ladder(video.width, video.height);
    let top = renditions.last().ok_or(TranscodeError::NoVideo)?.clone();
    let mut progress = Progress::new(progress);
    progress.report(0.0);

    let ((), files, bytes) = staged(out_dir, async |dir: &Path| {
        let key_files = KeyFiles::write(key)?;
        let thumbs = kernel::scratch::dir()
            .and_then(tempfile::TempDir::new_in)
            .context(|| "creating a folder for thumbnails".into())?;
        let interval = images::thumbnail_interval(probe.duration_ms);
        let fps = output_fps(video.fps);

        let mut graph = format!("[0:{}]", video.stream_index);
        if let Some(fps) = fps.filter(|out| *out < video.fps) {
            let _ = write!(graph, "fps=fps={fps:.6},");
        }
        let _ = write!(graph, "split={}", renditions.len() + 1);
        for i in 0..=renditions.len() {
            let _ = write!(graph, "[s{i}]");
        }
        for (i, r) in renditions.iter().enumerate() {
            let _ = write!(graph, ";[s{i}]scale={}:{},setsar=1[v{i}]", r.width, r.height);
        }
        let _ = write!(graph, ";[s{}]{}[thumbs]", renditions.len(), images::thumbnail_filter(video, interval));

        let mut args = ffmpeg::input(input).context(|| format!("resolving {}", input.display()))?;
        args.extend(["-filter_complex".into(), graph.into()]);
        for i in 0..renditions.len() {
            args.extend(["-map".into(), format!("[v{i}]").into()]);
        }
        if let Some(audio) = &probe.audio {
            for _ in &renditions {
                args.extend(["-map".into(), format!("0:{}", audio.stream_index).into()]);
            }
        }
        args.extend(video_codec_args(&renditions));
        if let Some(audio) = &probe.audio {
            args.extend(audio_codec_args(audio));
            for (i, r) in renditions.iter().enumerate() {
                args.extend([format!("-b:a:{i}").into(), format!("{}k", r.audio_kbps).into()]);
            }
        }
        let stream_map: Vec<String> = (0..renditions.len())
            .map(|i| {
                let audio = if probe.audio.is_some() { format!(",a:{i}") } else { String::new() };
                format!("v:{i}{audio},name:{}", renditions[i].name)
            })
            .collect();
        args.extend(hls_args(&key_files, dir, "%v"));
        args.extend(["-var_stream_map".into(), stream_map.join(" ").into()]);
        args.push(dir.join("%v").join("index.m3u8").into());
        args.extend(images::thumbnail_output("[thumbs]", thumbs.path()));

        let total = probe.duration_us();
        ffmpeg::ffmpeg(args, &mut |us| progress.step(0.0, 0.9, us, total))
            .await
            .map_err(TranscodeError::ffmpeg("encoding the HLS ladder"))?;

        images::poster(input, probe, video, dir).await?;
        progress.report(0.95);
        images::sprite(thumbs.path(), probe, video, interval, dir).await?;

        let mut variants = Vec::new();
        for r in &renditions {
            let codecs = match probe.audio {
                Some(_) => format!("{},mp4a.40.2", r.video_codec()),
                None => r.video_codec(),
            };
            variants.push(Variant {
                uri: format!("{}/index.m3u8", r.name),
                bandwidth: playlist::measure(&dir.join(&r.name)).await?,
                resolution: Some((r.width, r.height)),
                frame_rate: fps.or((video.fps > 0.0).then_some(video.fps)),
                codecs,
            });
        }
        write_master(dir, &variants).await
    })
    .await?;
    progress.report(1.0);
    Ok(VideoOutput { duration_ms: probe.duration_ms, width: top.width, height: top.height, renditions, files, bytes })
}

/// Encodes the audio of `input` into an encrypted, audio-only HLS stream in `out_dir` (empty or missing):
/// `master.m3u8` with one variant, `audio/index.m3u8` and `audio/seg-00000.ts…` (AAC in MPEG-TS, which
/// hls.js plays everywhere), key URI [`KEY_URI`]. Video and cover art are ignored.
pub async fn transcode_audio(
    input: &Path,
    out_dir: &Path,
    probe: &Probe,
    key: &HlsKey,
    progress: &(dyn Fn(f32) + Send + Sync),
) -> Result<AudioOutput, TranscodeError> {
    let audio = probe.audio.as_ref().ok_or(TranscodeError::NoAudio)?;
    let mut progress = Progress::new(progress);
    progress.report(0.0);

    let ((), files, bytes) = staged(out_dir, async |dir: &Path| {
        let key_files = KeyFiles::write(key)?;
        let variant_dir = dir.join("audio");
        tokio::fs::create_dir(&variant_dir).await.context(|| format!("creating {}", variant_dir.display()))?;

        let mut args = ffmpeg::input(input).context(|| format!("resolving {}", input.display()))?;
        args.extend(["-map".into(), format!("0:{}", audio.stream_index).into(), "-vn".into()]);
        args.extend(audio_codec_args(audio));
        args.extend(["-b:a".into(), format!("{AUDIO_ONLY_KBPS}k").into()]);
        args.extend(hls_args(&key_files, dir, "audio"));
        args.push(variant_dir.join("index.m3u8").into());

        let total = probe.duration_us();
        ffmpeg::ffmpeg(args, &mut |us| progress.step(0.0, 0.95, us, total))
            .await
            .map_err(TranscodeError::ffmpeg("encoding the audio stream"))?;

        let variant = Variant {
            uri: "audio/index.m3u8".into(),
            bandwidth: playlist::measure(&variant_dir).await?,
            resolution: None,
            frame_rate: None,
            codecs: "mp4a.40.2".into(),
        };
        write_master(dir, &[variant]).await
    })
    .await?;
    progress.report(1.0);
    Ok(AudioOutput { duration_ms: probe.duration_ms, files, bytes })
}

/// The frame rate to encode at: the source's, halved until it is at most [`MAX_FPS`] (60 → 30, 50 → 25).
/// `None` when the source does not say.
pub(crate) fn output_fps(source: f64) -> Option<f64> {
    if source <= 0.0 {
        return None;
    }
    let mut fps = source;
    while fps > MAX_FPS {
        fps /= 2.0;
    }
    Some(fps)
}

/// libx264 settings shared by all renditions, then each rendition's profile, level and bitrate caps.
fn video_codec_args(renditions: &[Rendition]) -> Vec<OsString> {
    let keyframes = format!("expr:gte(t,n_forced*{KEYFRAME_SECONDS})");
    let crf = CRF.to_string();
    let shared = ["-c:v", "libx264", "-preset", PRESET, "-crf", &crf, "-pix_fmt", "yuv420p"];
    let mut args: Vec<OsString> = shared.map(OsString::from).into();
    args.extend(["-sc_threshold", "0", "-force_key_frames", &keyframes].map(OsString::from));
    for (i, r) in renditions.iter().enumerate() {
        args.extend([
            format!("-profile:v:{i}").into(),
            r.profile.as_str().into(),
            format!("-level:v:{i}").into(),
            r.level_str().into(),
            format!("-maxrate:v:{i}").into(),
            format!("{}k", r.video_maxrate_kbps).into(),
            format!("-bufsize:v:{i}").into(),
            format!("{}k", r.video_bufsize_kbps).into(),
        ]);
    }
    args
}

/// AAC stereo at the source's rate when browsers take it as is (44.1 or 48 kHz), else 48 kHz.
pub(crate) fn audio_codec_args(audio: &AudioInfo) -> Vec<OsString> {
    let rate = if matches!(audio.sample_rate, 44_100 | 48_000) { audio.sample_rate } else { 48_000 };
    ["-c:a".into(), "aac".into(), "-ac".into(), "2".into(), "-ar".into(), rate.to_string().into()].into()
}

/// HLS muxer options: VOD playlists of encrypted MPEG-TS segments named `{variant}/seg-00000.ts`.
fn hls_args(key_files: &KeyFiles, dir: &Path, variant: &str) -> Vec<OsString> {
    let segment_seconds = SEGMENT_SECONDS.to_string();
    let mut args: Vec<OsString> = [
        "-f",
        "hls",
        "-hls_time",
        &segment_seconds,
        "-hls_playlist_type",
        "vod",
        "-hls_flags",
        "independent_segments",
        "-hls_segment_type",
        "mpegts",
    ]
    .map(Into::into)
    .into();
    args.extend(["-hls_key_info_file".into(), key_files.info.path().into(), "-hls_segment_filename".into()]);
    args.push(dir.join(variant).join("seg-%05d.ts").into());
    args
}

async fn write_master(dir: &Path, variants: &[Variant]) -> Result<(), TranscodeError> {
    let path = dir.join("master.m3u8");
    tokio::fs::write(&path, playlist::master(variants)).await.context(|| format!("writing {}", path.display()))
}

/// The key and the key-info file ffmpeg reads (URI, key path, IV), in this process's scratch folder — never
/// among the output — and deleted when dropped (or swept with the folder if the process is killed).
struct KeyFiles {
    _key: tempfile::NamedTempFile,
    info: tempfile::NamedTempFile,
}

impl KeyFiles {
    fn write(key: &HlsKey) -> Result<Self, TranscodeError> {
        let context = || "writing the HLS key to a temporary file".to_owned();
        let scratch = kernel::scratch::dir().context(context)?;
        let mut key_file = tempfile::NamedTempFile::new_in(&scratch).context(context)?;
        key_file.write_all(&key.bytes).and_then(|()| key_file.flush()).context(context)?;
        let mut info = tempfile::NamedTempFile::new_in(&scratch).context(context)?;
        let mut text = format!("{KEY_URI}\n").into_bytes();
        text.extend(key_file.path().as_os_str().as_encoded_bytes());
        text.extend(format!("\n{}\n", hex::encode(key.iv)).into_bytes());
        info.write_all(&text).and_then(|()| info.flush()).context(context)?;
        Ok(Self { _key: key_file, info })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_rates_above_thirty_are_halved() {
        assert_eq!(output_fps(60.0), Some(30.0));
        assert_eq!(output_fps(50.0), Some(25.0));
        assert_eq!(output_fps(120.0), Some(30.0));
        assert_eq!(output_fps(29.97), Some(29.97));
        assert_eq!(output_fps(0.0), None);
    }

    #[test]
    fn keys_are_random_and_never_printed() {
        let (a, b) = (HlsKey::generate(), HlsKey::generate());
        assert_ne!(a.bytes, b.bytes);
        assert_ne!(a.iv, b.iv);
        assert_eq!(format!("{a:?}"), "HlsKey(redacted)");
    }

    #[test]
    fn key_info_names_the_uri_the_key_file_and_the_iv() {
        let key = HlsKey { bytes: [7; 16], iv: [0xAB; 16] };
        let files = KeyFiles::write(&key).unwrap();
        let info = std::fs::read_to_string(files.info.path()).unwrap();
        let lines: Vec<&str> = info.lines().collect();
        assert_eq!(lines[0], "../key");
        assert_eq!(std::fs::read(lines[1]).unwrap(), [7; 16]);
        assert_eq!(lines[2], "abababababababababababababababab");
        let key_path = PathBuf::from(lines[1]);
        drop(files);
        assert!(!key_path.exists(), "the key file is deleted with the guard");
    }
}
