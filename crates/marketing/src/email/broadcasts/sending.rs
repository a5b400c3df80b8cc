//! Scheduling, starting, finishing and cancelling a broadcast's send.

use anyhow::Context;
use chrono::{DateTime, Utc};
use kernel::{
    AppState,
    db::TenantTx,
    ids::TenantId,
    jobs::{self, Job, NewJob},
};
use serde_json::json;
use sqlx::{Postgres, QueryBuilder};

use super::{Broadcast, BroadcastId, START_JOB, SWEEP_JOB, store};
use crate::email::segments::{self, Now};

/// Registers the jobs.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.jobs.register(START_JOB, |state: AppState, job: Job| async move {
        let id: BroadcastId =
            job.payload["broadcast_id"].as_str().unwrap_or_default().parse().context("broadcast id")?;
        start(&state, job.tenant, id).await.map(|_| ())
    });
    w.jobs
        .register(SWEEP_JOB, |state: AppState, job: Job| async move { run_due(&state, job.tenant).await.map(|_| ()) });
}

/// Why a broadcast cannot be scheduled, as a message key.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Its segment (or, for a resend, its parent's non-openers) holds nobody.
    Nobody,
    /// It is not a draft any more.
    NotDraft,
}

/// How many contacts a broadcast would reach now.
pub async fn audience(tx: &mut TenantTx, b: &Broadcast, now: &Now) -> sqlx::Result<i64> {
    let mut q = QueryBuilder::new("select count(*) from contacts c where");
    audience_where(&mut q, tx.tenant(), b, now);
    q.build_query_scalar().fetch_one(&mut **tx).await
}

/// The condition on `contacts c` for a broadcast's recipients: its segment, or for a resend
/// the parent's recipients who were sent it and did not open it (still subscribed and not
/// suppressed).
fn audience_where(q: &mut QueryBuilder<Postgres>, tenant: TenantId, b: &Broadcast, now: &Now) {
    match b.parent_id {
        None => segments::push_where(q, tenant.0, &b.segment(), now),
        Some(parent) => {
            segments::push_where(q, tenant.0, &segments::Segment::default(), now);
            q.push(
                " and exists (select 1 from email_deliveries p where p.tenant_id = c.tenant_id \
                 and p.contact_id = c.id and p.status = 'sent' and p.opened_at is null and p.broadcast_id = ",
            );
            q.push_bind(parent);
            q.push(")");
        }
    }
}

/// Schedules a draft to start at `send_at` (now for "send now"), after checking it reaches
/// somebody; the start job and the minute sweep are queued in the same transaction.
pub async fn schedule(
    state: &AppState,
    tx: &mut TenantTx,
    b: &Broadcast,
    send_at: DateTime<Utc>,
    zone: &str,
) -> anyhow::Result<Result<i64, Refused>> {
    if !b.editable() {
        return Ok(Err(Refused::NotDraft));
    }
    let now = Now { at: state.clock.now(), zone: zone.to_string() };
    let n = audience(tx, b, &now).await?;
    if n == 0 {
        return Ok(Err(Refused::Nobody));
    }
    let start_at = super::start_time(send_at, b.local_time, zone).max(now.at);
    if !store::set_scheduled(tx, b.id, send_at, start_at, zone).await? {
        return Ok(Err(Refused::NotDraft));
    }
    // The job runs on the system clock; the sweep also starts it when the operator's clock
    // was moved past `start_at`.
    let run_at = Utc::now() + (start_at - now.at).max(chrono::Duration::zero());
    let job = NewJob::new(START_JOB, json!({ "broadcast_id": b.id })).at(run_at).key(format!("start:{}", b.id));
    jobs::enqueue(tx, job).await?;
    jobs::schedule_recurring(tx, SWEEP_JOB, json!({}), std::time::Duration::from_secs(60)).await?;
    Ok(Ok(n))
}

/// Starts a scheduled broadcast whose time has come: queues one delivery per recipient in one
/// statement, kicks the engine and marks it `sending`. Returns how many were queued, `None`
/// when there was nothing to start.
pub async fn start(state: &AppState, tenant: TenantId, id: BroadcastId) -> anyhow::Result<Option<u64>> {
    let mut tx = state.db.tenant(tenant).await?;
    let Some(b) = store::lock(&mut tx, id).await? else { return Ok(None) };
    let now_at = state.clock.now();
    if b.status != "scheduled" || b.start_at.is_some_and(|t| t > now_at) {
        return Ok(None);
    }
    let now = Now { at: now_at, zone: b.time_zone.clone() };
    let mut q = QueryBuilder::new(
        "insert into email_deliveries (tenant_id, id, email_id, contact_id, to_email, source, broadcast_id, subject, not_before)
         select c.tenant_id, uuid_v7(), ",
    );
    q.push_bind(b.email_id).push(", c.id, c.email, 'broadcast', ").push_bind(b.id).push(", ");
    q.push_bind(b.subject.clone()).push("::text, ");
    match (b.local_time, b.send_at) {
        (true, Some(send_at)) => {
            // The chosen wall-clock time in the contact's zone (the school's when they have
            // none or an unknown one), never before now.
            q.push("greatest(").push_bind(now_at).push("::timestamptz, ");
            q.push_bind(super::wall_clock(send_at, &b.time_zone)).push("::timestamp at time zone ");
            q.push("(case when c.fields->>'time_zone' in (select name from pg_timezone_names) then c.fields->>'time_zone' else ");
            q.push_bind(b.time_zone.clone()).push("::text end))");
        }
        _ => {
            q.push_bind(now_at).push("::timestamptz");
        }
    }
    q.push(" from contacts c where");
    audience_where(&mut q, tenant, &b, &now);
    q.push(" on conflict do nothing");
    let queued = q.build().execute(&mut *tx).await.context("queueing a broadcast's recipients")?.rows_affected();
    let total: i64 = sqlx::query_scalar(
        "select count(*) from email_deliveries where tenant_id = $1 and broadcast_id = $2 and status <> 'cancelled'",
    )
    .bind(tenant)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    store::set_status(&mut tx, id, "sending", now_at, Some(total)).await?;
    kick(&mut tx, id).await?;
    tx.commit().await?;
    tracing::info!(broadcast = %id, queued, "broadcast started");
    Ok(Some(queued))
}

/// Tells the sending engine there is work.
async fn kick(tx: &mut TenantTx, _id: BroadcastId) -> sqlx::Result<()> {
    crate::email::engine::kick(tx).await
}

/// The minute sweep: starts scheduled broadcasts whose time has come (by the application's
/// clock) and marks `sent` those with nothing left queued. Returns how many changed.
pub async fn run_due(state: &AppState, tenant: TenantId) -> anyhow::Result<usize> {
    let mut tx = state.db.tenant(tenant).await?;
    let due = store::due(&mut tx, state.clock.now()).await?;
    tx.commit().await?;
    let mut changed = 0;
    for (id, status) in due {
        if status == "scheduled" {
            changed += usize::from(start(state, tenant, id).await?.is_some());
            continue;
        }
        let mut tx = state.db.tenant(tenant).await?;
        let still = store::lock(&mut tx, id).await?.is_some_and(|b| b.status == "sending");
        if still && !store::has_queued(&mut tx, id).await? {
            store::set_status(&mut tx, id, "sent", state.clock.now(), None).await?;
            changed += 1;
        }
        tx.commit().await?;
    }
    Ok(changed)
}

/// Cancels a scheduled or running broadcast: what is queued is cancelled, what was sent stays
/// sent. Returns how many deliveries were cancelled, `None` when it could not be cancelled.
pub async fn cancel(state: &AppState, tx: &mut TenantTx, id: BroadcastId) -> sqlx::Result<Option<u64>> {
    let Some(b) = store::lock(tx, id).await? else { return Ok(None) };
    if !b.cancellable() {
        return Ok(None);
    }
    let n = crate::email::deliveries::cancel_broadcast(tx, id.0).await?;
    store::set_status(tx, id, "cancelled", state.clock.now(), None).await?;
    Ok(Some(n))
}
