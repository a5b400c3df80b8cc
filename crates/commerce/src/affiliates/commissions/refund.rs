//! Taking commissions back when money goes back. Each refund (or chargeback) of a commissioned
//! payment takes back its share of each level's commission, computed on the payment's running
//! refunded total so partial refunds add up to the whole commission and never beyond. A
//! commission still held, or waiting in an open payout, that a refund takes back whole is
//! cancelled (and leaves that payout); otherwise the share becomes a negative `clawback` row,
//! payable at once, netted against the next payout.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx};
use serde_json::json;

use super::{NewRow, compute::take_back, insert, of_order};
use crate::{
    affiliates::{PayoutId, model::Commission},
    model::{Order, Payment, PaymentId, RefundId},
};

/// A refund as the ledger needs it.
#[derive(sqlx::FromRow)]
struct Refund {
    id: RefundId,
    payment_id: PaymentId,
    kind: String,
    amount: i64,
    occurred_at: DateTime<Utc>,
}

impl Refund {
    fn reason(&self) -> &'static str {
        if self.kind == "dispute" { "chargeback" } else { "refund" }
    }
}

/// Applies every refund of `order` not yet applied; returns (cancelled, clawbacks) written.
pub(super) async fn refunds(
    state: &AppState,
    tx: &mut TenantTx,
    order: &Order,
    payments: &[Payment],
) -> anyhow::Result<(usize, usize)> {
    let refunds: Vec<Refund> = sqlx::query_as(
        "select id, payment_id, kind, amount, occurred_at from refunds where tenant_id = $1 and order_id = $2
         order by occurred_at, id",
    )
    .bind(tx.tenant())
    .bind(order.id)
    .fetch_all(&mut **tx)
    .await?;
    if refunds.is_empty() {
        return Ok((0, 0));
    }
    let rows = of_order(tx, order.id).await?;
    let written: HashSet<String> = rows
        .iter()
        .filter(|c| c.kind == "clawback")
        .filter_map(|c| c.refund_id.map(|r| format!("refund:{r}:{}", c.level)))
        .collect();
    let (mut cancelled, mut clawbacks) = (0, 0);
    for c in rows.iter().filter(|c| c.kind != "clawback") {
        let Some(p) = payments.iter().find(|p| Some(p.id.0) == c.payment_id) else { continue };
        let mut refunded_before = 0;
        let mut cancelled_now = c.status == "cancelled";
        for r in refunds.iter().filter(|r| r.payment_id == p.id) {
            let before = refunded_before;
            refunded_before += r.amount;
            let key = format!("refund:{}:{}", r.id, c.level);
            if cancelled_now || c.refund_id == Some(r.id.0) || written.contains(&key) {
                continue;
            }
            let take = take_back(c.amount, p.amount, before, r.amount);
            if take == 0 {
                continue;
            }
            let untouched = take_back(c.amount, p.amount, 0, before) == 0;
            if untouched && take == c.amount && cancel(state, tx, c, r).await? {
                cancelled_now = true;
                cancelled += 1;
                continue;
            }
            let row = NewRow {
                affiliate: c.affiliate_id,
                order: order.id,
                payment: p.id,
                refund: Some(r.id),
                level: c.level,
                kind: "clawback",
                source_key: key,
                currency: &c.currency,
                basis: -take_back(c.basis, p.amount, before, r.amount),
                amount: -take,
                rate_label: &c.rate_label,
                payable_at: r.occurred_at,
                occurred_at: r.occurred_at,
                reason: Some(r.reason()),
            };
            clawbacks += usize::from(insert(state, tx, &row).await?);
        }
    }
    Ok((cancelled, clawbacks))
}

/// Cancels `c` for refund `r` when it is still held or waits in an open payout (which it then
/// leaves, that payout's amount recomputed); false when it was paid out, so a clawback is due.
async fn cancel(state: &AppState, tx: &mut TenantTx, c: &Commission, r: &Refund) -> anyhow::Result<bool> {
    if c.status != "pending" {
        return Ok(false);
    }
    if let Some(payout) = c.payout_id {
        let status: Option<String> =
            sqlx::query_scalar("select status from affiliate_payouts where tenant_id = $1 and id = $2 for update")
                .bind(tx.tenant())
                .bind(payout)
                .fetch_optional(&mut **tx)
                .await?;
        if status.as_deref() != Some("open") {
            return Ok(false);
        }
    }
    let done = sqlx::query(
        "update affiliate_commissions set status = 'cancelled', cancelled_at = $3, cancel_reason = $4, refund_id = $5,
                payout_id = null
         where tenant_id = $1 and id = $2 and status = 'pending'",
    )
    .bind(tx.tenant())
    .bind(c.id)
    .bind(state.clock.now())
    .bind(r.reason())
    .bind(r.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(false);
    }
    if let Some(payout) = c.payout_id {
        recompute_payout(tx, payout).await?;
    }
    state
        .events
        .publish(
            tx,
            "commission.cancelled",
            json!({
                "commission_id": c.id, "affiliate_id": c.affiliate_id, "order_id": c.order_id, "refund_id": r.id,
                "currency": c.currency, "amount": c.amount, "reason": r.reason(),
            }),
        )
        .await?;
    Ok(true)
}

/// Sets an open payout's amount to the sum of the rows it still settles; a payout left with
/// nothing to pay lets go of its rows and is removed.
async fn recompute_payout(tx: &mut TenantTx, payout: PayoutId) -> sqlx::Result<()> {
    let sum: i64 = sqlx::query_scalar(
        "select coalesce(sum(amount), 0)::bigint from affiliate_commissions where tenant_id = $1 and payout_id = $2",
    )
    .bind(tx.tenant())
    .bind(payout)
    .fetch_one(&mut **tx)
    .await?;
    if sum > 0 {
        sqlx::query("update affiliate_payouts set amount = $3 where tenant_id = $1 and id = $2 and status = 'open'")
            .bind(tx.tenant())
            .bind(payout)
            .bind(sum)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    sqlx::query("update affiliate_commissions set payout_id = null where tenant_id = $1 and payout_id = $2")
        .bind(tx.tenant())
        .bind(payout)
        .execute(&mut **tx)
        .await?;
    sqlx::query("delete from affiliate_payouts where tenant_id = $1 and id = $2 and status = 'open'")
        .bind(tx.tenant())
        .bind(payout)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
