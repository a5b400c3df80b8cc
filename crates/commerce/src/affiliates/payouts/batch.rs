//! Creating a payout batch for one currency, in one transaction: lock every payable ledger row
//! of the currency (`for update`, in a fixed order), sum them per affiliate, and give each
//! eligible affiliate one payout that settles exactly those rows. A second request waiting on
//! the same rows sees them already in a payout once the first commits (PostgreSQL re-reads a
//! locked row's new version against the `where`), so it finds nothing left to pay.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};

use super::eligible::{decide, payees, stripe_school};
use crate::affiliates::{
    model::{AffiliateId, PayoutBatchId, PayoutId},
    settings,
};

/// What creating a batch did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Created {
    /// A batch with `payouts` payouts totalling `total`.
    Batch {
        /// The new batch.
        id: PayoutBatchId,
        /// How many affiliates it pays.
        payouts: usize,
        /// Their sum.
        total: i64,
    },
    /// Nobody is eligible in this currency (nothing left to pay, or all carried forward).
    Nothing,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: uuid::Uuid,
    affiliate_id: AffiliateId,
    amount: i64,
}

/// Creates a batch of everything payable in `currency` at `now`, by `actor`.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant(), currency = %currency))]
pub async fn create(
    tx: &mut TenantTx,
    currency: &str,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> sqlx::Result<Created> {
    let rows: Vec<Row> = sqlx::query_as(
        "select id, affiliate_id, amount from affiliate_commissions
          where tenant_id = $1 and currency = $2 and status = 'pending' and payout_id is null and payable_at <= $3
          order by affiliate_id, id
          for update",
    )
    .bind(tx.tenant())
    .bind(currency)
    .bind(now)
    .fetch_all(&mut **tx)
    .await?;
    let mut per: BTreeMap<AffiliateId, (i64, Vec<uuid::Uuid>)> = BTreeMap::new();
    for r in rows {
        let e = per.entry(r.affiliate_id).or_default();
        e.0 += r.amount;
        e.1.push(r.id);
    }
    if per.is_empty() {
        return Ok(Created::Nothing);
    }
    let minimum = settings::load(tx).await?.min_payout_in(currency);
    let stripe = stripe_school(tx).await?;
    let ids: Vec<AffiliateId> = per.keys().copied().collect();
    let payees = payees(tx, &ids).await?;

    let mut batch: Option<PayoutBatchId> = None;
    let (mut count, mut total) = (0usize, 0i64);
    for (affiliate, (amount, rows)) in per {
        let Some(payee) = payees.get(&affiliate) else { continue };
        let ready = stripe && payee.stripe_account_id.is_some();
        let Ok(method) = decide(&payee.status, amount, minimum, payee.payout_method.as_deref(), ready) else {
            continue;
        };
        let batch_id = match batch {
            Some(id) => id,
            None => {
                let id = PayoutBatchId::new();
                sqlx::query(
                    "insert into affiliate_payout_batches (tenant_id, id, currency, created_by) values ($1, $2, $3, $4)",
                )
                .bind(tx.tenant())
                .bind(id)
                .bind(currency)
                .bind(actor)
                .execute(&mut **tx)
                .await?;
                batch = Some(id);
                id
            }
        };
        let payout = PayoutId::new();
        sqlx::query(
            "insert into affiliate_payouts (tenant_id, id, batch_id, affiliate_id, currency, amount, method)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(tx.tenant())
        .bind(payout)
        .bind(batch_id)
        .bind(affiliate)
        .bind(currency)
        .bind(amount)
        .bind(method)
        .execute(&mut **tx)
        .await?;
        sqlx::query("update affiliate_commissions set payout_id = $2 where tenant_id = $1 and id = any($3)")
            .bind(tx.tenant())
            .bind(payout)
            .bind(&rows)
            .execute(&mut **tx)
            .await?;
        count += 1;
        total += amount;
    }
    Ok(match batch {
        Some(id) => Created::Batch { id, payouts: count, total },
        None => Created::Nothing,
    })
}
