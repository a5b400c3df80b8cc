//! Commissions on payments: the first payment of an order is a `sale`, later ones
//! (instalments, renewals) `recurring` while the rule says so; the recruiter of the affiliate
//! earns a level-2 share of each.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, db::TenantTx};

use super::{NewRow, compute, insert};
use crate::{
    affiliates::{AffiliateId, model::Affiliate, settings, store as affiliates_store},
    model::{Order, Payment},
};

/// Writes the missing commissions of `order`'s succeeded `payments` (oldest first) for
/// `affiliate`; returns how many it wrote.
pub(super) async fn payments(
    state: &AppState,
    tx: &mut TenantTx,
    order: &Order,
    affiliate: &Affiliate,
    payments: &[Payment],
) -> anyhow::Result<usize> {
    let Some(first) = payments.first() else { return Ok(0) };
    if !affiliate.approved() {
        // A suspended affiliate keeps what they earned and earns nothing new.
        return Ok(0);
    }
    let written: HashSet<String> = sqlx::query_scalar(
        "select source_key from affiliate_commissions where tenant_id = $1 and order_id = $2 and payment_id is not null",
    )
    .bind(tx.tenant())
    .bind(order.id)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    let holding = Duration::days(settings::load(tx).await?.holding_days.into());
    let rule = settings::rule_for(tx, order.offer_id).await?;
    let recruiter = match affiliate.recruited_by {
        Some(id) if rule.second_level_bp > 0 && id != affiliate.id => {
            affiliates_store::affiliate(tx, id).await?.filter(Affiliate::approved)
        }
        _ => None,
    };
    let mut created = 0;
    for (i, p) in payments.iter().enumerate() {
        let kind = if i == 0 { "sale" } else { "recurring" };
        if i > 0 && !compute::recurring_earns(&rule, first.occurred_at, p.occurred_at) {
            continue;
        }
        let basis = p.amount - p.tax;
        if basis <= 0 {
            continue;
        }
        let key = format!("pay:{}:1", p.id);
        if !written.contains(&key) {
            let tier = kind == "sale"
                && rule.tier_sales.is_some()
                && compute::in_tier(&rule, earlier_sales(tx, affiliate.id, order, p).await?);
            let c = compute::level_one(&rule, basis, &p.currency, affiliate.personal_percent_bp, tier);
            created +=
                write(state, tx, order, p, affiliate.id, 1, kind, key, basis, &c, p.occurred_at + holding).await?;
        }
        if let Some(recruiter) = &recruiter {
            let key = format!("pay:{}:2", p.id);
            if !written.contains(&key) {
                let c = compute::level_two(&rule, basis);
                created +=
                    write(state, tx, order, p, recruiter.id, 2, kind, key, basis, &c, p.occurred_at + holding).await?;
            }
        }
    }
    Ok(created)
}

#[expect(clippy::too_many_arguments)]
async fn write(
    state: &AppState,
    tx: &mut TenantTx,
    order: &Order,
    p: &Payment,
    affiliate: AffiliateId,
    level: i32,
    kind: &str,
    source_key: String,
    basis: i64,
    c: &compute::Computed,
    payable_at: DateTime<Utc>,
) -> anyhow::Result<usize> {
    if c.amount <= 0 {
        return Ok(0);
    }
    let row = NewRow {
        affiliate,
        order: order.id,
        payment: p.id,
        refund: None,
        level,
        kind,
        source_key,
        currency: &p.currency,
        basis,
        amount: c.amount,
        rate_label: &c.label,
        payable_at,
        occurred_at: p.occurred_at,
        reason: None,
    };
    Ok(usize::from(insert(state, tx, &row).await?))
}

/// The affiliate's sales in the calendar month (UTC) of `payment`, before it, that had not
/// been refunded in full by then: counted from payments and refunds rather than from the
/// ledger, so the answer does not depend on which order's events were handled first.
async fn earlier_sales(
    tx: &mut TenantTx,
    affiliate: AffiliateId,
    order: &Order,
    payment: &Payment,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from affiliate_referrals r
         cross join lateral (
           select p.id, p.amount, p.occurred_at from payments p
           where p.tenant_id = r.tenant_id and p.order_id = r.order_id and p.status = 'succeeded'
           order by p.occurred_at, p.id limit 1
         ) f
         where r.tenant_id = $1 and r.affiliate_id = $2 and r.status = 'credited' and r.order_id <> $3
           and f.occurred_at >= $4 and (f.occurred_at, f.id) < ($5, $6)
           and f.amount > coalesce((select sum(x.amount) from refunds x
                                    where x.tenant_id = r.tenant_id and x.payment_id = f.id and x.occurred_at < $5), 0)",
    )
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(order.id)
    .bind(compute::month_start(payment.occurred_at))
    .bind(payment.occurred_at)
    .bind(payment.id)
    .fetch_one(&mut **tx)
    .await
}
