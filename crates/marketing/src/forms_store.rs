//! SQL for forms, their submissions and the one-time links they send. Every function takes the
//! school's transaction.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;
use uuid::Uuid;

use crate::{
    forms::Draft,
    model::{ContactId, FormId},
};

/// A form in the admin list, with how it did.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct FormStats {
    /// The form.
    pub id: FormId,
    /// How many submissions it had.
    pub submissions: i64,
    /// How many of them are confirmed.
    pub confirmed: i64,
}

/// Saves a new form.
pub async fn insert(tx: &mut TenantTx, id: FormId, d: &Draft, embed_key: &str) -> sqlx::Result<()> {
    sqlx::query("insert into forms (tenant_id, id, name, embed_key) values ($1, $2, $3, $4)")
        .bind(tx.tenant())
        .bind(id)
        .bind(&d.name)
        .bind(embed_key)
        .execute(&mut **tx)
        .await?;
    update(tx, id, d).await
}

/// Saves a form's settings.
pub async fn update(tx: &mut TenantTx, id: FormId, d: &Draft) -> sqlx::Result<()> {
    let page: Option<Uuid> = if d.after == "page" { d.thank_you_page_id.parse().ok() } else { None };
    let url = (d.after == "url").then(|| d.thank_you_url.clone());
    sqlx::query(
        "update forms set name = $3, fields = $4, consent_text = $5, consent_required = $6, double_opt_in = $7, \
         tags = $8, lead_magnet = $9, button_label = $10, thank_you_page_id = $11, thank_you_url = $12 \
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&d.name)
    .bind(d.fields_json())
    .bind(&d.consent_text)
    .bind(d.consent_required)
    .bind(d.double_opt_in)
    .bind(d.tag_list())
    .bind(d.magnet_json())
    .bind(&d.button_label)
    .bind(page)
    .bind(url)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Puts a form away or brings it back.
pub async fn set_archived(tx: &mut TenantTx, id: FormId, at: Option<DateTime<Utc>>) -> sqlx::Result<()> {
    sqlx::query("update forms set archived_at = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Submission counts of every form that had any.
pub async fn stats(tx: &mut TenantTx) -> sqlx::Result<Vec<FormStats>> {
    sqlx::query_as(
        "select form_id as id, count(*) as submissions, count(*) filter (where status = 'confirmed') as confirmed \
         from form_submissions where tenant_id = $1 group by form_id",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// A submission to keep.
#[derive(Debug)]
pub struct NewSubmission<'a> {
    /// The form.
    pub form: FormId,
    /// Who.
    pub contact: ContactId,
    /// The built page it was on.
    pub page: Option<Uuid>,
    /// The page's A/B variant.
    pub variant: &'a str,
    /// What was typed (the email and other fields).
    pub data: serde_json::Value,
    /// The UTM parameters of the page's address.
    pub utm: serde_json::Value,
    /// The confirmation token's hash and expiry, with double opt-in.
    pub confirm: Option<(String, DateTime<Utc>)>,
}

/// Records a submission; returns its id.
pub async fn insert_submission(tx: &mut TenantTx, s: &NewSubmission<'_>) -> sqlx::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into form_submissions (tenant_id, id, form_id, contact_id, page_id, variant, data, utm, status, \
         confirm_token_hash, confirm_expires_at, confirmed_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, case when $9 = 'confirmed' then now() end)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(s.form)
    .bind(s.contact)
    .bind(s.page)
    .bind(s.variant)
    .bind(&s.data)
    .bind(&s.utm)
    .bind(if s.confirm.is_some() { "pending" } else { "confirmed" })
    .bind(s.confirm.as_ref().map(|c| c.0.clone()))
    .bind(s.confirm.as_ref().map(|c| c.1))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A submission waiting for its confirmation link.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Pending {
    /// The submission.
    pub id: Uuid,
    /// Its form.
    pub form_id: FormId,
    /// Its contact.
    pub contact_id: ContactId,
    /// Whether it was confirmed already.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// When the link stops working.
    pub confirm_expires_at: Option<DateTime<Utc>>,
}

/// The submission whose confirmation token hashes to `hash`, locked.
pub async fn by_confirm_hash(tx: &mut TenantTx, hash: &str) -> sqlx::Result<Option<Pending>> {
    sqlx::query_as(
        "select id, form_id, contact_id, confirmed_at, confirm_expires_at from form_submissions \
         where tenant_id = $1 and confirm_token_hash = $2 for update",
    )
    .bind(tx.tenant())
    .bind(hash)
    .fetch_optional(&mut **tx)
    .await
}

/// Marks a submission confirmed; its link is spent.
pub async fn confirm(tx: &mut TenantTx, id: Uuid, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("update form_submissions set status = 'confirmed', confirmed_at = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A lead magnet's download link as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Link {
    /// Its id.
    pub id: Uuid,
    /// The form that sent it.
    pub form_id: FormId,
    /// Whose it is.
    pub contact_id: ContactId,
    /// The library file.
    pub media_id: media::MediaId,
    /// Downloads so far.
    pub uses: i32,
    /// Downloads allowed.
    pub max_uses: i32,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Stores a download link by its token's hash.
pub async fn insert_link(
    tx: &mut TenantTx,
    form: FormId,
    contact: ContactId,
    media: media::MediaId,
    hash: &str,
    max_uses: i32,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into lead_magnet_links (tenant_id, id, form_id, contact_id, media_id, token_hash, max_uses, expires_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tx.tenant())
    .bind(Uuid::now_v7())
    .bind(form)
    .bind(contact)
    .bind(media)
    .bind(hash)
    .bind(max_uses)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The link whose token hashes to `hash`, locked.
pub async fn link_by_hash(tx: &mut TenantTx, hash: &str) -> sqlx::Result<Option<Link>> {
    sqlx::query_as(
        "select id, form_id, contact_id, media_id, uses, max_uses, expires_at from lead_magnet_links \
         where tenant_id = $1 and token_hash = $2 for update",
    )
    .bind(tx.tenant())
    .bind(hash)
    .fetch_optional(&mut **tx)
    .await
}

/// Counts one download.
pub async fn use_link(tx: &mut TenantTx, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("update lead_magnet_links set uses = uses + 1 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
