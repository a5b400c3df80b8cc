//! Automations: triggers enrol contacts once, steps run once each along the application's
//! clock (waits for a duration, a weekday and time, an event with a timeout), branches, tags,
//! webhooks, a three-email sequence, an unsubscribed contact mailed no more, and a live edit
//! that keeps people where they are.

use chrono::Duration;
use kernel::{events::Event, ids::EventId};
use marketing::email::{
    EmailId,
    automations::{self as auto, AutomationId, model::Run, runner, store, triggers},
    content,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    marketing_contacts::contact,
    marketing_support::owner,
    support::{TestApp, TestSchool},
};

/// Makes an email; its id.
pub async fn email(app: &TestApp, s: &TestSchool, name: &str) -> EmailId {
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    let id = content::create(
        &mut tx,
        name,
        name,
        json!({ "blocks": [{ "kind": "text", "html": format!("<p>{name}</p>") }] }),
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Makes an active automation.
pub async fn automation(app: &TestApp, s: &TestSchool, trigger: Value, steps: Value) -> AutomationId {
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    let id = store::insert(&mut tx, "Test", &trigger, &steps, None).await.unwrap();
    store::set_status(&mut tx, id, "active").await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// The automation's runs, newest first.
pub async fn runs(app: &TestApp, s: &TestSchool, a: AutomationId) -> Vec<Run> {
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    let r = store::runs(&mut tx, a, 100).await.unwrap();
    tx.commit().await.unwrap();
    r
}

/// The outcomes on a run's path, in order.
pub async fn path(app: &TestApp, s: &TestSchool, run: &Run) -> Vec<String> {
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    let p = store::paths(&mut tx, &[run.id]).await.unwrap();
    tx.commit().await.unwrap();
    p.into_iter().map(|p| format!("{}:{}", p.step_id, p.outcome)).collect()
}

/// Deliveries the automation queued for an address.
pub async fn sent(app: &TestApp, s: &TestSchool, a: AutomationId, to: &str) -> Vec<String> {
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    let rows: Vec<String> = sqlx::query_scalar(
        "select step_id from email_deliveries where tenant_id = $1 and automation_id = $2 and to_email = $3 order by created_at",
    )
    .bind(s.school.id)
    .bind(a)
    .bind(to)
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    rows
}

/// Publishes an event as its domain would, and runs the jobs.
pub async fn publish(app: &TestApp, s: &TestSchool, kind: &str, payload: Value) {
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    app.state.events.publish(&mut tx, kind, payload).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
}

/// Moves the clock and lets the sweep and the jobs catch up.
pub async fn later(app: &TestApp, s: &TestSchool, by: Duration) {
    app.state.clock.advance(by);
    runner::sweep(&app.state, s.school.id).await.unwrap();
    app.run_jobs().await;
}

#[tokio::test]
async fn email_automations_a_three_email_sequence_arrives_over_time_and_stops_for_who_unsubscribes() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (e1, e2, e3) =
        (email(&app, &acme, "One").await, email(&app, &acme, "Two").await, email(&app, &acme, "Three").await);
    let form = uuid::Uuid::now_v7();
    let a = automation(
        &app,
        &acme,
        json!({ "kind": "form_submitted", "form_id": form }),
        json!([
            { "id": "s1", "kind": "send_email", "config": { "email_id": e1 } },
            { "id": "s2", "kind": "wait", "config": { "mode": "duration", "days": 2 } },
            { "id": "s3", "kind": "send_email", "config": { "email_id": e2 } },
            { "id": "s4", "kind": "wait", "config": { "mode": "duration", "days": 5 } },
            { "id": "s5", "kind": "send_email", "config": { "email_id": e3 } }
        ]),
    )
    .await;
    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let bob = contact(&app, &acme, "bob@example.com", "Bob", "form", "subscribed").await;
    // Another form does not trigger it.
    publish(&app, &acme, "form.submitted", json!({ "form_id": uuid::Uuid::now_v7(), "contact_id": ana })).await;
    assert!(runs(&app, &acme, a).await.is_empty());
    for c in [&ana, &bob] {
        publish(&app, &acme, "form.submitted", json!({ "form_id": form, "contact_id": c })).await;
    }
    assert_eq!(sent(&app, &acme, a, "ana@example.com").await, ["s1"]);
    assert_eq!(sent(&app, &acme, a, "bob@example.com").await, ["s1"]);

    // Bob unsubscribes after the first email.
    {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let c = marketing::store::contact(&mut tx, bob.parse().unwrap()).await.unwrap().unwrap();
        marketing::contacts::set_status(&app.state, &mut tx, &c, "unsubscribed", None).await.unwrap();
        tx.commit().await.unwrap();
    }
    later(&app, &acme, Duration::days(1)).await;
    assert_eq!(sent(&app, &acme, a, "ana@example.com").await, ["s1"], "not yet");
    later(&app, &acme, Duration::days(1) + Duration::minutes(1)).await;
    assert_eq!(sent(&app, &acme, a, "ana@example.com").await, ["s1", "s3"]);
    later(&app, &acme, Duration::days(5)).await;
    assert_eq!(sent(&app, &acme, a, "ana@example.com").await, ["s1", "s3", "s5"]);
    assert_eq!(sent(&app, &acme, a, "bob@example.com").await, ["s1"], "an unsubscribed contact is sent nothing more");

    let all = runs(&app, &acme, a).await;
    let ana_run = all.iter().find(|r| r.contact_id.to_string() == ana).unwrap();
    assert_eq!(ana_run.status, "done");
    assert_eq!(
        path(&app, &acme, ana_run).await,
        ["trigger:entered", "s1:sent", "s2:waiting", "s2:waited", "s3:sent", "s4:waiting", "s4:waited", "s5:sent"]
    );
    let bob_run = all.iter().find(|r| r.contact_id.to_string() == bob).unwrap();
    assert_eq!(bob_run.status, "exited");
    assert!(path(&app, &acme, bob_run).await.contains(&"s3:exited: unsubscribed".to_string()));
}

#[tokio::test]
async fn email_automations_triggers_enrol_once_per_event_and_contact() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let end = json!([{ "id": "s1", "kind": "add_tag", "config": { "tag": "Entered" } }]);
    let tag = automation(&app, &acme, json!({ "kind": "tag_added", "tag": "vip" }), end.clone()).await;
    let product = uuid::Uuid::now_v7();
    let buy = automation(&app, &acme, json!({ "kind": "purchase", "product_id": product }), end.clone()).await;
    let enrol = automation(&app, &acme, json!({ "kind": "enrolled" }), end.clone()).await;
    let absent = automation(&app, &acme, json!({ "kind": "no_login", "days": 30 }), end.clone()).await;

    // Tag added (the real contacts function publishes `contact.tagged`).
    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        marketing::contacts::tag(&app.state, &mut tx, ana.parse().unwrap(), &["VIP".into()]).await.unwrap();
        tx.commit().await.unwrap();
    }
    app.run_jobs().await;
    assert_eq!(runs(&app, &acme, tag).await.len(), 1);

    // A purchase of the product, by someone with no contact yet: one made, not subscribed.
    let paid = json!({ "order_id": uuid::Uuid::now_v7(), "email": "carla@example.com", "name": "Carla Ruiz",
                       "product_ids": [product], "offer_id": uuid::Uuid::now_v7() });
    publish(&app, &acme, "order.paid", paid).await;
    let other =
        json!({ "order_id": uuid::Uuid::now_v7(), "email": "dan@example.com", "product_ids": [uuid::Uuid::now_v7()] });
    publish(&app, &acme, "order.paid", other).await;
    let bought = runs(&app, &acme, buy).await;
    assert_eq!(bought.len(), 1);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let carla = marketing::store::contact_by_email(&mut tx, "carla@example.com").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(bought[0].contact_id, carla.id.0);
    assert_ne!(carla.status, "subscribed", "buying is not consent");

    // Enrolment: the student's account becomes a contact.
    let student = app.user(&acme, "Eve Student", "eve@example.com", identity::Role::Student).await;
    let payload = json!({ "user_id": student.id, "course_id": uuid::Uuid::now_v7(), "course_title": "Watercolour" });
    let event = Event {
        id: EventId::new(),
        kind: "enrollment.created".into(),
        payload,
        occurred_at: app.state.clock.now(),
        tenant: acme.school.id,
    };
    // Delivered twice (a replay): one run.
    triggers::on_event(app.state.clone(), event.clone()).await.unwrap();
    triggers::on_event(app.state.clone(), event).await.unwrap();
    app.run_jobs().await;
    assert_eq!(runs(&app, &acme, enrol).await.len(), 1);
    // A second enrolment event for someone who went through it: not again (no re-entry).
    publish(&app, &acme, "enrollment.created", json!({ "user_id": student.id, "course_id": uuid::Uuid::now_v7() }))
        .await;
    assert_eq!(runs(&app, &acme, enrol).await.len(), 1);

    // The daily sweep: no login for 30 days.
    runner::sweep(&app.state, acme.school.id).await.unwrap();
    assert!(runs(&app, &acme, absent).await.is_empty(), "logged in (created) just now");
    later(&app, &acme, Duration::days(31)).await;
    let away = runs(&app, &acme, absent).await;
    assert_eq!(away.len(), 1);
    later(&app, &acme, Duration::days(1)).await;
    assert_eq!(runs(&app, &acme, absent).await.len(), 1, "one entry per absence");
    assert_eq!(away[0].status, "done");
}

#[tokio::test]
async fn email_automations_waits_for_a_weekday_and_for_an_event_with_a_timeout() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let weekly = automation(
        &app,
        &acme,
        json!({ "kind": "tag_added", "tag": "weekly" }),
        json!([{ "id": "w", "kind": "wait", "config": { "mode": "weekday", "weekday": 2, "time": "10:30" } },
               { "id": "t", "kind": "add_tag", "config": { "tag": "Wednesday" } }]),
    )
    .await;
    let cart = automation(
        &app,
        &acme,
        json!({ "kind": "tag_added", "tag": "cart" }),
        json!([{ "id": "w", "kind": "wait", "config": { "mode": "event", "event": "order.paid", "timeout_days": 1 },
                 "yes": [{ "id": "y", "kind": "add_tag", "config": { "tag": "Bought" } }],
                 "no": [{ "id": "n", "kind": "add_tag", "config": { "tag": "Gave up" } }] },
               { "id": "z", "kind": "end" }]),
    )
    .await;
    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let bob = contact(&app, &acme, "bob@example.com", "Bob", "form", "subscribed").await;
    let tag = |c: String, t: &'static str| {
        let app = &app;
        let acme = &acme;
        async move {
            let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
            marketing::contacts::tag(&app.state, &mut tx, c.parse().unwrap(), &[t.to_string()]).await.unwrap();
            tx.commit().await.unwrap();
            app.run_jobs().await;
        }
    };
    tag(ana.clone(), "weekly").await;
    let r = &runs(&app, &acme, weekly).await[0];
    assert_eq!(r.status, "waiting");
    let want = runner::next_weekday(r.started_at, &acme.school.time_zone, 2, "10:30");
    assert_eq!(r.wake_at.unwrap().timestamp(), want.timestamp());
    later(&app, &acme, want - app.state.clock.now() + Duration::minutes(1)).await;
    assert_eq!(runs(&app, &acme, weekly).await[0].status, "done");

    tag(ana.clone(), "cart").await;
    tag(bob.clone(), "cart").await;
    publish(&app, &acme, "order.paid", json!({ "order_id": uuid::Uuid::now_v7(), "email": "ana@example.com" })).await;
    later(&app, &acme, Duration::hours(25)).await;
    let tags = |c: String| {
        let app = &app;
        let acme = &acme;
        async move {
            let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
            let t = marketing::store::tags_of(&mut tx, c.parse().unwrap()).await.unwrap();
            tx.commit().await.unwrap();
            t
        }
    };
    assert!(tags(ana.clone()).await.contains(&"Bought".to_string()));
    assert!(!tags(ana.clone()).await.contains(&"Gave up".to_string()));
    assert!(tags(bob.clone()).await.contains(&"Gave up".to_string()));
    for r in runs(&app, &acme, cart).await {
        assert_eq!(r.status, "done");
        let p = path(&app, &acme, &r).await;
        assert!(p.contains(&"w:event came".to_string()) || p.contains(&"w:timed out".to_string()), "{p:?}");
    }
}

#[tokio::test]
async fn email_automations_branch_on_tags_and_change_tags() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let a = automation(
        &app,
        &acme,
        json!({ "kind": "tag_added", "tag": "lead" }),
        json!([{ "id": "if", "kind": "if_else", "config": { "condition": "has_tag", "tag": "VIP" },
                 "yes": [{ "id": "y", "kind": "add_tag", "config": { "tag": "Gold" } }],
                 "no": [{ "id": "n", "kind": "remove_tag", "config": { "tag": "lead" } }] },
               { "id": "after", "kind": "add_tag", "config": { "tag": "Seen" } }]),
    )
    .await;
    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let bob = contact(&app, &acme, "bob@example.com", "Bob", "form", "subscribed").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    marketing::contacts::tag(&app.state, &mut tx, ana.parse().unwrap(), &["VIP".into(), "lead".into()]).await.unwrap();
    marketing::contacts::tag(&app.state, &mut tx, bob.parse().unwrap(), &["lead".into()]).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let ana_tags = marketing::store::tags_of(&mut tx, ana.parse().unwrap()).await.unwrap();
    let bob_tags = marketing::store::tags_of(&mut tx, bob.parse().unwrap()).await.unwrap();
    tx.commit().await.unwrap();
    assert!(
        ana_tags.contains(&"Gold".into()) && ana_tags.contains(&"lead".into()) && ana_tags.contains(&"Seen".into())
    );
    assert!(
        !bob_tags.contains(&"Gold".into()) && !bob_tags.contains(&"lead".into()) && bob_tags.contains(&"Seen".into())
    );
    assert_eq!(runs(&app, &acme, a).await.len(), 2);
}

#[tokio::test]
async fn email_automations_webhook_step_posts_json_to_a_local_server() {
    let app = TestApp::with_wiring(
        |_| {},
        |w| {
            w.extensions.insert(auto::AllowPrivateWebhooks);
        },
    )
    .await;
    let acme = app.school("acme").await;
    let (tx_body, mut rx_body) = tokio::sync::mpsc::unbounded_channel::<Value>();
    let hook = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let tx_body = tx_body.clone();
            async move {
                tx_body.send(body).unwrap();
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, hook).await.unwrap() });
    let a = automation(
        &app,
        &acme,
        json!({ "kind": "tag_added", "tag": "hook" }),
        json!([{ "id": "h", "kind": "webhook", "config": { "url": format!("http://127.0.0.1:{port}/hook") } }]),
    )
    .await;
    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    marketing::contacts::tag(&app.state, &mut tx, ana.parse().unwrap(), &["hook".into()]).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    let body = rx_body.try_recv().expect("the webhook was called");
    assert_eq!(body["contact"]["email"], "ana@example.com");
    assert_eq!(body["trigger"]["tag"], "hook");
    let r = &runs(&app, &acme, a).await[0];
    assert!(path(&app, &acme, r).await.contains(&"h:called (200)".to_string()));
}

#[tokio::test]
async fn email_automations_a_step_job_delivered_twice_runs_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let e1 = email(&app, &acme, "One").await;
    let a = automation(
        &app,
        &acme,
        json!({ "kind": "manual" }),
        json!([{ "id": "s1", "kind": "send_email", "config": { "email_id": e1 } }]),
    )
    .await;
    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let auto = store::find(&mut tx, a).await.unwrap().unwrap();
    let run = auto::enrol(&app.state, &mut tx, &auto, ana.parse().unwrap(), "k1", &json!({})).await.unwrap().unwrap();
    assert!(auto::enrol(&app.state, &mut tx, &auto, ana.parse().unwrap(), "k2", &json!({})).await.unwrap().is_none());
    tx.commit().await.unwrap();
    let (one, two) = tokio::join!(
        runner::advance(&app.state, acme.school.id, run, 0, false),
        runner::advance(&app.state, acme.school.id, run, 0, false)
    );
    assert!(one.unwrap() ^ two.unwrap(), "exactly one took the step");
    app.run_jobs().await;
    assert_eq!(sent(&app, &acme, a, "ana@example.com").await, ["s1"]);
}

#[tokio::test]
async fn email_automations_editing_a_live_automation_keeps_people_where_they_are() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let steps = json!([
        { "id": "s1", "kind": "wait", "config": { "mode": "duration", "days": 1 } },
        { "id": "s2", "kind": "wait", "config": { "mode": "duration", "days": 3 } },
        { "id": "s3", "kind": "add_tag", "config": { "tag": "Reached s3" } }
    ]);
    let a = automation(&app, &acme, json!({ "kind": "tag_added", "tag": "go" }), steps).await;
    for who in ["ana@example.com", "bob@example.com"] {
        let c = contact(&app, &acme, who, "X", "form", "subscribed").await;
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        marketing::contacts::tag(&app.state, &mut tx, c.parse().unwrap(), &["go".into()]).await.unwrap();
        tx.commit().await.unwrap();
        app.run_jobs().await;
        if who == "ana@example.com" {
            later(&app, &acme, Duration::days(1) + Duration::minutes(1)).await;
        }
    }
    // Ana waits at s2, Bob at s1. s2 is deleted, s1 is changed to two days, s4 added.
    let token = b.csrf().await;
    let save = |revision: i32| {
        json!({ "revision": revision, "name": "Edited", "trigger": { "kind": "tag_added", "tag": "go" }, "steps": [
            { "id": "s1", "kind": "wait", "config": { "mode": "duration", "days": 2 } },
            { "id": "s4", "kind": "add_tag", "config": { "tag": "New step" } },
            { "id": "s3", "kind": "add_tag", "config": { "tag": "Reached s3" } }
        ]})
    };
    let url = b.url(&format!("/admin/automations/{a}"));
    let res = b.client.put(&url).header("x-csrf-token", &token).json(&save(1)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = b.client.put(&url).header("x-csrf-token", &token).json(&save(1)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT, "a stale save");
    app.run_jobs().await;
    let all = runs(&app, &acme, a).await;
    let bob = all.iter().find(|r| r.current_step.as_deref() == Some("s1")).expect("Bob is still at s1");
    assert_eq!(bob.status, "waiting");
    let ana = all.iter().find(|r| r.id != bob.id).unwrap();
    assert_eq!(ana.status, "done", "Ana moved on from the deleted step to what followed it");
    assert!(path(&app, &acme, ana).await.contains(&"s2:moved to s3: step deleted".to_string()));
    later(&app, &acme, Duration::days(1)).await;
    let bob = runs(&app, &acme, a).await.into_iter().find(|r| r.id == bob.id).unwrap();
    assert_eq!(bob.status, "done", "the wait Bob entered keeps its time");
    assert!(path(&app, &acme, &bob).await.contains(&"s4:tagged New step".to_string()));
}
