//! Provider events, received once. Every event a provider reports (a Stripe webhook, or the
//! sandbox's own report of what its card form did) is stored by its id in `provider_events`
//! in the transaction that applies it: a repeated delivery finds the row and is skipped, and
//! an event that cannot be applied yet (a refund for a charge not seen yet) rolls back with
//! its row, so the provider's retry applies it later.

use kernel::db::TenantTx;
use serde_json::Value;

/// Records an event; returns `false` when it was already received (skip it).
pub async fn receive(
    tx: &mut TenantTx,
    provider: &str,
    event_id: &str,
    kind: &str,
    payload: &Value,
) -> sqlx::Result<bool> {
    let fresh: Option<i32> = sqlx::query_scalar(
        "insert into provider_events (tenant_id, provider, event_id, kind, payload, processed_at)
         values ($1, $2, $3, $4, $5, now()) on conflict do nothing returning 1",
    )
    .bind(tx.tenant())
    .bind(provider)
    .bind(event_id)
    .bind(kind)
    .bind(payload)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(fresh.is_some())
}

/// What handling an event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handled {
    /// Applied now.
    Applied,
    /// Received before: skipped.
    Duplicate,
    /// A kind commerce does not act on (kept for the record).
    Ignored,
}

/// Receives and applies one sandbox event, in the caller's transaction. The sandbox reports
/// what its card form and its saved-card charges did as these events (shaped after Stripe's):
///
/// - `checkout.session.completed` `{checkout_id, charge, card}`
/// - `invoice.paid` `{subscription_id, charge, amount, tax}`
/// - `invoice.payment_failed` `{subscription_id, charge, code}`
/// - `charge.refunded` `{charge, refund, amount, reason?, revoke_access?}`
/// - `charge.dispute.created` `{charge, dispute, amount}`
/// - `customer.subscription.deleted` `{subscription_id}`
pub async fn handle_sandbox(
    state: &kernel::AppState,
    tx: &mut TenantTx,
    event_id: &str,
    kind: &str,
    payload: &Value,
) -> Result<Handled, crate::ledger::LedgerError> {
    use crate::{ledger, subscriptions};
    if !receive(tx, "sandbox", event_id, kind, payload).await? {
        return Ok(Handled::Duplicate);
    }
    let s = |k: &str| payload[k].as_str().unwrap_or_default().to_string();
    let id = |k: &str| -> Result<uuid::Uuid, ledger::LedgerError> {
        s(k).parse().map_err(|_| ledger::LedgerError::Unknown("object"))
    };
    match kind {
        "checkout.session.completed" => {
            let card: Option<ledger::NewCard> = serde_json::from_value(payload["card"].clone()).ok();
            ledger::checkout_paid(state, tx, crate::CheckoutId(id("checkout_id")?), &s("charge"), card.as_ref(), None)
                .await?;
        }
        "invoice.paid" => {
            let amount = payload["amount"].as_i64().unwrap_or_default();
            let tax = payload["tax"].as_i64().unwrap_or_default();
            subscriptions::renewal_paid(
                state,
                tx,
                crate::SubscriptionId(id("subscription_id")?),
                &s("charge"),
                amount,
                tax,
                None,
            )
            .await?;
        }
        "invoice.payment_failed" => {
            subscriptions::renewal_failed(
                state,
                tx,
                crate::SubscriptionId(id("subscription_id")?),
                &s("charge"),
                &s("code"),
            )
            .await?;
        }
        "charge.refunded" | "charge.dispute.created" => {
            let dispute = kind == "charge.dispute.created";
            let refund_ref = if dispute { s("dispute") } else { s("refund") };
            let actor = payload["actor"].as_str().and_then(|a| a.parse().ok());
            ledger::refund(
                state,
                tx,
                ledger::RefundFact {
                    charge_ref: &s("charge"),
                    refund_ref: &refund_ref,
                    amount: payload["amount"].as_i64().unwrap_or_default(),
                    dispute,
                    reason: &s("reason"),
                    actor,
                    revoke_access: payload["revoke_access"].as_bool(),
                },
            )
            .await?;
        }
        "customer.subscription.deleted" => {
            subscriptions::cancel(
                state,
                tx,
                crate::SubscriptionId(id("subscription_id")?),
                subscriptions::CancelAt::Now,
                None,
                "",
            )
            .await?;
        }
        _ => return Ok(Handled::Ignored),
    }
    Ok(Handled::Applied)
}
