//! Scratch space on local disk for work on files (transcodes), swept when a worker starts.
//!
//! Each process gets one folder, `$TMPDIR/lyceum-scratch-<uid>/<pid>-<random>`, and holds an
//! exclusive `flock` on it for as long as it lives. The kernel drops that lock when the process
//! dies however it dies (SIGKILL included), so "the lock can be taken" is exactly "the owner is
//! gone": unlike a pid check, it cannot be fooled by a reused pid, and unlike an age rule it
//! never removes the folder of a long transcode that is still running.

use std::{
    fs::{File, TryLockError},
    io,
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
    sync::Mutex,
};

/// The folder holding every process's scratch folder.
pub fn root() -> PathBuf {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    std::env::temp_dir().join(format!("lyceum-scratch-{uid}"))
}

/// This process's scratch folder, created (and locked) on first use. Make temporary files and
/// folders inside it (`tempfile::Builder::new().tempdir_in(scratch::dir()?)`) so that whatever
/// a killed process leaves behind is found and removed by [`sweep`].
pub fn dir() -> io::Result<PathBuf> {
    static MINE: Mutex<Option<Held>> = Mutex::new(None);
    let mut mine = MINE.lock().unwrap_or_else(|e| e.into_inner());
    // Recreated if something removed it from under us (a tmp cleaner).
    if let Some(held) = mine.as_ref().filter(|h| h.still_there()) {
        return Ok(held.path.clone());
    }
    let held = Held::create(&root())?;
    let path = held.path.clone();
    *mine = Some(held);
    Ok(path)
}

/// Removes the scratch folders of processes that are gone; returns how many. Run when a worker
/// starts: what a killed worker was transcoding is taken up again by a new attempt in a new folder.
pub fn sweep() -> io::Result<usize> {
    sweep_in(&root())
}

/// A scratch folder and the open handle that keeps it locked.
struct Held {
    path: PathBuf,
    lock: File,
}

impl Held {
    fn create(root: &Path) -> io::Result<Self> {
        create_private_dir(root)?;
        // A sweeper may lock and remove a fresh folder before its creator locks it: then the
        // creator's lock fails, or it locks a removed folder; both are seen here and retried.
        for _ in 0..8 {
            let path = root.join(format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()));
            create_private_dir(&path)?;
            let lock = File::open(&path)?;
            match lock.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => continue,
                Err(TryLockError::Error(e)) => return Err(e),
            }
            let held = Self { path, lock };
            if held.still_there() {
                return Ok(held);
            }
        }
        Err(io::Error::other(format!("could not make a scratch folder in {}", root.display())))
    }

    /// Whether the path still names the folder this handle locks.
    fn still_there(&self) -> bool {
        match (std::fs::metadata(&self.path), self.lock.metadata()) {
            (Ok(now), Ok(locked)) => now.dev() == locked.dev() && now.ino() == locked.ino(),
            _ => false,
        }
    }
}

fn create_private_dir(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new().mode(0o700).create(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

fn sweep_in(root: &Path) -> io::Result<usize> {
    let entries = match std::fs::read_dir(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        other => other?,
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let Ok(folder) = File::open(&path) else { continue };
        // Held by a live process (this one included: a second handle does not share the lock).
        if folder.try_lock().is_err() {
            continue;
        }
        match std::fs::remove_dir_all(&path) {
            Ok(()) => removed += 1,
            Err(e) => tracing::warn!(error = %e, folder = %path.display(), "could not remove a stale scratch folder"),
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_folders_whose_owner_is_gone_are_swept() {
        let root = tempfile_root();
        let live = Held::create(&root).unwrap();
        std::fs::write(live.path.join("source"), b"in use").unwrap();
        let dead = Held::create(&root).unwrap();
        let dead_path = dead.path.clone();
        std::fs::create_dir(dead_path.join("hls")).unwrap();
        std::fs::write(dead_path.join("hls/seg-00001.ts"), b"left behind").unwrap();
        // Its owner dies: the lock goes with the process's open files.
        drop(dead);

        assert_eq!(sweep_in(&root).unwrap(), 1);
        assert!(!dead_path.exists(), "the dead owner's folder is removed");
        assert!(live.path.join("source").exists(), "a live owner's folder is kept");
        assert!(live.still_there());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_missing_root_sweeps_nothing_and_a_removed_folder_is_noticed() {
        let root = tempfile_root();
        assert_eq!(sweep_in(&root.join("absent")).unwrap(), 0);
        let held = Held::create(&root).unwrap();
        std::fs::remove_dir_all(&held.path).unwrap();
        assert!(!held.still_there());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn this_process_keeps_one_folder() {
        let (a, b) = (dir().unwrap(), dir().unwrap());
        assert_eq!(a, b);
        assert!(a.starts_with(root()));
        assert!(a.file_name().unwrap().to_string_lossy().starts_with(&format!("{}-", std::process::id())));
        sweep().unwrap();
        assert!(a.exists(), "a sweep never removes this process's own folder");
    }

    fn tempfile_root() -> PathBuf {
        let root = std::env::temp_dir().join(format!("lyceum-scratch-test-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir(&root).unwrap();
        root
    }
}
