//! An affiliate's payout details as the exports read them: the portal keeps them sealed
//! ([`crate::affiliates::portal::payout_details`]); this flattens them into one row shape.

use kernel::{AppState, db::TenantTx};
use serde::{Deserialize, Serialize};

use crate::affiliates::{
    model::AffiliateId,
    portal::{PayoutDetails, payout_details},
};

/// What `kernel::secret::seal` binds the details to.
pub use crate::affiliates::portal::details::PURPOSE;

/// Payout details as the affiliate gave them.
#[derive(Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
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

impl std::fmt::Debug for Details {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Details(***)")
    }
}

/// The details of `affiliate`, or `None` when none were given or they no longer open (sealed
/// under another key): the portal's [`payout_details`], flattened for the exports.
pub async fn details(state: &AppState, tx: &mut TenantTx, affiliate: AffiliateId) -> sqlx::Result<Option<Details>> {
    Ok(payout_details(state, tx, affiliate).await?.map(Details::from))
}

impl From<PayoutDetails> for Details {
    fn from(d: PayoutDetails) -> Self {
        match d {
            PayoutDetails::Paypal { email } => {
                Details { method: "paypal".into(), paypal_email: email, ..Details::default() }
            }
            PayoutDetails::Bank(b) => Details {
                method: "bank".into(),
                holder: b.holder,
                iban: b.iban,
                account: b.account_number,
                routing: b.routing_code,
                country: b.country,
                currency: b.currency,
                ..Details::default()
            },
        }
    }
}
