//! Revenue by affiliate on the dashboard, kept from the affiliate program's events
//! (`affiliate.approved`, `commission.created`, `commission.cancelled`), never read from
//! commerce's tables. An order belongs to the affiliate its first level-1 sale commission
//! names; its revenue is what `insights_sales` counted for it (payments less refunds), so a
//! refund counts against the affiliate who made the sale. Each event is written once.

use chrono::NaiveDate;
use kernel::{AppState, db::TenantTx, events::Event, state::Wiring};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::rollup::day_of;

/// The events counted, with the job each runs as.
pub const SUBSCRIPTIONS: [(&str, &str); 3] = [
    ("affiliate.approved", "insights.affiliate"),
    ("commission.created", "insights.commission_created"),
    ("commission.cancelled", "insights.commission_cancelled"),
];

/// Subscribes insights to the program's events.
pub fn register(w: &mut Wiring) {
    for (kind, job) in SUBSCRIPTIONS {
        w.events.subscribe(&mut w.jobs, kind, job, apply);
    }
}

async fn apply(state: AppState, event: Event) -> anyhow::Result<()> {
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    record(&mut tx, &event, &school.time_zone).await?;
    tx.commit().await?;
    Ok(())
}

/// Counts one event once.
pub async fn record(tx: &mut TenantTx, event: &Event, zone: &str) -> anyhow::Result<()> {
    let p = &event.payload;
    let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let id = |k: &str| p.get(k).and_then(Value::as_str).and_then(|v| v.parse::<Uuid>().ok());
    let Some(affiliate) = id("affiliate_id") else { return Ok(()) };
    let day = day_of(event.occurred_at, zone);
    match event.kind.as_str() {
        "affiliate.approved" => {
            sqlx::query(
                "insert into insights_affiliates (tenant_id, affiliate_id, code, name, email) values ($1, $2, $3, $4, $5)
                 on conflict (tenant_id, affiliate_id) do update set code = $3, name = $4, email = $5",
            )
            .bind(tx.tenant())
            .bind(affiliate)
            .bind(s("code"))
            .bind(s("name"))
            .bind(s("email"))
            .execute(&mut **tx)
            .await?;
        }
        "commission.created" | "commission.cancelled" => {
            let amount = p.get("amount").and_then(Value::as_i64).unwrap_or_default();
            let currency = s("currency");
            let level = p.get("level").and_then(Value::as_i64).unwrap_or(1);
            let created = event.kind == "commission.created";
            // A clawback is announced as a cancellation (with its negative amount); a
            // cancellation takes the whole commission back.
            if currency.len() != 3 || (created && s("kind") == "clawback") {
                return Ok(());
            }
            let signed = if created { amount } else { -amount.abs() };
            sqlx::query(
                "insert into insights_affiliate_commissions (tenant_id, id, affiliate_id, currency, amount, day)
                 values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
            )
            .bind(tx.tenant())
            .bind(event.id)
            .bind(affiliate)
            .bind(&currency)
            .bind(signed)
            .bind(day)
            .execute(&mut **tx)
            .await?;
            if let (true, 1, Some(order)) = (created, level, id("order_id")) {
                sqlx::query(
                    "insert into insights_affiliate_orders (tenant_id, order_id, affiliate_id, day) values ($1, $2, $3, $4)
                     on conflict do nothing",
                )
                .bind(tx.tenant())
                .bind(order)
                .bind(affiliate)
                .bind(day)
                .execute(&mut **tx)
                .await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One affiliate's sales in a period, in one currency.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct AffiliateRevenue {
    /// The affiliate.
    pub affiliate_id: Uuid,
    /// Their code, name and address as last approved ('' when never seen).
    pub code: String,
    /// Their name.
    pub name: String,
    /// ISO 4217.
    pub currency: String,
    /// Orders credited to them in the period.
    pub orders: i64,
    /// Payments less refunds of their orders in the period.
    pub revenue: i64,
    /// Commissions earned less cancelled in the period.
    pub commission: i64,
}

/// The affiliates who sold most between `from` and `to` (days in the school's time zone).
pub async fn top(tx: &mut TenantTx, from: NaiveDate, to: NaiveDate, limit: i64) -> sqlx::Result<Vec<AffiliateRevenue>> {
    sqlx::query_as(
        "with money as (
           select ao.affiliate_id, s.currency::text as currency, sum(s.amount)::bigint as revenue
           from insights_sales s join insights_affiliate_orders ao on ao.tenant_id = s.tenant_id and ao.order_id = s.order_id
           where s.tenant_id = $1 and s.kind <> 'order' and s.day between $2 and $3
           group by 1, 2),
         orders as (
           select affiliate_id, count(*) as orders from insights_affiliate_orders
           where tenant_id = $1 and day between $2 and $3 group by 1),
         paid as (
           select affiliate_id, currency::text as currency, sum(amount)::bigint as commission
           from insights_affiliate_commissions where tenant_id = $1 and day between $2 and $3 group by 1, 2),
         keys as (select affiliate_id, currency from money union select affiliate_id, currency from paid)
         select k.affiliate_id, coalesce(a.code, '') as code, coalesce(a.name, '') as name, k.currency,
                coalesce(o.orders, 0) as orders, coalesce(m.revenue, 0) as revenue, coalesce(p.commission, 0) as commission
         from keys k
         left join money m on m.affiliate_id = k.affiliate_id and m.currency = k.currency
         left join paid p on p.affiliate_id = k.affiliate_id and p.currency = k.currency
         left join orders o on o.affiliate_id = k.affiliate_id
         left join insights_affiliates a on a.tenant_id = $1 and a.affiliate_id = k.affiliate_id
         order by coalesce(m.revenue, 0) desc, coalesce(o.orders, 0) desc, code
         limit $4",
    )
    .bind(tx.tenant())
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
