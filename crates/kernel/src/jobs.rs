//! The job queue (ARCHITECTURE §6): a PostgreSQL table claimed with `FOR UPDATE SKIP LOCKED`,
//! retries with exponential backoff, a dead state, `run_at` scheduling, recurring schedules,
//! idempotency keys, and the school on every job. Handlers must be idempotent.
//!
//! A claim is a lease that the runner renews while the handler runs (see the `lease` module), so a
//! worker that dies gives up its jobs within one lease.

mod lease;

pub use lease::release_expired;

use std::{
    collections::HashMap,
    future::Future,
    pin::Pin,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::{
    db::TenantTx,
    ids::{JobId, TenantId},
    state::AppState,
};

/// A claimed job as its handler sees it.
#[derive(Clone, Debug)]
pub struct Job {
    /// The job's id.
    pub id: JobId,
    /// The school the job works for.
    pub tenant: TenantId,
    /// The handler's name, e.g. `mail.send`.
    pub kind: String,
    /// The handler's input.
    pub payload: Value,
    /// This attempt's number, from 1.
    pub attempt: i32,
}

type JobFuture = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;
type Handler = Arc<dyn Fn(AppState, Job) -> JobFuture + Send + Sync>;

/// The handlers the worker knows, by job kind.
#[derive(Clone, Default)]
pub struct JobRegistry {
    handlers: HashMap<String, Handler>,
}

impl JobRegistry {
    /// Registers the handler for a job kind.
    pub fn register<F, Fut>(&mut self, kind: &str, f: F)
    where
        F: Fn(AppState, Job) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        self.handlers.insert(kind.to_string(), Arc::new(move |s, j| Box::pin(f(s, j))));
    }

    fn get(&self, kind: &str) -> Option<Handler> {
        self.handlers.get(kind).cloned()
    }
}

/// A job to enqueue.
#[derive(Clone, Debug)]
pub struct NewJob {
    /// Handler name.
    pub kind: String,
    /// Handler input.
    pub payload: Value,
    /// Not before this time.
    pub run_at: Option<DateTime<Utc>>,
    /// A second job with the same kind and key is not enqueued.
    pub idempotency_key: Option<String>,
    /// Attempts before the job is declared dead.
    pub max_attempts: i32,
}

impl NewJob {
    /// A job to run as soon as possible.
    pub fn new(kind: &str, payload: Value) -> Self {
        Self { kind: kind.into(), payload, run_at: None, idempotency_key: None, max_attempts: 8 }
    }

    /// Runs no earlier than `at`.
    pub fn at(mut self, at: DateTime<Utc>) -> Self {
        self.run_at = Some(at);
        self
    }

    /// Deduplicates on `key`.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Sets how many attempts are made.
    pub fn attempts(mut self, max: i32) -> Self {
        self.max_attempts = max.max(1);
        self
    }
}

/// Enqueues a job in the caller's transaction: it exists only if that transaction commits.
pub async fn enqueue(tx: &mut TenantTx, job: NewJob) -> sqlx::Result<Option<JobId>> {
    let id = JobId::new();
    let tenant = tx.tenant();
    let inserted = sqlx::query(
        "insert into jobs (tenant_id, id, kind, payload, run_at, idempotency_key, max_attempts)
         values ($1, $2, $3, $4, coalesce($5, now()), $6, $7)
         on conflict (tenant_id, kind, idempotency_key) where idempotency_key is not null do nothing",
    )
    .bind(tenant)
    .bind(id)
    .bind(&job.kind)
    .bind(&job.payload)
    .bind(job.run_at)
    .bind(&job.idempotency_key)
    .bind(job.max_attempts)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    sqlx::query("select pg_notify('lyceum_jobs', '')").execute(&mut **tx).await?;
    Ok((inserted == 1).then_some(id))
}

/// Creates or updates a recurring schedule: `kind` runs every `every` for this school.
///
/// Callers schedule on hot paths (each checkout, each enrolment); a schedule that is already
/// as asked is left alone without writing, so those transactions never queue behind one
/// another on the school's schedule row.
pub async fn schedule_recurring(tx: &mut TenantTx, kind: &str, payload: Value, every: Duration) -> sqlx::Result<()> {
    let seconds = every.as_secs().max(1) as i32;
    let current: Option<(Value, i32)> =
        sqlx::query_as("select payload, interval_seconds from job_schedules where tenant_id = $1 and kind = $2")
            .bind(tx.tenant())
            .bind(kind)
            .fetch_optional(&mut **tx)
            .await?;
    if current.is_some_and(|(p, i)| p == payload && i == seconds) {
        return Ok(());
    }
    sqlx::query(
        "insert into job_schedules (tenant_id, id, kind, payload, interval_seconds, next_run_at)
         values ($1, $2, $3, $4, $5, now())
         on conflict (tenant_id, kind) do update set payload = excluded.payload,
           interval_seconds = excluded.interval_seconds",
    )
    .bind(tx.tenant())
    .bind(JobId::new())
    .bind(kind)
    .bind(payload)
    .bind(seconds)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Seconds to wait before attempt `attempt + 1`: 2, 4, 8 … capped at an hour.
pub fn backoff_seconds(attempt: i32) -> i64 {
    2i64.saturating_pow(attempt.clamp(1, 12) as u32).min(3600)
}

/// Takes back jobs whose lease ran out, claims due jobs and runs them; returns how many ran.
/// Used by the worker loop and by tests.
pub async fn run_due(state: &AppState, worker_id: &str, limit: i64) -> anyhow::Result<usize> {
    promote_schedules(state).await?;
    release_expired(state).await?;
    let claimed = Instant::now();
    let jobs = lease::claim(state, worker_id, limit).await?;
    let count = jobs.len();
    let mut running = Vec::with_capacity(count);
    // A handler may hold its transaction while it asks the pool for a second connection (the
    // school's settings, a lease renewal). With no more jobs at once than half the pool, every
    // running job can always get its second connection, so a batch never starves itself.
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new((state.db.max_connections() as usize / 2).max(1)));
    for job in jobs {
        let (state, worker_id, slots) = (state.clone(), worker_id.to_string(), slots.clone());
        running.push(tokio::spawn(async move {
            let _slot = slots.acquire_owned().await.context("job slots")?;
            execute(&state, &worker_id, claimed, job).await
        }));
    }
    for r in running {
        r.await.context("job task")??;
    }
    Ok(count)
}

async fn execute(state: &AppState, worker_id: &str, claimed: Instant, job: Job) -> anyhow::Result<()> {
    let started = Instant::now();
    let outcome = match state.jobs.get(&job.kind) {
        None => Err(format!("no handler for job kind {}", job.kind)),
        Some(handler) => {
            // A panicking handler must not lose the job: run it on its own task and treat a
            // panic like any other failure.
            let task = tokio::spawn(handler(state.clone(), job.clone()));
            let Some(done) = lease::hold(state, worker_id, &job, claimed, task).await else {
                // Another worker holds the job now and records its outcome.
                metrics::counter!("lyceum_jobs_total", "kind" => job.kind, "outcome" => "lost").increment(1);
                return Ok(());
            };
            match done {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(format!("{e:#}")),
                Err(e) if e.is_panic() => Err(format!("job panicked: {}", panic_message(e))),
                Err(e) => Err(format!("job cancelled: {e}")),
            }
        }
    };
    metrics::histogram!("lyceum_job_seconds", "kind" => job.kind.clone()).record(started.elapsed().as_secs_f64());
    let mut tx = state.db.platform().await?;
    // Only the lease holder records an outcome (the job may have been taken back meanwhile).
    match outcome {
        Ok(()) => {
            sqlx::query(
                "update jobs set status = 'done', locked_at = null, lease_until = null, last_error = null
                 where tenant_id = $1 and id = $2 and locked_by = $3 and status = 'running'",
            )
            .bind(job.tenant)
            .bind(job.id)
            .bind(worker_id)
            .execute(&mut *tx)
            .await?;
            metrics::counter!("lyceum_jobs_total", "kind" => job.kind, "outcome" => "done").increment(1);
        }
        Err(error) => {
            tracing::warn!(job_id = %job.id, kind = %job.kind, attempt = job.attempt, %error, "job failed");
            let dead: Option<bool> = sqlx::query_scalar(
                "update jobs set
                   status = case when attempts >= max_attempts then 'dead' else 'queued' end,
                   run_at = case when attempts >= max_attempts then run_at
                                 else now() + make_interval(secs => $3) end,
                   locked_at = null, locked_by = null, lease_until = null, last_error = $4
                 where tenant_id = $1 and id = $2 and locked_by = $5 and status = 'running'
                 returning status = 'dead'",
            )
            .bind(job.tenant)
            .bind(job.id)
            .bind(backoff_seconds(job.attempt) as f64)
            .bind(error)
            .bind(worker_id)
            .fetch_optional(&mut *tx)
            .await?;
            let outcome = match dead {
                Some(true) => "dead",
                Some(false) => "retry",
                None => "lost",
            };
            metrics::counter!("lyceum_jobs_total", "kind" => job.kind, "outcome" => outcome).increment(1);
        }
    }
    tx.commit().await?;
    Ok(())
}

fn panic_message(e: tokio::task::JoinError) -> String {
    let payload = e.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Turns due recurring schedules into jobs.
async fn promote_schedules(state: &AppState) -> anyhow::Result<()> {
    let mut tx = state.db.platform().await?;
    sqlx::query(
        "with due as (
           select tenant_id, id, kind, payload, next_run_at from job_schedules
           where next_run_at <= now() for update skip locked),
         queued as (
           insert into jobs (tenant_id, id, kind, payload, idempotency_key)
           select tenant_id, uuid_v7(), kind, payload, kind || '@' || next_run_at::text from due
           on conflict (tenant_id, kind, idempotency_key) where idempotency_key is not null do nothing)
         update job_schedules s set next_run_at =
           greatest(s.next_run_at + make_interval(secs => s.interval_seconds), now())
         from due where s.tenant_id = due.tenant_id and s.id = due.id",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Returns this worker's claimed jobs to the queue (graceful shutdown), undoing the attempt.
pub async fn release_claimed(state: &AppState, worker_id: &str) -> anyhow::Result<u64> {
    let mut tx = state.db.platform().await?;
    let n = sqlx::query(
        "update jobs set status = 'queued', locked_at = null, locked_by = null, lease_until = null,
           attempts = greatest(attempts - 1, 0)
         where status = 'running' and locked_by = $1",
    )
    .bind(worker_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n)
}

/// Puts a dead job back in the queue (operator action).
pub async fn retry_dead(state: &AppState, tenant: TenantId, id: JobId) -> anyhow::Result<bool> {
    let mut tx = state.db.platform().await?;
    let n = sqlx::query(
        "update jobs set status = 'queued', attempts = 0, run_at = now(), last_error = null
         where tenant_id = $1 and id = $2 and status = 'dead'",
    )
    .bind(tenant)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("select pg_notify('lyceum_jobs', '')").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(n == 1)
}

/// Jobs waiting to run, for `/metrics` and the operator area.
pub async fn queue_depth(state: &AppState) -> anyhow::Result<Vec<(String, i64)>> {
    let mut tx = state.db.platform().await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select status, count(*) from jobs where status in ('queued', 'running', 'dead') group by status",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// How long a stopping worker lets the jobs it is running finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// The worker loop: wakes on `NOTIFY lyceum_jobs` or every second, runs due jobs, and stops
/// claiming when `shutdown` fires; jobs already running finish (or are released after a grace).
pub async fn run_worker(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let worker_id = format!("{}-{}", hostname(), uuid::Uuid::new_v4().simple());
    tracing::info!(%worker_id, "job worker started");
    // What killed workers were transcoding: their jobs start again in new folders.
    match tokio::task::spawn_blocking(crate::scratch::sweep).await.unwrap_or_else(|e| Err(std::io::Error::other(e))) {
        Ok(0) => {}
        Ok(n) => tracing::info!(removed = n, "removed scratch folders of stopped workers"),
        Err(e) => tracing::warn!(error = %e, "could not sweep scratch folders"),
    }
    let mut listener = match state.db.listener().await {
        Ok(mut l) => match l.listen("lyceum_jobs").await {
            Ok(()) => Some(l),
            Err(e) => {
                tracing::warn!(error = %e, "LISTEN failed; polling only");
                None
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, "no listener connection; polling only");
            None
        }
    };
    let mut last_maintenance = Instant::now() - Duration::from_secs(3600);
    loop {
        if *shutdown.borrow() {
            break;
        }
        if last_maintenance.elapsed() > Duration::from_secs(60) {
            last_maintenance = Instant::now();
            if let Err(e) = maintenance(&state).await {
                tracing::warn!(error = ?e, "maintenance failed");
            }
        }
        let work = run_due(&state, &worker_id, 8);
        tokio::pin!(work);
        let ran = tokio::select! {
            r = &mut work => r,
            _ = shutdown.changed() => {
                // Stop claiming; the jobs already running may finish within the grace period.
                // Whatever is still running after it is handed back to the queue below.
                if tokio::time::timeout(SHUTDOWN_GRACE, &mut work).await.is_err() {
                    tracing::warn!("jobs still running at shutdown; handing them back to the queue");
                }
                break;
            }
        };
        match ran {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "claiming jobs failed"),
        }
        let wake = async {
            match listener.as_mut() {
                Some(l) => {
                    let _ = l.recv().await;
                }
                None => futures::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = wake => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => break,
        }
    }
    match release_claimed(&state, &worker_id).await {
        Ok(n) if n > 0 => tracing::info!(released = n, "released claimed jobs"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = ?e, "could not release claimed jobs"),
    }
    tracing::info!("job worker stopped");
}

/// Housekeeping across schools: old finished jobs and expired sessions removed. (Jobs whose
/// worker died are taken back before every claim, by [`run_due`].)
pub async fn maintenance(state: &AppState) -> anyhow::Result<()> {
    let mut tx = state.db.platform().await?;
    sqlx::query("delete from jobs where status = 'done' and updated_at < now() - interval '7 days'")
        .execute(&mut *tx)
        .await?;
    sqlx::query("delete from sessions where expires_at < now()").execute(&mut *tx).await?;
    sqlx::query("delete from operator_sessions where expires_at < now()").execute(&mut *tx).await?;
    tx.commit().await?;
    crate::mail::purge_bodies(state).await?;
    Ok(())
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_else(|_| "worker".into())
}
