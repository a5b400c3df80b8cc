//! Child processes (ffmpeg, ffprobe) that die with the program that started them.
//!
//! A worker killed with SIGKILL runs no destructors, so `kill_on_drop` alone would leave its
//! ffmpeg running to the end as an orphan. On Linux each child therefore asks the kernel for a
//! parent-death signal (`PR_SET_PDEATHSIG`, SIGKILL). That signal is tied to the *thread* that
//! forked the child, not to the process: a child forked from a runtime thread that later exits
//! (tokio's blocking threads do after ten idle seconds, and so does a worker thread left by
//! `block_in_place`) would be killed while its job is healthy. So every child is forked by one
//! spawner thread that lives as long as the process, and the signal then means exactly "the
//! program is gone".

use std::{
    ffi::OsStr,
    io,
    sync::{OnceLock, mpsc},
};

use tokio::process::{Child, Command};

/// A command for `program`, killed when dropped and, on Linux, when this process dies.
/// Start it with [`spawn`], not `Command::spawn`, so that the death signal holds.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.kill_on_drop(true);
    #[cfg(target_os = "linux")]
    {
        let parent = std::process::id();
        // SAFETY: between fork and exec only async-signal-safe calls are allowed; prctl and
        // getppid are plain system calls and the closure allocates nothing.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // The parent may have died between fork and prctl: then nobody would send the
                // signal, and the child must not start at all.
                if libc::getppid() as u32 != parent {
                    return Err(io::Error::other("the parent process exited before the child started"));
                }
                Ok(())
            });
        }
    }
    cmd
}

type Request = (Command, tokio::runtime::Handle, tokio::sync::oneshot::Sender<io::Result<Child>>);

/// Starts `cmd` (made by [`command`]) from the long-lived spawner thread.
pub async fn spawn(cmd: Command) -> io::Result<Child> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    spawner()?
        .send((cmd, tokio::runtime::Handle::current(), reply))
        .map_err(|_| io::Error::other("the process spawner thread has stopped"))?;
    answer.await.map_err(|_| io::Error::other("the process spawner thread has stopped"))?
}

fn spawner() -> io::Result<&'static mpsc::Sender<Request>> {
    static SPAWNER: OnceLock<mpsc::Sender<Request>> = OnceLock::new();
    if let Some(s) = SPAWNER.get() {
        return Ok(s);
    }
    let (tx, rx) = mpsc::channel::<Request>();
    let started = std::thread::Builder::new().name("lyceum-spawner".into()).spawn(move || {
        // The sender lives in a static, so this loop, and the thread, last as long as the process.
        for (mut cmd, runtime, reply) in rx {
            // tokio registers the child with the caller's runtime (its reaper and SIGCHLD handler).
            let _guard = runtime.enter();
            let _ = reply.send(cmd.spawn());
        }
    });
    match started {
        Ok(_) => Ok(SPAWNER.get_or_init(|| tx)),
        // Another thread won the race and its spawner serves us too; this one ends with `rx`.
        Err(e) => SPAWNER.get().ok_or(e),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn children_run_and_report_their_output() {
        let mut cmd = command("sh");
        cmd.args(["-c", "echo hello"]).stdout(std::process::Stdio::piped());
        let out = spawn(cmd).await.unwrap().wait_with_output().await.unwrap();
        assert!(out.status.success());
        assert_eq!(out.stdout, b"hello\n");
    }

    #[tokio::test]
    async fn a_missing_program_is_an_error_not_a_panic() {
        let err = spawn(command("/nonexistent/lyceum-tool")).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    /// Run only by [`a_child_dies_with_its_parent`], in a process of its own: starts a child,
    /// says its pid and waits to be killed.
    #[tokio::test]
    async fn parent_of_a_sleeping_child() {
        if std::env::var_os(PARENT_ROLE).is_none() {
            return;
        }
        let mut cmd = command("sleep");
        cmd.arg("60").stdout(std::process::Stdio::null());
        let child = spawn(cmd).await.unwrap();
        println!("child {}", child.id().unwrap());
        tokio::time::sleep(Duration::from_secs(60)).await;
    }

    const PARENT_ROLE: &str = "LYCEUM_TEST_PARENT_OF_A_SLEEPING_CHILD";

    #[cfg(target_os = "linux")]
    #[test]
    fn a_child_dies_with_its_parent() {
        use std::io::BufRead;
        let mut parent = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "process::tests::parent_of_a_sleeping_child", "--nocapture"])
            .env(PARENT_ROLE, "1")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let lines = std::io::BufReader::new(parent.stdout.take().unwrap()).lines();
        let child = lines
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("child ").map(|pid| pid.to_string()))
            .expect("the parent started its child");
        // SIGKILL: the parent runs no destructor, so only the death signal can stop the child.
        parent.kill().unwrap();
        parent.wait().unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            // Gone, or a zombie waiting for init to reap it.
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).unwrap_or_default();
            if stat.rsplit_once(") ").is_none_or(|(_, rest)| rest.starts_with('Z')) {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the child outlived its parent: {stat}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_child_outlives_the_thread_that_asked_for_it() {
        // Asked for from a blocking thread that then ends: the child must keep running, because
        // the death signal follows the spawner thread, not the asking one.
        let runtime = tokio::runtime::Handle::current();
        let mut child = std::thread::spawn(move || {
            let mut cmd = command("sleep");
            cmd.arg("5");
            runtime.block_on(spawn(cmd)).unwrap()
        })
        .join()
        .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(child.try_wait().unwrap().is_none(), "the child was killed with the asking thread");
        child.kill().await.unwrap();
    }
}
