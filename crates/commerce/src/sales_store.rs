//! The SQL behind the admin's sales pages and the API: orders with their derived state,
//! filtered, totalled and paged in the database; an order's history; subscriptions with their
//! subscriber. Read-only: money facts are written by [`crate::ledger`] only.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::model::{OfferId, OrderId, ProductId, SubscriptionId};

/// How the orders list is narrowed (all fields optional).
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    /// Part of the buyer's address or name, or the start of the order's id.
    pub q: String,
    /// `paid`, `partly_refunded`, `refunded` or `free`; empty is every order.
    pub state: String,
    /// Only this offer.
    pub offer: Option<OfferId>,
    /// Orders from this moment …
    pub from: Option<DateTime<Utc>>,
    /// … and before this one.
    pub until: Option<DateTime<Utc>>,
    /// Only this buyer.
    pub user: Option<UserId>,
    /// Only orders placed with this address (any case).
    pub email: Option<String>,
    /// Only orders after this one in the list's order (the API's cursor).
    pub after: Option<OrderId>,
}

/// One order as the list shows it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct OrderRow {
    /// Id.
    pub id: OrderId,
    /// The buyer.
    pub user_id: UserId,
    /// The buyer's address at the time.
    pub email: String,
    /// The buyer's name at the time.
    pub name: String,
    /// The main offer.
    pub offer_id: OfferId,
    /// Its name.
    pub offer_name: String,
    /// Its product's name.
    pub product_name: String,
    /// ISO 4217.
    pub currency: String,
    /// The first payment.
    pub total: i64,
    /// Every successful payment of the order (renewals included).
    pub paid: i64,
    /// Every refund and chargeback.
    pub refunded: i64,
    /// `paid`, `partly_refunded`, `refunded` or `free` (derived from the two above).
    pub state: String,
    /// `checkout`, `upsell` or `comp`.
    pub source: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The filtered set's money in one currency.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Totals {
    /// ISO 4217.
    pub currency: String,
    /// Orders.
    pub orders: i64,
    /// Taken.
    pub paid: i64,
    /// Given back.
    pub refunded: i64,
    /// Kept.
    pub net: i64,
}

/// The orders, with the derived state, as a CTE that the filter narrows. `$1` tenant, `$2`
/// search, `$3` state, `$4` offer, `$5` from, `$6` until, `$7` buyer, `$8` address, `$9` the
/// order the page starts after.
const FILTERED: &str = "
with base as (
  select o.id, o.user_id, o.email, o.name, o.offer_id, f.name as offer_name, p.name as product_name, o.currency,
         o.total, o.source, o.created_at,
         coalesce((select sum(amount) from payments y where y.tenant_id = o.tenant_id and y.order_id = o.id
                     and y.status = 'succeeded'), 0)::bigint as paid,
         coalesce((select sum(amount) from refunds r where r.tenant_id = o.tenant_id and r.order_id = o.id), 0)::bigint
           as refunded
  from orders o
  join offers f on f.tenant_id = o.tenant_id and f.id = o.offer_id
  join products p on p.tenant_id = f.tenant_id and p.id = f.product_id
  where o.tenant_id = $1
    and ($2 = '' or strpos(lower(o.email), lower($2)) > 0 or strpos(lower(o.name), lower($2)) > 0
         or o.id::text like lower($2) || '%' or (length($2) >= 4 and o.id::text like '%' || lower($2)))
    and ($4::uuid is null or o.offer_id = $4)
    and ($5::timestamptz is null or o.created_at >= $5)
    and ($6::timestamptz is null or o.created_at < $6)
    and ($7::uuid is null or o.user_id = $7)
    and ($8::text is null or lower(o.email) = lower($8))
    and ($9::uuid is null or (o.created_at, o.id) < (select c.created_at, c.id from orders c
                                                      where c.tenant_id = $1 and c.id = $9))
), stated as (
  select *, case when paid = 0 then 'free' when refunded = 0 then 'paid' when refunded >= paid then 'refunded'
                 else 'partly_refunded' end as state
  from base
), filtered as (
  select * from stated where $3 = '' or state = $3
)";

fn bind_filter<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    tenant: kernel::ids::TenantId,
    f: &'q OrderFilter,
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
    query
        .bind(tenant)
        .bind(f.q.trim())
        .bind(f.state.as_str())
        .bind(f.offer)
        .bind(f.from)
        .bind(f.until)
        .bind(f.user)
        .bind(f.email.as_deref())
        .bind(f.after)
}

/// One page of the filtered orders, newest first, and how many matched.
pub async fn orders(tx: &mut TenantTx, f: &OrderFilter, offset: i64, limit: i64) -> sqlx::Result<(Vec<OrderRow>, i64)> {
    #[derive(sqlx::FromRow)]
    struct Counted {
        #[sqlx(flatten)]
        row: OrderRow,
        matched: i64,
    }
    let sql = format!(
        "{FILTERED}
         select id, user_id, email, name, offer_id, offer_name, product_name, currency, total, paid, refunded, state,
                source, created_at, count(*) over () as matched
         from filtered order by created_at desc, id desc offset $10 limit $11"
    );
    let tenant = tx.tenant();
    let rows: Vec<Counted> = bind_filter(sqlx::query_as(sqlx::AssertSqlSafe(sql)), tenant, f)
        .bind(offset)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
    let matched = match rows.first() {
        Some(r) => r.matched,
        None if offset > 0 => count(tx, f).await?,
        None => 0,
    };
    Ok((rows.into_iter().map(|r| r.row).collect(), matched))
}

/// How many orders match.
pub async fn count(tx: &mut TenantTx, f: &OrderFilter) -> sqlx::Result<i64> {
    let sql = format!("{FILTERED} select count(*) from filtered");
    let tenant = tx.tenant();
    let (n,): (i64,) = bind_filter(sqlx::query_as(sqlx::AssertSqlSafe(sql)), tenant, f).fetch_one(&mut **tx).await?;
    Ok(n)
}

/// The filtered set's money, per currency (the school's currency first when it has orders).
pub async fn totals(tx: &mut TenantTx, f: &OrderFilter) -> sqlx::Result<Vec<Totals>> {
    let sql = format!(
        "{FILTERED}
         select currency::text as currency, count(*) as orders, sum(paid)::bigint as paid,
                sum(refunded)::bigint as refunded, (sum(paid) - sum(refunded))::bigint as net
         from filtered group by currency order by count(*) desc, currency"
    );
    let tenant = tx.tenant();
    bind_filter(sqlx::query_as(sqlx::AssertSqlSafe(sql)), tenant, f).fetch_all(&mut **tx).await
}

/// Every order of the school (newest first), for the filter's offer menu: the offers sold.
pub async fn offers_sold(tx: &mut TenantTx) -> sqlx::Result<Vec<(OfferId, String)>> {
    sqlx::query_as(
        "select f.id, f.name from offers f where f.tenant_id = $1
           and exists (select 1 from orders o where o.tenant_id = f.tenant_id and o.offer_id = f.id)
         order by f.name",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// One order's row as the list shows it (for the order page and the API).
pub async fn order_row(tx: &mut TenantTx, id: OrderId) -> sqlx::Result<Option<OrderRow>> {
    let sql = format!(
        "{FILTERED}
         select id, user_id, email, name, offer_id, offer_name, product_name, currency, total, paid, refunded, state,
                source, created_at from filtered where id = $10"
    );
    let tenant = tx.tenant();
    let all = OrderFilter::default();
    bind_filter(sqlx::query_as(sqlx::AssertSqlSafe(sql)), tenant, &all).bind(id).fetch_optional(&mut **tx).await
}

/// A line of an order.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Item {
    /// The offer bought.
    pub offer_id: OfferId,
    /// Its name.
    pub offer_name: String,
    /// `one_time`, `plan` or `subscription`.
    pub offer_kind: String,
    /// The product.
    pub product_id: ProductId,
    /// Its name.
    pub product_name: String,
    /// `main` or `bump`.
    pub kind: String,
    /// Its first payment.
    pub amount: i64,
}

/// The lines of an order, main first.
pub async fn items(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Vec<Item>> {
    sqlx::query_as(
        "select i.offer_id, f.name as offer_name, f.kind as offer_kind, i.product_id, p.name as product_name, i.kind,
                i.amount
         from order_items i
         join offers f on f.tenant_id = i.tenant_id and f.id = i.offer_id
         join products p on p.tenant_id = i.tenant_id and p.id = i.product_id
         where i.tenant_id = $1 and i.order_id = $2 order by i.kind desc, p.name",
    )
    .bind(tx.tenant())
    .bind(order)
    .fetch_all(&mut **tx)
    .await
}

/// The code of a coupon.
pub async fn coupon_code(tx: &mut TenantTx, coupon: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select code from coupons where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(coupon)
        .fetch_optional(&mut **tx)
        .await
}

/// A payment of an order with what is left of it to refund.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PaymentRow {
    /// Id.
    pub id: Uuid,
    /// `succeeded` or `failed`.
    pub status: String,
    /// ISO 4217.
    pub currency: String,
    /// Amount.
    pub amount: i64,
    /// Tax in it.
    pub tax: i64,
    /// Refunded and disputed so far.
    pub refunded: i64,
    /// Why it failed.
    pub failure_code: Option<String>,
    /// Its receipt.
    pub receipt_number: Option<String>,
    /// A renewal of this subscription.
    pub subscription_id: Option<Uuid>,
    /// The provider's charge id.
    pub provider_ref: String,
    /// The card's brand and last four digits.
    pub card: Option<String>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// An order's payments, oldest first.
pub async fn payments(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Vec<PaymentRow>> {
    sqlx::query_as(
        "select y.id, y.status, y.currency::text as currency, y.amount, y.tax,
                coalesce((select sum(amount) from refunds r where r.tenant_id = y.tenant_id and r.payment_id = y.id), 0)::bigint
                  as refunded,
                y.failure_code, y.receipt_number, y.subscription_id, y.provider_ref,
                (select m.brand || ' ' || m.last4 from payment_methods m
                  where m.tenant_id = y.tenant_id and m.id = y.payment_method_id) as card,
                y.occurred_at
         from payments y where y.tenant_id = $1 and y.order_id = $2 order by y.occurred_at, y.id",
    )
    .bind(tx.tenant())
    .bind(order)
    .fetch_all(&mut **tx)
    .await
}

/// A refund or chargeback of an order.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct RefundRow {
    /// Id.
    pub id: Uuid,
    /// The payment.
    pub payment_id: Uuid,
    /// `refund` or `dispute`.
    pub kind: String,
    /// ISO 4217.
    pub currency: String,
    /// Amount.
    pub amount: i64,
    /// Why, as staff wrote it.
    pub reason: String,
    /// Whether it takes the courses away.
    pub revoke_access: bool,
    /// The credit note.
    pub credit_note_number: Option<String>,
    /// Staff who gave it.
    pub actor_id: Option<UserId>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// An order's refunds, oldest first.
pub async fn refunds(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Vec<RefundRow>> {
    sqlx::query_as(
        "select id, payment_id, kind, currency::text as currency, amount, reason, revoke_access, credit_note_number,
                actor_id, occurred_at
         from refunds where tenant_id = $1 and order_id = $2 order by occurred_at, id",
    )
    .bind(tx.tenant())
    .bind(order)
    .fetch_all(&mut **tx)
    .await
}

/// A course an order opened, and where that access stands.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct GrantRow {
    /// The course.
    pub course_id: Uuid,
    /// Its title.
    pub title: String,
    /// When opened.
    pub granted_at: DateTime<Utc>,
    /// When taken back.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When paused.
    pub paused_at: Option<DateTime<Utc>>,
}

/// The courses an order opened (their titles asked of the courses domain).
pub async fn grants(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Vec<GrantRow>> {
    #[derive(sqlx::FromRow)]
    struct Grant {
        course_id: Uuid,
        granted_at: DateTime<Utc>,
        revoked_at: Option<DateTime<Utc>>,
        paused_at: Option<DateTime<Utc>>,
    }
    let rows: Vec<Grant> = sqlx::query_as(
        "select course_id, granted_at, revoked_at, paused_at from access_grants
         where tenant_id = $1 and order_id = $2 order by granted_at",
    )
    .bind(tx.tenant())
    .bind(order)
    .fetch_all(&mut **tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for Grant { course_id, granted_at, revoked_at, paused_at } in rows {
        let title =
            courses::store::course(tx, courses::CourseId(course_id)).await?.map(|c| c.title).unwrap_or_default();
        out.push(GrantRow { course_id, title, granted_at, revoked_at, paused_at });
    }
    out.sort_by(|a, b| (a.granted_at, &a.title).cmp(&(b.granted_at, &b.title)));
    Ok(out)
}

/// A change of a subscription.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ChangeRow {
    /// `created`, `renewed`, `past_due`, `canceled` …
    pub kind: String,
    /// Before.
    pub from_status: Option<String>,
    /// After.
    pub to_status: String,
    /// Details (reason, code, period end).
    pub detail: serde_json::Value,
    /// Staff or student who made it.
    pub actor_id: Option<UserId>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A subscription's changes, oldest first.
pub async fn changes(tx: &mut TenantTx, subscription: SubscriptionId) -> sqlx::Result<Vec<ChangeRow>> {
    sqlx::query_as(
        "select kind, from_status, to_status, detail, actor_id, occurred_at from subscription_changes
         where tenant_id = $1 and subscription_id = $2 order by occurred_at, created_at, id",
    )
    .bind(tx.tenant())
    .bind(subscription)
    .fetch_all(&mut **tx)
    .await
}

/// When the order's checkout was started.
pub async fn checkout_started(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "select c.created_at from orders o join checkouts c on c.tenant_id = o.tenant_id and c.id = o.checkout_id
         where o.tenant_id = $1 and o.id = $2",
    )
    .bind(tx.tenant())
    .bind(order)
    .fetch_optional(&mut **tx)
    .await
}

/// How the subscriptions list is narrowed.
#[derive(Clone, Debug, Default)]
pub struct SubscriptionFilter {
    /// Part of the subscriber's address or name, or the start of the id.
    pub q: String,
    /// A status; empty is every one.
    pub status: String,
    /// Only this subscriber.
    pub user: Option<UserId>,
    /// Only subscribers with this address (any case).
    pub email: Option<String>,
    /// Only subscriptions after this one in the list's order (the API's cursor).
    pub after: Option<SubscriptionId>,
}

/// A subscription as the list shows it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct SubscriptionRow {
    /// Id.
    pub id: SubscriptionId,
    /// The subscriber.
    pub user_id: UserId,
    /// Their address.
    pub email: String,
    /// Their name.
    pub name: String,
    /// The offer.
    pub offer_id: OfferId,
    /// Its name.
    pub offer_name: String,
    /// `plan` or `subscription`.
    pub offer_kind: String,
    /// `month` or `year`.
    pub interval: Option<String>,
    /// Payments of a plan.
    pub installments: Option<i32>,
    /// The order that started it.
    pub order_id: OrderId,
    /// Status.
    pub status: String,
    /// ISO 4217.
    pub currency: String,
    /// Each payment.
    pub amount: i64,
    /// The amount as a monthly figure (yearly divided by twelve).
    pub monthly: i64,
    /// Ends at the period's end.
    pub cancel_at_period_end: bool,
    /// Paid so far.
    pub payments_made: i32,
    /// The next charge (none when it will not renew).
    pub next_payment_at: Option<DateTime<Utc>>,
    /// The current period's end.
    pub current_period_end: DateTime<Utc>,
    /// When past due: when access pauses.
    pub grace_ends_at: Option<DateTime<Utc>>,
    /// Failed attempts since the last success.
    pub failed_attempts: i32,
    /// When it ended.
    pub canceled_at: Option<DateTime<Utc>>,
    /// When it started.
    pub created_at: DateTime<Utc>,
}

const SUBSCRIPTIONS: &str = "
  select s.id, s.user_id, b.email, b.name, s.offer_id, f.name as offer_name, f.kind as offer_kind, f.interval,
         f.installments, s.order_id, s.status, s.currency::text as currency, s.amount,
         (case when f.interval = 'year' then s.amount / 12 else s.amount end)::bigint as monthly,
         s.cancel_at_period_end, s.payments_made,
         case when s.status = 'past_due' then s.retry_at
              when s.status in ('trialing', 'active') and not s.cancel_at_period_end then s.current_period_end
         end as next_payment_at,
         s.current_period_end, s.grace_ends_at, s.failed_attempts, s.canceled_at, s.created_at
  from subscriptions s
  join orders b on b.tenant_id = s.tenant_id and b.id = s.order_id
  join offers f on f.tenant_id = s.tenant_id and f.id = s.offer_id
  where s.tenant_id = $1";

/// One page of subscriptions, newest first, and how many matched.
pub async fn subscriptions(
    tx: &mut TenantTx,
    f: &SubscriptionFilter,
    offset: i64,
    limit: i64,
) -> sqlx::Result<(Vec<SubscriptionRow>, i64)> {
    let filter = "
    and ($2 = '' or strpos(lower(b.email), lower($2)) > 0 or strpos(lower(b.name), lower($2)) > 0
         or s.id::text like lower($2) || '%' or (length($2) >= 4 and s.id::text like '%' || lower($2)))
    and ($3 = '' or s.status = $3)
    and ($4::uuid is null or s.user_id = $4)
    and ($5::text is null or lower(b.email) = lower($5))
    and ($6::uuid is null or (s.created_at, s.id) < (select c.created_at, c.id from subscriptions c
                                                      where c.tenant_id = $1 and c.id = $6))";
    let sql = format!("{SUBSCRIPTIONS} {filter} order by s.created_at desc, s.id desc offset $7 limit $8");
    let rows: Vec<SubscriptionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(tx.tenant())
        .bind(f.q.trim())
        .bind(f.status.as_str())
        .bind(f.user)
        .bind(f.email.as_deref())
        .bind(f.after)
        .bind(offset)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
    let count_sql = format!(
        "select count(*) from subscriptions s join orders b on b.tenant_id = s.tenant_id and b.id = s.order_id
         where s.tenant_id = $1 {filter}"
    );
    let matched: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
        .bind(tx.tenant())
        .bind(f.q.trim())
        .bind(f.status.as_str())
        .bind(f.user)
        .bind(f.email.as_deref())
        .bind(f.after)
        .fetch_one(&mut **tx)
        .await?;
    Ok((rows, matched))
}

/// One subscription as the list shows it.
pub async fn subscription_row(tx: &mut TenantTx, id: SubscriptionId) -> sqlx::Result<Option<SubscriptionRow>> {
    let sql = format!("{SUBSCRIPTIONS} and s.id = $2");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(tx.tenant()).bind(id).fetch_optional(&mut **tx).await
}

/// Monthly recurring revenue per currency: active and past-due subscriptions (plans included).
pub async fn monthly_recurring(tx: &mut TenantTx) -> sqlx::Result<Vec<(String, i64, i64)>> {
    sqlx::query_as(
        "select s.currency::text, count(*),
                sum(case when f.interval = 'year' then s.amount / 12 else s.amount end)::bigint
         from subscriptions s join offers f on f.tenant_id = s.tenant_id and f.id = s.offer_id
         where s.tenant_id = $1 and s.status in ('active', 'past_due')
         group by s.currency order by count(*) desc",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// How many subscriptions each status has.
pub async fn status_counts(tx: &mut TenantTx) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("select status, count(*) from subscriptions where tenant_id = $1 group by status")
        .bind(tx.tenant())
        .fetch_all(&mut **tx)
        .await
}

/// Products a school can give (not archived, with at least one offer), by name.
pub async fn giftable_products(tx: &mut TenantTx) -> sqlx::Result<Vec<(ProductId, String)>> {
    sqlx::query_as(
        "select p.id, p.name from products p where p.tenant_id = $1 and p.archived_at is null
           and exists (select 1 from offers f where f.tenant_id = p.tenant_id and f.product_id = p.id)
         order by p.name",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}
