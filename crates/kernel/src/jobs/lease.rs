//! Claims are leases. A worker claims a job until `lease_until` (now + [`Config::job_lease`]) and
//! the runner, not the handler, renews it every third of the lease while the handler runs. A
//! worker that dies stops renewing, and within one lease any worker puts the job back in the
//! queue ([`release_expired`], run before every claim).
//!
//! A renewal that finds the job no longer held by this worker (its lease ran out during a
//! stall and another worker took it, or an operator released it) cancels the handler, so that
//! its child processes are killed, and the runner records nothing: the job's outcome belongs to
//! its new holder. Handlers are idempotent, so the work done until then is only wasted time.
//!
//! [`Config::job_lease`]: crate::config::Config::job_lease

use std::time::{Duration, Instant};

use sqlx::Row;
use tokio::task::{JoinError, JoinHandle};

use super::Job;
use crate::state::AppState;

/// Claims up to `limit` due jobs for `worker_id`, each leased for the configured time.
pub(super) async fn claim(state: &AppState, worker_id: &str, limit: i64) -> anyhow::Result<Vec<Job>> {
    let mut tx = state.db.platform().await?;
    let rows = sqlx::query(
        "update jobs set status = 'running', locked_at = now(), locked_by = $1, attempts = attempts + 1,
           lease_until = now() + make_interval(secs => $3)
         where (tenant_id, id) in (
           select tenant_id, id from jobs where status = 'queued' and run_at <= now()
           order by run_at limit $2 for update skip locked)
         returning tenant_id, id, kind, payload, attempts",
    )
    .bind(worker_id)
    .bind(limit)
    .bind(state.config.job_lease.as_secs_f64())
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| Job {
            tenant: r.get("tenant_id"),
            id: r.get("id"),
            kind: r.get("kind"),
            payload: r.get("payload"),
            attempt: r.get("attempts"),
        })
        .collect())
}

/// Puts running jobs whose lease has run out (their worker died or stalled) back in the queue,
/// or declares them dead when that was their last attempt: a job that kills its worker every
/// time must not be retried for ever.
pub async fn release_expired(state: &AppState) -> anyhow::Result<u64> {
    let mut tx = state.db.platform().await?;
    let n = sqlx::query(
        "update jobs set status = case when attempts >= max_attempts then 'dead' else 'queued' end,
           run_at = now(), locked_at = null, locked_by = null, lease_until = null,
           last_error = 'the worker stopped during the job (its lease ran out)'
         where status = 'running' and lease_until < now()",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    if n > 0 {
        tracing::warn!(released = n, "took back jobs whose worker stopped renewing its lease");
    }
    Ok(n)
}

/// Extends the lease; false when this worker no longer holds the job.
async fn renew(state: &AppState, worker_id: &str, job: &Job) -> anyhow::Result<bool> {
    let mut tx = state.db.platform().await?;
    let n = sqlx::query(
        "update jobs set lease_until = now() + make_interval(secs => $4)
         where tenant_id = $1 and id = $2 and locked_by = $3 and status = 'running'",
    )
    .bind(job.tenant)
    .bind(job.id)
    .bind(worker_id)
    .bind(state.config.job_lease.as_secs_f64())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n == 1)
}

/// Waits for the handler's task while renewing the job's lease (claimed at `claimed`, an instant
/// taken before the claim was asked for). Returns `None`, with the task cancelled, when the lease
/// is lost: the job was taken back (see the module doc), or the lease could not be renewed before
/// it ran out (the database is unreachable).
pub(super) async fn hold<T>(
    state: &AppState,
    worker_id: &str,
    job: &Job,
    claimed: Instant,
    mut task: JoinHandle<T>,
) -> Option<Result<T, JoinError>> {
    let lease = state.config.job_lease;
    let mut every = tokio::time::interval(renewal_interval(lease));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    every.tick().await;
    // Measured from before each request, so never later than the database's own deadline.
    let mut held_until = claimed + lease;
    loop {
        tokio::select! {
            done = &mut task => return Some(done),
            _ = every.tick() => {
                let asked = Instant::now();
                match renew(state, worker_id, job).await {
                    Ok(true) => held_until = asked + lease,
                    Ok(false) => {
                        tracing::warn!(job_id = %job.id, kind = %job.kind, "job taken back from this worker; stopping it");
                        break;
                    }
                    Err(e) if Instant::now() >= held_until => {
                        tracing::warn!(job_id = %job.id, error = ?e, "could not renew the job's lease in time; stopping it");
                        break;
                    }
                    Err(e) => tracing::warn!(job_id = %job.id, error = ?e, "could not renew the job's lease; retrying"),
                }
            }
        }
    }
    task.abort();
    // Wait for the cancelled handler to be dropped: its child processes are killed with it.
    let _ = task.await;
    None
}

/// How often a lease is renewed: a third of it, so two renewals can fail before it runs out.
fn renewal_interval(lease: Duration) -> Duration {
    (lease / 3).max(Duration::from_millis(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_is_renewed_three_times_per_period() {
        assert_eq!(renewal_interval(Duration::from_secs(60)), Duration::from_secs(20));
        assert_eq!(renewal_interval(Duration::from_secs(3)), Duration::from_secs(1));
        assert_eq!(renewal_interval(Duration::from_millis(1)), Duration::from_millis(100));
    }
}
