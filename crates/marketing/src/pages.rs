//! The page builder's rules: making a page from a template, saving a draft (refused from a
//! stale tab), publishing a version, restoring an earlier one, choosing the home page.

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx};
use uuid::Uuid;

use crate::{
    model::{Page, PageId},
    page_templates,
    sections::{self, Document, Problems},
    store,
};

/// Why a change to a page was refused.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// No such page in this school.
    #[error("no such page")]
    NotFound,
    /// The draft changed since the editor loaded it.
    #[error("the draft changed")]
    Conflict {
        /// The revision now stored.
        revision: i32,
        /// Who saved it.
        by: Option<Uuid>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Fields to fix, by place (see [`sections::clean`]).
    #[error("invalid page")]
    Invalid(Problems),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Longest page title.
pub const TITLE_MAX: usize = 200;

/// `title` as an address: lower case letters, digits and single hyphens, at most 80.
pub fn slug_from(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 80 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Whether `slug` may be a page's address.
pub fn slug_ok(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug.split('-').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// Problems with a title and address, as field → Fluent key.
pub async fn check_name(tx: &mut TenantTx, title: &str, slug: &str, except: Option<PageId>) -> sqlx::Result<Problems> {
    let mut p = Problems::new();
    if title.trim().is_empty() {
        p.insert("title".into(), "page-error-title");
    } else if title.chars().count() > TITLE_MAX {
        p.insert("title".into(), "page-error-too-long");
    }
    if !slug_ok(slug) {
        p.insert("slug".into(), "page-error-slug");
    } else if store::slug_taken(tx, slug, except).await? {
        p.insert("slug".into(), "page-error-slug-taken");
    }
    Ok(p)
}

/// Makes a page from `template` (see [`page_templates`]); its draft is the template's sections.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn create(
    state: &AppState,
    tx: &mut TenantTx,
    title: &str,
    slug: &str,
    template: &str,
    by: Option<Uuid>,
) -> Result<PageId, PageError> {
    let title = title.trim();
    let problems = check_name(tx, title, slug, None).await?;
    if !problems.is_empty() {
        return Err(PageError::Invalid(problems));
    }
    let template = page_templates::find(template).map(|t| t.name).unwrap_or("blank");
    let doc = page_templates::document(template, title);
    let doc = sections::clean(&doc).map_err(PageError::Invalid)?;
    let id = PageId::new();
    store::insert_page(tx, id, slug, title, template, &doc, by).await?;
    state
        .events
        .publish(tx, "page.created", serde_json::json!({ "page_id": id, "slug": slug, "template": template }))
        .await?;
    Ok(id)
}

/// Saves a draft made from revision `base`; refused with [`PageError::Conflict`] when another
/// save came first. Returns the new revision.
pub async fn save_draft(
    state: &AppState,
    tx: &mut TenantTx,
    id: PageId,
    base: i32,
    doc: &Document,
    by: Option<Uuid>,
) -> Result<i32, PageError> {
    let page = store::page_for_update(tx, id).await?.ok_or(PageError::NotFound)?;
    if page.draft_revision != base {
        return Err(PageError::Conflict {
            revision: page.draft_revision,
            by: page.draft_saved_by,
            at: page.draft_saved_at,
        });
    }
    let doc = sections::clean(doc).map_err(PageError::Invalid)?;
    Ok(store::save_draft(tx, id, &doc, by, state.clock.now()).await?)
}

/// Publishes the draft as the next version; returns its number.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn publish(state: &AppState, tx: &mut TenantTx, id: PageId, by: Option<Uuid>) -> Result<i32, PageError> {
    let page = store::page_for_update(tx, id).await?.ok_or(PageError::NotFound)?;
    let doc = sections::clean(&page.draft).map_err(PageError::Invalid)?;
    let number = store::last_version(tx, id).await? + 1;
    store::insert_version(tx, id, number, &page.title, &doc, by, state.clock.now()).await?;
    state
        .events
        .publish(
            tx,
            "page.published",
            serde_json::json!({ "page_id": id, "slug": page.slug, "version": number, "is_home": page.is_home }),
        )
        .await?;
    crate::render::forget(state, tx.tenant());
    Ok(number)
}

/// Copies version `number` back into the draft (publishing it is a separate step).
pub async fn restore(
    state: &AppState,
    tx: &mut TenantTx,
    id: PageId,
    number: i32,
    by: Option<Uuid>,
) -> Result<i32, PageError> {
    let page = store::page_for_update(tx, id).await?.ok_or(PageError::NotFound)?;
    let v = store::version(tx, id, number).await?.ok_or(PageError::NotFound)?;
    let doc = sections::clean(&v.document).map_err(PageError::Invalid)?;
    let _ = page;
    Ok(store::save_draft(tx, id, &doc, by, state.clock.now()).await?)
}

/// Takes a page off the site; its versions stay and it can be published again.
pub async fn unpublish(state: &AppState, tx: &mut TenantTx, id: PageId) -> Result<(), PageError> {
    store::page_for_update(tx, id).await?.ok_or(PageError::NotFound)?;
    store::unpublish(tx, id).await?;
    crate::render::forget(state, tx.tenant());
    Ok(())
}

/// Makes `id` the page visitors see at `/`.
pub async fn make_home(state: &AppState, tx: &mut TenantTx, id: PageId) -> Result<(), PageError> {
    store::page_for_update(tx, id).await?.ok_or(PageError::NotFound)?;
    store::set_home(tx, id).await?;
    crate::render::forget(state, tx.tenant());
    Ok(())
}

/// The document visitors see for `page`: its published version, if any.
pub async fn published(tx: &mut TenantTx, page: &Page) -> sqlx::Result<Option<Document>> {
    match page.published_version {
        Some(n) if page.archived_at.is_none() => Ok(store::version(tx, page.id, n).await?.map(|v| v.document)),
        _ => Ok(None),
    }
}

/// Copies page `id` into a new draft page titled `title`, at the first free address made
/// from its own (`{slug}-copy`, `{slug}-copy-2`, …). Returns the new page's id.
pub async fn duplicate(
    state: &AppState,
    tx: &mut TenantTx,
    id: PageId,
    title: &str,
    by: Option<Uuid>,
) -> Result<PageId, PageError> {
    let page = store::page(tx, id).await?.ok_or(PageError::NotFound)?;
    let base: String = format!("{}-copy", page.slug).chars().take(72).collect();
    let base = base.trim_end_matches('-').to_string();
    let mut slug = base.clone();
    let mut n = 2;
    while store::slug_taken(tx, &slug, None).await? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let title: String = title.chars().take(TITLE_MAX).collect();
    let new = PageId::new();
    store::insert_page(tx, new, &slug, &title, &page.template, &page.draft, by).await?;
    state
        .events
        .publish(tx, "page.created", serde_json::json!({ "page_id": new, "slug": slug, "template": page.template }))
        .await?;
    Ok(new)
}

/// Renames page `id` and moves it to `slug`, refused with [`PageError::Invalid`] (keys
/// `title`, `slug`) when either is not acceptable.
pub async fn rename(state: &AppState, tx: &mut TenantTx, id: PageId, title: &str, slug: &str) -> Result<(), PageError> {
    let page = store::page_for_update(tx, id).await?.ok_or(PageError::NotFound)?;
    let title = title.trim();
    if title == page.title && slug == page.slug {
        return Ok(());
    }
    let problems = check_name(tx, title, slug, Some(id)).await?;
    if !problems.is_empty() {
        return Err(PageError::Invalid(problems));
    }
    store::rename_page(tx, id, title, slug).await?;
    crate::render::forget(state, tx.tenant());
    Ok(())
}

/// Puts page `id` away (off the site, out of the way in the list), or brings it back as a draft.
pub async fn archive(state: &AppState, tx: &mut TenantTx, id: PageId, archived: bool) -> Result<(), PageError> {
    store::page_for_update(tx, id).await?.ok_or(PageError::NotFound)?;
    store::set_archived(tx, id, archived.then(|| state.clock.now())).await?;
    crate::render::forget(state, tx.tenant());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_titles_and_are_checked() {
        assert_eq!(slug_from("  Watercolor Masterclass — 2027!"), "watercolor-masterclass-2027");
        assert!(slug_ok("free-guide") && !slug_ok("Free") && !slug_ok("a--b") && !slug_ok("-a") && !slug_ok(""));
    }
}
