//! Helpers for the broadcasts tests: contacts with tags, fields and history; a broadcast made,
//! saved and sent through the admin; its deliveries as stored.

use chrono::{DateTime, Utc};
use marketing::{
    contacts::{self, Incoming},
    contacts_store as cs,
    email::broadcasts::BroadcastId,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Browser, TestApp, TestSchool, location};

/// Makes a contact with `status`, custom `fields` and `tags`; returns its id.
pub async fn contact(
    app: &TestApp,
    school: &TestSchool,
    email: &str,
    status: &'static str,
    fields: Value,
    tags: &[&str],
) -> Uuid {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let who = Incoming {
        email: email.into(),
        first_name: Some(email.split('@').next().unwrap().into()),
        fields: fields.as_object().cloned().unwrap_or_default(),
        source: json!({ "kind": "form" }),
        status: Some(status),
        ..Default::default()
    };
    let (id, _) = contacts::upsert(&app.state, &mut tx, who).await.unwrap();
    let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
    contacts::tag(&app.state, &mut tx, id, &tags).await.unwrap();
    tx.commit().await.unwrap();
    id.0
}

/// Records an activity row (`purchase`, `enrolled`, `completed`) for a contact.
pub async fn activity(app: &TestApp, school: &TestSchool, contact: Uuid, kind: &str, detail: Value) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    cs::activity_once(&mut tx, marketing::ContactId(contact), kind, &detail, app.state.clock.now(), Uuid::now_v7())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Runs one statement in the school's transaction with `$1` the tenant and `$2` a text.
pub async fn exec(app: &TestApp, school: &TestSchool, sql: &'static str, arg: &str) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(sql).bind(school.school.id).bind(arg).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// Makes a broadcast through the admin; returns its id.
pub async fn new_broadcast(b: &Browser, name: &str, subject: &str) -> String {
    let res = b.post_form("/admin/broadcasts", &[("name", name), ("subject", subject)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    let to = location(&res);
    to.trim_start_matches("/admin/broadcasts/").trim_end_matches("/edit").to_string()
}

/// Saves the editor with `fields` and `intent=review`; returns the response.
pub async fn review(b: &Browser, id: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut all = fields.to_vec();
    all.push(("intent", "review"));
    b.post_form(&format!("/admin/broadcasts/{id}/edit"), &all).await
}

/// Reviews and confirms: the broadcast is scheduled (now, or at its time).
pub async fn send(b: &Browser, id: &str, fields: &[(&str, &str)]) {
    let res = review(b, id, fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    assert_eq!(location(&res), format!("/admin/broadcasts/{id}/confirm"));
    let res = b.post_form(&format!("/admin/broadcasts/{id}/send"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/admin/broadcasts/{id}"));
}

/// Starts the broadcast now (what its job does when its time has come).
pub async fn start(app: &TestApp, school: &TestSchool, id: &str) -> Option<u64> {
    let id: BroadcastId = id.parse().unwrap();
    marketing::email::broadcasts::start(&app.state, school.school.id, id).await.unwrap()
}

/// One delivery as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub to_email: String,
    pub status: String,
    pub subject: Option<String>,
    pub not_before: DateTime<Utc>,
}

/// The broadcast's deliveries, by address.
pub async fn deliveries(app: &TestApp, school: &TestSchool, id: &str) -> Vec<Row> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let rows = sqlx::query_as(
        "select to_email, status, subject, not_before from email_deliveries
         where tenant_id = $1 and broadcast_id = $2 order by to_email",
    )
    .bind(school.school.id)
    .bind(id.parse::<Uuid>().unwrap())
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    rows
}

/// The addresses of the deliveries.
pub fn to(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| r.to_email.as_str()).collect()
}

/// The broadcast's status.
pub async fn status(app: &TestApp, school: &TestSchool, id: &str) -> String {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let s = sqlx::query_scalar("select status from broadcasts where tenant_id = $1 and id = $2")
        .bind(school.school.id)
        .bind(id.parse::<Uuid>().unwrap())
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    s
}
