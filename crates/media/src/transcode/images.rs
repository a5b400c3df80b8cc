//! Stills for the player: the poster frame, and the thumbnail sprite with its WebVTT index for seek previews.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;

use super::ffmpeg;
use super::output::{IoContext, TranscodeError};
use super::probe::{Probe, VideoInfo};

/// Width of one thumbnail in the sprite.
pub const TILE_WIDTH: u32 = 160;
/// Thumbnails per sprite row.
pub const SPRITE_COLUMNS: u32 = 10;
/// Upper bound on the number of thumbnails, so the sprite stays one small image.
const MAX_TILES: f64 = 100.0;
/// The poster is at most this wide.
const POSTER_MAX_WIDTH: u32 = 1280;

/// Seconds between thumbnails: every 2 s, or wider so a long video has at most about 100.
pub fn thumbnail_interval(duration_ms: i64) -> u32 {
    let seconds = duration_ms as f64 / 1000.0;
    ((seconds / MAX_TILES).ceil() as u32).max(2)
}

/// The size of one thumbnail: [`TILE_WIDTH`] wide, height from the displayed aspect ratio (even).
pub(crate) fn tile_size(video: &VideoInfo) -> (u32, u32) {
    (TILE_WIDTH, even_height(TILE_WIDTH, video))
}

fn even_height(width: u32, video: &VideoInfo) -> u32 {
    let h = f64::from(width) * f64::from(video.height) / f64::from(video.width.max(1));
    ((h / 2.0).round() as u32 * 2).max(2)
}

/// The filter branch that picks one frame every `interval` seconds (first at 0) and shrinks it to a tile,
/// to be fed from the main encode so the source is decoded once.
pub(crate) fn thumbnail_filter(video: &VideoInfo, interval: u32) -> String {
    let (w, h) = tile_size(video);
    format!("select='gte(t,selected_n*{interval})',scale={w}:{h},setsar=1")
}

/// Output options that write the thumbnail branch `label` as numbered JPEGs into `dir`.
pub(crate) fn thumbnail_output(label: &str, dir: &Path) -> Vec<OsString> {
    let mut args: Vec<OsString> =
        ["-map", label, "-fps_mode", "vfr", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2"].map(Into::into).into();
    args.push(dir.join("%05d.jpg").into());
    args
}

/// Writes `poster.jpg` into `dir`: a representative frame from about 10% in (past black openings and
/// titles), at most [`POSTER_MAX_WIDTH`] wide.
pub(crate) async fn poster(input: &Path, probe: &Probe, video: &VideoInfo, dir: &Path) -> Result<(), TranscodeError> {
    let width = video.width.min(POSTER_MAX_WIDTH) & !1;
    let height = even_height(width, video);
    let at = probe.duration_ms as f64 / 1000.0 * 0.1;
    let mut args = vec![OsString::from("-ss"), format!("{at:.3}").into()];
    args.extend(ffmpeg::input(input).context(|| format!("resolving {}", input.display()))?);
    let filter = format!("thumbnail=10,scale={width}:{height},setsar=1");
    let map = format!("0:{}", video.stream_index);
    args.extend(["-map", &map, "-vf", &filter, "-frames:v", "1", "-q:v", "3", "-update", "1"].map(OsString::from));
    args.push(dir.join("poster.jpg").into());
    ffmpeg::ffmpeg(args, &mut |_| {}).await.map_err(TranscodeError::ffmpeg("making the poster"))?;
    Ok(())
}

/// Joins the numbered thumbnails in `thumbs` into `dir/sprite.jpg` (rows of [`SPRITE_COLUMNS`]) and writes
/// `dir/thumbnails.vtt`, whose cues point into it with `sprite.jpg#xywh=x,y,w,h`.
pub(crate) async fn sprite(
    thumbs: &Path,
    probe: &Probe,
    video: &VideoInfo,
    interval: u32,
    dir: &Path,
) -> Result<(), TranscodeError> {
    let count = count_jpegs(thumbs).await?;
    if count == 0 {
        let stderr = "no thumbnails were extracted".to_owned();
        let source = ffmpeg::ToolError::Output { tool: "ffmpeg", source: std::io::Error::other(stderr) };
        return Err(TranscodeError::Ffmpeg { step: "making the thumbnail sprite", source });
    }
    let columns = count.min(SPRITE_COLUMNS);
    let rows = count.div_ceil(columns);
    let mut args: Vec<OsString> = ["-framerate", "1", "-f", "image2", "-i"].map(Into::into).into();
    args.push(thumbs.join("%05d.jpg").into());
    let tile = format!("tile={columns}x{rows}");
    args.extend(["-vf", &tile, "-frames:v", "1", "-q:v", "4", "-update", "1"].map(OsString::from));
    args.push(dir.join("sprite.jpg").into());
    ffmpeg::ffmpeg(args, &mut |_| {}).await.map_err(TranscodeError::ffmpeg("making the thumbnail sprite"))?;

    let vtt = thumbnails_vtt(count, interval, probe.duration_ms, tile_size(video));
    let path = dir.join("thumbnails.vtt");
    tokio::fs::write(&path, vtt).await.context(|| format!("writing {}", path.display()))
}

async fn count_jpegs(dir: &Path) -> Result<u32, TranscodeError> {
    let mut entries = tokio::fs::read_dir(dir).await.context(|| format!("listing {}", dir.display()))?;
    let mut count = 0;
    while let Some(entry) = entries.next_entry().await.context(|| format!("listing {}", dir.display()))? {
        count += u32::from(entry.path().extension().is_some_and(|e| e == "jpg"));
    }
    Ok(count)
}

/// The WebVTT index of the sprite: one cue per tile, `interval` seconds each, the last running to the end.
pub(crate) fn thumbnails_vtt(count: u32, interval: u32, duration_ms: i64, (w, h): (u32, u32)) -> String {
    let mut out = String::from("WEBVTT\n");
    let columns = count.clamp(1, SPRITE_COLUMNS);
    for i in 0..count {
        let start = i64::from(i * interval) * 1000;
        let mut end = i64::from((i + 1) * interval) * 1000;
        if i + 1 == count {
            end = duration_ms.max(start + 1);
        }
        let end = end.min(duration_ms.max(start + 1));
        let (x, y) = ((i % columns) * w, (i / columns) * h);
        let _ = write!(out, "\n{} --> {}\nsprite.jpg#xywh={x},{y},{w},{h}\n", timestamp(start), timestamp(end));
    }
    out
}

/// `HH:MM:SS.mmm`.
fn timestamp(ms: i64) -> String {
    let ms = ms.max(0);
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_keeps_tiles_at_most_about_a_hundred() {
        assert_eq!(thumbnail_interval(8_000), 2);
        assert_eq!(thumbnail_interval(200_000), 2);
        assert_eq!(thumbnail_interval(201_000), 3);
        assert_eq!(thumbnail_interval(3_600_000), 36);
    }

    #[test]
    fn vtt_cues_tile_the_sprite_and_cover_the_duration() {
        let vtt = thumbnails_vtt(12, 2, 23_500, (160, 90));
        assert!(vtt.starts_with("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nsprite.jpg#xywh=0,0,160,90\n"), "{vtt}");
        assert!(vtt.contains("00:00:18.000 --> 00:00:20.000\nsprite.jpg#xywh=1440,0,160,90\n"));
        assert!(vtt.contains("00:00:20.000 --> 00:00:22.000\nsprite.jpg#xywh=0,90,160,90\n"));
        assert!(vtt.ends_with("00:00:22.000 --> 00:00:23.500\nsprite.jpg#xywh=160,90,160,90\n"));
    }

    #[test]
    fn timestamps_roll_over_into_hours() {
        assert_eq!(timestamp(3_723_004), "01:02:03.004");
    }
}
