//! Insights' rollups from learning events (each event counted exactly once, however often its
//! job runs) and the admin dashboard's learning numbers and activity feed.

use chrono::Duration;
use courses::enrollment;
use identity::Role;
use kernel::events::Event;
use reqwest::StatusCode;

use crate::{
    courses_support::{enroll, published_course},
    insights_support::{complete, quiz, rollup, stat},
    support::{PASSWORD, TestApp},
};

#[tokio::test]
async fn every_learning_event_is_counted_once_even_when_its_job_runs_again() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let ana = app.user(&acme, "Ana", "ana@acme.test", Role::Student).await;
    let ben = app.user(&acme, "Ben", "ben@acme.test", Role::Student).await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("One", "text"), ("Check", "quiz")])]).await;
    enroll(&app, &acme, ana.id, &c.course).await;
    enroll(&app, &acme, ben.id, &c.course).await;
    complete(&app, &acme, ana.id, c.lesson("One")).await;
    complete(&app, &acme, ben.id, c.lesson("One")).await;
    quiz(&app, &acme, ana.id, c.lesson("Check"), 40.0, false).await;
    quiz(&app, &acme, ana.id, c.lesson("Check"), 90.0, true).await;
    complete(&app, &acme, ana.id, c.lesson("Check")).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    enrollment::revoke(&app.state, &mut tx, ben.id, &c.course).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;

    let expected = [
        ("enrollments", 2),
        ("revocations", 1),
        ("lesson_completions", 3),
        ("completions", 1),
        ("quiz_attempts", 2),
        ("quiz_passes", 1),
        ("active_learners", 2),
    ];
    for (column, n) in expected {
        assert_eq!(rollup(&app, &acme, column).await, n, "{column}");
    }

    // Every insights job runs again, as after a worker crash: nothing moves.
    let mut owner = app.owner_conn().await;
    let requeued = sqlx::query(
        "update jobs set status = 'queued', run_at = now(), attempts = 0 where tenant_id = $1 and kind like 'insights.%'",
    )
    .bind(acme.school.id)
    .execute(&mut owner)
    .await
    .unwrap()
    .rows_affected();
    // Nine learning events, and the certificate the completed course earned.
    assert_eq!(requeued, 10, "one job per event");
    assert_eq!(app.run_jobs().await, 10);
    for (column, n) in expected {
        assert_eq!(rollup(&app, &acme, column).await, n, "{column} after the jobs ran twice");
    }

    // The same event handed in directly is refused as already counted.
    let (id, payload): (uuid::Uuid, serde_json::Value) =
        sqlx::query_as("select id, payload from events where tenant_id = $1 and kind = 'lesson.completed' limit 1")
            .bind(acme.school.id)
            .fetch_one(&mut owner)
            .await
            .unwrap();
    let event = Event {
        id: kernel::ids::EventId(id),
        kind: "lesson.completed".into(),
        payload,
        occurred_at: app.state.clock.now(),
        tenant: acme.school.id,
    };
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(!insights::rollup::record(&mut tx, &event, "UTC").await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(rollup(&app, &acme, "lesson_completions").await, 3);

    let (done, current): (i32, bool) = sqlx::query_as(
        "select required_done, revoked_at is null or revoked_at < enrolled_at from insights_learners
         where tenant_id = $1 and user_id = $2",
    )
    .bind(acme.school.id)
    .bind(ben.id)
    .fetch_one(&mut owner)
    .await
    .unwrap();
    assert_eq!((done, current), (1, false), "Ben did one lesson and lost access");
}

#[tokio::test]
async fn the_dashboard_shows_enrolments_active_learners_completions_and_what_students_did() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (status, empty) = owner.page("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty.contains("No learning activity yet"), "{empty}");
    assert!(empty.contains("text-zinc-800\">Create your first course"), "an open checklist step");
    assert_eq!(stat(&empty, "enrolments"), "0");

    let ana = app.user(&acme, "Ana", "ana@acme.test", Role::Student).await;
    let ben = app.user(&acme, "Ben", "ben@acme.test", Role::Student).await;
    let old = published_course(&app, &acme, "Old course", &[("Basics", &[("Intro", "text")])]).await;
    enroll(&app, &acme, ana.id, &old.course).await;
    app.run_jobs().await;
    // Forty days later the school is busier than in the month before.
    app.state.clock.advance(Duration::days(40));
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Exposure", "text")])]).await;
    enroll(&app, &acme, ana.id, &c.course).await;
    enroll(&app, &acme, ben.id, &c.course).await;
    complete(&app, &acme, ana.id, c.lesson("Exposure")).await;
    app.state.clock.advance(Duration::hours(2));
    app.run_jobs().await;

    let (_, page) = owner.page("/admin").await;
    let page = page.replace("&#x2f;", "/");
    assert_eq!(stat(&page, "enrolments"), "2", "enrolments of the last 30 days");
    assert!(page.contains("+100%"), "twice the month before: {page}");
    assert_eq!(stat(&page, "active"), "1", "Ana learned this week");
    assert!(page.contains("1 in the last 30 days"));
    assert_eq!(stat(&page, "completions"), "1", "Ana finished Light (its only lesson)");
    assert!(page.contains("1 lesson done"));
    assert!(page.contains("Ana completed Exposure"), "{page}");
    assert!(page.contains("Ana finished Light"));
    assert!(page.contains("Ben enrolled in Light"));
    assert!(page.contains("2 h ago"));
    assert!(page.contains(&format!("/admin/courses/{}/analytics", c.course.id)), "the feed links to the course");
    assert!(page.contains("line-through\">Create your first course"), "the step is done");
    assert!(page.contains("<svg viewBox=\"0 0 300 100\""), "thirty days of columns");

    // An instructor sees the numbers and shortcuts, with courses among them.
    app.user(&acme, "Ivy", "ivy@acme.test", Role::Instructor).await;
    let ivy = app.browser("acme");
    ivy.login("ivy@acme.test", PASSWORD).await;
    let (_, page) = ivy.page("/admin").await;
    assert!(page.contains("Build and update your courses"));
    assert_eq!(stat(&page, "enrolments"), "2");
}
