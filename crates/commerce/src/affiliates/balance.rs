//! What each affiliate has earned, by state and currency, read from the commission ledger.
//! Payable = held past `payable_at`, not cancelled, not yet in a payout; clawbacks (negative
//! rows) are payable at once, so they are netted against the next payout.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;

use super::model::AffiliateId;

/// One affiliate's balance in one currency.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Balance {
    /// Whose.
    pub affiliate_id: AffiliateId,
    /// ISO 4217.
    pub currency: String,
    /// Still held.
    pub pending: i64,
    /// Ready to pay (may be negative after a clawback).
    pub payable: i64,
    /// In an open payout.
    pub in_payout: i64,
    /// Paid out.
    pub paid: i64,
}

/// Balances per affiliate and currency; `only` narrows to one affiliate.
pub async fn balances(tx: &mut TenantTx, only: Option<AffiliateId>, now: DateTime<Utc>) -> sqlx::Result<Vec<Balance>> {
    sqlx::query_as(
        "select affiliate_id, currency::text as currency,
                coalesce(sum(amount) filter (where status = 'pending' and payout_id is null and payable_at > $2), 0)::bigint as pending,
                coalesce(sum(amount) filter (where status = 'pending' and payout_id is null and payable_at <= $2), 0)::bigint as payable,
                coalesce(sum(amount) filter (where status = 'pending' and payout_id is not null), 0)::bigint as in_payout,
                coalesce(sum(amount) filter (where status = 'paid'), 0)::bigint as paid
         from affiliate_commissions
         where ($1::uuid is null or affiliate_id = $1)
         group by affiliate_id, currency
         order by affiliate_id, currency",
    )
    .bind(only)
    .bind(now)
    .fetch_all(&mut **tx)
    .await
}
