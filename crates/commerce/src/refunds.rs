//! Refunds staff give from the order page. The provider is asked first (with an idempotency
//! key, so a double submit asks once and gets the same refund id back), then the refund is
//! applied as the provider reports it: through the sandbox's event inbox for the sandbox, and
//! straight into the ledger for providers whose webhook reports it later (the ledger records a
//! refund once by its provider id, so the webhook then finds it and changes nothing).

use kernel::{AppState, db::TenantTx, ids::UserId};
use serde_json::json;

use crate::{
    inbox,
    ledger::{self, LedgerError, RefundFact},
    model::PaymentId,
    provider, store,
};

/// A refund as staff asked for it.
#[derive(Clone, Debug)]
pub struct StaffRefund<'a> {
    /// The payment to refund.
    pub payment: PaymentId,
    /// How much, in the payment's minor units.
    pub amount: i64,
    /// Why (kept with the refund and on the credit note).
    pub reason: &'a str,
    /// Take the courses away when the order ends up fully refunded.
    pub revoke_access: bool,
    /// Who.
    pub actor: UserId,
    /// The form's one-time token: the same token refunds once.
    pub key: &'a str,
}

/// What the refund did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StaffRefunded {
    /// Refunded now, with its credit note number.
    Done {
        /// The credit note's number.
        credit_note: String,
    },
    /// The same form was submitted before: nothing more was refunded.
    AlreadyDone,
}

/// Why a refund was refused.
#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    /// Not a successful payment of this school.
    #[error("no such payment")]
    NoPayment,
    /// More than what is left of the payment (or nothing).
    #[error("more than is left")]
    TooMuch {
        /// What is left to refund.
        left: i64,
    },
    /// Anything else (the provider refused, the database failed).
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for RefundError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

/// Refunds `r.amount` of a payment on behalf of staff, in the caller's transaction.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn refund_by_staff(
    state: &AppState,
    tx: &mut TenantTx,
    r: StaffRefund<'_>,
) -> Result<StaffRefunded, RefundError> {
    let payment =
        store::payment(tx, r.payment).await?.filter(|p| p.status == "succeeded").ok_or(RefundError::NoPayment)?;
    let key = format!("refund:{}:{}", payment.id, r.key);
    // A real provider is not asked for more than is left. (The sandbox is asked first: its
    // answer has no side effect and tells a repeated form from a new one.)
    if payment.provider != "sandbox" {
        let left = payment.amount - store::refunded_total(tx, payment.id).await?;
        if r.amount <= 0 || r.amount > left {
            return Err(RefundError::TooMuch { left });
        }
    }
    let provider = provider::named(state, &payment.provider);
    // Ask the provider first: a repeated key gets the same refund id back, which the ledger
    // (or the inbox) then finds recorded.
    let refund_ref = provider.refund(state, tx, &payment, r.amount, &key).await?;
    if store::refund_exists(tx, &payment.provider, &refund_ref).await? {
        return Ok(StaffRefunded::AlreadyDone);
    }
    let left = payment.amount - store::refunded_total(tx, payment.id).await?;
    if r.amount <= 0 || r.amount > left {
        return Err(RefundError::TooMuch { left });
    }
    let outcome = if payment.provider == "sandbox" {
        let payload = json!({
            "charge": payment.provider_ref, "refund": refund_ref, "amount": r.amount, "reason": r.reason,
            "actor": r.actor, "revoke_access": r.revoke_access,
        });
        let event_id = format!("evt_{refund_ref}");
        match inbox::handle_sandbox(state, tx, &event_id, "charge.refunded", &payload).await {
            Ok(inbox::Handled::Duplicate) => return Ok(StaffRefunded::AlreadyDone),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        }
    } else {
        ledger::refund(
            state,
            tx,
            RefundFact {
                charge_ref: &payment.provider_ref,
                refund_ref: &refund_ref,
                amount: r.amount,
                dispute: false,
                reason: r.reason,
                actor: Some(r.actor),
                revoke_access: Some(r.revoke_access),
            },
        )
        .await
        .map(|_| ())
    };
    match outcome {
        Ok(()) => {}
        Err(LedgerError::OverRefund) => return Err(RefundError::TooMuch { left }),
        Err(LedgerError::Unknown(what)) => return Err(RefundError::Other(anyhow::anyhow!("unknown {what}"))),
        Err(LedgerError::Other(e)) => return Err(RefundError::Other(e)),
    }
    let credit_note: Option<String> = sqlx::query_scalar(
        "select credit_note_number from refunds where tenant_id = $1 and provider = $2 and provider_ref = $3",
    )
    .bind(tx.tenant())
    .bind(&payment.provider)
    .bind(&refund_ref)
    .fetch_one(&mut **tx)
    .await?;
    Ok(StaffRefunded::Done { credit_note: credit_note.unwrap_or_default() })
}
