//! The binary itself: its commands, the CLI's school and operator creation, JSON logs with
//! request ids, and a graceful stop on SIGTERM.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_lyceum");

fn run(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("LYCEUM_STORAGE_DIR", scratch_storage())
        .envs(env.iter().copied())
        .output()
        .expect("run lyceum");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn help_lists_every_command() {
    let (ok, help) = run(&["--help"], &[]);
    assert!(ok);
    for cmd in ["serve", "worker", "migrate", "demo", "tenant", "operator"] {
        assert!(help.contains(cmd), "--help lacks {cmd}: {help}");
    }
    let (_, tenant) = run(&["tenant", "--help"], &[]);
    assert!(tenant.contains("create") && tenant.contains("list"));
    let (_, serve) = run(&["serve", "--help"], &[]);
    assert!(serve.contains("--no-worker"));
}

#[test]
fn serve_over_https_refuses_the_development_key() {
    let (ok, out) = run(&["serve"], &[("LYCEUM_PUBLIC_SCHEME", "https"), ("LYCEUM_SECRET_KEY", "")]);
    assert!(!ok, "{out}");
    assert!(out.contains("LYCEUM_SECRET_KEY") && out.contains("openssl rand"), "says what to set and how: {out}");
}

/// A storage folder of the test's own, outside the source tree.
fn scratch_storage() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("lyceum-cli-{}", uuid::Uuid::new_v4().simple()))
}

fn fresh_db_url() -> String {
    format!("{}/lyceum_test_{}", kernel::testing::server_url(), uuid::Uuid::new_v4().simple())
}

#[test]
fn the_cli_migrates_creates_schools_and_operators() {
    let db = fresh_db_url();
    let env = [("LYCEUM_DATABASE_URL", db.as_str()), ("LYCEUM_OWNER_PASSWORD", "a long enough password")];
    let (ok, out) = run(&["migrate"], &env);
    assert!(ok, "{out}");
    let (ok, out) =
        run(&["tenant", "create", "--name", "Cli School", "--slug", "cli-school", "--owner-email", "o@cli.test"], &env);
    assert!(ok, "{out}");
    assert!(out.contains("cli-school.localhost"), "{out}");
    let (ok, out) =
        run(&["tenant", "create", "--name", "Again", "--slug", "cli-school", "--owner-email", "p@cli.test"], &env);
    assert!(!ok && out.contains("taken"), "{out}");
    let (ok, out) = run(&["tenant", "create", "--name", "", "--slug", "x", "--owner-email", "bad"], &env);
    assert!(!ok && out.contains("slug"), "validation messages are shown: {out}");
    let (ok, out) = run(&["tenant", "list"], &env);
    assert!(ok && out.contains("cli-school") && out.contains("Cli School"), "{out}");
    let (ok, out) = run(
        &["operator", "create", "--email", "ops@cli.test"],
        &[("LYCEUM_DATABASE_URL", db.as_str()), ("LYCEUM_OPERATOR_PASSWORD", "another long password")],
    );
    assert!(ok, "{out}");
}

#[test]
fn serve_logs_json_with_request_ids_and_stops_gracefully_on_sigterm() {
    let db = fresh_db_url();
    let (ok, out) = run(&["migrate"], &[("LYCEUM_DATABASE_URL", db.as_str())]);
    assert!(ok, "{out}");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bind = format!("127.0.0.1:{port}");
    let host = format!("localhost:{port}");
    let mut child = Command::new(BIN)
        .arg("serve")
        .env("LYCEUM_STORAGE_DIR", scratch_storage())
        .envs([
            ("LYCEUM_DATABASE_URL", db.as_str()),
            ("LYCEUM_BIND", bind.as_str()),
            ("LYCEUM_PLATFORM_HOST", host.as_str()),
            ("LYCEUM_LOG_FORMAT", "json"),
            ("LYCEUM_LOG", "info"),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = format!("http://127.0.0.1:{port}/healthz");
    let started = Instant::now();
    let res = loop {
        match rt.block_on(reqwest::get(&url)) {
            Ok(r) => break r,
            Err(_) if started.elapsed() < Duration::from_secs(20) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!("server did not start: {e}"),
        }
    };
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "server did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "exit status {status}");
    let lines: Vec<serde_json::Value> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .map(|l| serde_json::from_str(&l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    assert!(
        lines.iter().any(|l| l.to_string().contains(&request_id)),
        "a log line carries the request id {request_id}: {lines:#?}"
    );
    assert!(lines.iter().any(|l| l.to_string().contains("job worker stopped")), "the worker stopped cleanly");
}
