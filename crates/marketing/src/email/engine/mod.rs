//! The sending engine: claims a school's due `email_deliveries` rows in batches (`for update
//! skip locked`, with a lease in `claimed_by`/`claimed_until`), renders each email once per
//! batch and personalises it per recipient, and sends every row at most once, committing it as
//! `sent` at a hand-over point just before the message's irrevocable step (see [`send`]).
//! Transports: SMTP with its own connection pool ([`smtp`]), Postmark's API, or the dev mailbox
//! ([`transport`]).
//!
//! It runs as jobs: [`kick`] (called by [`super::deliveries::enqueue`] and anyone who queues
//! rows) enqueues an `email.engine` run for the school unless one is already waiting; a run
//! sends at most [`RUN_LIMIT`] messages and kicks again when more are due, so one school cannot
//! starve the worker; a recurring `email.engine.tick` per school picks up rows scheduled for
//! later and rows left by a worker that died (their claims expire after [`LEASE`]).

mod check;
pub mod handover;
mod message;
mod send;
pub mod smtp;
pub mod transport;

use std::time::Duration;

use axum::Router;
use chrono::{DateTime, Utc};
use kernel::{
    AppState, TenantId,
    db::TenantTx,
    jobs::{self, Job, NewJob},
};
use serde_json::json;
use uuid::Uuid;

use super::{DeliveryId, EmailId, deliverability};
use crate::model::ContactId;

/// A run's job kind.
pub const KIND: &str = "email.engine";
/// The recurring per-school tick's job kind.
pub const TICK: &str = "email.engine.tick";
/// How often the tick looks for due rows.
pub const TICK_EVERY: Duration = Duration::from_secs(60);
/// Messages one run sends at most before handing the worker back.
pub const RUN_LIMIT: i64 = 2_000;
/// Rows claimed at once.
pub const BATCH: i64 = 250;
/// How long a claim holds; a worker killed mid-batch gives its rows back after this.
pub const LEASE: chrono::Duration = chrono::Duration::seconds(30);
/// Temporary failures before a delivery is given up as `failed`.
pub const MAX_ATTEMPTS: i32 = 5;

/// Jobs: the run and the tick.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.jobs.register(KIND, run_job);
    w.jobs.register(TICK, tick_job);
}

/// Routes (none: the engine has no pages of its own).
pub fn router() -> Router<AppState> {
    Router::new()
}

/// Asks for an engine run for the school, in the caller's transaction: nothing is enqueued
/// when a run is already waiting. Also makes sure the school's tick is scheduled.
pub async fn kick(tx: &mut TenantTx) -> sqlx::Result<()> {
    kick_at(tx, None).await
}

async fn kick_at(tx: &mut TenantTx, at: Option<DateTime<Utc>>) -> sqlx::Result<()> {
    let waiting = sqlx::query("insert into email_engine_pending (tenant_id) values ($1) on conflict do nothing")
        .bind(tx.tenant())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if waiting == 1 {
        let mut job = NewJob::new(KIND, json!({}));
        if let Some(at) = at {
            job = job.at(at);
        }
        jobs::enqueue(tx, job).await?;
    }
    jobs::schedule_recurring(tx, TICK, json!({}), TICK_EVERY).await
}

async fn tick_job(state: AppState, job: Job) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(job.tenant).await?;
    let now = state.clock.now();
    let due: Option<(i32,)> = sqlx::query_as(
        "select 1 from email_deliveries where tenant_id = $1 and status = 'queued' and not_before <= $2
           and (claimed_until is null or claimed_until < $2) limit 1",
    )
    .bind(job.tenant)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    if due.is_some() {
        kick(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn run_job(state: AppState, job: Job) -> anyhow::Result<()> {
    // The run no longer waits: a kick from now on asks for the next one.
    let mut tx = state.db.tenant(job.tenant).await?;
    sqlx::query("delete from email_engine_pending where tenant_id = $1").bind(job.tenant).execute(&mut *tx).await?;
    tx.commit().await?;
    let done = run(&state, job.tenant, RUN_LIMIT).await?;
    if done.more || done.resume_at.is_some() {
        let mut tx = state.db.tenant(job.tenant).await?;
        // Jobs run by the database's time; the throttle waits by the application's clock.
        let at = done.resume_at.map(|t| Utc::now() + (t - state.clock.now()));
        kick_at(&mut tx, at).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Run {
    /// Accepted by the server (or kept in the dev mailbox).
    pub sent: usize,
    /// Not sent: suppressed, unsubscribed, deleted, or not wanting the topic.
    pub skipped: usize,
    /// Given up: refused for good, or out of retries, or not renderable.
    pub failed: usize,
    /// Put back for a later attempt.
    pub retried: usize,
    /// More rows are due now.
    pub more: bool,
    /// Come back then: the school's throttle stopped the run, or due rows are claimed by
    /// another worker (which may have died) until then.
    pub resume_at: Option<DateTime<Utc>>,
    /// Sending is held for the school.
    pub held: bool,
}

/// A claimed row.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claimed {
    /// The delivery.
    pub id: DeliveryId,
    /// Its email.
    pub email_id: EmailId,
    /// Its contact (none for a test send).
    pub contact_id: Option<ContactId>,
    /// The address.
    pub to_email: String,
    /// `broadcast`, `automation`, `test` …
    pub source: String,
    /// A subject replacing the email's (a resend to non-openers).
    pub subject: Option<String>,
    /// The broadcast it belongs to.
    pub broadcast_id: Option<Uuid>,
    /// The automation it belongs to.
    pub automation_id: Option<Uuid>,
    /// The automation step.
    pub step_id: Option<String>,
    /// Attempts so far.
    pub attempts: i32,
}

/// Sends up to `limit` of the school's due deliveries, within its allowance.
pub async fn run(state: &AppState, tenant: TenantId, limit: i64) -> anyhow::Result<Run> {
    let mut out = Run::default();
    let school = state.school(tenant).await?;
    let mut tx = state.db.tenant(tenant).await?;
    let allowance = deliverability::allowance(state, &mut tx).await?;
    let settings = deliverability::settings(&mut tx).await?;
    let now = state.clock.now();
    let last_minute: i64 = sqlx::query_scalar(
        "select count(*) from email_deliveries where tenant_id = $1 and status = 'sent' and sent_at > $2",
    )
    .bind(tenant)
    .bind(now - chrono::Duration::minutes(1))
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    if allowance.held.is_some() {
        out.held = true;
        return Ok(out); // rows stay queued until the hold is lifted
    }
    let per_minute = (i64::from(allowance.per_minute) - last_minute).max(0);
    let budget = limit.min(per_minute).min(allowance.remaining_today.max(0));
    let ctx = send::Context::new(state, school, settings, Uuid::now_v7())?;
    // Claiming and rendering (here) run alongside sending (`deliver_all`), joined by a channel
    // as deep as the messages in flight: the next batch is claimed while the last of this one
    // go out, and a claimed row never waits behind more than a batch (its lease is 30 s).
    let (mut feed, queue) = futures::channel::mpsc::channel::<send::Item>(ctx.parallel());
    let mut fed = Run::default();
    let mut delivered = Run::default();
    let producer = async {
        let mut left = budget;
        let mut dry = false;
        while left > 0 {
            let claimed = claim(state, tenant, ctx.worker, BATCH.min(left)).await?;
            if claimed.is_empty() {
                dry = true;
                break;
            }
            left -= claimed.len() as i64;
            ctx.prepare_batch(claimed, &mut feed, &mut fed).await?;
        }
        feed.close_channel();
        anyhow::Ok(dry)
    };
    let (dry, ()) = futures::future::try_join(producer, ctx.deliver_all(queue, &mut delivered)).await?;
    out.sent = delivered.sent;
    out.skipped = fed.skipped + delivered.skipped;
    out.failed = fed.failed + delivered.failed;
    out.retried = delivered.retried;
    if dry {
        // Rows another worker claimed: if it died, they come back when its claims expire.
        let mut tx = state.db.tenant(tenant).await?;
        out.resume_at = sqlx::query_scalar(
            "select min(claimed_until) from email_deliveries
             where tenant_id = $1 and status = 'queued' and not_before <= $2 and claimed_until >= $2",
        )
        .bind(tenant)
        .bind(state.clock.now())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok(out);
    }
    // Out of budget: is anything still due, and may it go now or only later?
    let mut tx = state.db.tenant(tenant).await?;
    let now = state.clock.now();
    let due: Option<(i32,)> = sqlx::query_as(
        "select 1 from email_deliveries where tenant_id = $1 and status = 'queued' and not_before <= $2 limit 1",
    )
    .bind(tenant)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    if due.is_some() {
        if budget < limit {
            // The school's per-minute or daily allowance ran out: come back in a minute.
            out.resume_at = Some(now + chrono::Duration::minutes(1));
        } else {
            out.more = true;
        }
    }
    Ok(out)
}

/// Claims up to `n` due rows for `worker` with a lease, committed at once so other workers
/// skip them and a dead worker's rows come back when the lease runs out.
pub async fn claim(state: &AppState, tenant: TenantId, worker: Uuid, n: i64) -> anyhow::Result<Vec<Claimed>> {
    let now = state.clock.now();
    let mut tx = state.db.tenant(tenant).await?;
    let rows = sqlx::query_as(
        "update email_deliveries d set claimed_by = $2, claimed_until = $3
         from (select id from email_deliveries
               where tenant_id = $1 and status = 'queued' and not_before <= $4
                 and (claimed_until is null or claimed_until < $4)
               order by not_before, id limit $5
               for update skip locked) c
         where d.tenant_id = $1 and d.id = c.id
         returning d.id, d.email_id, d.contact_id, d.to_email, d.source, d.subject, d.broadcast_id,
                   d.automation_id, d.step_id, d.attempts",
    )
    .bind(tenant)
    .bind(worker)
    .bind(now + LEASE)
    .bind(now)
    .bind(n)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}
