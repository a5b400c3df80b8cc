//! The engine's hand-over point: a row is committed as `sent` just before the message's
//! irrevocable step, and only if it is still ours and still wanted at that instant. A contact
//! who unsubscribes after the claim is not mailed, a row taken over by another worker goes
//! once, a refusal after the final "." is recorded (failed and suppressed, or retried), and a
//! crash right after the hand-over leaves the row sent and never resends it.

use async_trait::async_trait;
use marketing::email::{
    DeliveryId,
    engine::{
        self,
        handover::{self, Handing},
        transport::{Handed, Handover, Outgoing, Postmark, Transport},
    },
    suppression,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    email_engine::{email, queue, received, row, with_sink},
    marketing_contacts::contact,
    support::{TestApp, TestSchool},
};

/// Hands `ids` over as `worker` (what a task does at the server's 354); returns the rows moved.
async fn hand_over(app: &TestApp, school: &TestSchool, worker: Uuid, ids: &[DeliveryId]) -> Vec<DeliveryId> {
    let rows: Vec<Handing> = ids
        .iter()
        .map(|id| Handing {
            id: *id,
            message_id: format!("{id}@localhost"),
            topic: String::new(),
            event: json!({ "delivery_id": id }),
        })
        .collect();
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let moved = handover::commit(&app.state, &mut tx, worker, &rows).await.unwrap();
    tx.commit().await.unwrap();
    moved
}

async fn sent_events(app: &TestApp) -> i64 {
    let mut conn = app.owner_conn().await;
    sqlx::query_scalar("select count(*) from events where kind = 'email.sent'").fetch_one(&mut conn).await.unwrap()
}

#[tokio::test]
async fn a_contact_who_unsubscribes_after_the_claim_is_not_sent() {
    let (app, sink) = with_sink().await;
    let acme = app.school("acme").await;
    contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    contact(&app, &acme, "ben@example.com", "Ben", "form", "subscribed").await;
    let news = email(&app, &acme).await;
    let ids = queue(&app, &acme, news, &["ana@example.com", "ben@example.com"]).await;
    let worker = Uuid::now_v7();
    assert_eq!(engine::claim(&app.state, acme.school.id, worker, 10).await.unwrap().len(), 2);
    // Between the claim and the hand-over Ana unsubscribes and Ben's address is suppressed.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update contacts set status = 'unsubscribed' where email = 'ana@example.com'")
        .execute(&mut *tx)
        .await
        .unwrap();
    suppression::suppress(&mut tx, "ben@example.com", "complaint", "").await.unwrap();
    tx.commit().await.unwrap();

    assert!(hand_over(&app, &acme, worker, &ids).await.is_empty(), "neither may go");
    assert_eq!(row(&app, &acme, ids[0]).await.0, "queued");
    assert_eq!(sent_events(&app).await, 0);
    // When the claim runs out, the next run skips both and mails nobody.
    app.state.clock.advance(chrono::Duration::seconds(31));
    let run = engine::run(&app.state, acme.school.id, 100).await.unwrap();
    assert_eq!((run.sent, run.skipped), (0, 2), "{run:?}");
    assert_eq!(row(&app, &acme, ids[0]).await.1.as_deref(), Some("contact unsubscribed"));
    assert_eq!(row(&app, &acme, ids[1]).await.1.as_deref(), Some("suppressed"));
    assert!(received(&sink).is_empty());
}

#[tokio::test]
async fn a_row_taken_over_by_another_worker_is_sent_once() {
    let (app, sink) = with_sink().await;
    let acme = app.school("acme").await;
    contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let news = email(&app, &acme).await;
    let ids = queue(&app, &acme, news, &["ana@example.com"]).await;
    // A slow worker claims the row, stalls past its lease, and another run takes it over.
    let slow = Uuid::now_v7();
    assert_eq!(engine::claim(&app.state, acme.school.id, slow, 10).await.unwrap().len(), 1);
    app.state.clock.advance(chrono::Duration::seconds(31));
    assert_eq!(engine::run(&app.state, acme.school.id, 100).await.unwrap().sent, 1);
    let (status, _, message_id, attempts) = row(&app, &acme, ids[0]).await;
    assert_eq!((status.as_str(), attempts), ("sent", 1));
    // The slow worker reaches its hand-over: the row is no longer its own, nothing goes.
    assert!(hand_over(&app, &acme, slow, &ids).await.is_empty());
    assert_eq!(row(&app, &acme, ids[0]).await.2, message_id);
    assert_eq!(received(&sink).len(), 1);
    assert_eq!(sent_events(&app).await, 1);
}

#[tokio::test]
async fn a_refusal_after_the_final_dot_is_recorded() {
    let (app, sink) = with_sink().await;
    let acme = app.school("acme").await;
    contact(&app, &acme, "gone@example.com", "Gil", "form", "subscribed").await;
    contact(&app, &acme, "later@example.com", "Lu", "form", "subscribed").await;
    sink.reject_data("gone@example.com", "554 5.7.1 Message refused");
    sink.reject_data("later@example.com", "452 4.3.1 Insufficient storage");
    let news = email(&app, &acme).await;
    let ids = queue(&app, &acme, news, &["gone@example.com", "later@example.com"]).await;

    let run = engine::run(&app.state, acme.school.id, 100).await.unwrap();
    assert_eq!((run.sent, run.failed, run.retried), (0, 1, 1), "{run:?}");
    let (status, error, _, attempts) = row(&app, &acme, ids[0]).await;
    assert_eq!((status.as_str(), attempts), ("failed", 1));
    assert!(error.unwrap().contains("Message refused"));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(suppression::is_suppressed(&mut tx, "gone@example.com").await.unwrap());
    let (bounced, sent_at): (Option<chrono::DateTime<chrono::Utc>>, Option<chrono::DateTime<chrono::Utc>>) =
        sqlx::query_as("select bounced_at, sent_at from email_deliveries where id = $1")
            .bind(ids[0])
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    assert!(bounced.is_some() && sent_at.is_none());
    tx.commit().await.unwrap();
    let (status, error, _, attempts) = row(&app, &acme, ids[1]).await;
    assert_eq!((status.as_str(), attempts), ("queued", 1));
    assert!(error.unwrap().contains("Insufficient storage"));
    assert!(received(&sink).is_empty());

    // The temporary one goes after its backoff, once.
    sink.accept("later@example.com");
    app.state.clock.advance(chrono::Duration::minutes(3));
    assert_eq!(engine::run(&app.state, acme.school.id, 100).await.unwrap().sent, 1);
    let (status, _, _, attempts) = row(&app, &acme, ids[1]).await;
    assert_eq!((status.as_str(), attempts), ("sent", 2));
    assert_eq!(received(&sink).len(), 1);
}

#[tokio::test]
async fn a_crash_after_the_hand_over_leaves_the_row_sent_and_nothing_is_resent() {
    let (app, sink) = with_sink().await;
    let acme = app.school("acme").await;
    contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    contact(&app, &acme, "ben@example.com", "Ben", "form", "subscribed").await;
    let news = email(&app, &acme).await;
    let ids = queue(&app, &acme, news, &["ana@example.com", "ben@example.com"]).await;
    // A worker claims both, hands Ana's over at the server's 354, and dies before the body.
    let dead = Uuid::now_v7();
    assert_eq!(engine::claim(&app.state, acme.school.id, dead, 10).await.unwrap().len(), 2);
    assert_eq!(hand_over(&app, &acme, dead, &ids[..1]).await, vec![ids[0]]);

    app.state.clock.advance(chrono::Duration::seconds(31));
    let run = engine::run(&app.state, acme.school.id, 100).await.unwrap();
    assert_eq!(run.sent, 1, "only Ben's row was left: {run:?}");
    let got = received(&sink);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["ben@example.com".to_string()]);
    let (status, _, message_id, _) = row(&app, &acme, ids[0]).await;
    assert_eq!((status.as_str(), message_id), ("sent", Some(format!("{}@localhost", ids[0]))));
    assert_eq!(sent_events(&app).await, 2);
    app.run_jobs().await;
    assert_eq!(received(&sink).len(), 1);
}

/// A hand-over that refuses.
struct Refuse;

#[async_trait]
impl Handover for Refuse {
    async fn commit(&self) -> anyhow::Result<bool> {
        Ok(false)
    }
}

#[tokio::test]
async fn an_api_transport_posts_nothing_when_the_hand_over_refuses() {
    let posted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = posted.clone();
    let api = axum::Router::new().route(
        "/email",
        axum::routing::post(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async { "{}" }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, api).await.unwrap() });
    let message = Outgoing {
        envelope_from: "hello@lyceum.test".into(),
        to: "ana@example.com".into(),
        raw: vec![],
        from_header: "Acme <hello@lyceum.test>".into(),
        subject: "Hi".into(),
        html: "<p>Hi</p>".into(),
        text: "Hi".into(),
        headers: vec![],
    };
    let sent = Postmark::new(&base, "tok").send(&message, &Refuse).await.unwrap();
    assert_eq!(sent, Handed::Withdrawn);
    assert_eq!(posted.load(std::sync::atomic::Ordering::SeqCst), 0);
}
