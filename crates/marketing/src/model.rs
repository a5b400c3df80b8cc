//! Marketing's ids and rows as pages and services use them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::sections::Document;

kernel::id_type!(
    /// A built page.
    PageId
);
kernel::id_type!(
    /// An opt-in form.
    FormId
);
kernel::id_type!(
    /// A lead or customer.
    ContactId
);
kernel::id_type!(
    /// A label on contacts.
    TagId
);

/// A page as stored: its draft and which version visitors see.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Page {
    /// Its id.
    pub id: PageId,
    /// Its address: `/p/{slug}` (the home page is also at `/`).
    pub slug: String,
    /// Its name in the admin and the default `<title>`.
    pub title: String,
    /// The template it was started from.
    pub template: String,
    /// Whether it is the school's home page.
    pub is_home: bool,
    /// What the creator is editing.
    #[sqlx(json)]
    pub draft: Document,
    /// Increases with every saved draft (a stale tab's save is refused).
    pub draft_revision: i32,
    /// When the draft was last saved.
    pub draft_saved_at: DateTime<Utc>,
    /// Who saved it.
    pub draft_saved_by: Option<Uuid>,
    /// The version visitors see; none while unpublished.
    pub published_version: Option<i32>,
    /// When that version was published.
    pub published_at: Option<DateTime<Utc>>,
    /// When it was put away (unpublished and out of the list).
    pub archived_at: Option<DateTime<Utc>>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Last change to the row.
    pub updated_at: DateTime<Utc>,
}

impl Page {
    /// Where visitors find it.
    pub fn path(&self) -> String {
        if self.is_home { "/".to_string() } else { format!("/p/{}", self.slug) }
    }
}

/// One published version of a page.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PageVersion {
    /// The page.
    pub page_id: PageId,
    /// 1, 2, 3…
    pub number: i32,
    /// The page's title then.
    pub title: String,
    /// The sections and SEO then.
    #[sqlx(json)]
    pub document: Document,
    /// Who published it.
    pub published_by: Option<Uuid>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A contact as the list and their page show them.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Contact {
    /// Their id.
    pub id: ContactId,
    /// Their address, lower case.
    pub email: String,
    /// First name, possibly empty.
    pub first_name: String,
    /// Last name, possibly empty.
    pub last_name: String,
    /// Custom fields from forms and imports.
    pub fields: serde_json::Value,
    /// Their account at the school, when they have one.
    pub user_id: Option<Uuid>,
    /// `pending`, `subscribed` or `unsubscribed`.
    pub status: String,
    /// When they said no to email.
    pub unsubscribed_at: Option<DateTime<Utc>>,
    /// When mail to them stopped for another reason (a bounce, a complaint).
    pub suppressed_at: Option<DateTime<Utc>>,
    /// Why.
    pub suppression_reason: Option<String>,
    /// What they agreed to, when and where.
    pub consent: Option<serde_json::Value>,
    /// How they arrived.
    pub source: serde_json::Value,
    /// Whether they bought something.
    pub is_customer: bool,
    /// When they arrived.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// An opt-in form as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Form {
    /// Its id.
    pub id: FormId,
    /// Its name in the admin.
    pub name: String,
    /// The fields asked for, in order: `[{key, label, kind, required, options}]` (the email
    /// field is always there).
    pub fields: serde_json::Value,
    /// The consent checkbox's text; none shown when empty.
    pub consent_text: String,
    /// Whether the box must be ticked.
    pub consent_required: bool,
    /// Whether a confirmation email must be clicked before the contact is subscribed.
    pub double_opt_in: bool,
    /// Tags put on whoever submits it.
    pub tags: Vec<String>,
    /// What is delivered: `{kind: none|file|course|sequence, …}`.
    pub lead_magnet: serde_json::Value,
    /// The submit button's label (a default when empty).
    pub button_label: String,
    /// The built page visitors go to after submitting.
    pub thank_you_page_id: Option<Uuid>,
    /// Or a link, when no page is chosen.
    pub thank_you_url: Option<String>,
    /// The public key an embed on another site must send.
    pub embed_key: String,
    /// When it was put away.
    pub archived_at: Option<DateTime<Utc>>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}
