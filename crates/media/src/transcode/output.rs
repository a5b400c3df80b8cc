//! Where transcoded files are written: a staging folder beside the output, renamed into place only when
//! everything succeeded, so the output folder never holds half a job.

use std::path::{Path, PathBuf};

use super::ffmpeg::ToolError;

/// Why a transcode failed; [`TranscodeError::message_key`] names the message shown to the person.
#[derive(Debug, thiserror::Error)]
pub enum TranscodeError {
    /// [`transcode_video`](super::transcode_video) was given a source without a video stream.
    #[error("the source has no video stream")]
    NoVideo,
    /// An audio transcode was given a source without an audio stream.
    #[error("the source has no audio stream")]
    NoAudio,
    /// The output folder already holds files; jobs write into an empty or missing folder.
    #[error("the output folder {} is not empty", .0.display())]
    OutDirNotEmpty(PathBuf),
    /// ffmpeg failed at `step`; the source's message ends with the last lines of its stderr.
    #[error("{step}: {source}")]
    Ffmpeg {
        /// What was being made, e.g. "encoding the HLS ladder".
        step: &'static str,
        /// What ffmpeg said.
        source: ToolError,
    },
    /// Reading or writing local files failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// Why it failed.
        source: std::io::Error,
    },
}

impl TranscodeError {
    /// The Fluent key of the message for the person who uploaded the file.
    pub fn message_key(&self) -> &'static str {
        match self {
            TranscodeError::NoVideo => "media-error-no-video",
            TranscodeError::NoAudio => "media-error-no-audio",
            TranscodeError::Ffmpeg { .. } => "media-error-transcode-failed",
            TranscodeError::OutDirNotEmpty(_) | TranscodeError::Io { .. } => "media-error-internal",
        }
    }

    /// Wraps an ffmpeg failure with what it was making.
    pub(crate) fn ffmpeg(step: &'static str) -> impl FnOnce(ToolError) -> Self {
        move |source| TranscodeError::Ffmpeg { step, source }
    }
}

/// Adds what was being done to an I/O error.
pub(crate) trait IoContext<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, TranscodeError>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T, TranscodeError> {
        self.map_err(|source| TranscodeError::Io { context: context(), source })
    }
}

/// A temporary folder beside `out_dir` that becomes `out_dir` on [`Staging::commit`]. Dropped, it is deleted.
pub(crate) struct Staging {
    dir: tempfile::TempDir,
    out_dir: PathBuf,
}

impl Staging {
    /// Checks that `out_dir` is missing or empty and makes the staging folder in its parent.
    pub(crate) async fn new(out_dir: &Path) -> Result<Self, TranscodeError> {
        let out_dir = std::path::absolute(out_dir).context(|| format!("resolving {}", out_dir.display()))?;
        match tokio::fs::read_dir(&out_dir).await {
            Ok(mut entries) => {
                let first = entries.next_entry().await.context(|| format!("listing {}", out_dir.display()))?;
                if first.is_some() {
                    return Err(TranscodeError::OutDirNotEmpty(out_dir));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).context(|| format!("opening {}", out_dir.display())),
        }
        let parent = out_dir.parent().unwrap_or(Path::new("/")).to_path_buf();
        tokio::fs::create_dir_all(&parent).await.context(|| format!("creating {}", parent.display()))?;
        let dir = tempfile::Builder::new()
            .prefix(".transcode-")
            .tempdir_in(&parent)
            .context(|| format!("creating a staging folder in {}", parent.display()))?;
        Ok(Self { dir, out_dir })
    }

    /// The staging folder, where ffmpeg writes.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Moves the staged files into place as `out_dir`; returns their paths relative to it, and their total size.
    pub(crate) async fn commit(self) -> Result<(Vec<PathBuf>, u64), TranscodeError> {
        let out_dir = self.out_dir;
        // `new` saw it empty or missing; remove_dir refuses if someone has filled it since.
        match tokio::fs::remove_dir(&out_dir).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).context(|| format!("replacing {}", out_dir.display()));
            }
            _ => {}
        }
        let staged = self.dir.keep();
        if let Err(e) = tokio::fs::rename(&staged, &out_dir).await {
            let _ = tokio::fs::remove_dir_all(&staged).await;
            return Err(e).context(|| format!("moving the output into {}", out_dir.display()));
        }
        list_files(&out_dir).await
    }

    /// Deletes the staging folder without blocking the async runtime (large partial outputs take a moment).
    pub(crate) async fn discard(self) {
        let _ = tokio::task::spawn_blocking(move || drop(self.dir)).await;
    }
}

/// Every file under `root` (relative, sorted) and their total size.
pub(crate) async fn list_files(root: &Path) -> Result<(Vec<PathBuf>, u64), TranscodeError> {
    let mut files = Vec::new();
    let mut total = 0;
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let dir = root.join(&relative);
        let mut entries = tokio::fs::read_dir(&dir).await.context(|| format!("listing {}", dir.display()))?;
        while let Some(entry) = entries.next_entry().await.context(|| format!("listing {}", dir.display()))? {
            let meta = entry.metadata().await.context(|| format!("reading {}", entry.path().display()))?;
            let path = relative.join(entry.file_name());
            if meta.is_dir() {
                pending.push(path);
            } else {
                total += meta.len();
                files.push(path);
            }
        }
    }
    files.sort();
    Ok((files, total))
}

/// Runs `job` in a fresh [`Staging`] folder, committing it on success and deleting it on failure.
pub(crate) async fn staged<T>(
    out_dir: &Path,
    job: impl AsyncFnOnce(&Path) -> Result<T, TranscodeError>,
) -> Result<(T, Vec<PathBuf>, u64), TranscodeError> {
    let staging = Staging::new(out_dir).await?;
    match job(staging.path()).await {
        Ok(value) => {
            let (files, bytes) = staging.commit().await?;
            Ok((value, files, bytes))
        }
        Err(e) => {
            staging.discard().await;
            Err(e)
        }
    }
}
