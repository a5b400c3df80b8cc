//! Paying one payout by Stripe Connect transfer, for a school that sells through Stripe and an
//! affiliate who connected an Express account. The transfer is created from the platform's
//! balance to the affiliate's account (`POST /v1/transfers` with `destination`), grouped by
//! batch, with the payout's id as the idempotency key: a retry or a double click creates one
//! transfer. The call runs outside any transaction; the payout is then marked paid with the
//! transfer's id.

use kernel::{AppState, ids::UserId, web::School};

use super::{paid, payout};
use crate::{
    affiliates::model::PayoutId,
    stripe::client::{Client, Params, StripeError, push},
};

/// Why a transfer was not made.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// No such payout in this school.
    #[error("no such payout")]
    NotFound,
    /// It was paid already.
    #[error("the payout is already paid")]
    AlreadyPaid,
    /// The school does not sell through Stripe, or the affiliate has no connected account.
    #[error("this payout cannot be paid by Stripe transfer")]
    NotAvailable,
    /// Stripe refused or could not be reached.
    #[error(transparent)]
    Stripe(#[from] StripeError),
    /// Anything else.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for TransferError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

/// Transfers payout `id` to the affiliate's Stripe account and marks it paid; returns the
/// statement number.
#[tracing::instrument(skip_all, fields(tenant_id = %school.id))]
pub async fn pay_by_transfer(
    state: &AppState,
    school: &School,
    id: PayoutId,
    actor: Option<UserId>,
) -> Result<String, TransferError> {
    let mut tx = state.db.tenant(school.id).await?;
    let p = payout(&mut tx, id).await?.ok_or(TransferError::NotFound)?;
    if p.status == "paid" {
        return Err(TransferError::AlreadyPaid);
    }
    let stripe = super::eligible::stripe_school(&mut tx).await?;
    tx.commit().await?;
    let Some(account) = p.stripe_account_id.clone().filter(|_| stripe) else {
        return Err(TransferError::NotAvailable);
    };
    let client = Client::from_state(state)?;
    let mut params = Params::new();
    push(&mut params, "amount", p.amount);
    push(&mut params, "currency", p.currency.to_lowercase());
    push(&mut params, "destination", &account);
    push(&mut params, "transfer_group", format!("affiliate-payouts-{}", p.batch_id));
    push(&mut params, "description", format!("{} · {}", school.name, super::export::reference(&p)));
    push(&mut params, "metadata[payout_id]", p.id);
    push(&mut params, "metadata[tenant_id]", school.id);
    let transfer = client.post("/v1/transfers", &params, None, Some(&p.id.to_string())).await?;
    let transfer_ref = transfer["id"].as_str().unwrap_or_default().to_string();
    let mut tx = state.db.tenant(school.id).await?;
    let how = paid::Settled { method: "stripe", transfer_ref: Some(&transfer_ref) };
    let number = paid::mark_paid(state, &mut tx, school, id, Some(how), actor).await?;
    tx.commit().await?;
    number.ok_or(TransferError::AlreadyPaid)
}
