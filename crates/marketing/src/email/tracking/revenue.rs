//! Revenue attributed to an email: an order paid by someone who clicked one of the school's
//! emails in the N days before (the last click wins). One row per order, so `order.paid`
//! delivered twice changes nothing the second time.

use kernel::{AppState, events::Event};
use uuid::Uuid;

use super::preferences;

/// Subscribes to `order.paid`.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.events.subscribe(&mut w.jobs, "order.paid", "marketing.email_revenue", on_paid);
}

/// The `order.paid` handler.
pub async fn on_paid(state: AppState, event: Event) -> anyhow::Result<()> {
    let p = &event.payload;
    let (Some(email), Some(order)) = (p["email"].as_str(), p["order_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()))
    else {
        return Ok(());
    };
    let amount = p["total"].as_i64().unwrap_or(0);
    let currency = p["currency"].as_str().unwrap_or_default().to_uppercase();
    let mut tx = state.db.tenant(event.tenant).await?;
    let days = preferences::attribution_days(&mut tx).await?;
    let since = event.occurred_at - chrono::Duration::days(i64::from(days));
    // The last click before the order, within the window.
    sqlx::query(
        "insert into email_revenue
           (tenant_id, id, order_id, delivery_id, email_id, broadcast_id, automation_id, step_id, url, amount, currency, at)
         select $1, $2, $3, d.id, d.email_id, d.broadcast_id, d.automation_id, d.step_id, e.url, $4, $5, $6
         from email_events e
         join email_deliveries d on d.tenant_id = e.tenant_id and d.id = e.delivery_id
         where e.tenant_id = $1 and e.kind = 'click' and d.to_email = lower($7) and d.clicked_at is not null and d.source <> 'test'
           and e.at between $8 and $6
         order by e.at desc
         limit 1
         on conflict (tenant_id, order_id) do nothing",
    )
    .bind(tx.tenant())
    .bind(Uuid::now_v7())
    .bind(order)
    .bind(amount)
    .bind(&currency)
    .bind(event.occurred_at)
    .bind(email)
    .bind(since)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
