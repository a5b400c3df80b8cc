//! What the fraud view shows: refused self-referrals, addresses behind many sign-ups, and
//! affiliates whose referred orders are often refunded.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;

use crate::affiliates::model::AffiliateId;

/// Sign-ups from one address within a day that look like one person.
pub const SIGNUPS_FROM_ONE_ADDRESS: i64 = 3;
/// The refund rate (percent) that flags an affiliate.
pub const REFUND_RATE_FLAG: i64 = 20;
/// Referred orders needed before a refund rate means anything.
pub const REFUND_RATE_MIN_ORDERS: i64 = 3;

/// A self-referral that was refused.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct SelfReferral {
    /// Whose link or code.
    pub affiliate_id: AffiliateId,
    /// Their code.
    pub code: String,
    /// The order.
    pub order_id: uuid::Uuid,
    /// The buyer's email.
    pub email: String,
    /// `account`, `email` or `card`.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// The latest refused self-referrals.
pub async fn self_referrals(tx: &mut TenantTx) -> sqlx::Result<Vec<SelfReferral>> {
    sqlx::query_as(
        "select r.affiliate_id, a.code, r.order_id, o.email, r.reason, r.at
         from affiliate_referrals r
         join affiliates a on a.tenant_id = r.tenant_id and a.id = r.affiliate_id
         join orders o on o.tenant_id = r.tenant_id and o.id = r.order_id
         where r.tenant_id = $1 and r.status = 'self_referral'
         order by r.at desc limit 100",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Many sign-ups for one affiliate from one address within 24 hours.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Burst {
    /// Whose.
    pub affiliate_id: AffiliateId,
    /// Their code.
    pub code: String,
    /// The first characters of the address's keyed hash (never the address).
    pub address: String,
    /// Sign-ups in the busiest 24 hours.
    pub signups: i64,
    /// When that window started.
    pub first_at: DateTime<Utc>,
}

/// Addresses with at least [`SIGNUPS_FROM_ONE_ADDRESS`] sign-ups for one affiliate within a day.
pub async fn bursts(tx: &mut TenantTx) -> sqlx::Result<Vec<Burst>> {
    sqlx::query_as(
        "select w.affiliate_id, a.code, left(w.ip_hash, 10) as address, max(w.n) as signups, min(w.at) as first_at
         from (select s.affiliate_id, s.ip_hash, s.at,
                      (select count(*) from affiliate_signups t
                        where t.tenant_id = s.tenant_id and t.affiliate_id = s.affiliate_id and t.ip_hash = s.ip_hash
                          and t.at >= s.at and t.at < s.at + interval '24 hours') as n
               from affiliate_signups s where s.tenant_id = $1 and s.ip_hash <> '') w
         join affiliates a on a.tenant_id = $1 and a.id = w.affiliate_id
         where w.n >= $2
         group by w.affiliate_id, a.code, w.ip_hash
         order by signups desc limit 100",
    )
    .bind(tx.tenant())
    .bind(SIGNUPS_FROM_ONE_ADDRESS)
    .fetch_all(&mut **tx)
    .await
}

/// An affiliate's refund rate.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct RefundRate {
    /// Whose.
    pub affiliate_id: AffiliateId,
    /// Their code.
    pub code: String,
    /// Orders credited to them.
    pub orders: i64,
    /// Of which refunded (in part or in full) or disputed.
    pub refunded: i64,
    /// `refunded / orders` in percent.
    pub rate: i64,
    /// Whether the rate is worth a look.
    pub flagged: bool,
}

/// Refund rates of every affiliate with referred orders, the flagged ones first.
pub async fn refund_rates(tx: &mut TenantTx) -> sqlx::Result<Vec<RefundRate>> {
    sqlx::query_as(
        "select x.affiliate_id, x.code, x.orders, x.refunded, (x.refunded * 100 / x.orders) as rate,
                (x.orders >= $2 and x.refunded * 100 >= $3 * x.orders) as flagged
         from (select r.affiliate_id, a.code, count(*) as orders,
                      count(*) filter (where exists (select 1 from refunds f where f.tenant_id = r.tenant_id and f.order_id = r.order_id)) as refunded
               from affiliate_referrals r join affiliates a on a.tenant_id = r.tenant_id and a.id = r.affiliate_id
               where r.tenant_id = $1 and r.status = 'credited'
               group by r.affiliate_id, a.code) x
         order by flagged desc, rate desc, orders desc limit 200",
    )
    .bind(tx.tenant())
    .bind(REFUND_RATE_MIN_ORDERS)
    .bind(REFUND_RATE_FLAG)
    .fetch_all(&mut **tx)
    .await
}
