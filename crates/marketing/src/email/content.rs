//! Emails as written: blocks, subject, preheader and merge fields, rendered once per send
//! through MJML ([`prepare`]) and then per recipient ([`Prepared::personalise`]), which only fills
//! in merge fields so a send to 100,000 contacts renders the layout once.
//!
//! FOUNDATION STUB: the editor helper replaces the bodies; the signatures are the contract the
//! engine, broadcasts and automations call.

use axum::Router;
use kernel::{AppState, db::TenantTx, web::School};
use serde::Serialize;
use uuid::Uuid;

use super::EmailId;
use crate::model::ContactId;

/// An email as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Email {
    /// Its id.
    pub id: EmailId,
    /// Its name in the admin.
    pub name: String,
    /// Subject line (may hold merge fields).
    pub subject: String,
    /// The preview text shown after the subject in an inbox.
    pub preheader: String,
    /// `{"blocks": [...]}`.
    pub doc: serde_json::Value,
    /// The plain-text part as edited; `None` means generated from the blocks.
    pub text_body: Option<String>,
    /// The preference-centre topic it belongs to ('' = none).
    pub topic: String,
    /// Increases with every save.
    pub revision: i32,
}

/// Who an email is personalised for: the merge data.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Recipient {
    /// The contact, when the recipient is one (a test send to staff is not).
    pub contact_id: Option<ContactId>,
    /// Address.
    pub email: String,
    /// First name ('' when unknown).
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Custom fields.
    pub fields: serde_json::Value,
    /// One-click unsubscribe address for this delivery (the footer's link).
    pub unsubscribe_url: String,
    /// Preference-centre address for this delivery.
    pub preferences_url: String,
    /// What the send is about, for merge fields such as `{{ course.title }}` or
    /// `{{ order.number }}` (an automation passes its trigger's data; `null` otherwise).
    pub extra: serde_json::Value,
}

/// A message ready to send to one person.
#[derive(Clone, Debug, Serialize)]
pub struct Rendered {
    /// Subject with merge fields filled in.
    pub subject: String,
    /// HTML body.
    pub html: String,
    /// Plain-text body.
    pub text: String,
}

/// Why an email cannot be rendered, in words for the creator.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A merge field that does not exist, or a malformed one.
    #[error("{0}")]
    Merge(String),
    /// The layout could not be built.
    #[error("{0}")]
    Layout(String),
}

/// An email rendered for one send, before personalisation.
#[derive(Clone, Debug)]
pub struct Prepared {
    subject: String,
    html: String,
    text: String,
}

/// One email of the school.
pub async fn find(tx: &mut TenantTx, id: EmailId) -> sqlx::Result<Option<Email>> {
    sqlx::query_as(
        "select id, name, subject, preheader, doc, text_body, topic, revision from emails where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Stores a new email and returns its id.
pub async fn create(
    tx: &mut TenantTx,
    name: &str,
    subject: &str,
    doc: serde_json::Value,
    by: Option<Uuid>,
) -> sqlx::Result<EmailId> {
    let id = EmailId::new();
    sqlx::query("insert into emails (tenant_id, id, name, subject, doc, created_by) values ($1, $2, $3, $4, $5, $6)")
        .bind(tx.tenant())
        .bind(id)
        .bind(name)
        .bind(subject)
        .bind(doc)
        .bind(by)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Renders the layout once for a send (brand, blocks, course and product cards looked up now).
pub async fn prepare(
    _state: &AppState,
    _tx: &mut TenantTx,
    _school: &School,
    email: &Email,
    subject: Option<&str>,
) -> Result<Prepared, RenderError> {
    let blocks = email.doc["blocks"].as_array().cloned().unwrap_or_default();
    let text: Vec<String> = blocks.iter().filter_map(|b| b["text"].as_str().map(str::to_string)).collect();
    let html = text.iter().map(|t| format!("<p>{}</p>", minijinja::HtmlEscape(t))).collect::<String>();
    Ok(Prepared { subject: subject.unwrap_or(&email.subject).to_string(), html, text: text.join("\n\n") })
}

impl Prepared {
    /// Fills in the merge fields for one recipient.
    pub fn personalise(&self, r: &Recipient) -> Result<Rendered, RenderError> {
        let fill =
            |s: &str| s.replace("{{ first_name }}", &r.first_name).replace("{{ unsubscribe_url }}", &r.unsubscribe_url);
        Ok(Rendered { subject: fill(&self.subject), html: fill(&self.html), text: fill(&self.text) })
    }
}

/// Jobs and subscriptions.
pub fn wire(_w: &mut kernel::state::Wiring) {}

/// The email editor's routes.
pub fn router() -> Router<AppState> {
    Router::new()
}
