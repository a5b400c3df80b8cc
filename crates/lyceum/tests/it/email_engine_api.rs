//! The engine behind an HTTP sending API (Postmark), against a mock server on loopback: the
//! message is posted with the server token, an inactive recipient is a permanent refusal, a
//! server error a temporary one.

use std::sync::{Arc, Mutex};

use axum::{Json, Router, extract::State, http::HeaderMap, routing::post};
use marketing::email::engine::transport::{AlwaysHand, Handed, Outgoing, Postmark, SendError, Transport};
use serde_json::{Value, json};

use crate::{
    email_engine::{email, queue, row},
    marketing_contacts::contact,
    support::TestApp,
};

type Seen = Arc<Mutex<Vec<(Option<String>, Value)>>>;

async fn mock() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route(
            "/email",
            post(|State(seen): State<Seen>, headers: HeaderMap, Json(body): Json<Value>| async move {
                let token = headers.get("x-postmark-server-token").and_then(|v| v.to_str().ok()).map(str::to_string);
                let to = body["To"].as_str().unwrap_or_default().to_string();
                seen.lock().unwrap().push((token, body));
                match to.as_str() {
                    "inactive@example.com" => (
                        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                        Json(json!({ "ErrorCode": 406, "Message": "Inactive recipient" })),
                    ),
                    "busy@example.com" => (axum::http::StatusCode::SERVICE_UNAVAILABLE, Json(json!({}))),
                    _ => (axum::http::StatusCode::OK, Json(json!({ "ErrorCode": 0, "MessageID": "pm-1" }))),
                }
            }),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, seen)
}

fn message(to: &str) -> Outgoing {
    Outgoing {
        envelope_from: "hello@lyceum.test".into(),
        to: to.into(),
        raw: vec![],
        from_header: "Acme <hello@lyceum.test>".into(),
        subject: "Hi".into(),
        html: "<p>Hi</p>".into(),
        text: "Hi".into(),
        headers: vec![("List-Unsubscribe".into(), "<http://acme.localhost/e/u/1>".into())],
    }
}

#[tokio::test]
async fn the_postmark_transport_tells_permanent_from_temporary_refusals() {
    let (base, seen) = mock().await;
    let api = Postmark::new(&base, "tok");
    assert_eq!(api.send(&message("ana@example.com"), &AlwaysHand).await.unwrap(), Handed::Accepted);
    assert!(matches!(api.send(&message("inactive@example.com"), &AlwaysHand).await, Err(SendError::Permanent(_))));
    assert!(matches!(api.send(&message("busy@example.com"), &AlwaysHand).await, Err(SendError::Temporary(_))));
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].0.as_deref(), Some("tok"));
    assert_eq!(seen[0].1["Headers"][0]["Name"], "List-Unsubscribe");
}

#[tokio::test]
async fn the_engine_sends_through_the_api_when_configured() {
    let (base, seen) = mock().await;
    let spec = format!("postmark:tok@{base}");
    let app = TestApp::with(|c| c.email_api = Some(spec.into())).await;
    let acme = app.school("acme").await;
    contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let news = email(&app, &acme).await;
    let ids = queue(&app, &acme, news, &["ana@example.com"]).await;
    app.run_jobs().await;
    assert_eq!(row(&app, &acme, ids[0]).await.0, "sent");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].1["Subject"], "News for Ana");
    assert!(seen[0].1["HtmlBody"].as_str().unwrap().contains("Hello Ana"));
}
