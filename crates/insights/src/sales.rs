//! Sales on the admin dashboard, kept from commerce's events (`order.paid`,
//! `payment.succeeded`, `order.refunded`), never read from commerce's tables: today's and
//! this month's revenue net of refunds, per currency, and the latest orders. Each event is
//! one `insights_sales` row written once, so an event handled twice counts once.

use chrono::{Datelike, NaiveDate};
use kernel::{AppState, db::TenantTx, events::Event, state::Wiring};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::rollup::day_of;

/// The events counted, with the job each runs as.
pub const SUBSCRIPTIONS: [(&str, &str); 3] = [
    ("order.paid", "insights.sale_order"),
    ("payment.succeeded", "insights.sale_payment"),
    ("order.refunded", "insights.sale_refund"),
];

/// Subscribes insights to commerce's sales events.
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

/// Counts one sales event once; returns false when it was counted before (or is not one).
pub async fn record(tx: &mut TenantTx, event: &Event, zone: &str) -> anyhow::Result<bool> {
    let p = &event.payload;
    let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let n = |k: &str| p.get(k).and_then(Value::as_i64).unwrap_or_default();
    let (kind, amount, label) = match event.kind.as_str() {
        "order.paid" => ("order", n("total"), s("offer_name")),
        "payment.succeeded" => ("payment", n("amount"), s("receipt_number")),
        "order.refunded" => ("refund", -n("amount"), s("credit_note_number")),
        _ => return Ok(false),
    };
    let currency = s("currency");
    if currency.len() != 3 {
        return Ok(false);
    }
    let order: Option<Uuid> = s("order_id").parse().ok();
    let fresh = sqlx::query(
        "insert into insights_sales (tenant_id, id, kind, order_id, email, name, label, source, currency, amount, day,
                                     occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(event.id)
    .bind(kind)
    .bind(order)
    .bind(s("email"))
    .bind(s("name"))
    .bind(label)
    .bind(s("source"))
    .bind(&currency)
    .bind(amount)
    .bind(day_of(event.occurred_at, zone))
    .bind(event.occurred_at)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    Ok(fresh)
}

/// Revenue in one currency.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Revenue {
    /// ISO 4217.
    pub currency: String,
    /// Net of refunds, today.
    pub today: i64,
    /// Net of refunds, since the first of the month.
    pub month: i64,
}

/// A recent order.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct RecentOrder {
    /// The order.
    pub order_id: Option<Uuid>,
    /// The buyer's address.
    pub email: String,
    /// The buyer's name.
    pub name: String,
    /// The offer's name.
    pub label: String,
    /// `checkout`, `upsell` or `comp`.
    pub source: String,
    /// ISO 4217.
    pub currency: String,
    /// The first payment.
    pub amount: i64,
    /// When.
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

/// What the dashboard shows about sales.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Revenue per currency, the school's own first (always present).
    pub revenue: Vec<Revenue>,
    /// The five latest orders.
    pub recent: Vec<RecentOrder>,
}

/// Today's and this month's revenue (days in the school's time zone), and the latest orders.
pub async fn summary(tx: &mut TenantTx, today: NaiveDate, currency: &str) -> sqlx::Result<Summary> {
    let month_start = today.with_day(1).unwrap_or(today);
    let mut revenue: Vec<Revenue> = sqlx::query_as(
        "select currency::text as currency,
                coalesce(sum(amount) filter (where day = $2), 0)::bigint as today,
                coalesce(sum(amount), 0)::bigint as month
         from insights_sales where tenant_id = $1 and kind <> 'order' and day >= $3 and day <= $2
         group by currency order by currency",
    )
    .bind(tx.tenant())
    .bind(today)
    .bind(month_start)
    .fetch_all(&mut **tx)
    .await?;
    // The school's currency first, shown even at zero.
    let own = revenue.iter().position(|r| r.currency == currency);
    let first = match own {
        Some(i) => revenue.remove(i),
        None => Revenue { currency: currency.to_string(), today: 0, month: 0 },
    };
    revenue.insert(0, first);
    let recent = sqlx::query_as(
        "select order_id, email, name, label, source, currency::text as currency, amount, occurred_at
         from insights_sales where tenant_id = $1 and kind = 'order' order by occurred_at desc, id desc limit 5",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await?;
    Ok(Summary { revenue, recent })
}
