//! The email library: list, save with a revision (a stale editor gets a conflict), duplicate,
//! delete (refused while a send uses the email), and the contacts a preview may be made for.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;
use uuid::Uuid;

use super::{Email, Recipient};
use crate::{email::EmailId, model::ContactId};

/// A row of the library.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Summary {
    /// Id.
    pub id: EmailId,
    /// Name.
    pub name: String,
    /// Subject.
    pub subject: String,
    /// Last saved.
    pub updated_at: DateTime<Utc>,
    /// Broadcasts that sent it.
    pub broadcasts: i64,
    /// Automations that sent it.
    pub automations: i64,
}

/// The school's emails, last edited first.
pub async fn list(tx: &mut TenantTx) -> sqlx::Result<Vec<Summary>> {
    sqlx::query_as(
        "select e.id, e.name, e.subject, e.updated_at,
                (select count(distinct d.broadcast_id) from email_deliveries d
                  where d.tenant_id = e.tenant_id and d.email_id = e.id and d.broadcast_id is not null) as broadcasts,
                (select count(distinct d.automation_id) from email_deliveries d
                  where d.tenant_id = e.tenant_id and d.email_id = e.id and d.automation_id is not null) as automations
         from emails e where e.tenant_id = $1 order by e.updated_at desc, e.id desc limit 500",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// What the editor saves.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Draft {
    /// The revision the editor started from.
    pub revision: i32,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Subject.
    #[serde(default)]
    pub subject: String,
    /// Preheader.
    #[serde(default)]
    pub preheader: String,
    /// `{"blocks": [...]}`.
    pub doc: serde_json::Value,
    /// The edited plain-text part (`None`: generated).
    #[serde(default)]
    pub text_body: Option<String>,
}

/// Why a save did not happen.
#[derive(Debug)]
pub enum SaveError {
    /// Someone saved since: the current revision and when.
    Conflict {
        /// Current revision.
        revision: i32,
        /// Saved at.
        at: DateTime<Utc>,
    },
    /// The database.
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        Self::Db(e)
    }
}

fn clip(s: &str, n: usize) -> String {
    s.trim().chars().take(n).collect()
}

/// Saves `d` (a cleaned document) over revision `d.revision`; the new revision.
pub async fn save(tx: &mut TenantTx, id: EmailId, d: &Draft, doc: &serde_json::Value) -> Result<i32, SaveError> {
    let row: Option<(i32,)> = sqlx::query_as(
        "update emails set name = $3, subject = $4, preheader = $5, doc = $6, text_body = $7, revision = revision + 1
         where tenant_id = $1 and id = $2 and revision = $8 returning revision",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(clip(&d.name, 200))
    .bind(clip(&d.subject, 300))
    .bind(clip(&d.preheader, 300))
    .bind(doc)
    .bind(d.text_body.as_deref().map(str::trim).filter(|t| !t.is_empty()))
    .bind(d.revision)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((rev,)) = row {
        return Ok(rev);
    }
    let (revision, at): (i32, DateTime<Utc>) =
        sqlx::query_as("select revision, updated_at from emails where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    Err(SaveError::Conflict { revision, at })
}

/// A copy of `email` named `name`.
pub async fn duplicate(tx: &mut TenantTx, email: &Email, name: &str, by: Option<Uuid>) -> sqlx::Result<EmailId> {
    let id = EmailId::new();
    sqlx::query(
        "insert into emails (tenant_id, id, name, subject, preheader, doc, text_body, topic, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(clip(name, 200))
    .bind(&email.subject)
    .bind(&email.preheader)
    .bind(&email.doc)
    .bind(&email.text_body)
    .bind(&email.topic)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Why the email may not be deleted (a Fluent key), when something uses it: a broadcast or
/// automation that sent or will send it. Broadcasts and automations may add their own checks.
pub async fn in_use(tx: &mut TenantTx, id: EmailId) -> sqlx::Result<Option<&'static str>> {
    let used: Option<(String,)> = sqlx::query_as(
        "select source from email_deliveries where tenant_id = $1 and email_id = $2 and source <> 'test' limit 1",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(used.map(|(s,)| if s == "automation" { "email-editor-used-automation" } else { "email-editor-used-broadcast" }))
}

/// Deletes the email (its test deliveries go with it).
pub async fn delete(tx: &mut TenantTx, id: EmailId) -> sqlx::Result<()> {
    sqlx::query("delete from emails where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A contact a preview may be made for.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ContactChoice {
    /// Id.
    pub id: ContactId,
    /// Address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Custom fields.
    pub fields: serde_json::Value,
}

/// Contacts whose address or name holds `q`, at most 10.
pub async fn contacts(tx: &mut TenantTx, q: &str) -> sqlx::Result<Vec<ContactChoice>> {
    let pattern = format!("%{}%", q.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    sqlx::query_as(
        "select id, email, first_name, last_name, fields from contacts
         where tenant_id = $1 and (email ilike $2 or first_name ilike $2 or last_name ilike $2)
         order by created_at desc limit 10",
    )
    .bind(tx.tenant())
    .bind(pattern)
    .fetch_all(&mut **tx)
    .await
}

/// One contact of the school as a preview recipient.
pub async fn contact(tx: &mut TenantTx, id: ContactId) -> sqlx::Result<Option<ContactChoice>> {
    sqlx::query_as("select id, email, first_name, last_name, fields from contacts where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

impl ContactChoice {
    /// The merge data of this contact, with sample links.
    pub fn recipient(&self, base_url: &str) -> Recipient {
        Recipient {
            contact_id: Some(self.id),
            email: self.email.clone(),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            fields: self.fields.clone(),
            unsubscribe_url: format!("{base_url}/e/u/preview"),
            preferences_url: format!("{base_url}/e/p/preview"),
            extra: serde_json::Value::Null,
        }
    }
}
