//! Emails as written: blocks, subject, preheader and merge fields, rendered once per send
//! through MJML ([`prepare`]) and then per recipient ([`Prepared::personalise`]), which only fills
//! in merge fields so a send to 100,000 contacts renders the layout once.
//!
//! The layout is built from blocks ([`blocks`]) as MJML and rendered by `mrml` ([`mjml`]);
//! merge fields ([`merge`]) travel through it as tokens. The admin pages are in [`routes`] and
//! [`store`] keeps the library (list, save with a revision, duplicate, delete).

pub mod blocks;
pub mod merge;
pub mod mjml;
mod routes;
pub mod store;

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
    subject: merge::Template,
    html: merge::Template,
    text: merge::Template,
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
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    email: &Email,
    subject: Option<&str>,
) -> Result<Prepared, RenderError> {
    let blocks = email.doc["blocks"].as_array().cloned().unwrap_or_default();
    let live = blocks::live(state, tx, school, &blocks).await.map_err(|e| RenderError::Layout(e.to_string()))?;
    let locale = school.default_locale;
    let t = move |k: &str| kernel::i18n::t(locale, k);
    let mut table = merge::Table::default();
    let subject = subject.unwrap_or(&email.subject);
    let subject_tok = table.tokenize(subject, "the subject")?;
    let mut m = mjml::Mjml { school, live: &live, table: &mut table, t: &t };
    let doc = m.document(subject, &email.preheader, &blocks)?;
    let text = match &email.text_body {
        Some(body) => m.table.tokenize(body, "the plain-text part")?,
        None => mjml::text(&mut m, &blocks)?,
    };
    let html = mjml::to_html(&doc)?;
    Ok(Prepared {
        subject: merge::Template::of(&subject_tok, &table, false),
        html: merge::Template::of(&html, &table, true),
        text: merge::Template::of(&text, &table, false),
    })
}

/// The plain-text part generated from the blocks, with merge fields as written (for the
/// editor's "regenerate from the email").
pub async fn generated_text(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    doc: &serde_json::Value,
) -> Result<String, RenderError> {
    let blocks = doc["blocks"].as_array().cloned().unwrap_or_default();
    let live = blocks::live(state, tx, school, &blocks).await.map_err(|e| RenderError::Layout(e.to_string()))?;
    let locale = school.default_locale;
    let t = move |k: &str| kernel::i18n::t(locale, k);
    let mut table = merge::Table::default();
    let mut m = mjml::Mjml { school, live: &live, table: &mut table, t: &t };
    let text = mjml::text(&mut m, &blocks)?;
    Ok(merge::Template::of(&text, &table, false).source())
}

/// Every merge tag of the email checked: the first problem, in words.
pub fn check(email: &Email) -> Result<(), RenderError> {
    merge::check(&email.subject, "the subject")?;
    merge::check(&email.preheader, "the preheader")?;
    if let Some(t) = &email.text_body {
        merge::check(t, "the plain-text part")?;
    }
    for b in blocks::walk(email.doc["blocks"].as_array().map(Vec::as_slice).unwrap_or_default()) {
        for (key, place) in [
            ("text", "a heading"),
            ("html", "a text block"),
            ("label", "a button's label"),
            ("url", "a button's link"),
            ("alt", "an image's description"),
            ("link", "an image's link"),
        ] {
            if let Some(s) = b[key].as_str() {
                merge::check(s, place)?;
            }
        }
    }
    Ok(())
}

impl Prepared {
    /// Fills in the merge fields for one recipient.
    pub fn personalise(&self, r: &Recipient) -> Result<Rendered, RenderError> {
        Ok(Rendered { subject: self.subject.fill(r), html: self.html.fill(r), text: self.text.fill(r) })
    }
}

/// Jobs and subscriptions.
pub fn wire(_w: &mut kernel::state::Wiring) {}

/// The email editor's routes.
pub fn router() -> Router<AppState> {
    routes::router()
}
