//! Abandoned checkouts: a recurring job per school marks checkouts that have a buyer's email
//! but no payment an hour after they started as `abandoned`, and publishes
//! `checkout.abandoned` once for each (the email automations' "abandoned cart" trigger). An
//! abandoned checkout can still be paid: the ledger records it like any other.

use std::time::Duration;

use kernel::{
    AppState, TenantId,
    db::TenantTx,
    jobs::{self, Job},
    state::Wiring,
};
use serde_json::json;

use crate::model::{CheckoutId, OfferId};

/// The job kind of the sweep.
pub const KIND: &str = "commerce.abandoned_checkouts";

/// How often a school's sweep runs.
pub const EVERY: Duration = Duration::from_secs(600);

/// How long a checkout waits for its payment before it counts as abandoned.
pub const AFTER: chrono::Duration = chrono::Duration::hours(1);

/// Registers the sweep.
pub fn wire(w: &mut Wiring) {
    w.jobs.register(KIND, run);
}

/// Schedules the sweep for the transaction's school (idempotent; called with each checkout).
pub async fn schedule(tx: &mut TenantTx) -> sqlx::Result<()> {
    jobs::schedule_recurring(tx, KIND, json!({}), EVERY).await
}

async fn run(state: AppState, job: Job) -> anyhow::Result<()> {
    sweep(&state, job.tenant).await.map(|_| ())
}

#[derive(sqlx::FromRow)]
struct Stale {
    id: CheckoutId,
    email: String,
    name: String,
    offer_id: OfferId,
    offer_name: String,
    total: i64,
    currency: String,
}

/// Marks one school's stale checkouts abandoned and publishes their events; returns how many.
/// The update claims each row (`status = 'open'` in its `where`), so a checkout is announced
/// once even when two sweeps overlap.
pub async fn sweep(state: &AppState, tenant: TenantId) -> anyhow::Result<usize> {
    let school = state.school(tenant).await?;
    let now = state.clock.now();
    let mut tx = state.db.tenant(tenant).await?;
    let stale: Vec<Stale> = sqlx::query_as(
        "with stale as (
           select id from checkouts
           where tenant_id = $1 and status = 'open' and email <> '' and parent_order_id is null and created_at <= $2
           order by created_at limit 500 for update skip locked)
         update checkouts c set status = 'abandoned', abandoned_at = $3
         from stale, offers o
         where c.tenant_id = $1 and c.id = stale.id and o.tenant_id = $1 and o.id = c.offer_id
         returning c.id, c.email, c.name, c.offer_id, o.name as offer_name, c.total, c.currency",
    )
    .bind(tenant)
    .bind(now - AFTER)
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    for c in &stale {
        // Back to the same offer, with the coupon the buyer had applied.
        let (slug, coupon): (String, Option<String>) = sqlx::query_as(
            "select o.slug, k.code from checkouts c join offers o on o.tenant_id = c.tenant_id and o.id = c.offer_id
             left join coupons k on k.tenant_id = c.tenant_id and k.id = c.coupon_id
             where c.tenant_id = $1 and c.id = $2",
        )
        .bind(tenant)
        .bind(c.id)
        .fetch_one(&mut *tx)
        .await?;
        let query = coupon.map(|code| format!("?coupon={}", urlencode(&code))).unwrap_or_default();
        state
            .events
            .publish(
                &mut tx,
                "checkout.abandoned",
                json!({
                    "checkout_id": c.id, "email": c.email, "name": c.name, "offer_id": c.offer_id,
                    "offer_name": c.offer_name, "total": c.total, "currency": c.currency.trim(),
                    "checkout_url": format!("{}/checkout/{slug}{query}", school.base_url),
                }),
            )
            .await?;
    }
    tx.commit().await?;
    Ok(stale.len())
}

/// Percent-encodes a coupon code for a query string (codes are letters, digits and dashes, but
/// nothing stops a school from typing others).
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}
