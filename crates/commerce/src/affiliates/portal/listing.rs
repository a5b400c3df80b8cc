//! The program's records as the REST API lists them: affiliates with their totals, the
//! commission ledger and payouts, newest first, a page after an id (UUIDv7 ids sort by time).

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::affiliates::{
    balance::{self, Balance},
    model::{AffiliateId, Commission, PayoutBatchId, PayoutId},
};

/// The commission states a list can be narrowed to (see `Commission::state`).
pub const COMMISSION_STATES: [&str; 5] = ["pending", "payable", "in_payout", "paid", "cancelled"];

/// An affiliate with their person and totals.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct AffiliateRow {
    /// Its id.
    pub id: AffiliateId,
    /// The person's user id.
    pub user_id: Uuid,
    /// Their address.
    pub email: String,
    /// Their name.
    pub name: String,
    /// The referral code.
    pub code: String,
    /// `pending`, `approved`, `rejected` or `suspended`.
    pub status: String,
    /// A personal rate, in basis points.
    pub personal_percent_bp: Option<i32>,
    /// `paypal` or `bank`, once given.
    pub payout_method: Option<String>,
    /// Clicks on their links, all time.
    pub clicks: i64,
    /// Sign-ups through them.
    pub signups: i64,
    /// Orders credited to them.
    pub sales: i64,
    /// When they applied.
    pub created_at: DateTime<Utc>,
    /// Their earnings per currency.
    #[sqlx(skip)]
    pub balances: Vec<Balance>,
}

const AFFILIATE_SELECT: &str = "select a.id, a.user_id, u.email, u.name, a.code, a.status, a.personal_percent_bp,
        a.payout_method, a.created_at,
        (select count(*) from affiliate_clicks c where c.tenant_id = a.tenant_id and c.affiliate_id = a.id) as clicks,
        (select count(*) from affiliate_signups s where s.tenant_id = a.tenant_id and s.affiliate_id = a.id) as signups,
        (select count(*) from affiliate_referrals r where r.tenant_id = a.tenant_id and r.affiliate_id = a.id
           and r.status = 'credited') as sales
      from affiliates a join users u on u.tenant_id = a.tenant_id and u.id = a.user_id";

async fn with_balances(
    tx: &mut TenantTx,
    mut rows: Vec<AffiliateRow>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<AffiliateRow>> {
    for row in &mut rows {
        row.balances = balance::balances(tx, Some(row.id), now).await?;
    }
    Ok(rows)
}

/// Affiliates newest first, optionally of one status, after the id `after`.
pub async fn affiliates(
    tx: &mut TenantTx,
    status: Option<&str>,
    after: Option<Uuid>,
    limit: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<AffiliateRow>> {
    let rows = sqlx::query_as(AssertSqlSafe(format!(
        "{AFFILIATE_SELECT}
         where a.tenant_id = $1 and ($2::text is null or a.status = $2) and ($3::uuid is null or a.id < $3)
         order by a.id desc limit $4"
    )))
    .bind(tx.tenant())
    .bind(status)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    with_balances(tx, rows, now).await
}

/// One affiliate with totals.
pub async fn affiliate(tx: &mut TenantTx, id: AffiliateId, now: DateTime<Utc>) -> sqlx::Result<Option<AffiliateRow>> {
    let row: Option<AffiliateRow> =
        sqlx::query_as(AssertSqlSafe(format!("{AFFILIATE_SELECT} where a.tenant_id = $1 and a.id = $2")))
            .bind(tx.tenant())
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some(row) => Ok(with_balances(tx, vec![row], now).await?.pop()),
        None => Ok(None),
    }
}

/// Filters for [`commissions`].
#[derive(Clone, Debug, Default)]
pub struct CommissionFilter {
    /// One affiliate's.
    pub affiliate: Option<AffiliateId>,
    /// One of [`COMMISSION_STATES`].
    pub state: Option<String>,
    /// Occurred at or after.
    pub since: Option<DateTime<Utc>>,
    /// After this id (the previous page's last).
    pub after: Option<Uuid>,
}

/// Ledger rows newest first.
pub async fn commissions(
    tx: &mut TenantTx,
    f: &CommissionFilter,
    limit: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Commission>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {} from affiliate_commissions
         where tenant_id = $1 and ($2::uuid is null or affiliate_id = $2)
           and ($3::timestamptz is null or occurred_at >= $3) and ($4::uuid is null or id < $4)
           and case $5::text
             when 'pending' then status = 'pending' and payout_id is null and payable_at > $6
             when 'payable' then status = 'pending' and payout_id is null and payable_at <= $6
             when 'in_payout' then status = 'pending' and payout_id is not null
             when 'paid' then status = 'paid'
             when 'cancelled' then status = 'cancelled'
             else true end
         order by id desc limit $7",
        Commission::COLUMNS
    )))
    .bind(tx.tenant())
    .bind(f.affiliate)
    .bind(f.since)
    .bind(f.after)
    .bind(f.state.as_deref())
    .bind(now)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// A payout as the API lists it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PayoutRow {
    /// Its id.
    pub id: PayoutId,
    /// Its batch.
    pub batch_id: PayoutBatchId,
    /// Who is paid.
    pub affiliate_id: AffiliateId,
    /// ISO 4217.
    pub currency: String,
    /// Minor units.
    pub amount: i64,
    /// `paypal`, `bank` or `stripe`.
    pub method: String,
    /// `open` or `paid`.
    pub status: String,
    /// The statement number.
    pub number: Option<String>,
    /// A transfer's reference.
    pub transfer_ref: Option<String>,
    /// When it was paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Payouts newest first, optionally one affiliate's or of one status.
pub async fn payouts(
    tx: &mut TenantTx,
    affiliate: Option<AffiliateId>,
    status: Option<&str>,
    after: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<PayoutRow>> {
    sqlx::query_as(
        "select id, batch_id, affiliate_id, currency::text as currency, amount, method, status, number, transfer_ref,
                paid_at, created_at
         from affiliate_payouts
         where tenant_id = $1 and ($2::uuid is null or affiliate_id = $2) and ($3::text is null or status = $3)
           and ($4::uuid is null or id < $4)
         order by id desc limit $5",
    )
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(status)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
