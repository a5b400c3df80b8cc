//! Email marketing (issue 12): what a creator writes and sends to their contacts.
//!
//! - [`content`]: emails written from blocks (rendered through MJML by `mrml`), merge fields,
//!   the plain-text part, preview and test send;
//! - [`deliveries`]: one row per recipient of one send, which everything that sends enqueues;
//! - [`engine`]: the sending engine that claims those rows in batches and sends them, never
//!   twice, throttled per school, resumable after a crash;
//! - [`deliverability`]: DKIM per sending domain, DNS checks, sending limits and warm-up,
//!   bounces and complaints, the hold on a school past the bulk-sender thresholds;
//! - [`suppression`]: the list of addresses that are never mailed, checked by every send;
//! - [`tracking`]: opens, signed click links, one-click unsubscribe, the preference centre,
//!   revenue attributed to an email, and the reports;
//! - [`broadcasts`] and [`segments`]: one email to a segment of contacts, now or scheduled;
//! - [`automations`]: a trigger, then steps (send, wait, branch, tag, …) per contact.

pub mod automations;
pub mod broadcasts;
pub mod content;
pub mod deliverability;
pub mod deliveries;
pub mod demo;
pub mod engine;
pub mod segments;
pub mod suppression;
pub mod tracking;

use axum::Router;
use kernel::AppState;

kernel::id_type!(
    /// An email as written (used by broadcasts and automation steps).
    EmailId
);
kernel::id_type!(
    /// One recipient of one send.
    DeliveryId
);

/// Email's jobs and event subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    content::wire(w);
    engine::wire(w);
    deliverability::wire(w);
    tracking::wire(w);
    broadcasts::wire(w);
    automations::wire(w);
}

/// Email's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(content::router())
        .merge(deliverability::router())
        .merge(tracking::router())
        .merge(broadcasts::router())
        .merge(automations::router())
}
