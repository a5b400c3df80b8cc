//! Uploaded student lists hold people's names and addresses, so they are not kept: a daily
//! job per school (scheduled when the school first uploads one) deletes imports older than
//! [`KEPT_DAYS`], confirmed or not. What an import did stays in the audit log.

use std::time::Duration;

use kernel::{
    AppState, TenantId,
    db::TenantTx,
    jobs::{self, Job, JobRegistry},
};

/// The job kind of the daily sweep.
pub const KIND: &str = "courses.imports_sweep";
/// How long an upload is kept: time enough to come back and confirm it.
pub const KEPT_DAYS: i64 = 7;

/// Schedules the daily sweep for the transaction's school (idempotent).
pub async fn schedule(tx: &mut TenantTx) -> sqlx::Result<()> {
    jobs::schedule_recurring(tx, KIND, serde_json::json!({}), Duration::from_secs(24 * 3600)).await
}

/// Registers the sweep's handler.
pub fn register(jobs: &mut JobRegistry) {
    jobs.register(KIND, |state: AppState, job: Job| async move { sweep(&state, job.tenant).await.map(drop) });
}

/// Deletes one school's imports older than [`KEPT_DAYS`] (by the application's clock);
/// returns how many.
pub async fn sweep(state: &AppState, tenant: TenantId) -> anyhow::Result<u64> {
    let mut tx = state.db.tenant(tenant).await?;
    let cutoff = state.clock.now() - chrono::Duration::days(KEPT_DAYS);
    let gone = sqlx::query("delete from course_imports where tenant_id = $1 and created_at < $2")
        .bind(tenant)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(gone)
}
