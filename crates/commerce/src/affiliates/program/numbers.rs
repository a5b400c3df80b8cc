//! Each affiliate's numbers for staff: clicks, sign-ups, referred sales and the revenue they
//! brought net of refunds, in a period; ranked, this is the "top affiliates" list.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use kernel::db::TenantTx;
use serde::Serialize;

use crate::affiliates::model::AffiliateId;

/// The period the numbers cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// The last 30 days.
    Last30,
    /// The calendar month so far, in the school's time zone.
    ThisMonth,
    /// The previous calendar month.
    LastMonth,
    /// Since the program started.
    All,
}

impl Period {
    /// From the query string (anything else: all time).
    pub fn parse(s: &str) -> Self {
        match s {
            "30d" => Period::Last30,
            "month" => Period::ThisMonth,
            "last_month" => Period::LastMonth,
            _ => Period::All,
        }
    }

    /// As written in the query string.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Last30 => "30d",
            Period::ThisMonth => "month",
            Period::LastMonth => "last_month",
            Period::All => "all",
        }
    }

    /// Every period, in the order the filter shows them.
    pub const ALL: [Period; 4] = [Period::Last30, Period::ThisMonth, Period::LastMonth, Period::All];

    /// `[from, to)`: the period's bounds at `now` in the time zone `zone`.
    pub fn bounds(self, now: DateTime<Utc>, zone: &str) -> (DateTime<Utc>, DateTime<Utc>) {
        let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
        let local = now.with_timezone(&tz).date_naive();
        let month_start = |d: NaiveDate| {
            let first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d);
            tz.from_local_datetime(&first.and_hms_opt(0, 0, 0).unwrap_or_default())
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or(now)
        };
        match self {
            Period::Last30 => (now - Duration::days(30), now + Duration::seconds(1)),
            Period::ThisMonth => (month_start(local), now + Duration::seconds(1)),
            Period::LastMonth => {
                let this = NaiveDate::from_ymd_opt(local.year(), local.month(), 1).unwrap_or(local);
                let prev = this - Duration::days(1);
                (month_start(prev), month_start(local))
            }
            // Before any school existed; PostgreSQL cannot hold chrono's minimum.
            Period::All => (DateTime::<Utc>::UNIX_EPOCH, now + Duration::seconds(1)),
        }
    }
}

/// One affiliate with their numbers in a period.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Row {
    /// The affiliate.
    pub id: AffiliateId,
    /// Their code.
    pub code: String,
    /// `pending`, `approved`, `rejected` or `suspended`.
    pub status: String,
    /// The person's name.
    pub name: String,
    /// The person's email.
    pub email: String,
    /// When they applied.
    pub created_at: DateTime<Utc>,
    /// Clicks on their links.
    pub clicks: i64,
    /// Sign-ups through them.
    pub signups: i64,
    /// Orders credited to them.
    pub sales: i64,
    /// Payments on those orders less refunds, in the school's currency (minor units).
    pub revenue: i64,
}

/// Affiliates of a status (all with `None`), matching `search` (name, email or code), with
/// their numbers between `from` and `to`, ranked by revenue then sales. `currency` is the
/// school's: the revenue that ranks them.
pub async fn list(
    tx: &mut TenantTx,
    status: Option<&str>,
    search: &str,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    currency: &str,
) -> sqlx::Result<Vec<Row>> {
    let pattern = format!("%{}%", search.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    sqlx::query_as(
        "select a.id, a.code, a.status, u.name, u.email, a.created_at,
           (select count(*) from affiliate_clicks c
             where c.tenant_id = a.tenant_id and c.affiliate_id = a.id and c.at >= $3 and c.at < $4) as clicks,
           (select count(*) from affiliate_signups s
             where s.tenant_id = a.tenant_id and s.affiliate_id = a.id and s.at >= $3 and s.at < $4) as signups,
           (select count(*) from affiliate_referrals r
             where r.tenant_id = a.tenant_id and r.affiliate_id = a.id and r.status = 'credited'
               and r.at >= $3 and r.at < $4) as sales,
           (coalesce((select sum(p.amount - p.tax) from affiliate_referrals r
               join payments p on p.tenant_id = r.tenant_id and p.order_id = r.order_id and p.status = 'succeeded'
              where r.tenant_id = a.tenant_id and r.affiliate_id = a.id and r.status = 'credited'
                and p.currency = $5 and p.occurred_at >= $3 and p.occurred_at < $4), 0)
            - coalesce((select sum(f.amount) from affiliate_referrals r
               join refunds f on f.tenant_id = r.tenant_id and f.order_id = r.order_id
              where r.tenant_id = a.tenant_id and r.affiliate_id = a.id and r.status = 'credited'
                and f.currency = $5 and f.occurred_at >= $3 and f.occurred_at < $4), 0))::bigint as revenue
         from affiliates a join users u on u.tenant_id = a.tenant_id and u.id = a.user_id
         where a.tenant_id = $1 and ($2::text is null or a.status = $2)
           and ($6 = '%%' or u.name ilike $6 or u.email ilike $6 or a.code ilike $6)
         order by revenue desc, sales desc, clicks desc, a.created_at desc
         limit 500",
    )
    .bind(tx.tenant())
    .bind(status)
    .bind(from)
    .bind(to)
    .bind(currency)
    .bind(pattern)
    .fetch_all(&mut **tx)
    .await
}

/// How many affiliates have each status.
pub async fn counts(tx: &mut TenantTx) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("select status, count(*) from affiliates where tenant_id = $1 group by status")
        .bind(tx.tenant())
        .fetch_all(&mut **tx)
        .await
}

/// An order credited to an affiliate, for their page.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Referral {
    /// The order.
    pub order_id: uuid::Uuid,
    /// The buyer's email.
    pub email: String,
    /// What was bought.
    pub offer: String,
    /// The order's total.
    pub total: i64,
    /// Its currency.
    pub currency: String,
    /// `link`, `cookie` or `coupon`.
    pub via: String,
    /// `credited` or `self_referral`.
    pub status: String,
    /// Why a self-referral was refused.
    pub reason: Option<String>,
    /// Refunded so far.
    pub refunded: i64,
    /// When.
    pub at: DateTime<Utc>,
}

/// An affiliate's latest referred orders.
pub async fn referrals(tx: &mut TenantTx, affiliate: AffiliateId, limit: i64) -> sqlx::Result<Vec<Referral>> {
    sqlx::query_as(
        "select r.order_id, o.email, f.name as offer, o.total, o.currency::text as currency, r.via, r.status, r.reason,
                coalesce((select sum(x.amount) from refunds x where x.tenant_id = o.tenant_id and x.order_id = o.id), 0)::bigint as refunded,
                r.at
         from affiliate_referrals r
         join orders o on o.tenant_id = r.tenant_id and o.id = r.order_id
         join offers f on f.tenant_id = o.tenant_id and f.id = o.offer_id
         where r.tenant_id = $1 and r.affiliate_id = $2
         order by r.at desc limit $3",
    )
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// An affiliate's latest commission rows.
pub async fn commissions(
    tx: &mut TenantTx,
    affiliate: AffiliateId,
    limit: i64,
) -> sqlx::Result<Vec<crate::affiliates::model::Commission>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {} from affiliate_commissions where tenant_id = $1 and affiliate_id = $2
         order by occurred_at desc, level limit $3",
        crate::affiliates::model::Commission::COLUMNS
    )))
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
