//! Drip-unlock emails (once per lesson, opt-out respected, at the application's clock) and the
//! operator's demo clock.

use chrono::Duration;
use identity::Role;
use kernel::jobs::{self, NewJob};
use reqwest::StatusCode;

use crate::{
    courses_support::{enroll, exec, published_course},
    operator::operator,
    support::{PASSWORD, TestApp, TestSchool, location},
};

/// Runs the school's unlock check as the hourly schedule would.
async fn run_unlock_check(app: &TestApp, school: &TestSchool) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let key = uuid::Uuid::now_v7().to_string();
    jobs::enqueue(&mut tx, NewJob::new(courses::unlock::KIND, serde_json::json!({})).key(key)).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
}

async fn unlock_mails(app: &TestApp, school: &TestSchool, to: &str) -> Vec<kernel::mail::StoredMail> {
    app.mails(school)
        .await
        .into_iter()
        .filter(|m| m.to_email == to && m.template == "courses/mail/lessons_unlocked")
        .collect()
}

#[tokio::test]
async fn a_dripped_lesson_is_announced_once_when_the_clock_passes_it_and_opt_outs_are_respected() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let sam = app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let ana = app.user(&acme, "Ana", "ana@acme.test", Role::Student).await;
    let c = published_course(
        &app,
        &acme,
        "Light",
        &[("Basics", &[("Welcome", "text"), ("Week two", "text"), ("Week three", "text")])],
    )
    .await;
    exec(
        &app,
        &acme,
        "update lessons set drip = 'days', drip_days = 7 where tenant_id = $1 and id = $2",
        c.lesson("Week two").id.0,
    )
    .await;
    exec(
        &app,
        &acme,
        "update lessons set drip = 'days', drip_days = 14 where tenant_id = $1 and id = $2",
        c.lesson("Week three").id.0,
    )
    .await;
    enroll(&app, &acme, sam.id, &c.course).await;
    enroll(&app, &acme, ana.id, &c.course).await;
    app.run_jobs().await;
    // The first enrolment scheduled the hourly check, which found nothing new.
    assert!(unlock_mails(&app, &acme, "sam@acme.test").await.is_empty());

    // Ana turns the emails off in her account.
    let b = app.browser("acme");
    b.login("ana@acme.test", PASSWORD).await;
    let (_, account) = b.page("/account").await;
    assert!(
        account.contains("Email me when new lessons unlock")
            && account
                .contains(r#"name="unlock_emails" value="1" class="mt-0.5 h-4 w-4 rounded border-zinc-300" checked"#),
        "{account}"
    );
    let res = b.post_form("/account/notifications", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, account) = b.page("/account").await;
    assert!(account.contains("No more emails when lessons unlock."));
    assert!(!account.contains(r#"rounded border-zinc-300" checked"#));

    app.state.clock.advance(Duration::days(8));
    run_unlock_check(&app, &acme).await;
    let mails = unlock_mails(&app, &acme, "sam@acme.test").await;
    assert_eq!(mails.len(), 1, "exactly one email");
    assert_eq!(mails[0].subject, "New lesson available: Week two");
    let link = format!("/learn/{}/{}", c.course.slug, c.lesson("Week two").id);
    assert!(mails[0].text.contains(&link), "{}", mails[0].text);
    assert!(!mails[0].text.contains("Week three"));
    assert!(unlock_mails(&app, &acme, "ana@acme.test").await.is_empty(), "Ana opted out");

    run_unlock_check(&app, &acme).await;
    assert_eq!(unlock_mails(&app, &acme, "sam@acme.test").await.len(), 1, "never twice");

    app.state.clock.advance(Duration::days(7));
    run_unlock_check(&app, &acme).await;
    let mails = unlock_mails(&app, &acme, "sam@acme.test").await;
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().any(|m| m.subject == "New lesson available: Week three"));
}

#[tokio::test]
async fn the_operator_clock_moves_only_in_the_demo() {
    let app = TestApp::new().await;
    let op = operator(&app).await;
    let (_, jobs_page) = op.page("/operator/jobs").await;
    assert!(!jobs_page.contains("Advance the clock"));
    let res = op.post_form("/operator/clock", &[("amount", "3"), ("unit", "days")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.state.clock.offset(), Duration::zero());

    let demo = TestApp::with(|c| c.demo = true).await;
    // Strangers are sent to log in.
    let res = demo.platform_browser().post_form("/operator/clock", &[("amount", "3"), ("unit", "days")]).await;
    assert_eq!(location(&res), "/operator/login");
    let op = operator(&demo).await;
    let (status, jobs_page) = op.page("/operator/jobs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(jobs_page.contains("Advance the clock"), "{jobs_page}");
    let res = op.post_form("/operator/clock", &[("amount", "3"), ("unit", "days")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(demo.state.clock.offset(), Duration::days(3));
    let res = op.post_form("/operator/clock", &[("amount", "5"), ("unit", "hours")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(demo.state.clock.offset(), Duration::days(3) + Duration::hours(5));
    let res = op.post_form("/operator/clock", &[("amount", "-4"), ("unit", "days")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, jobs_page) = op.page("/operator/jobs").await;
    assert!(jobs_page.contains("Enter a whole number between 1 and 365."));
    assert!(jobs_page.contains("3 d 5 h"), "{jobs_page}");
    assert_eq!(demo.state.clock.offset(), Duration::days(3) + Duration::hours(5));
}
