//! Broadcasts: segment rules match the right contacts; a send queues exactly the segment and
//! never the unsubscribed or suppressed; scheduled and local-time sends; cancel; resend to
//! non-openers.

use chrono::{Duration, TimeZone, Utc};
use marketing::email::segments::{self, Match, Now, Rule, Segment};
use serde_json::json;
use uuid::Uuid;

use crate::{
    email_broadcasts_support::{activity, contact, deliveries, exec, new_broadcast, send, start, status, to},
    marketing_support::owner,
    support::{TestApp, TestSchool},
};

async fn matching(app: &TestApp, school: &TestSchool, mode: Match, rules: Vec<Rule>) -> Vec<String> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let now = Now { at: app.state.clock.now(), zone: school.school.time_zone.clone() };
    let out = segments::emails(&mut tx, &Segment { mode, rules }, &now).await.unwrap();
    tx.commit().await.unwrap();
    out.into_iter().map(|e| e.split('@').next().unwrap().to_string()).collect()
}

#[tokio::test]
async fn segment_rules_match_the_right_contacts() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = Uuid::now_v7();
    let offer = Uuid::now_v7();
    let ana = contact(&app, &acme, "ana@example.com", "subscribed", json!({"company": "Acme Corp"}), &["VIP"]).await;
    let bob = contact(&app, &acme, "bob@example.com", "subscribed", json!({"company": "Globex"}), &["Webinar"]).await;
    contact(&app, &acme, "cleo@example.com", "unsubscribed", json!({}), &["VIP"]).await;
    contact(&app, &acme, "dan@example.com", "subscribed", json!({}), &["VIP"]).await;
    exec(
        &app,
        &acme,
        "insert into suppressions (tenant_id, email, reason) values ($1, $2, 'bounce')",
        "dan@example.com",
    )
    .await;
    let eve = contact(&app, &acme, "eve@example.com", "subscribed", json!({}), &[]).await;
    exec(
        &app,
        &acme,
        "update contacts set created_at = now() - interval '40 days' where tenant_id = $1 and email = $2",
        "eve@example.com",
    )
    .await;
    activity(&app, &acme, bob, "purchase", json!({ "offer_id": offer })).await;
    activity(&app, &acme, eve, "enrolled", json!({ "course_id": course })).await;
    activity(&app, &acme, ana, "enrolled", json!({ "course_id": Uuid::now_v7() })).await;
    activity(&app, &acme, eve, "completed", json!({ "course_id": course })).await;
    // Ana opened and clicked an email two days ago; Bob was sent one and never opened it.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let email = marketing::email::content::create(&mut tx, "Hi", "Hi", json!({"blocks": []}), None).await.unwrap();
    for (who, addr, opened) in [(ana, "ana@example.com", true), (bob, "bob@example.com", false)] {
        sqlx::query(
            "insert into email_deliveries (tenant_id, id, email_id, contact_id, to_email, source, status, opened_at, clicked_at)
             values ($1, $2, $3, $4, $5, 'test', 'sent', $6, $6)",
        )
        .bind(acme.school.id)
        .bind(Uuid::now_v7())
        .bind(email)
        .bind(who)
        .bind(addr)
        .bind(opened.then(|| Utc::now() - Duration::days(2)))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    let all = Match::All;
    // Nobody unsubscribed or suppressed, whatever the rules.
    assert_eq!(matching(&app, &acme, all, vec![]).await, ["ana", "bob", "eve"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::HasTag { tag: "vip".into() }]).await, ["ana"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::LacksTag { tag: "VIP".into() }]).await, ["bob", "eve"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::Purchased { offer_id: None }]).await, ["bob"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::Purchased { offer_id: Some(offer) }]).await, ["bob"]);
    assert!(matching(&app, &acme, all, vec![Rule::Purchased { offer_id: Some(course) }]).await.is_empty());
    assert_eq!(matching(&app, &acme, all, vec![Rule::Enrolled { course_id: None }]).await, ["ana", "eve"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::Enrolled { course_id: Some(course) }]).await, ["eve"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::Completed { course_id: Some(course) }]).await, ["eve"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::SignedUpWithin { days: 30 }]).await, ["ana", "bob"]);
    let cut = (Utc::now() - Duration::days(10)).date_naive();
    assert_eq!(matching(&app, &acme, all, vec![Rule::SignedUpBefore { date: cut }]).await, ["eve"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::SignedUpAfter { date: cut }]).await, ["ana", "bob"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::OpenedWithin { days: 7 }]).await, ["ana"]);
    assert!(matching(&app, &acme, all, vec![Rule::OpenedWithin { days: 1 }]).await.is_empty());
    assert_eq!(matching(&app, &acme, all, vec![Rule::ClickedWithin { days: 7 }]).await, ["ana"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::NeverOpened {}]).await, ["bob", "eve"]);
    let field = |f: &str| f.to_string();
    let eq = Rule::FieldEquals { field: field("company"), value: "acme corp".into() };
    assert_eq!(matching(&app, &acme, all, vec![eq.clone()]).await, ["ana"]);
    let has = Rule::FieldContains { field: field("company"), value: "LOB".into() };
    assert_eq!(matching(&app, &acme, all, vec![has.clone()]).await, ["bob"]);
    assert_eq!(matching(&app, &acme, all, vec![Rule::FieldSet { field: field("company") }]).await, ["ana", "bob"]);
    // A value with SQL in it is only ever a value.
    let sneaky = Rule::FieldEquals { field: field("company"), value: "x' or '1'='1".into() };
    assert!(matching(&app, &acme, all, vec![sneaky]).await.is_empty());
    // All and any.
    assert!(matching(&app, &acme, all, vec![eq.clone(), has.clone()]).await.is_empty());
    assert_eq!(matching(&app, &acme, Match::Any, vec![eq, has]).await, ["ana", "bob"]);
}

#[tokio::test]
async fn send_now_queues_exactly_the_segment_and_never_the_unsubscribed_or_suppressed() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    contact(&app, &acme, "ana@example.com", "subscribed", json!({}), &["VIP"]).await;
    contact(&app, &acme, "bob@example.com", "subscribed", json!({}), &["VIP"]).await;
    contact(&app, &acme, "cleo@example.com", "unsubscribed", json!({}), &["VIP"]).await;
    contact(&app, &acme, "dan@example.com", "subscribed", json!({}), &["VIP"]).await;
    contact(&app, &acme, "eve@example.com", "subscribed", json!({}), &[]).await;
    exec(
        &app,
        &acme,
        "insert into suppressions (tenant_id, email, reason) values ($1, $2, 'complaint')",
        "dan@example.com",
    )
    .await;
    let id = new_broadcast(&b, "VIP news", "News for you").await;
    let rule = [("name", "VIP news"), ("match", "all"), ("rule", "has_tag"), ("value", "VIP"), ("when", "now")];
    let res = crate::email_broadcasts_support::review(&b, &id, &rule).await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    let (_, html) = b.page(&format!("/admin/broadcasts/{id}/confirm")).await;
    assert!(html.contains("Send to 2 contacts"), "{html}");
    send(&b, &id, &rule).await;
    app.run_jobs().await;
    let rows = deliveries(&app, &acme, &id).await;
    assert_eq!(to(&rows), ["ana@example.com", "bob@example.com"]);
    assert!(rows.iter().all(|r| r.subject.is_none()));
    assert!(["sending", "sent"].contains(&status(&app, &acme, &id).await.as_str()));
    // A start that runs again queues nobody twice.
    assert_eq!(start(&app, &acme, &id).await, None);
    assert_eq!(deliveries(&app, &acme, &id).await.len(), 2);
    let (_, html) = b.page(&format!("/admin/broadcasts/{id}")).await;
    assert!(html.contains("of 2 sent") && html.contains("/report"), "{html}");
    // Once nothing is queued, the sweep marks it sent.
    exec(
        &app,
        &acme,
        "update email_deliveries set status = 'sent' where tenant_id = $1 and broadcast_id = $2::uuid",
        &id,
    )
    .await;
    marketing::email::broadcasts::run_due(&app.state, acme.school.id).await.unwrap();
    assert_eq!(status(&app, &acme, &id).await, "sent");
}

#[tokio::test]
async fn a_scheduled_broadcast_starts_at_its_time_and_local_time_is_staggered() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let zone = acme.school.time_zone.clone();
    let b = owner(&app, &acme).await;
    contact(&app, &acme, "tokyo@example.com", "subscribed", json!({"time_zone": "Asia/Tokyo"}), &[]).await;
    contact(&app, &acme, "ny@example.com", "subscribed", json!({"time_zone": "America/New_York"}), &[]).await;
    contact(&app, &acme, "home@example.com", "subscribed", json!({"time_zone": "Mars/Olympus"}), &[]).await;

    // Plain schedule: two days ahead at 09:00 in the school's zone.
    let day = (app.state.clock.now() + Duration::days(2)).with_timezone(&kernel::format::tz(&zone)).date_naive();
    let at = format!("{day}T09:00");
    let plain = new_broadcast(&b, "Plain", "Hello").await;
    send(&b, &plain, &[("name", "Plain"), ("when", "later"), ("send_at", &at)]).await;
    let local = new_broadcast(&b, "Local", "Good morning").await;
    send(&b, &local, &[("name", "Local"), ("when", "later"), ("send_at", &at), ("local_time", "on")]).await;
    let (_, list) = b.page("/admin/broadcasts").await;
    assert!(list.contains("Scheduled") && list.contains("9:00 AM"), "{list}");

    app.run_jobs().await;
    assert!(deliveries(&app, &acme, &plain).await.is_empty());
    assert_eq!(status(&app, &acme, &plain).await, "scheduled");

    // The local-time send starts when 09:00 first comes anywhere (UTC+14).
    let nine =
        kernel::format::tz(&zone).from_local_datetime(&day.and_hms_opt(9, 0, 0).unwrap()).unwrap().with_timezone(&Utc);
    let earliest = day.and_hms_opt(9, 0, 0).unwrap().and_utc() - Duration::hours(14);
    app.state.clock.advance(earliest - app.state.clock.now() + Duration::minutes(1));
    marketing::email::broadcasts::run_due(&app.state, acme.school.id).await.unwrap();
    assert_eq!(status(&app, &acme, &plain).await, "scheduled");
    let rows = deliveries(&app, &acme, &local).await;
    assert_eq!(to(&rows), ["home@example.com", "ny@example.com", "tokyo@example.com"]);
    let when = |who: &str| rows.iter().find(|r| r.to_email.starts_with(who)).unwrap().not_before;
    assert_eq!(when("tokyo"), day.and_hms_opt(0, 0, 0).unwrap().and_utc());
    assert_eq!(when("ny"), day.and_hms_opt(14, 0, 0).unwrap().and_utc());
    assert_eq!(when("home"), nine, "an unknown zone falls back to the school's");

    app.state.clock.advance(nine - app.state.clock.now() + Duration::minutes(1));
    marketing::email::broadcasts::run_due(&app.state, acme.school.id).await.unwrap();
    let rows = deliveries(&app, &acme, &plain).await;
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.not_before >= nine));
}

#[tokio::test]
async fn cancel_leaves_what_was_sent_and_cancels_the_rest() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    for who in ["ana", "bob", "cleo"] {
        contact(&app, &acme, &format!("{who}@example.com"), "subscribed", json!({}), &[]).await;
    }
    let id = new_broadcast(&b, "Launch", "We are live").await;
    send(&b, &id, &[("name", "Launch"), ("when", "now")]).await;
    assert_eq!(start(&app, &acme, &id).await, Some(3));
    exec(
        &app,
        &acme,
        "update email_deliveries set status = 'sent' where tenant_id = $1 and to_email = 'ana@example.com' and broadcast_id = $2::uuid",
        &id,
    )
    .await;
    let res = b.post_form(&format!("/admin/broadcasts/{id}/cancel"), &[]).await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    let (_, html) = b.page(&format!("/admin/broadcasts/{id}")).await;
    assert!(html.contains("Broadcast cancelled"), "{html}");
    let rows = deliveries(&app, &acme, &id).await;
    let states: Vec<_> = rows.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(states, ["sent", "cancelled", "cancelled"]);
    assert_eq!(status(&app, &acme, &id).await, "cancelled");
    // Cancelling again, or the start job arriving late, changes nothing.
    b.post_form(&format!("/admin/broadcasts/{id}/cancel"), &[]).await;
    app.run_jobs().await;
    let again: Vec<_> = deliveries(&app, &acme, &id).await.into_iter().map(|r| r.status).collect();
    assert_eq!(again, ["sent", "cancelled", "cancelled"]);
}

#[tokio::test]
async fn a_resend_reaches_only_those_who_did_not_open_with_its_new_subject() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    for who in ["ana", "bob", "cleo", "dan"] {
        contact(&app, &acme, &format!("{who}@example.com"), "subscribed", json!({}), &[]).await;
    }
    let id = new_broadcast(&b, "Launch", "We are live").await;
    send(&b, &id, &[("name", "Launch"), ("when", "now")]).await;
    start(&app, &acme, &id).await;
    exec(
        &app,
        &acme,
        "update email_deliveries set status = 'sent' where tenant_id = $1 and broadcast_id = $2::uuid",
        &id,
    )
    .await;
    exec(
        &app,
        &acme,
        "update email_deliveries set opened_at = now() where tenant_id = $1 and to_email = $2",
        "ana@example.com",
    )
    .await;
    // Dan unsubscribed since: he gets no resend.
    exec(
        &app,
        &acme,
        "update contacts set status = 'unsubscribed' where tenant_id = $1 and email = $2",
        "dan@example.com",
    )
    .await;
    marketing::email::broadcasts::run_due(&app.state, acme.school.id).await.unwrap();

    let res = b.post_form(&format!("/admin/broadcasts/{id}/resend"), &[("subject", "Did you miss this?")]).await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    let resend =
        crate::support::location(&res).trim_start_matches("/admin/broadcasts/").trim_end_matches("/edit").to_string();
    let (_, html) = b.page(&format!("/admin/broadcasts/{resend}/edit")).await;
    assert!(html.contains("Did you miss this?") && html.contains("2 contacts"), "{html}");
    send(&b, &resend, &[("name", "Launch again"), ("subject", "Did you miss this?"), ("when", "now")]).await;
    start(&app, &acme, &resend).await;
    let rows = deliveries(&app, &acme, &resend).await;
    assert_eq!(to(&rows), ["bob@example.com", "cleo@example.com"]);
    assert!(rows.iter().all(|r| r.subject.as_deref() == Some("Did you miss this?")));
}
