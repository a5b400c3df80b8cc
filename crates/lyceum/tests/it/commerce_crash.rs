//! A worker killed (SIGKILL) in the middle of fulfilment: a real `lyceum worker` process takes
//! `order.paid` for a two-course bundle, enrols the buyer in the first course and is killed
//! while it writes the second. Nothing of the half-done job survives (it was one transaction);
//! once its lease runs out, a restarted worker takes the job back and finishes it exactly once.
//!
//! The pause is made without any test hook in the product: the test holds an uncommitted row
//! on the second course's grant key, so the worker's `insert … on conflict do nothing` waits for
//! it, mid-job, where the test can see it waiting in `pg_stat_activity`.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use sqlx::{Connection, Row};

use crate::{
    commerce_support::{buy, count, offer},
    courses_support::{events, published_course},
    media_support::storage_dir,
    support::{TestApp, scratch_dir},
};

/// A `lyceum worker` process on the test's database, with a 3-second lease.
fn start_worker(app: &TestApp) -> Child {
    Command::new(env!("CARGO_BIN_EXE_lyceum"))
        .arg("worker")
        .env("LYCEUM_DATABASE_URL", &app.owner_url)
        .env("LYCEUM_APP_DATABASE_URL", &app.app_url)
        .env("LYCEUM_STORAGE_DIR", storage_dir(app))
        .env("LYCEUM_JOB_LEASE_SECONDS", "3")
        .env("LYCEUM_LOG", "warn")
        .env("TMPDIR", scratch_dir("worker-tmp"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lyceum worker")
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

/// (status, locked_by, attempts) of the school's `commerce.grant_access` job.
async fn grant_job(app: &TestApp) -> (String, Option<String>, i32) {
    let mut conn = app.owner_conn().await;
    sqlx::query_as("select status, locked_by, attempts from jobs where kind = 'commerce.grant_access'")
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// Backends waiting on a lock while inserting a grant.
async fn waiting_grants(app: &TestApp) -> i64 {
    let mut conn = app.owner_conn().await;
    sqlx::query_scalar(
        "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
           and query ilike '%insert into access_grants%'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap()
}

async fn grant_backends(app: &TestApp) -> i64 {
    let mut conn = app.owner_conn().await;
    sqlx::query_scalar(
        "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
           and query ilike '%insert into access_grants%' and state = 'active'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_worker_killed_mid_fulfilment_is_finished_exactly_once_by_the_next() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let first = published_course(&app, &acme, "Washes", &[("Basics", &[("Welcome", "text")])]).await;
    let second = published_course(&app, &acme, "Greens", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "bundle", "one_time", 24_900, &[first.course.id, second.course.id]).await;
    // Everything the school's creation queued is done first, so the worker's only job is ours.
    app.run_jobs().await;

    let visitor = app.browser("acme");
    buy(&visitor, "bundle", "ana@example.com", &[]).await;
    let (order, user): (uuid::Uuid, uuid::Uuid) = {
        let mut conn = app.owner_conn().await;
        let row = sqlx::query("select id, user_id from orders").fetch_one(&mut conn).await.unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(grant_job(&app).await.0, "queued");

    // Hold the second course's grant key in an open transaction.
    let mut blocker = app.owner_conn().await;
    let mut hold = blocker.begin().await.unwrap();
    sqlx::query(
        "insert into access_grants (tenant_id, order_id, course_id, user_id, granted_at) values ($1, $2, $3, $4, now())",
    )
    .bind(acme.school.id)
    .bind(order)
    .bind(second.course.id)
    .bind(user)
    .execute(&mut *hold)
    .await
    .unwrap();

    let mut worker = start_worker(&app);
    wait_for("the worker to stop at the second course", Duration::from_secs(30), async || {
        (waiting_grants(&app).await == 1).then_some(())
    })
    .await;
    let (status, locked_by, attempts) = grant_job(&app).await;
    assert_eq!((status.as_str(), attempts), ("running", 1));
    assert!(locked_by.is_some());
    // Mid-job: the first course's enrolment is written but not committed, so nobody sees it.
    assert_eq!(count(&app, &acme, "select count(*) from enrollments where tenant_id = $1").await, 0);

    // SIGKILL: no shutdown, no release of its claim.
    worker.kill().unwrap();
    worker.wait().unwrap();
    hold.rollback().await.unwrap();
    // The killed worker's connection dies with its transaction.
    wait_for("the killed worker's transaction to end", Duration::from_secs(30), async || {
        (grant_backends(&app).await == 0).then_some(())
    })
    .await;
    assert_eq!(count(&app, &acme, "select count(*) from access_grants where tenant_id = $1").await, 0);
    assert_eq!(count(&app, &acme, "select count(*) from enrollments where tenant_id = $1").await, 0);
    assert_eq!(events(&app, &acme, "enrollment.created").await, 0);
    assert_eq!(grant_job(&app).await.0, "running", "the dead worker still holds its lease");

    // A restarted worker takes the job back once the lease runs out and finishes it.
    let mut restarted = start_worker(&app);
    let done = wait_for("the restarted worker to finish the job", Duration::from_secs(60), async || {
        let job = grant_job(&app).await;
        (job.0 == "done").then_some(job)
    })
    .await;
    restarted.kill().unwrap();
    restarted.wait().unwrap();
    assert_eq!(done.2, 2, "two attempts: the killed one and the one that finished");
    assert_ne!(done.1, locked_by, "another worker finished it");

    let check = async || {
        assert_eq!(count(&app, &acme, "select count(*) from access_grants where tenant_id = $1").await, 2);
        assert_eq!(
            count(
                &app,
                &acme,
                "select count(*) from enrollments where tenant_id = $1 and source = 'purchase' and revoked_at is null"
            )
            .await,
            2
        );
        assert_eq!(events(&app, &acme, "enrollment.created").await, 2, "once per course");
        assert_eq!(events(&app, &acme, "order.paid").await, 1);
        assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
    };
    check().await;

    // The other crash window: the handler committed but its worker died before marking the job
    // done. Running it again changes nothing.
    let mut conn = app.owner_conn().await;
    sqlx::query("update jobs set status = 'queued', locked_by = null, locked_at = null, run_at = now() where kind = 'commerce.grant_access'")
        .execute(&mut conn)
        .await
        .unwrap();
    app.run_jobs().await;
    assert_eq!(grant_job(&app).await.0, "done");
    check().await;
}
