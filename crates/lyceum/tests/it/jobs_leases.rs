//! Claims are leases renewed by the runner: a long job keeps its worker, a job taken back stops,
//! and a worker killed in the middle of a transcode takes its ffmpeg with it, gives its job to
//! another worker within a lease, and leaves no temporary folder behind once a worker starts.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use kernel::jobs::{self, NewJob};
use serde_json::json;

use crate::{
    media_support::{ffmpeg, media_of, storage_dir, upload},
    support::{PASSWORD, TestApp, scratch_dir},
};

/// Sets its flag when dropped: tells whether a handler's future was cancelled.
struct Dropped(Arc<AtomicBool>);

impl Drop for Dropped {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

async fn job_state(app: &TestApp, id: kernel::ids::JobId) -> (String, Option<String>, i32) {
    let mut tx = app.state.db.platform().await.unwrap();
    let row = sqlx::query_as("select status, locked_by, attempts from jobs where id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    row
}

#[tokio::test]
async fn the_runner_keeps_a_long_job_leased_and_stops_it_when_another_worker_takes_it() {
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = dropped.clone();
    let app = TestApp::with_wiring(
        |c| c.job_lease = Duration::from_secs(1),
        move |w| {
            w.jobs.register("test.slow", move |_, job: jobs::Job| {
                let guard = Dropped(flag.clone());
                async move {
                    let ms = job.payload["ms"].as_u64().unwrap();
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    std::mem::forget(guard);
                    Ok(())
                }
            })
        },
    )
    .await;
    let s = app.school("acme").await;
    app.run_jobs().await;
    let enqueue = async |ms: u64| {
        let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
        let id = jobs::enqueue(&mut tx, NewJob::new("test.slow", json!({ "ms": ms }))).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        id
    };

    // Three leases long, and no keep-alive in the handler: the runner renews it, so a second
    // worker looking for work in the middle finds nothing to take back.
    let id = enqueue(3000).await;
    let first = tokio::spawn({
        let state = app.state.clone();
        async move { jobs::run_due(&state, "w1", 10).await.unwrap() }
    });
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(jobs::run_due(&app.state, "w2", 10).await.unwrap(), 0);
    assert_eq!(first.await.unwrap(), 1);
    assert_eq!(job_state(&app, id).await, ("done".into(), Some("w1".into()), 1));

    // Taken back from w1 (as after a stall past its lease) and given to w2: w1's next renewal
    // finds it no longer holds the job, cancels the handler and records nothing.
    let id = enqueue(60_000).await;
    let first = tokio::spawn({
        let state = app.state.clone();
        async move { jobs::run_due(&state, "w1", 10).await.unwrap() }
    });
    wait_for("w1 runs the job", Duration::from_secs(10), async || {
        (job_state(&app, id).await.0 == "running").then_some(())
    })
    .await;
    let mut tx = app.state.db.platform().await.unwrap();
    sqlx::query("update jobs set locked_by = 'w2' where id = $1").bind(id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), first).await.expect("w1 stops within a renewal").unwrap();
    assert!(dropped.load(Ordering::SeqCst), "the handler was cancelled");
    assert_eq!(job_state(&app, id).await, ("running".into(), Some("w2".into()), 1), "w2's job is untouched");
}

/// A running `lyceum worker` process on the test's database and storage, with a 3-second lease
/// and its own temporary folder.
fn start_worker(app: &TestApp, tmp: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_lyceum"))
        .arg("worker")
        .env("LYCEUM_DATABASE_URL", &app.owner_url)
        .env("LYCEUM_APP_DATABASE_URL", &app.app_url)
        .env("LYCEUM_STORAGE_DIR", storage_dir(app))
        .env("LYCEUM_JOB_LEASE_SECONDS", "3")
        .env("LYCEUM_LOG", "warn")
        .env("TMPDIR", tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lyceum worker")
}

/// (name, state, parent pid) of a process, from `/proc/<pid>/stat`.
fn proc_stat(pid: u32) -> Option<(String, char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    let mut rest = stat[close + 2..].split(' ');
    let state = rest.next()?.chars().next()?;
    Some((stat[open + 1..close].to_string(), state, rest.next()?.parse().ok()?))
}

/// Whether a process runs (a zombie waiting to be reaped has stopped running).
fn running(pid: u32) -> bool {
    proc_stat(pid).is_some_and(|(_, state, _)| !matches!(state, 'Z' | 'X'))
}

fn child_named(parent: u32, name: &str) -> Option<u32> {
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| proc_stat(*pid).is_some_and(|(n, s, p)| n == name && p == parent && s != 'Z'))
}

/// Scratch folders under `tmp` belonging to process `pid`.
fn scratch_of(tmp: &Path, pid: u32) -> Vec<PathBuf> {
    let Ok(roots) = std::fs::read_dir(tmp) else { return vec![] };
    roots
        .flatten()
        .filter(|r| r.file_name().to_string_lossy().starts_with("lyceum-scratch-"))
        .filter_map(|r| std::fs::read_dir(r.path()).ok())
        .flatten()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().starts_with(&format!("{pid}-")))
        .map(|f| f.path())
        .collect()
}

async fn wait_for<T>(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(Instant::now() < deadline, "{what} within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_killed_worker_takes_its_ffmpeg_along_and_its_job_and_folder_are_taken_back() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    // Ten minutes of video, made in a second: a short clip repeated without re-encoding.
    let short = ffmpeg(
        "short.mp4",
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=640x360:rate=25",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440",
            "-t",
            "5",
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-crf",
            "40",
            "-c:a",
            "aac",
            "-shortest",
        ],
    );
    let long = ffmpeg("long.mp4", &["-stream_loop", "119", "-i", short.to_str().unwrap(), "-c", "copy"]);
    let location = upload(&b, &std::fs::read(long).unwrap(), "lecture.mp4", "video/mp4", None).await;
    let mut tx = app.state.db.platform().await.unwrap();
    let job: kernel::ids::JobId =
        sqlx::query_scalar("select id from jobs where kind = 'media.process'").fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();

    let tmp = scratch_dir("worker-tmp");
    let mut first = start_worker(&app, &tmp);
    let first_pid = first.id();
    let transcoding =
        wait_for("the first worker starts ffmpeg", Duration::from_secs(60), async || child_named(first_pid, "ffmpeg"))
            .await;
    let (status, first_id, attempts) = job_state(&app, job).await;
    assert_eq!((status.as_str(), attempts), ("running", 1));
    assert_eq!(scratch_of(&tmp, first_pid).len(), 1, "the transcode works in the worker's scratch folder");

    first.kill().unwrap();
    first.wait().unwrap();
    let killed = Instant::now();
    wait_for("ffmpeg dies with its worker", Duration::from_secs(5), async || (!running(transcoding)).then_some(()))
        .await;
    assert_eq!(job_state(&app, job).await.0, "running", "the dead worker's lease has not run out yet");

    let mut second = start_worker(&app, &tmp);
    wait_for("the next worker removes the dead worker's folder", Duration::from_secs(10), async || {
        scratch_of(&tmp, first_pid).is_empty().then_some(())
    })
    .await;
    let (_, second_id, attempts) = wait_for("another worker takes the job", Duration::from_secs(20), async || {
        let state = job_state(&app, job).await;
        (state.0 == "running" && state.1 != first_id).then_some(state)
    })
    .await;
    // The 3-second lease, a one-second poll, and the new worker's start on a busy machine.
    assert!(killed.elapsed() < Duration::from_secs(15), "taken within the lease and a few seconds");
    assert!(second_id.is_some());
    assert_eq!(attempts, 2);
    assert_eq!(media_of(&app, &s, &location).await.status, "processing");
    second.kill().unwrap();
    second.wait().unwrap();
}
