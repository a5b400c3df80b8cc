//! Tracking: what recipients do with an email, and what it earned.
//!
//! - every delivery has a public token (its id and an HMAC under the deployment's link key), so
//!   nobody can forge an open, a click or an unsubscribe for someone else's mail;
//! - [`decorate`] rewrites the links of a rendered body into click links whose signature covers
//!   the delivery and the target (never an open redirect) and adds the open pixel;
//! - [`record`]: opens (Apple Mail Privacy Protection's flagged as `machine`), clicks and
//!   unsubscribes on a delivery, each an `email_events` row;
//! - [`preferences`]: topics and the preference centre ([`wants`]);
//! - [`revenue`]: an order paid within N days of a click is the email's;
//! - [`report`]: the numbers per broadcast, automation step and link, with a chart.

mod admin;
pub mod decorate;
pub mod preferences;
pub mod record;
pub mod report;
pub mod revenue;
mod routes;

use axum::Router;
use kernel::{AppState, db::TenantTx, secret::constant_eq};

use super::DeliveryId;
use crate::model::ContactId;

pub use decorate::decorate;
pub use report::{Scope, report};

/// Hex characters of a delivery token's signature (96 bits).
const SIG_LEN: usize = 24;

/// The per-delivery addresses a message carries.
#[derive(Clone, Debug, Default)]
pub struct Links {
    /// One-click unsubscribe (RFC 8058): the `List-Unsubscribe` header and the footer link.
    pub unsubscribe: String,
    /// The preference centre.
    pub preferences: String,
}

/// The unsubscribe and preference-centre addresses of one delivery on the school's site.
pub fn links(state: &AppState, base_url: &str, delivery: DeliveryId) -> Links {
    let t = token(state, delivery);
    Links { unsubscribe: format!("{base_url}/e/u/{t}"), preferences: format!("{base_url}/e/p/{t}") }
}

/// A delivery's public token: its id, a dot, and an HMAC of it under the link key.
pub fn token(state: &AppState, delivery: DeliveryId) -> String {
    let sig = state.config.keys.links().sign(&format!("email-delivery:{delivery}"));
    format!("{delivery}.{}", &sig[..SIG_LEN])
}

/// The delivery a token names, when its signature is right.
pub fn verify(state: &AppState, token: &str) -> Option<DeliveryId> {
    let (id, sig) = token.split_once('.')?;
    let id: DeliveryId = id.parse().ok()?;
    let want = state.config.keys.links().sign(&format!("email-delivery:{id}"));
    constant_eq(sig, &want[..SIG_LEN]).then_some(id)
}

/// The signature of a click link: it covers the delivery, the link's place and the target.
pub fn click_sig(state: &AppState, delivery: DeliveryId, index: usize, url: &str) -> String {
    let sig = state.config.keys.links().sign(&format!("email-click:{delivery}:{index}:{url}"));
    sig[..SIG_LEN].to_string()
}

/// Whether the contact still wants mail of this topic ('' = no topic: always).
pub async fn wants(tx: &mut TenantTx, contact: ContactId, topic: &str) -> sqlx::Result<bool> {
    if topic.is_empty() {
        return Ok(true);
    }
    preferences::wants(tx, contact, topic).await
}

/// Jobs and subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    revenue::wire(w);
}

/// Routes: the public pixel, click, unsubscribe and preference pages, and the admin reports
/// and topics.
pub fn router() -> Router<AppState> {
    routes::router()
}
