//! End-to-end tests against the real ffmpeg: short clips made with lavfi sources in temporary folders.

mod download;
mod hls;
mod probe;

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::Command;

/// Runs `ffmpeg -y` with `args` (split on whitespace: fixture paths have none) to make a fixture, failing
/// the test if it fails.
async fn make(args: &str) {
    let args: Vec<&str> = args.split_whitespace().collect();
    let run = Command::new("ffmpeg").args(["-nostdin", "-v", "error", "-y"]).args(&args).kill_on_drop(true).output();
    let output = tokio::time::timeout(Duration::from_secs(120), run).await.expect("fixture in time").expect("ffmpeg");
    assert!(output.status.success(), "ffmpeg {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// A test pattern with a 440 Hz tone, `seconds` long, as H.264/AAC MP4 (moov at the end, as cameras write).
async fn video_clip(dir: &Path, name: &str, size: &str, seconds: u32) -> PathBuf {
    let path = dir.join(name);
    make(&format!(
        "-f lavfi -i testsrc=size={size}:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 -t {seconds} \
         -pix_fmt yuv420p -c:v libx264 -preset ultrafast -c:a aac {}",
        path.display()
    ))
    .await;
    path
}

/// A silent 640×360 clip stored rotated by 90° (as a phone held upright records): displayed 360×640.
async fn portrait_silent_clip(dir: &Path) -> PathBuf {
    let (flat, path) = (dir.join("flat.mp4"), dir.join("portrait.mp4"));
    let encode = "-pix_fmt yuv420p -c:v libx264 -preset ultrafast";
    make(&format!("-f lavfi -i testsrc=size=640x360:rate=30 -t 3 {encode} {}", flat.display())).await;
    make(&format!("-i {} -c copy -metadata:s:v:0 rotate=90 {}", flat.display(), path.display())).await;
    std::fs::remove_file(flat).unwrap();
    path
}

/// A 4-second MP3 with cover art (an attached picture that must not count as video).
async fn mp3_with_cover(dir: &Path) -> PathBuf {
    let path = dir.join("song.mp3");
    make(&format!(
        "-f lavfi -i sine=frequency=330:duration=4 -f lavfi -i color=c=red:s=64x64:d=0.1 -map 0 -map 1 \
         -frames:v 1 -c:a libmp3lame -c:v mjpeg -disposition:v:0 attached_pic -id3v2_version 3 {}",
        path.display()
    ))
    .await;
    path
}

/// ffprobe's JSON for `path` (streams and format), with `extra` options before it; `None` if it cannot read it.
async fn ffprobe_json(path: &Path, extra: &[&str]) -> Option<serde_json::Value> {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_format", "-show_streams"])
        .args(extra)
        .arg(path)
        .output()
        .await
        .expect("ffprobe runs");
    output.status.success().then(|| serde_json::from_slice(&output.stdout).expect("ffprobe JSON"))
}

/// The streams of a probe result of a given `codec_type`.
fn streams<'a>(json: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    json["streams"].as_array().unwrap().iter().filter(|s| s["codec_type"] == kind).collect()
}

/// Calls `f` with the recorded progress values, for callbacks that must be `Fn + Send + Sync`.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<f32>>);

impl Recorder {
    fn callback(&self) -> impl Fn(f32) + Send + Sync + '_ {
        |v| self.0.lock().unwrap().push(v)
    }

    fn values(&self) -> Vec<f32> {
        self.0.lock().unwrap().clone()
    }

    /// Values never fall and end at 1.0 (a very short encode may finish before ffmpeg reports).
    fn assert_ends_at_one(&self) {
        let values = self.values();
        assert!(values.windows(2).all(|w| w[0] <= w[1]), "{values:?}");
        assert_eq!(values.last(), Some(&1.0), "{values:?}");
    }

    /// Values never fall, include some from ffmpeg's reports in between, and end at 1.0.
    fn assert_rising_to_one(&self) {
        let values = self.values();
        assert!(values.iter().any(|v| *v > 0.0 && *v < 1.0), "{values:?}");
        assert!(values.windows(2).all(|w| w[0] <= w[1]), "{values:?}");
        assert_eq!(values.last(), Some(&1.0), "{values:?}");
    }
}

/// Whether any process still has `needle` on its command line (to catch ffmpeg surviving a cancelled job).
fn process_mentions(needle: &str) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else { return false };
    entries.flatten().any(|entry| {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        String::from_utf8_lossy(&cmdline).contains(needle)
    })
}

/// The entries of `dir` (empty when it is missing).
fn entries(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}
