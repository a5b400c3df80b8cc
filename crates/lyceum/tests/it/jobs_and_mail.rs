//! The job queue, the outbox, and mail delivery over real SMTP.

use std::time::Duration;

use kernel::jobs::{self, NewJob};
use serde_json::json;

use crate::support::TestApp;

async fn job_row(app: &TestApp, tenant: kernel::TenantId, kind: &str) -> (String, i32, Option<String>) {
    let mut tx = app.state.db.tenant(tenant).await.unwrap();
    let row = sqlx::query_as("select status, attempts, last_error from jobs where tenant_id = $1 and kind = $2")
        .bind(tenant)
        .bind(kind)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    row
}

async fn make_due(app: &TestApp, tenant: kernel::TenantId) {
    let mut tx = app.state.db.tenant(tenant).await.unwrap();
    sqlx::query("update jobs set run_at = now() where tenant_id = $1 and status = 'queued'")
        .bind(tenant)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_panicking_job_is_retried_with_backoff_and_then_declared_dead() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    // No handler is registered for this kind, so every attempt fails; the panic path is
    // covered below with a registered handler.
    jobs::enqueue(&mut tx, NewJob::new("test.unknown", json!({})).attempts(2)).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    let (status, attempts, err) = job_row(&app, acme.school.id, "test.unknown").await;
    assert_eq!((status.as_str(), attempts), ("queued", 1), "retried later, not lost");
    assert!(err.unwrap().contains("no handler"));
    make_due(&app, acme.school.id).await;
    app.run_jobs().await;
    let (status, attempts, _) = job_row(&app, acme.school.id, "test.unknown").await;
    assert_eq!((status.as_str(), attempts), ("dead", 2));
}

#[tokio::test]
async fn a_job_that_panics_is_not_lost() {
    let mut wiring = lyceum::app::wiring();
    wiring.jobs.register("test.panics", |_, job: kernel::jobs::Job| async move {
        if job.attempt == 1 {
            panic!("boom on the first attempt");
        }
        Ok(())
    });
    let app = TestApp::new().await;
    let state = kernel::AppState::new(app.state.config.clone(), app.state.db.clone(), wiring, app.dns.clone()).unwrap();
    let acme = app.school("acme").await;
    let mut tx = state.db.tenant(acme.school.id).await.unwrap();
    jobs::enqueue(&mut tx, NewJob::new("test.panics", json!({}))).await.unwrap();
    tx.commit().await.unwrap();
    jobs::run_due(&state, "w", 10).await.unwrap();
    let (status, attempts, err) = job_row(&app, acme.school.id, "test.panics").await;
    assert_eq!((status.as_str(), attempts), ("queued", 1));
    assert!(err.unwrap().contains("boom on the first attempt"));
    make_due(&app, acme.school.id).await;
    jobs::run_due(&state, "w", 10).await.unwrap();
    let (status, attempts, _) = job_row(&app, acme.school.id, "test.panics").await;
    assert_eq!((status.as_str(), attempts), ("done", 2));
}

#[tokio::test]
async fn scheduled_jobs_wait_for_their_time_and_idempotency_keys_dedupe() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let first = jobs::enqueue(&mut tx, NewJob::new("test.later", json!({})).at(later).key("k1")).await.unwrap();
    let second = jobs::enqueue(&mut tx, NewJob::new("test.later", json!({})).at(later).key("k1")).await.unwrap();
    tx.commit().await.unwrap();
    assert!(first.is_some() && second.is_none());
    app.run_jobs().await;
    let (status, attempts, _) = job_row(&app, acme.school.id, "test.later").await;
    assert_eq!((status.as_str(), attempts), ("queued", 0), "not run before run_at");
}

#[tokio::test]
async fn recurring_schedules_enqueue_a_job_each_interval() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    jobs::schedule_recurring(
        &mut tx,
        "mail.send",
        json!({"id": uuid::Uuid::nil(), "recurring": true}),
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    app.run_jobs().await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (runs, next): (i64, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
        "select (select count(*) from jobs where tenant_id = $1 and payload ? 'recurring' and status = 'done'),
                (select next_run_at from job_schedules where tenant_id = $1)",
    )
    .bind(acme.school.id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!(runs, 1, "once per interval, not once per worker pass");
    assert!(next > chrono::Utc::now() + chrono::Duration::minutes(50));
}

#[tokio::test]
async fn mail_goes_out_over_smtp_when_configured() {
    let sink = kernel::testing::smtp::start().await.unwrap();
    let url = sink.url.clone();
    let app = TestApp::with(|c| c.smtp_url = Some(url.as_str().into())).await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    b.post_form("/signup", &[("name", "Sam"), ("email", "sam@example.test"), ("password", crate::support::PASSWORD)])
        .await;
    app.run_jobs().await;
    let received = sink.received.lock().unwrap().clone();
    let verify = received
        .iter()
        .find(|m| m.to == vec!["sam@example.test".to_string()] && m.data.contains("Confirm your email"))
        .expect("verification email received over SMTP");
    assert!(verify.data.contains("text/plain") && verify.data.contains("text/html"));
    assert!(verify.data.contains("School acme"));
    let mails = app.mails(&acme).await;
    assert!(mails.iter().filter(|m| m.to_email == "sam@example.test").all(|m| m.status == "sent"));
}

#[tokio::test]
async fn events_reach_their_subscribers_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.run_jobs().await;
    app.user(&acme, "Ed", "ed@acme.test", identity::Role::Student).await;
    app.run_jobs().await;
    app.run_jobs().await;
    let welcomes = app.mails(&acme).await.into_iter().filter(|m| m.template == "identity/mail/welcome").count();
    assert_eq!(welcomes, 1);
}

#[tokio::test]
async fn a_stopping_worker_hands_its_claimed_jobs_back() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.run_jobs().await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    jobs::enqueue(&mut tx, NewJob::new("test.claimed", json!({}))).await.unwrap();
    tx.commit().await.unwrap();
    // Simulate a worker that claimed the job and is told to stop before finishing it.
    let mut ptx = app.state.db.platform().await.unwrap();
    sqlx::query(
        "update jobs set status = 'running', locked_by = 'w-stopping', locked_at = now(), attempts = 1
         where kind = 'test.claimed'",
    )
    .execute(&mut *ptx)
    .await
    .unwrap();
    ptx.commit().await.unwrap();
    assert_eq!(jobs::release_claimed(&app.state, "w-stopping").await.unwrap(), 1);
    let (status, attempts, _) = job_row(&app, acme.school.id, "test.claimed").await;
    assert_eq!((status.as_str(), attempts), ("queued", 0), "back in the queue, the attempt not counted");

    // A worker that vanished without saying so: its job is released once its lease runs out,
    // by the next worker that looks for work, not half an hour later.
    let mut ptx = app.state.db.platform().await.unwrap();
    sqlx::query(
        "update jobs set status = 'running', locked_by = 'w-dead', attempts = 1,
           lease_until = now() + interval '1 minute' where kind = 'test.claimed'",
    )
    .execute(&mut *ptx)
    .await
    .unwrap();
    ptx.commit().await.unwrap();
    assert_eq!(jobs::release_expired(&app.state).await.unwrap(), 0, "its lease still runs");
    let mut ptx = app.state.db.platform().await.unwrap();
    sqlx::query("update jobs set lease_until = now() - interval '1 second' where kind = 'test.claimed'")
        .execute(&mut *ptx)
        .await
        .unwrap();
    ptx.commit().await.unwrap();
    app.run_jobs().await;
    let (status, attempts, err) = job_row(&app, acme.school.id, "test.claimed").await;
    assert_eq!((status.as_str(), attempts), ("queued", 2), "taken back and run again (no handler: retried later)");
    assert!(err.unwrap().contains("no handler"), "the second attempt ran");
}

#[tokio::test]
async fn the_worker_loop_runs_jobs_as_they_arrive_and_stops_on_request() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (handle, stop) = lyceum::app::spawn_worker(app.state.clone());
    app.user(&acme, "Wen", "wen@acme.test", identity::Role::Student).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let mails = app.mails(&acme).await;
        if mails.iter().any(|m| m.template == "identity/mail/welcome" && m.status == "kept") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the worker did not deliver the welcome mail");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(10), handle).await.expect("worker stops").unwrap();
}
