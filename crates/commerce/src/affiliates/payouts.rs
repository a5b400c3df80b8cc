//! Payouts (issue 13 §5): batches of what is payable, exported for PayPal Payouts or Wise,
//! marked paid (or paid by a Stripe Connect transfer), and a statement to each affiliate.
//!
//! - [`eligible`]: who can be paid now in each currency, and why the others carry forward.
//! - [`batch`]: creating a batch in one transaction that locks the ledger rows it settles, so a
//!   double submit, two staff at once or a concurrent refund cannot pay a row twice.
//! - [`export`]: the PayPal Payouts and Wise batch CSV files, from the details the portal
//!   keeps sealed ([`crate::affiliates::portal::payout_details`]).
//! - [`paid`]: marking a payout or a batch paid: ledger rows `paid`, a gap-free statement
//!   number, `payout.paid`, and the affiliate's email.
//! - [`statement`] and [`statement_pdf`]: the statement PDF.
//! - [`transfer`]: paying one payout by Stripe Connect transfer.
//!
//! A payout's amount is always the sum of the ledger rows it settles; nobody types it.

pub mod batch;
pub mod eligible;
pub mod export;
pub mod paid;
pub mod statement;
pub mod statement_pdf;
pub mod transfer;

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;

use super::model::{AffiliateId, PayoutBatchId, PayoutId};

/// Payouts react to no event: staff drive them from the admin pages.
pub fn wire(_w: &mut kernel::state::Wiring) {}

/// A batch with its count and total.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Batch {
    /// Its id.
    pub id: PayoutBatchId,
    /// ISO 4217.
    pub currency: String,
    /// `open` or `paid`.
    pub status: String,
    /// When staff created it.
    pub created_at: DateTime<Utc>,
    /// When its last payout was paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// How many payouts it holds.
    pub payouts: i64,
    /// Their sum.
    pub total: i64,
    /// How many are still open.
    pub open: i64,
}

const BATCH_SELECT: &str = "
    select b.id, b.currency::text as currency, b.status, b.created_at, b.paid_at,
           count(p.id) as payouts, coalesce(sum(p.amount), 0)::bigint as total,
           count(p.id) filter (where p.status = 'open') as open
      from affiliate_payout_batches b
      left join affiliate_payouts p on p.tenant_id = b.tenant_id and p.batch_id = b.id
     where b.tenant_id = $1";

/// One batch of the school.
pub async fn batch(tx: &mut TenantTx, id: PayoutBatchId) -> sqlx::Result<Option<Batch>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{BATCH_SELECT} and b.id = $2 group by b.tenant_id, b.id")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// The school's latest batches, newest first.
pub async fn batches(tx: &mut TenantTx, limit: i64) -> sqlx::Result<Vec<Batch>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BATCH_SELECT} group by b.tenant_id, b.id order by b.created_at desc, b.id desc limit $2"
    )))
    .bind(tx.tenant())
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// A payout with who it is for.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Payout {
    /// Its id.
    pub id: PayoutId,
    /// Its batch.
    pub batch_id: PayoutBatchId,
    /// Whom it pays.
    pub affiliate_id: AffiliateId,
    /// The affiliate's account.
    pub user_id: kernel::ids::UserId,
    /// ISO 4217.
    pub currency: String,
    /// The sum of the ledger rows it settles.
    pub amount: i64,
    /// `paypal`, `bank` or `stripe`.
    pub method: String,
    /// `open` or `paid`.
    pub status: String,
    /// The Stripe transfer, when paid by one.
    pub transfer_ref: Option<String>,
    /// The statement number, once paid.
    pub number: Option<String>,
    /// When it was paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// The affiliate's name.
    pub name: String,
    /// The affiliate's email.
    pub email: String,
    /// Their referral code.
    pub code: String,
    /// A masked summary of their payout details.
    pub payout_summary: String,
    /// Their connected Stripe account.
    pub stripe_account_id: Option<String>,
}

const PAYOUT_SELECT: &str = "
    select p.id, p.batch_id, p.affiliate_id, a.user_id, p.currency::text as currency, p.amount, p.method, p.status,
           p.transfer_ref, p.number, p.paid_at, u.name, u.email, a.code, a.payout_summary, a.stripe_account_id
      from affiliate_payouts p
      join affiliates a on a.tenant_id = p.tenant_id and a.id = p.affiliate_id
      join users u on u.tenant_id = a.tenant_id and u.id = a.user_id
     where p.tenant_id = $1";

/// The payouts of a batch, by affiliate name.
pub async fn payouts_of(tx: &mut TenantTx, batch: PayoutBatchId) -> sqlx::Result<Vec<Payout>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{PAYOUT_SELECT} and p.batch_id = $2 order by lower(u.name), p.id")))
        .bind(tx.tenant())
        .bind(batch)
        .fetch_all(&mut **tx)
        .await
}

/// One payout of the school.
pub async fn payout(tx: &mut TenantTx, id: PayoutId) -> sqlx::Result<Option<Payout>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{PAYOUT_SELECT} and p.id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}
