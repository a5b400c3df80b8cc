//! The daily purge: courses, modules and lessons deleted more than [`KEEP_DAYS`] days ago are
//! removed for good (their undo has long passed), with the library's record of what they used.
//!
//! Like tenancy's domain check, it is a per-school recurring job: the first deletion in a
//! school schedules it ([`schedule`]), and each run works in the school's own transaction.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use kernel::{
    AppState,
    db::TenantTx,
    jobs::{self, Job, JobRegistry},
};
use uuid::Uuid;

/// The job kind of the daily purge.
pub const KIND: &str = "courses.purge";

/// How often a school's deleted course items are looked at.
pub const EVERY: Duration = Duration::from_secs(24 * 3600);

/// How long a deleted item can still be restored.
pub const KEEP_DAYS: i64 = 30;

/// Schedules the daily purge for the transaction's school (idempotent).
pub async fn schedule(tx: &mut TenantTx) -> sqlx::Result<()> {
    jobs::schedule_recurring(tx, KIND, serde_json::json!({}), EVERY).await
}

/// Registers the purge's handler.
pub fn register(jobs: &mut JobRegistry) {
    jobs.register(KIND, run);
}

async fn run(state: AppState, job: Job) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(job.tenant).await?;
    let cutoff = state.clock.now() - chrono::Duration::days(KEEP_DAYS);
    let removed = purge(&mut tx, cutoff).await.context("purging deleted course items")?;
    tx.commit().await?;
    if removed > 0 {
        tracing::info!(tenant_id = %job.tenant, removed, "deleted course items purged");
    }
    Ok(())
}

/// Removes what was deleted before `cutoff`; returns how many courses, modules and lessons went.
pub async fn purge(tx: &mut TenantTx, cutoff: DateTime<Utc>) -> sqlx::Result<u64> {
    // Every lesson that goes, also with its module or course, so the library forgets its uses.
    let lessons: Vec<Uuid> = sqlx::query_scalar(
        "select l.id from lessons l
           join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id
           join courses c on c.tenant_id = l.tenant_id and c.id = l.course_id
         where l.tenant_id = $1 and (l.deleted_at < $2 or m.deleted_at < $2 or c.deleted_at < $2)",
    )
    .bind(tx.tenant())
    .bind(cutoff)
    .fetch_all(&mut **tx)
    .await?;
    for lesson in &lessons {
        media::uses::forget(tx, "lesson", *lesson).await?;
    }
    let courses: Vec<Uuid> = sqlx::query_scalar("select id from courses where tenant_id = $1 and deleted_at < $2")
        .bind(tx.tenant())
        .bind(cutoff)
        .fetch_all(&mut **tx)
        .await?;
    for course in &courses {
        media::uses::forget(tx, "course", *course).await?;
    }
    let mut removed = 0;
    for sql in [
        "delete from lessons where tenant_id = $1 and deleted_at < $2",
        "delete from course_modules where tenant_id = $1 and deleted_at < $2",
        "delete from courses where tenant_id = $1 and deleted_at < $2",
    ] {
        removed += sqlx::query(sql).bind(tx.tenant()).bind(cutoff).execute(&mut **tx).await?.rows_affected();
    }
    Ok(removed)
}
