//! FOUNDATION STUB for deliverability (DKIM per sending domain, DNS checks, limits and warm-up,
//! bounces and complaints, the hold); its helper replaces the bodies and keeps the signatures.

use axum::Router;
use kernel::{AppState, db::TenantTx};

use super::DeliveryId;

/// A school's email settings.
#[derive(Clone, Debug)]
pub struct EmailSettings {
    /// Whether opens and clicks are tracked.
    pub tracking_enabled: bool,
    /// The postal address every marketing email's footer shows.
    pub postal_address: String,
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self { tracking_enabled: true, postal_address: String::new() }
    }
}

/// The school's settings (defaults when it never saved any).
pub async fn settings(_tx: &mut TenantTx) -> sqlx::Result<EmailSettings> {
    Ok(EmailSettings::default())
}

/// How much the school may send now.
#[derive(Clone, Debug)]
pub struct Allowance {
    /// Why the school's sending is held (complaint or bounce rate past the thresholds, or the
    /// operator); nothing is sent while held.
    pub held: Option<String>,
    /// Messages per minute at most.
    pub per_minute: u32,
    /// Messages it may still send today (plan limit or warm-up schedule).
    pub remaining_today: i64,
}

/// What the school may send now.
pub async fn allowance(_state: &AppState, _tx: &mut TenantTx) -> anyhow::Result<Allowance> {
    Ok(Allowance { held: None, per_minute: 100_000, remaining_today: i64::MAX })
}

/// The `DKIM-Signature` header (name and value, without the line end) for a message the school
/// sends from `from_email`, when the school has a DKIM key for that domain.
pub async fn dkim_header(
    _state: &AppState,
    _tx: &mut TenantTx,
    _from_email: &str,
    _raw: &[u8],
) -> anyhow::Result<Option<String>> {
    Ok(None)
}

/// The envelope sender (Return-Path) for a delivery, which bounces come back to.
pub fn envelope_from(_state: &AppState, from_email: &str, _delivery: DeliveryId) -> String {
    from_email.to_string()
}

/// Jobs and subscriptions.
pub fn wire(_w: &mut kernel::state::Wiring) {}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
}
