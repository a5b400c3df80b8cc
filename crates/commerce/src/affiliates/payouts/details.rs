//! An affiliate's payout details, unsealed. The portal writes them (sealed with
//! `kernel::secret` for [`PURPOSE`]) as a JSON object: `{"method":"paypal","paypal_email":…}`
//! or `{"method":"bank","holder":…,"iban":…,"account":…,"routing":…,"country":…,"currency":…}`.

use kernel::{AppState, db::TenantTx};
use serde::{Deserialize, Serialize};

use crate::affiliates::model::AffiliateId;

/// What `kernel::secret::seal` binds the details to.
pub const PURPOSE: &str = "affiliate-payout";

/// Payout details as the affiliate gave them.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default)]
pub struct Details {
    /// `paypal` or `bank`.
    pub method: String,
    /// The PayPal account's email.
    pub paypal_email: String,
    /// The bank account holder's name.
    pub holder: String,
    /// IBAN, where the country uses one.
    pub iban: String,
    /// The account number otherwise.
    pub account: String,
    /// The routing, sort or BSB code.
    pub routing: String,
    /// The bank's country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The account's currency.
    pub currency: String,
}

/// The details of `affiliate`, or `None` when none were given or they no longer open (sealed
/// under another key).
pub async fn details(state: &AppState, tx: &mut TenantTx, affiliate: AffiliateId) -> sqlx::Result<Option<Details>> {
    let sealed: Option<Option<String>> =
        sqlx::query_scalar("select payout_sealed from affiliates where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(affiliate)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(sealed) = sealed.flatten() else { return Ok(None) };
    let opened = kernel::secret::open(&state.config.keys, PURPOSE, &sealed);
    Ok(opened.and_then(|json| serde_json::from_str(&json).ok()))
}
