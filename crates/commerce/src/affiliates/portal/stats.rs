//! The numbers on an affiliate's dashboard: clicks, sign-ups, sales and conversion for a period,
//! a day-by-day series for the chart, their commissions and their payouts.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use kernel::db::TenantTx;
use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::affiliates::model::{AffiliateId, Commission, PayoutId};

/// The period the dashboard shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Period {
    /// The last 7 days.
    Days7,
    /// The last 30 days (the default).
    Days30,
    /// The last 90 days.
    Days90,
    /// Since the affiliate joined.
    All,
}

impl Period {
    /// Every period, in the order of the switcher.
    pub const ALL: [Period; 4] = [Period::Days7, Period::Days30, Period::Days90, Period::All];

    /// From the `period` parameter; anything unknown is 30 days.
    pub fn parse(s: Option<&str>) -> Self {
        match s.unwrap_or_default() {
            "7" => Self::Days7,
            "90" => Self::Days90,
            "all" => Self::All,
            _ => Self::Days30,
        }
    }

    /// The parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Days7 => "7",
            Self::Days30 => "30",
            Self::Days90 => "90",
            Self::All => "all",
        }
    }

    /// Where it starts; `None` for all time.
    pub fn since(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Self::Days7 => Some(now - Duration::days(7)),
            Self::Days30 => Some(now - Duration::days(30)),
            Self::Days90 => Some(now - Duration::days(90)),
            Self::All => None,
        }
    }
}

/// Counts for a period.
#[derive(Clone, Debug, Default, Serialize, sqlx::FromRow)]
pub struct Numbers {
    /// Clicks on their links.
    pub clicks: i64,
    /// People who signed up through them.
    pub signups: i64,
    /// Orders credited to them.
    pub sales: i64,
}

impl Numbers {
    /// Sales per click, in tenths of a percent (`42` is 4.2 %); `None` without clicks.
    pub fn conversion_permille(&self) -> Option<i64> {
        (self.clicks > 0).then(|| (self.sales * 1000 + self.clicks / 2) / self.clicks)
    }
}

/// Clicks, sign-ups and credited sales since `since` (all time when `None`).
pub async fn numbers(tx: &mut TenantTx, affiliate: AffiliateId, since: Option<DateTime<Utc>>) -> sqlx::Result<Numbers> {
    sqlx::query_as(
        "select
           (select count(*) from affiliate_clicks where tenant_id = $1 and affiliate_id = $2 and ($3::timestamptz is null or at >= $3)) as clicks,
           (select count(*) from affiliate_signups where tenant_id = $1 and affiliate_id = $2 and ($3::timestamptz is null or at >= $3)) as signups,
           (select count(*) from affiliate_referrals where tenant_id = $1 and affiliate_id = $2 and status = 'credited'
              and ($3::timestamptz is null or at >= $3)) as sales",
    )
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(since)
    .fetch_one(&mut **tx)
    .await
}

/// One day of the chart.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Day {
    /// The day in the school's time zone.
    pub day: NaiveDate,
    /// Clicks that day.
    pub clicks: i64,
    /// Sales that day.
    pub sales: i64,
}

/// Clicks and sales per day for the `days` days up to `now`, in time zone `zone`, zeros included.
pub async fn daily(
    tx: &mut TenantTx,
    affiliate: AffiliateId,
    now: DateTime<Utc>,
    days: i64,
    zone: &str,
) -> sqlx::Result<Vec<Day>> {
    sqlx::query_as(
        "with days as (
           select d::date as day
           from generate_series(($3 at time zone $5)::date - ($4::int - 1), ($3 at time zone $5)::date, interval '1 day') d
         )
         select days.day,
           (select count(*) from affiliate_clicks c where c.tenant_id = $1 and c.affiliate_id = $2
              and (c.at at time zone $5)::date = days.day) as clicks,
           (select count(*) from affiliate_referrals r where r.tenant_id = $1 and r.affiliate_id = $2
              and r.status = 'credited' and (r.at at time zone $5)::date = days.day) as sales
         from days order by days.day",
    )
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(now)
    .bind(days as i32)
    .bind(zone)
    .fetch_all(&mut **tx)
    .await
}

/// A commission as the affiliate sees it, with the offer it came from.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct CommissionLine {
    /// The ledger row.
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub commission: Commission,
    /// The offer's name (empty if it is gone).
    pub offer_name: String,
}

/// The affiliate's commissions, newest first: a page of `per` rows, and how many there are.
pub async fn commissions(
    tx: &mut TenantTx,
    affiliate: AffiliateId,
    page: i64,
    per: i64,
) -> sqlx::Result<(Vec<CommissionLine>, i64)> {
    let columns: Vec<String> = Commission::COLUMNS.split(',').map(|c| format!("c.{}", c.trim())).collect();
    let rows = sqlx::query_as(AssertSqlSafe(format!(
        "select {}, coalesce(o.name, '') as offer_name
         from affiliate_commissions c
         left join orders ord on ord.tenant_id = c.tenant_id and ord.id = c.order_id
         left join offers o on o.tenant_id = ord.tenant_id and o.id = ord.offer_id
         where c.tenant_id = $1 and c.affiliate_id = $2
         order by c.occurred_at desc, c.id desc limit $3 offset $4",
        columns.join(", ")
    )))
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(per)
    .bind((page - 1).max(0) * per)
    .fetch_all(&mut **tx)
    .await?;
    let total: i64 =
        sqlx::query_scalar("select count(*) from affiliate_commissions where tenant_id = $1 and affiliate_id = $2")
            .bind(tx.tenant())
            .bind(affiliate)
            .fetch_one(&mut **tx)
            .await?;
    Ok((rows, total))
}

/// A payout to the affiliate.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PayoutLine {
    /// Its id (the statement's address).
    pub id: PayoutId,
    /// Its statement number, once paid.
    pub number: Option<String>,
    /// ISO 4217.
    pub currency: String,
    /// Minor units.
    pub amount: i64,
    /// `paypal`, `bank` or `stripe`.
    pub method: String,
    /// `open` or `paid`.
    pub status: String,
    /// When it was paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// The affiliate's latest payouts, newest first.
pub async fn payouts(tx: &mut TenantTx, affiliate: AffiliateId, limit: i64) -> sqlx::Result<Vec<PayoutLine>> {
    sqlx::query_as(
        "select id, number, currency::text as currency, amount, method, status, paid_at, created_at
         from affiliate_payouts where tenant_id = $1 and affiliate_id = $2
         order by created_at desc limit $3",
    )
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_conversion_rounds() {
        assert_eq!(Period::parse(Some("7")), Period::Days7);
        assert_eq!(Period::parse(Some("nonsense")), Period::Days30);
        assert_eq!(Period::parse(None).as_str(), "30");
        assert_eq!(Numbers { clicks: 0, signups: 0, sales: 0 }.conversion_permille(), None);
        assert_eq!(Numbers { clicks: 3, signups: 0, sales: 1 }.conversion_permille(), Some(333));
    }
}
