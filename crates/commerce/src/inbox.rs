//! Provider events, received once. Every event a provider reports (a Stripe webhook, or the
//! sandbox's own report of what its card form did) is stored by its id in `provider_events`
//! in the transaction that applies it: a repeated delivery finds the row and is skipped, and
//! an event that cannot be applied yet (a refund for a charge not seen yet) rolls back with
//! its row, so the provider's retry applies it later.

use kernel::db::TenantTx;
use serde_json::Value;

/// Records an event; returns `false` when it was already received (skip it).
pub async fn receive(
    tx: &mut TenantTx,
    provider: &str,
    event_id: &str,
    kind: &str,
    payload: &Value,
) -> sqlx::Result<bool> {
    let fresh: Option<i32> = sqlx::query_scalar(
        "insert into provider_events (tenant_id, provider, event_id, kind, payload, processed_at)
         values ($1, $2, $3, $4, $5, now()) on conflict do nothing returning 1",
    )
    .bind(tx.tenant())
    .bind(provider)
    .bind(event_id)
    .bind(kind)
    .bind(payload)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(fresh.is_some())
}
