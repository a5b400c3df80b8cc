//! FOUNDATION STUB for tracking (opens, signed clicks, one-click unsubscribe, the preference
//! centre, revenue, reports); its helper replaces the bodies and keeps the signatures.

use axum::Router;
use kernel::{AppState, db::TenantTx};

use super::DeliveryId;
use crate::model::ContactId;

/// The per-delivery addresses a message carries.
#[derive(Clone, Debug, Default)]
pub struct Links {
    /// One-click unsubscribe (RFC 8058): the `List-Unsubscribe` header and the footer link.
    pub unsubscribe: String,
    /// The preference centre.
    pub preferences: String,
}

/// The unsubscribe and preference-centre addresses of one delivery on the school's site.
pub fn links(_state: &AppState, base_url: &str, delivery: DeliveryId) -> Links {
    Links { unsubscribe: format!("{base_url}/e/u/{delivery}"), preferences: format!("{base_url}/e/p/{delivery}") }
}

/// Rewrites the links of a rendered HTML body into signed click-tracking links and adds the
/// open pixel, when the school tracks (`enabled`).
pub fn decorate(_state: &AppState, _base_url: &str, _delivery: DeliveryId, html: &str, _enabled: bool) -> String {
    html.to_string()
}

/// Whether the contact still wants mail of this topic ('' = no topic: always).
pub async fn wants(_tx: &mut TenantTx, _contact: ContactId, _topic: &str) -> sqlx::Result<bool> {
    Ok(true)
}

/// Jobs and subscriptions.
pub fn wire(_w: &mut kernel::state::Wiring) {}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
}
