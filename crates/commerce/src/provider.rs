//! Payment providers. One trait, two implementations (the built-in [`crate::sandbox`] and
//! Stripe Connect), and one fulfilment path: whatever the provider, a successful payment ends
//! in [`crate::ledger`], which records it once and publishes `order.paid`.

use std::sync::Arc;

use async_trait::async_trait;
use kernel::{AppState, db::TenantTx, web::School};

use crate::model::{Checkout, Payment, PaymentMethod};

/// What a charge on a saved card did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Charge {
    /// Money taken; the provider's charge id.
    Succeeded {
        /// The provider's charge id.
        provider_ref: String,
    },
    /// Refused; the provider's charge id and its reason (`card_declined`,
    /// `insufficient_funds`, `expired_card`, `authentication_required` …).
    Failed {
        /// The provider's charge id.
        provider_ref: String,
        /// Why.
        code: String,
    },
}

/// A payment provider as commerce uses it.
#[async_trait]
pub trait PaymentProvider: Send + Sync {
    /// `sandbox` or `stripe`, as stored on checkouts, orders and payments.
    fn name(&self) -> &'static str;

    /// Starts paying `checkout`; returns where to send the buyer's browser.
    async fn begin(
        &self,
        state: &AppState,
        tx: &mut TenantTx,
        school: &School,
        checkout: &Checkout,
    ) -> anyhow::Result<String>;

    /// Charges a saved card without the buyer present (renewals, retries, one-click upsells).
    /// `key` makes the charge idempotent: the same key charges once.
    async fn charge_saved(
        &self,
        state: &AppState,
        tx: &mut TenantTx,
        method: &PaymentMethod,
        amount: i64,
        currency: &str,
        key: &str,
    ) -> anyhow::Result<Charge>;

    /// Gives `amount` of `payment` back; returns the provider's refund id.
    async fn refund(
        &self,
        state: &AppState,
        tx: &mut TenantTx,
        payment: &Payment,
        amount: i64,
        key: &str,
    ) -> anyhow::Result<String>;
}

/// The provider a school sells through, by its stored name. `stripe` needs the platform's
/// Stripe key; without one the sandbox stays the provider.
pub fn named(state: &AppState, name: &str) -> Arc<dyn PaymentProvider> {
    match name {
        "stripe" => match crate::stripe::Client::from_state(state) {
            Ok(client) => Arc::new(crate::stripe::Stripe::new(client)),
            Err(_) => Arc::new(crate::sandbox::Sandbox),
        },
        _ => Arc::new(crate::sandbox::Sandbox),
    }
}

/// The provider of the school in `tx` (its commerce settings say which).
pub async fn of_school(state: &AppState, tx: &mut TenantTx) -> anyhow::Result<Arc<dyn PaymentProvider>> {
    let name: Option<String> = sqlx::query_scalar("select provider from commerce_settings where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(named(state, name.as_deref().unwrap_or("sandbox")))
}
