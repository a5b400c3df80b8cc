//! The commission ledger, derived from the outbox: `order.paid`, `subscription.renewed`,
//! `payment.succeeded` and `order.refunded` each [`reconcile`] the order's commissions against
//! its payments and refunds, so any event handled any number of times in any order leaves the
//! same ledger.
//!
//! Reconciling reads only facts (the order, its succeeded payments, its refunds, the referral
//! decided once by [`super::attribution`]) and writes only what is missing, each row keyed by
//! its `source_key` (`pay:{payment}:{level}`, `refund:{refund}:{level}`) with `on conflict do
//! nothing`; a per-order advisory lock keeps two workers from deciding the same order at once.
//! A refund cancels a commission still held (or sitting in an open payout) when it takes back
//! all of it, and otherwise writes a negative `clawback` row netted against the next payout.

mod compute;
mod derive;
mod mail;
mod refund;

use kernel::{AppState, db::TenantTx, events::Event};
use serde_json::json;
use sqlx::AssertSqlSafe;

pub use compute::{Computed, in_tier, level_one, level_two, percent_of, rate_text, recurring_earns, take_back};

use super::{attribution, model::AffiliateId, model::Commission};
use crate::{OrderId, store};

/// Subscribes the handlers: the ledger follows every payment and refund, and a new
/// commission mails its affiliate.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.events.subscribe(&mut w.jobs, "order.paid", "affiliates.commissions_paid", on_event);
    w.events.subscribe(&mut w.jobs, "subscription.renewed", "affiliates.commissions_renewed", on_event);
    w.events.subscribe(&mut w.jobs, "payment.succeeded", "affiliates.commissions_payment", on_event);
    w.events.subscribe(&mut w.jobs, "order.refunded", "affiliates.commissions_refunded", on_event);
    mail::wire(w);
}

/// The handler of every subscribed event: reconciles the order the event names. Public so a
/// replay (or an operator) can run it again; it is idempotent.
pub async fn on_event(state: AppState, event: Event) -> anyhow::Result<()> {
    let order: OrderId = serde_json::from_value(event.payload["order_id"].clone())?;
    let mut tx = state.db.tenant(event.tenant).await?;
    reconcile(&state, &mut tx, order).await?;
    tx.commit().await?;
    Ok(())
}

/// What one reconciliation wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// New `sale` and `recurring` rows.
    pub created: usize,
    /// Commissions cancelled by a refund.
    pub cancelled: usize,
    /// New `clawback` rows.
    pub clawbacks: usize,
}

/// Brings `order`'s commissions in line with its payments and refunds: writes each missing
/// commission and takes back what each refund took. An order nobody referred (or referred by
/// its own buyer) has none.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant(), order_id = %order))]
pub async fn reconcile(state: &AppState, tx: &mut TenantTx, order: OrderId) -> anyhow::Result<Reconciled> {
    sqlx::query("select pg_advisory_xact_lock(hashtextextended('affiliates.commissions:' || $1::uuid::text, 0))")
        .bind(order)
        .execute(&mut **tx)
        .await?;
    let Some(order) = store::order(tx, order).await? else { return Ok(Reconciled::default()) };
    let Some(referral) = attribution::referral_for_order(state, tx, order.id).await? else {
        return Ok(Reconciled::default());
    };
    if referral.affiliate.user_id == order.user_id {
        // Attribution refuses self-referrals; the ledger refuses them again.
        return Ok(Reconciled::default());
    }
    let payments: Vec<_> =
        store::payments_of_order(tx, order.id).await?.into_iter().filter(|p| p.status == "succeeded").collect();
    let created = derive::payments(state, tx, &order, &referral.affiliate, &payments).await?;
    let (cancelled, clawbacks) = refund::refunds(state, tx, &order, &payments).await?;
    Ok(Reconciled { created, cancelled, clawbacks })
}

/// An affiliate's ledger rows, newest first, at most `limit`.
pub async fn of_affiliate(tx: &mut TenantTx, affiliate: AffiliateId, limit: i64) -> sqlx::Result<Vec<Commission>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {} from affiliate_commissions where tenant_id = $1 and affiliate_id = $2
         order by occurred_at desc, level, id desc limit $3",
        Commission::COLUMNS
    )))
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(limit.clamp(0, 10_000))
    .fetch_all(&mut **tx)
    .await
}

/// An order's ledger rows, oldest first.
pub async fn of_order(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Vec<Commission>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {} from affiliate_commissions where tenant_id = $1 and order_id = $2
         order by occurred_at, level, id",
        Commission::COLUMNS
    )))
    .bind(tx.tenant())
    .bind(order)
    .fetch_all(&mut **tx)
    .await
}

/// A ledger row to write (see [`insert`]).
struct NewRow<'a> {
    affiliate: AffiliateId,
    order: OrderId,
    payment: crate::model::PaymentId,
    refund: Option<crate::model::RefundId>,
    level: i32,
    kind: &'a str,
    source_key: String,
    currency: &'a str,
    basis: i64,
    amount: i64,
    rate_label: &'a str,
    payable_at: chrono::DateTime<chrono::Utc>,
    occurred_at: chrono::DateTime<chrono::Utc>,
    /// For a clawback: `refund` or `chargeback`.
    reason: Option<&'a str>,
}

/// Writes `row` unless its `source_key` is already in the ledger, and publishes
/// `commission.created` (or, for a clawback, `commission.cancelled`) with it. Returns whether
/// it was new.
async fn insert(state: &AppState, tx: &mut TenantTx, row: &NewRow<'_>) -> anyhow::Result<bool> {
    let id = super::CommissionId::new();
    let fresh: Option<i32> = sqlx::query_scalar(
        "insert into affiliate_commissions (tenant_id, id, affiliate_id, order_id, payment_id, refund_id, level, kind,
                                            source_key, currency, basis, amount, rate_label, payable_at, occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         on conflict (tenant_id, source_key) do nothing returning 1",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(row.affiliate)
    .bind(row.order)
    .bind(row.payment)
    .bind(row.refund)
    .bind(row.level)
    .bind(row.kind)
    .bind(&row.source_key)
    .bind(row.currency)
    .bind(row.basis)
    .bind(row.amount)
    .bind(row.rate_label)
    .bind(row.payable_at)
    .bind(row.occurred_at)
    .fetch_optional(&mut **tx)
    .await?;
    if fresh.is_none() {
        return Ok(false);
    }
    let (name, payload) = if row.kind == "clawback" {
        (
            "commission.cancelled",
            json!({
                "commission_id": id, "affiliate_id": row.affiliate, "order_id": row.order, "refund_id": row.refund,
                "currency": row.currency, "amount": row.amount, "reason": row.reason,
            }),
        )
    } else {
        (
            "commission.created",
            json!({
                "commission_id": id, "affiliate_id": row.affiliate, "order_id": row.order, "payment_id": row.payment,
                "level": row.level, "kind": row.kind, "currency": row.currency, "basis": row.basis,
                "amount": row.amount, "payable_at": row.payable_at,
            }),
        )
    };
    state.events.publish(tx, name, payload).await?;
    Ok(true)
}
