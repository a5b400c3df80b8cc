//! Marketing's SQL. Every function takes the school's transaction.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use sqlx::{AssertSqlSafe, types::Json};
use uuid::Uuid;

use crate::{
    model::{Contact, ContactId, Form, FormId, Page, PageId, PageVersion, TagId},
    sections::Document,
};

const PAGE: &str = "id, slug, title, template, is_home, draft, draft_revision, draft_saved_at, draft_saved_by, \
                    published_version, published_at, archived_at, created_at, updated_at";

/// Every page, the home page first, then the most recently changed.
pub async fn pages(tx: &mut TenantTx) -> sqlx::Result<Vec<Page>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {PAGE} from pages where tenant_id = $1 order by is_home desc, archived_at nulls first, updated_at desc"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// One page.
pub async fn page(tx: &mut TenantTx, id: PageId) -> sqlx::Result<Option<Page>> {
    sqlx::query_as(AssertSqlSafe(format!("select {PAGE} from pages where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// One page, locked for a change.
pub async fn page_for_update(tx: &mut TenantTx, id: PageId) -> sqlx::Result<Option<Page>> {
    sqlx::query_as(AssertSqlSafe(format!("select {PAGE} from pages where tenant_id = $1 and id = $2 for update")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// The page at `slug`.
pub async fn page_by_slug(tx: &mut TenantTx, slug: &str) -> sqlx::Result<Option<Page>> {
    sqlx::query_as(AssertSqlSafe(format!("select {PAGE} from pages where tenant_id = $1 and slug = $2")))
        .bind(tx.tenant())
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await
}

/// The school's home page, when one is built.
pub async fn home_page(tx: &mut TenantTx) -> sqlx::Result<Option<Page>> {
    sqlx::query_as(AssertSqlSafe(format!("select {PAGE} from pages where tenant_id = $1 and is_home")))
        .bind(tx.tenant())
        .fetch_optional(&mut **tx)
        .await
}

/// Whether `slug` is taken by another page.
pub async fn slug_taken(tx: &mut TenantTx, slug: &str, except: Option<PageId>) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from pages where tenant_id = $1 and slug = $2 and id is distinct from $3)",
    )
    .bind(tx.tenant())
    .bind(slug)
    .bind(except)
    .fetch_one(&mut **tx)
    .await
}

/// A new page whose draft is `doc`.
pub async fn insert_page(
    tx: &mut TenantTx,
    id: PageId,
    slug: &str,
    title: &str,
    template: &str,
    doc: &Document,
    by: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into pages (tenant_id, id, slug, title, template, draft, draft_saved_by) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(slug)
    .bind(title)
    .bind(template)
    .bind(Json(doc))
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces the draft and moves its revision on; returns the new revision.
pub async fn save_draft(
    tx: &mut TenantTx,
    id: PageId,
    doc: &Document,
    by: Option<Uuid>,
    at: DateTime<Utc>,
) -> sqlx::Result<i32> {
    sqlx::query_scalar(
        "update pages set draft = $3, draft_revision = draft_revision + 1, draft_saved_by = $4, draft_saved_at = $5 \
         where tenant_id = $1 and id = $2 returning draft_revision",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(Json(doc))
    .bind(by)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
}

/// Renames a page and moves it to `slug`.
pub async fn rename_page(tx: &mut TenantTx, id: PageId, title: &str, slug: &str) -> sqlx::Result<()> {
    sqlx::query("update pages set title = $3, slug = $4 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(title)
        .bind(slug)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records version `number` of a page and makes it the one visitors see.
pub async fn insert_version(
    tx: &mut TenantTx,
    page: PageId,
    number: i32,
    title: &str,
    doc: &Document,
    by: Option<Uuid>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into page_versions (tenant_id, page_id, number, title, document, published_by, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tx.tenant())
    .bind(page)
    .bind(number)
    .bind(title)
    .bind(Json(doc))
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "update pages set published_version = $3, published_at = $4, archived_at = null where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(page)
    .bind(number)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The highest version number of a page so far (0 before the first publish).
pub async fn last_version(tx: &mut TenantTx, page: PageId) -> sqlx::Result<i32> {
    sqlx::query_scalar("select coalesce(max(number), 0) from page_versions where tenant_id = $1 and page_id = $2")
        .bind(tx.tenant())
        .bind(page)
        .fetch_one(&mut **tx)
        .await
}

/// Takes a page off the site (its versions are kept).
pub async fn unpublish(tx: &mut TenantTx, page: PageId) -> sqlx::Result<()> {
    sqlx::query("update pages set published_version = null, published_at = null where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(page)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One published version.
pub async fn version(tx: &mut TenantTx, page: PageId, number: i32) -> sqlx::Result<Option<PageVersion>> {
    sqlx::query_as(
        "select page_id, number, title, document, published_by, created_at from page_versions \
         where tenant_id = $1 and page_id = $2 and number = $3",
    )
    .bind(tx.tenant())
    .bind(page)
    .bind(number)
    .fetch_optional(&mut **tx)
    .await
}

/// A page's versions, newest first.
pub async fn versions(tx: &mut TenantTx, page: PageId) -> sqlx::Result<Vec<PageVersion>> {
    sqlx::query_as(
        "select page_id, number, title, document, published_by, created_at from page_versions \
         where tenant_id = $1 and page_id = $2 order by number desc",
    )
    .bind(tx.tenant())
    .bind(page)
    .fetch_all(&mut **tx)
    .await
}

/// Makes `page` the home page (and no other).
pub async fn set_home(tx: &mut TenantTx, page: PageId) -> sqlx::Result<()> {
    sqlx::query("update pages set is_home = false where tenant_id = $1 and is_home and id <> $2")
        .bind(tx.tenant())
        .bind(page)
        .execute(&mut **tx)
        .await?;
    sqlx::query("update pages set is_home = true where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(page)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Puts a page away or brings it back.
pub async fn set_archived(tx: &mut TenantTx, page: PageId, at: Option<DateTime<Utc>>) -> sqlx::Result<()> {
    sqlx::query(
        "update pages set archived_at = $3, published_version = case when $3 is null then published_version end, \
         is_home = case when $3 is null then is_home else false end where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(page)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) const CONTACT: &str = "id, email, first_name, last_name, fields, user_id, status, unsubscribed_at, \
                                  suppressed_at, suppression_reason, consent, source, is_customer, created_at, updated_at";

/// The contact with `email` (lower case).
pub async fn contact_by_email(tx: &mut TenantTx, email: &str) -> sqlx::Result<Option<Contact>> {
    sqlx::query_as(AssertSqlSafe(format!("select {CONTACT} from contacts where tenant_id = $1 and email = $2")))
        .bind(tx.tenant())
        .bind(email)
        .fetch_optional(&mut **tx)
        .await
}

/// One contact.
pub async fn contact(tx: &mut TenantTx, id: ContactId) -> sqlx::Result<Option<Contact>> {
    sqlx::query_as(AssertSqlSafe(format!("select {CONTACT} from contacts where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// The tag named `name` (any case), made when missing.
pub async fn tag_id(tx: &mut TenantTx, name: &str) -> sqlx::Result<TagId> {
    if let Some(id) = sqlx::query_scalar("select id from tags where tenant_id = $1 and lower(name) = lower($2)")
        .bind(tx.tenant())
        .bind(name)
        .fetch_optional(&mut **tx)
        .await?
    {
        return Ok(id);
    }
    sqlx::query_scalar(
        "insert into tags (tenant_id, id, name) values ($1, $2, $3) \
         on conflict (tenant_id, lower(name)) do update set name = tags.name returning id",
    )
    .bind(tx.tenant())
    .bind(TagId::new())
    .bind(name)
    .fetch_one(&mut **tx)
    .await
}

/// Puts a tag on a contact; whether it was new on them.
pub async fn add_tag(tx: &mut TenantTx, contact: ContactId, tag: TagId) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "insert into contact_tags (tenant_id, contact_id, tag_id) values ($1, $2, $3) on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(contact)
    .bind(tag)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Takes a tag off a contact; whether it was on them.
pub async fn remove_tag(tx: &mut TenantTx, contact: ContactId, tag: TagId) -> sqlx::Result<bool> {
    let n = sqlx::query("delete from contact_tags where tenant_id = $1 and contact_id = $2 and tag_id = $3")
        .bind(tx.tenant())
        .bind(contact)
        .bind(tag)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// A contact's tags, by name.
pub async fn tags_of(tx: &mut TenantTx, contact: ContactId) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "select t.name from contact_tags ct join tags t on t.tenant_id = ct.tenant_id and t.id = ct.tag_id \
         where ct.tenant_id = $1 and ct.contact_id = $2 order by lower(t.name)",
    )
    .bind(tx.tenant())
    .bind(contact)
    .fetch_all(&mut **tx)
    .await
}

/// Notes something that happened to a contact.
pub async fn insert_activity(
    tx: &mut TenantTx,
    contact: ContactId,
    kind: &str,
    detail: &serde_json::Value,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into contact_activity (tenant_id, id, contact_id, kind, detail, occurred_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tx.tenant())
    .bind(Uuid::now_v7())
    .bind(contact)
    .bind(kind)
    .bind(detail)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const FORM: &str = "id, name, fields, consent_text, consent_required, double_opt_in, tags, lead_magnet, button_label, \
                    thank_you_page_id, thank_you_url, embed_key, archived_at, created_at, updated_at";

/// Every form, newest first.
pub async fn forms(tx: &mut TenantTx) -> sqlx::Result<Vec<Form>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {FORM} from forms where tenant_id = $1 order by archived_at nulls first, created_at desc"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// One form.
pub async fn form(tx: &mut TenantTx, id: FormId) -> sqlx::Result<Option<Form>> {
    sqlx::query_as(AssertSqlSafe(format!("select {FORM} from forms where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}
