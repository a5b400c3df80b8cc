//! Deliverability: what makes a school's marketing mail arrive in the inbox.
//!
//! - [`settings`]: the school's postal address (every footer), tracking on/off, the bounce
//!   webhook's token, and the hold;
//! - [`dkim`]: sending domains with their DKIM keys (RSA-2048, sealed at rest), the DNS
//!   records to publish (DKIM, SPF, DMARC), their check through `state.dns`, and the
//!   `DKIM-Signature` of each message;
//! - [`limits`]: the plan's daily limit, the warm-up of a new school, and the hold when the
//!   complaint rate reaches 0.3 % or the hard-bounce rate 5 % over the last 7 days (Gmail's and
//!   Yahoo's bulk-sender rules: spam complaints must stay under 0.3 %);
//! - [`bounces`]: `POST /hooks/email/bounces/{token}`, taking RFC 3464 DSNs, RFC 5965 ARF
//!   complaints and Postmark's bounce and spam-complaint webhooks;
//! - [`routes`]: `/admin/settings/email` and `/admin/settings/email/suppressions`.

pub mod bounces;
pub mod dkim;
pub mod limits;
mod routes;
pub mod ses;
pub mod settings_store;

use axum::Router;
use kernel::{AppState, db::TenantTx};

pub use dkim::{DkimKey, dkim_header, dkim_key};
pub use limits::{Allowance, allowance};
pub use settings_store::{EmailSettings, settings};

use super::DeliveryId;

/// The envelope sender (Return-Path) for a delivery, which bounces come back to:
/// `bounces+{delivery-id}@{domain of the From}` (VERP), read back by [`delivery_of_envelope`].
pub fn envelope_from(_state: &AppState, from_email: &str, delivery: DeliveryId) -> String {
    match from_email.rsplit_once('@') {
        Some((_, host)) if !host.is_empty() => format!("bounces+{delivery}@{host}"),
        _ => from_email.to_string(),
    }
}

/// The delivery a VERP address ([`envelope_from`]) names.
pub fn delivery_of_envelope(address: &str) -> Option<DeliveryId> {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let local = address.rsplit_once('@')?.0;
    local.strip_prefix("bounces+")?.parse().ok()
}

/// Signs the school's transactional mail too (`kernel::mail` calls it before sending).
struct KernelSigner;

#[async_trait::async_trait]
impl kernel::mail::MailSigner for KernelSigner {
    async fn sign(
        &self,
        state: &AppState,
        tx: &mut TenantTx,
        from_email: &str,
        raw: &[u8],
    ) -> anyhow::Result<Option<String>> {
        dkim_header(state, tx, from_email, raw).await
    }
}

/// The DKIM signer for kernel mail; no jobs (the hold is decided when [`allowance`] is asked).
pub fn wire(w: &mut kernel::state::Wiring) {
    w.extensions.insert(kernel::mail::Signer(std::sync::Arc::new(KernelSigner)));
}

/// Routes.
pub fn router() -> Router<AppState> {
    routes::router()
}

/// Whether the school's sending is held, and why.
pub async fn hold(tx: &mut TenantTx) -> sqlx::Result<Option<String>> {
    Ok(settings(tx).await?.held.map(|h| h.reason))
}
