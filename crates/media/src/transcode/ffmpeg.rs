//! Running ffmpeg and ffprobe: killed with the future or with the worker ([`kernel::process`]), progress
//! read from `-progress pipe:1`, and the tail of stderr kept for error messages.

use std::ffi::OsString;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use kernel::process;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};

/// How much of a tool's stderr an error keeps: the last lines say what went wrong.
const STDERR_TAIL: usize = 2048;

/// ffmpeg or ffprobe could not be run, or it failed.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// The program could not be started (not installed, out of processes…).
    #[error("could not start {tool}: {source}")]
    Spawn {
        /// `ffmpeg` or `ffprobe`.
        tool: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// Reading its output failed.
    #[error("reading {tool}'s output: {source}")]
    Output {
        /// `ffmpeg` or `ffprobe`.
        tool: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// It exited with an error; `stderr` holds its last lines (at most 2 KiB).
    #[error("{tool} failed ({status}): {stderr}")]
    Failed {
        /// `ffmpeg` or `ffprobe`.
        tool: &'static str,
        /// How it exited.
        status: ExitStatus,
        /// The end of what it printed on stderr.
        stderr: String,
    },
    /// It ran longer than allowed and was killed.
    #[error("{tool} did not finish within {limit:?}")]
    TimedOut {
        /// `ffmpeg` or `ffprobe`.
        tool: &'static str,
        /// The limit it passed.
        limit: Duration,
    },
}

/// The demuxers an upload may be opened with. Others are refused: an HLS playlist or a concat list renamed
/// `.mp4` would make ffmpeg open the local files or URLs it names and copy them into our output.
const ALLOWED_DEMUXERS: &str = "mov,matroska,avi,mpegts,mpeg,flv,asf,mp3,aac,wav,w64,aiff,ogg,flac,caf,amr,mxf,dv";

/// The options that open an uploaded file: only the [`ALLOWED_DEMUXERS`], only local files, and the path
/// made absolute and marked as a file so that no part of it reads as a protocol or an option.
pub(crate) fn input(path: &Path) -> std::io::Result<Vec<OsString>> {
    let mut file = OsString::from("file:");
    file.push(std::path::absolute(path)?);
    Ok(vec![
        "-format_whitelist".into(),
        ALLOWED_DEMUXERS.into(),
        "-protocol_whitelist".into(),
        "file".into(),
        "-i".into(),
        file,
    ])
}

/// What a successful ffmpeg run left behind.
#[derive(Debug, Default)]
pub(crate) struct FfmpegRun {
    /// The last `out_time_us` it reported: how far the output got, in microseconds.
    pub out_time_us: i64,
    /// The end of its stderr (warnings and errors at `-v error`).
    pub stderr: String,
}

/// Runs ffmpeg with `args` (the progress, logging and stdin options are added here), calling `on_time` with
/// each `out_time_us` it reports.
pub(crate) async fn ffmpeg(args: Vec<OsString>, on_time: &mut (dyn FnMut(i64) + Send)) -> Result<FfmpegRun, ToolError> {
    const TOOL: &str = "ffmpeg";
    let mut cmd = process::command(TOOL);
    cmd.args(["-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-y"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = process::spawn(cmd).await.map_err(|source| ToolError::Spawn { tool: TOOL, source })?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");

    let read_progress = async {
        let mut lines = BufReader::new(stdout).lines();
        let mut last = 0;
        while let Some(line) = lines.next_line().await? {
            // `out_time_ms` is in microseconds too (an old ffmpeg misnomer); either will do.
            let value = line.strip_prefix("out_time_us=").or_else(|| line.strip_prefix("out_time_ms="));
            if let Some(us) = value.and_then(|v| v.trim().parse::<i64>().ok()).filter(|us| *us > last) {
                last = us;
                on_time(us);
            }
        }
        Ok::<_, std::io::Error>(last)
    };
    let (out_time_us, stderr, status) = tokio::join!(read_progress, read_tail(stderr), child.wait());
    let output_error = |source| ToolError::Output { tool: TOOL, source };
    let (out_time_us, stderr, status) = (out_time_us.map_err(output_error)?, stderr.map_err(output_error)?, status);
    let status = status.map_err(output_error)?;
    if !status.success() {
        return Err(ToolError::Failed { tool: TOOL, status, stderr });
    }
    Ok(FfmpegRun { out_time_us, stderr })
}

/// What a successful ffprobe run printed.
#[derive(Debug)]
pub(crate) struct FfprobeRun {
    /// Everything on stdout (the JSON).
    pub stdout: Vec<u8>,
    /// The end of its stderr (warnings included when asked for with `-loglevel warning`).
    pub stderr: String,
}

/// Runs ffprobe with `args` for at most `limit`. Pass the log level in `args`.
pub(crate) async fn ffprobe(args: Vec<OsString>, limit: Duration) -> Result<FfprobeRun, ToolError> {
    const TOOL: &str = "ffprobe";
    let mut cmd = process::command(TOOL);
    cmd.arg("-hide_banner").args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = process::spawn(cmd).await.map_err(|source| ToolError::Spawn { tool: TOOL, source })?;
    let output = tokio::time::timeout(limit, child.wait_with_output())
        .await
        .map_err(|_| ToolError::TimedOut { tool: TOOL, limit })?
        .map_err(|source| ToolError::Output { tool: TOOL, source })?;
    let stderr = tail_text(&output.stderr);
    if !output.status.success() {
        return Err(ToolError::Failed { tool: TOOL, status: output.status, stderr });
    }
    Ok(FfprobeRun { stdout: output.stdout, stderr })
}

/// Reads a stream to its end, keeping only the last [`STDERR_TAIL`] bytes.
async fn read_tail(stream: impl AsyncRead + Unpin) -> std::io::Result<String> {
    let mut reader = BufReader::new(stream);
    let mut kept = Vec::with_capacity(2 * STDERR_TAIL);
    let mut chunk = [0u8; 4096];
    loop {
        let n = reader.read(&mut chunk).await?;
        if n == 0 {
            return Ok(tail_text(&kept));
        }
        kept.extend_from_slice(&chunk[..n]);
        if kept.len() > 2 * STDERR_TAIL {
            kept.drain(..kept.len() - STDERR_TAIL);
        }
    }
}

/// The last [`STDERR_TAIL`] bytes as text, starting at a line boundary when one is near.
fn tail_text(bytes: &[u8]) -> String {
    let start = bytes.len().saturating_sub(STDERR_TAIL);
    let mut tail = &bytes[start..];
    if start > 0
        && let Some(newline) = tail.iter().position(|b| *b == b'\n')
    {
        tail = &tail[newline + 1..];
    }
    String::from_utf8_lossy(tail).trim().to_owned()
}

/// Turns the caller's callback into a well-behaved progress report: values only rise, stay within 0..=1,
/// and arrive at most four times a second (the final 1.0 always gets through).
pub(crate) struct Progress<'a> {
    callback: &'a (dyn Fn(f32) + Send + Sync),
    last_value: f32,
    last_at: Option<Instant>,
}

impl<'a> Progress<'a> {
    const MIN_INTERVAL: Duration = Duration::from_millis(250);

    pub(crate) fn new(callback: &'a (dyn Fn(f32) + Send + Sync)) -> Self {
        Self { callback, last_value: 0.0, last_at: None }
    }

    /// Reports `value` if it is higher than the last one and the last report is old enough.
    pub(crate) fn report(&mut self, value: f32) {
        let value = value.clamp(0.0, 1.0);
        if value <= self.last_value && self.last_at.is_some() {
            return;
        }
        if value < 1.0 && self.last_at.is_some_and(|at| at.elapsed() < Self::MIN_INTERVAL) {
            return;
        }
        self.last_value = value;
        self.last_at = Some(Instant::now());
        (self.callback)(value);
    }

    /// Reports how far a step that covers `from..to` of the whole job has come, given `done_us` of `total_us`.
    pub(crate) fn step(&mut self, from: f32, to: f32, done_us: i64, total_us: i64) {
        let fraction = if total_us > 0 { (done_us as f64 / total_us as f64).clamp(0.0, 1.0) as f32 } else { 0.0 };
        self.report(from + (to - from) * fraction);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn progress_rises_is_throttled_and_always_ends() {
        let seen = Mutex::new(Vec::new());
        let callback = |v: f32| seen.lock().unwrap().push(v);
        let mut progress = Progress::new(&callback);
        progress.report(0.1);
        progress.report(0.05); // lower: dropped
        progress.report(0.2); // too soon: dropped
        progress.report(7.0); // clamped to 1.0, and the end always passes
        assert_eq!(*seen.lock().unwrap(), [0.1, 1.0]);
    }

    #[test]
    fn progress_steps_map_into_their_range() {
        let seen = Mutex::new(Vec::new());
        let callback = |v: f32| seen.lock().unwrap().push(v);
        let mut progress = Progress::new(&callback);
        progress.step(0.5, 0.9, 50, 100);
        assert_eq!(*seen.lock().unwrap(), [0.7]);
    }

    #[test]
    fn stderr_tail_is_bounded_and_starts_on_a_line() {
        let mut text = String::new();
        for i in 0..500 {
            text.push_str(&format!("line {i}: something went wrong\n"));
        }
        let tail = tail_text(text.as_bytes());
        assert!(tail.len() <= STDERR_TAIL);
        assert!(tail.starts_with("line "), "{tail}");
        assert!(tail.ends_with("line 499: something went wrong"));
    }

    #[tokio::test]
    async fn a_failing_ffmpeg_reports_its_stderr() {
        let err = ffmpeg(vec!["-i".into(), "/nonexistent/lyceum-input.mp4".into()], &mut |_| {}).await.unwrap_err();
        let message = err.to_string();
        assert!(message.contains("No such file or directory"), "{message}");
    }
}
