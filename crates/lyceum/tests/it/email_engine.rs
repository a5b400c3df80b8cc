//! The sending engine: each queued delivery sent once with its headers, suppressed and
//! unsubscribed contacts skipped, a dead worker's claims resumed without duplicates, 4xx
//! retried and 5xx failed and suppressed, the dev mailbox without SMTP, one school at a time.

use kernel::testing::smtp::{self, SmtpSink};
use marketing::email::{
    DeliveryId, EmailId, content,
    deliveries::{self, NewDelivery},
    engine, suppression,
};
use serde_json::json;

use crate::{
    marketing_contacts::contact,
    support::{TestApp, TestSchool},
};

/// An email of the school.
pub async fn email(app: &TestApp, school: &TestSchool) -> EmailId {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let doc = json!({ "blocks": [{ "kind": "text", "html": "<p>Hello {{ first_name }}, news inside.</p>" }] });
    let id = content::create(&mut tx, "News", "News for {{ first_name }}", doc, None).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Queues the email to each address (contacts of the school); returns the delivery ids.
pub async fn queue(app: &TestApp, school: &TestSchool, email: EmailId, to: &[&str]) -> Vec<DeliveryId> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let mut batch = vec![];
    for address in to {
        let id: Option<marketing::model::ContactId> = sqlx::query_scalar("select id from contacts where email = $1")
            .bind(address)
            .fetch_optional(&mut *tx)
            .await
            .unwrap();
        batch.push(NewDelivery {
            email_id: email,
            contact_id: id,
            to_email: address.to_string(),
            source: "broadcast",
            broadcast_id: Some(uuid::Uuid::now_v7()),
            automation_id: None,
            step_id: None,
            subject: None,
            not_before: app.state.clock.now(),
        });
    }
    let ids = deliveries::enqueue(&mut tx, &batch).await.unwrap();
    tx.commit().await.unwrap();
    ids
}

/// A delivery's status, last error and message id.
pub async fn row(app: &TestApp, school: &TestSchool, id: DeliveryId) -> (String, Option<String>, Option<String>, i32) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let r = sqlx::query_as("select status, last_error, message_id, attempts from email_deliveries where id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    r
}

/// An app that sends through a fresh SMTP sink.
pub async fn with_sink() -> (TestApp, SmtpSink) {
    let sink = smtp::start().await.unwrap();
    let url = sink.url.clone();
    (TestApp::with(|c| c.smtp_url = Some(url.into())).await, sink)
}

/// What the sink received from the engine (not the school's welcome mail to its owner).
pub fn received(sink: &SmtpSink) -> Vec<smtp::Received> {
    sink.received.lock().unwrap().iter().filter(|m| !m.to.iter().any(|t| t.starts_with("owner@"))).cloned().collect()
}

#[tokio::test]
async fn each_row_is_sent_once_with_its_headers_and_unwanted_ones_are_skipped() {
    let (app, sink) = with_sink().await;
    let acme = app.school("acme").await;
    contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    contact(&app, &acme, "bob@example.com", "Bob", "form", "unsubscribed").await;
    contact(&app, &acme, "cleo@example.com", "Cleo", "form", "subscribed").await;
    contact(&app, &acme, "dan@example.com", "Dan", "form", "subscribed").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    suppression::suppress(&mut tx, "cleo@example.com", "manual", "").await.unwrap();
    tx.commit().await.unwrap();
    let news = email(&app, &acme).await;
    let ids =
        queue(&app, &acme, news, &["ana@example.com", "bob@example.com", "cleo@example.com", "dan@example.com"]).await;
    // Dan is erased after the send was queued.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("delete from contacts where email = 'dan@example.com'").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();

    app.run_jobs().await;
    let got = received(&sink);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].to, vec!["ana@example.com".to_string()]);
    let data = &got[0].data;
    let (status, error, message_id, _) = row(&app, &acme, ids[0]).await;
    assert_eq!(status, "sent", "{error:?}");
    let message_id = message_id.unwrap();
    assert_eq!(message_id, format!("{}@localhost", ids[0]));
    assert!(data.contains(&format!("Message-ID: <{message_id}>")), "{data}");
    assert!(data.contains("List-Unsubscribe: <http://acme.localhost") && data.contains(&ids[0].to_string()));
    assert!(data.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{data}");
    assert!(data.contains("Subject: News for Ana") && data.contains("multipart/alternative"), "{data}");
    assert!(data.contains("Hello Ana"), "{data}");
    assert_eq!(row(&app, &acme, ids[1]).await.0, "skipped");
    assert_eq!(row(&app, &acme, ids[1]).await.1.as_deref(), Some("contact unsubscribed"));
    assert_eq!(row(&app, &acme, ids[2]).await.0, "skipped");
    assert_eq!(row(&app, &acme, ids[2]).await.1.as_deref(), Some("suppressed"));
    assert_eq!(row(&app, &acme, ids[3]).await.0, "skipped");
    assert_eq!(row(&app, &acme, ids[3]).await.1.as_deref(), Some("contact deleted"));

    // Nothing goes twice, however often the engine runs.
    app.run_jobs().await;
    engine::run(&app.state, acme.school.id, 100).await.unwrap();
    assert_eq!(received(&sink).len(), 1);
    // The send was announced.
    let mut conn = app.owner_conn().await;
    let sent: i64 =
        sqlx::query_scalar("select count(*) from events where kind = 'email.sent'").fetch_one(&mut conn).await.unwrap();
    assert_eq!(sent, 1);
}

#[tokio::test]
async fn a_dead_workers_claims_are_resumed_without_duplicates() {
    let (app, sink) = with_sink().await;
    let acme = app.school("acme").await;
    let to: Vec<String> = (0..5).map(|i| format!("p{i}@example.com")).collect();
    for a in &to {
        contact(&app, &acme, a, "P", "form", "subscribed").await;
    }
    let news = email(&app, &acme).await;
    let ids = queue(&app, &acme, news, &to.iter().map(String::as_str).collect::<Vec<_>>()).await;
    // A worker claimed all five, sent two, and was killed.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update email_deliveries set claimed_by = $1, claimed_until = $2")
        .bind(uuid::Uuid::now_v7())
        .bind(app.state.clock.now() + chrono::Duration::seconds(30))
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("update email_deliveries set status = 'sent', claimed_by = null where id in ($1, $2)")
        .bind(ids[0])
        .bind(ids[1])
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let run = engine::run(&app.state, acme.school.id, 100).await.unwrap();
    assert_eq!(run.sent, 0, "the claims still hold");
    assert!(received(&sink).is_empty());

    app.state.clock.advance(chrono::Duration::seconds(31));
    let run = engine::run(&app.state, acme.school.id, 100).await.unwrap();
    assert_eq!(run.sent, 3);
    app.run_jobs().await;
    let got = received(&sink);
    let mut rcpts: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    rcpts.sort();
    assert_eq!(rcpts, vec!["p2@example.com", "p3@example.com", "p4@example.com"]);
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_later_and_a_permanent_one_fails_and_suppresses() {
    let (app, sink) = with_sink().await;
    let acme = app.school("acme").await;
    contact(&app, &acme, "later@example.com", "Lu", "form", "subscribed").await;
    contact(&app, &acme, "gone@example.com", "Gil", "form", "subscribed").await;
    sink.reject("later@example.com", "451 4.3.0 Try again later");
    sink.reject("gone@example.com", "550 5.1.1 No such user");
    let news = email(&app, &acme).await;
    let ids = queue(&app, &acme, news, &["later@example.com", "gone@example.com"]).await;

    let run = engine::run(&app.state, acme.school.id, 100).await.unwrap();
    assert_eq!((run.sent, run.retried, run.failed), (0, 1, 1), "{run:?}");
    let (status, error, _, attempts) = row(&app, &acme, ids[0]).await;
    assert_eq!((status.as_str(), attempts), ("queued", 1));
    assert!(error.unwrap().contains("Try again later"));
    let (status, error, _, _) = row(&app, &acme, ids[1]).await;
    assert_eq!(status, "failed");
    assert!(error.unwrap().contains("No such user"));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(suppression::is_suppressed(&mut tx, "gone@example.com").await.unwrap());
    let bounced: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("select bounced_at from email_deliveries where id = $1")
            .bind(ids[1])
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    assert!(bounced.is_some());
    tx.commit().await.unwrap();

    // Not before its backoff.
    sink.accept("later@example.com");
    assert_eq!(engine::run(&app.state, acme.school.id, 100).await.unwrap().sent, 0);
    app.state.clock.advance(chrono::Duration::minutes(3));
    assert_eq!(engine::run(&app.state, acme.school.id, 100).await.unwrap().sent, 1);
    assert_eq!(row(&app, &acme, ids[0]).await.0, "sent");
    assert_eq!(received(&sink).len(), 1);
}

#[tokio::test]
async fn without_smtp_the_message_is_kept_for_the_dev_mailbox() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let news = email(&app, &acme).await;
    let ids = queue(&app, &acme, news, &["ana@example.com"]).await;
    app.run_jobs().await;
    assert_eq!(row(&app, &acme, ids[0]).await.0, "sent");
    let mails = app.mails(&acme).await;
    let kept = mails.iter().find(|m| m.to_email == "ana@example.com").expect("kept mail");
    assert_eq!((kept.status.as_str(), kept.subject.as_str()), ("kept", "News for Ana"));
    assert!(kept.html.contains("Hello Ana"));
}

#[tokio::test]
async fn the_engine_of_one_school_never_sends_another_schools_rows() {
    let (app, sink) = with_sink().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    contact(&app, &globex, "gus@example.com", "Gus", "form", "subscribed").await;
    let a = email(&app, &acme).await;
    let g = email(&app, &globex).await;
    queue(&app, &acme, a, &["ana@example.com"]).await;
    let theirs = queue(&app, &globex, g, &["gus@example.com"]).await;

    let run = engine::run(&app.state, acme.school.id, 100).await.unwrap();
    assert_eq!(run.sent, 1);
    let got = received(&sink);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["ana@example.com".to_string()]);
    assert_eq!(row(&app, &globex, theirs[0]).await.0, "queued");
    // Through acme's transaction globex's rows do not exist.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let visible: i64 = sqlx::query_scalar("select count(*) from email_deliveries").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(visible, 1);
    tx.commit().await.unwrap();
}
