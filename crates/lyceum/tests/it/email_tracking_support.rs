//! Helpers for the email tracking tests: a contact, an email and deliveries already sent.

#![allow(dead_code)]

use marketing::{
    contacts::{self, Incoming},
    email::DeliveryId,
    model::ContactId,
};
use uuid::Uuid;

use crate::support::{TestApp, TestSchool};

/// A subscribed contact.
pub async fn subscriber(app: &TestApp, school: &TestSchool, email: &str) -> ContactId {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let who = Incoming {
        email: email.into(),
        first_name: Some("Ana".into()),
        source: serde_json::json!({ "kind": "form" }),
        status: Some("subscribed"),
        ..Default::default()
    };
    let (id, _) = contacts::upsert(&app.state, &mut tx, who).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// An email (written, to be sent).
pub async fn email(app: &TestApp, school: &TestSchool) -> Uuid {
    let id = Uuid::now_v7();
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query("insert into emails (tenant_id, id, name, subject) values ($1, $2, 'Launch', 'We launched')")
        .bind(school.school.id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Where a delivery comes from.
#[derive(Clone, Copy, Default)]
pub struct From {
    pub broadcast: Option<Uuid>,
    pub automation: Option<Uuid>,
    pub step: Option<&'static str>,
}

/// A delivery sent an hour ago (on the app's clock).
pub async fn sent(
    app: &TestApp,
    school: &TestSchool,
    email: Uuid,
    contact: Option<ContactId>,
    to: &str,
    from: From,
) -> DeliveryId {
    let id = DeliveryId::new();
    let at = app.state.clock.now() - chrono::Duration::hours(1);
    let source = if from.automation.is_some() { "automation" } else { "broadcast" };
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(
        "insert into email_deliveries (tenant_id, id, email_id, contact_id, to_email, source, broadcast_id,
           automation_id, step_id, status, sent_at, message_id, not_before)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'sent', $10, $11, $10)",
    )
    .bind(school.school.id)
    .bind(id)
    .bind(email)
    .bind(contact)
    .bind(to)
    .bind(source)
    .bind(from.broadcast)
    .bind(from.automation)
    .bind(from.step)
    .bind(at)
    .bind(format!("<{id}@test>"))
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A count from the school's rows (`$1` is the school).
pub async fn count(app: &TestApp, school: &TestSchool, sql: &'static str) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let n: i64 = sqlx::query_scalar(sql).bind(school.school.id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}

/// The `href`s of an HTML body.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).map(|s| s.replace("&amp;", "&")).collect()
}

/// A delivery's path on the school's site (the part after the base URL).
pub fn path_of(url: &str) -> String {
    let at = url.find("/e/").expect("a tracking link");
    url[at..].to_string()
}
