//! The automations' SQL.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde_json::Value;
use uuid::Uuid;

use super::model::{Automation, AutomationId, PathStep, Run, RunId};

const COLS: &str = "id, name, status, trigger, steps, allow_reentry, recipe, revision, updated_at";
const RUN_COLS: &str = "id, automation_id, contact_id, current_step, seq, status, wake_at, waiting_for, timeout_at,
    trigger_data, started_at, finished_at";

/// The school's automations, newest first.
pub async fn list(tx: &mut TenantTx) -> sqlx::Result<Vec<Automation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLS} from automations where tenant_id = $1 order by created_at desc, id"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Active automations with this trigger kind.
pub async fn active_with_trigger(tx: &mut TenantTx, kind: &str) -> sqlx::Result<Vec<Automation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLS} from automations where tenant_id = $1 and status = 'active' and trigger->>'kind' = $2 order by id"
    )))
    .bind(tx.tenant())
    .bind(kind)
    .fetch_all(&mut **tx)
    .await
}

/// One automation.
pub async fn find(tx: &mut TenantTx, id: AutomationId) -> sqlx::Result<Option<Automation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("select {COLS} from automations where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// One automation, locked for a save.
pub async fn find_for_update(tx: &mut TenantTx, id: AutomationId) -> sqlx::Result<Option<Automation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLS} from automations where tenant_id = $1 and id = $2 for update"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Stores a new automation (a draft).
pub async fn insert(
    tx: &mut TenantTx,
    name: &str,
    trigger: &Value,
    steps: &Value,
    recipe: Option<&str>,
) -> sqlx::Result<AutomationId> {
    let id = AutomationId::new();
    sqlx::query(
        "insert into automations (tenant_id, id, name, trigger, steps, recipe) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(name)
    .bind(trigger)
    .bind(steps)
    .bind(recipe)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Saves the editor's work and bumps the revision.
pub async fn save(
    tx: &mut TenantTx,
    id: AutomationId,
    name: &str,
    trigger: &Value,
    steps: &Value,
    allow_reentry: bool,
) -> sqlx::Result<i32> {
    sqlx::query_scalar(
        "update automations set name = $3, trigger = $4, steps = $5, allow_reentry = $6, revision = revision + 1
         where tenant_id = $1 and id = $2 returning revision",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(name)
    .bind(trigger)
    .bind(steps)
    .bind(allow_reentry)
    .fetch_one(&mut **tx)
    .await
}

/// Renames an automation.
pub async fn rename(tx: &mut TenantTx, id: AutomationId, name: &str) -> sqlx::Result<()> {
    sqlx::query("update automations set name = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets `draft`, `active` or `paused`.
pub async fn set_status(tx: &mut TenantTx, id: AutomationId, status: &str) -> sqlx::Result<()> {
    sqlx::query("update automations set status = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(status)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// People in and through each automation: (id, in it now, finished).
pub async fn counts(tx: &mut TenantTx) -> sqlx::Result<Vec<(AutomationId, i64, i64)>> {
    sqlx::query_as(
        "select automation_id, count(*) filter (where status in ('active', 'waiting')),
                count(*) filter (where status in ('done', 'exited'))
         from automation_runs where tenant_id = $1 group by automation_id",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Whether the contact may enter: never while in it; again only with re-entry allowed.
pub async fn may_enter(tx: &mut TenantTx, a: &Automation, contact: Uuid) -> sqlx::Result<bool> {
    let (inside, ever): (bool, bool) = sqlx::query_as(
        "select coalesce(bool_or(status in ('active', 'waiting')), false), count(*) > 0
         from automation_runs where tenant_id = $1 and automation_id = $2 and contact_id = $3",
    )
    .bind(tx.tenant())
    .bind(a.id)
    .bind(contact)
    .fetch_one(&mut **tx)
    .await?;
    Ok(!inside && (!ever || a.allow_reentry))
}

/// Starts a run at `first`; `None` when this entry was already made.
pub async fn insert_run(
    tx: &mut TenantTx,
    a: AutomationId,
    contact: Uuid,
    entry_key: &str,
    first: Option<&str>,
    data: &Value,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<RunId>> {
    let id = RunId::new();
    let made = sqlx::query(
        "insert into automation_runs (tenant_id, id, automation_id, contact_id, entry_key, current_step, trigger_data, started_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(a)
    .bind(contact)
    .bind(entry_key)
    .bind(first)
    .bind(data)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok((made == 1).then_some(id))
}

/// One run, locked (the step runner holds it for the whole step).
pub async fn run_for_update(tx: &mut TenantTx, id: RunId) -> sqlx::Result<Option<Run>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {RUN_COLS} from automation_runs where tenant_id = $1 and id = $2 for update"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The runs of an automation, newest first (at most `limit`).
pub async fn runs(tx: &mut TenantTx, a: AutomationId, limit: i64) -> sqlx::Result<Vec<Run>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {RUN_COLS} from automation_runs where tenant_id = $1 and automation_id = $2
         order by started_at desc, id limit $3"
    )))
    .bind(tx.tenant())
    .bind(a)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// The live runs of an automation (for a save that moves them).
pub async fn live_runs(tx: &mut TenantTx, a: AutomationId) -> sqlx::Result<Vec<Run>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {RUN_COLS} from automation_runs where tenant_id = $1 and automation_id = $2
         and status in ('active', 'waiting') for update"
    )))
    .bind(tx.tenant())
    .bind(a)
    .fetch_all(&mut **tx)
    .await
}

/// Runs whose wait ended by `now` (a duration, a time, or an event's timeout), or that are
/// active (a step to take) and were left behind.
pub async fn due_runs(tx: &mut TenantTx, now: DateTime<Utc>) -> sqlx::Result<Vec<(RunId, i32)>> {
    sqlx::query_as(
        "select r.id, r.seq from automation_runs r
           join automations a on a.tenant_id = r.tenant_id and a.id = r.automation_id and a.status = 'active'
         where r.tenant_id = $1 and ((r.status = 'waiting' and coalesce(r.wake_at, r.timeout_at) <= $2)
           or (r.status = 'active' and r.updated_at < $2 - interval '1 minute'))
         order by r.id limit 1000",
    )
    .bind(tx.tenant())
    .bind(now)
    .fetch_all(&mut **tx)
    .await
}

/// Runs of this contact waiting for this event kind.
pub async fn waiting_for(tx: &mut TenantTx, kind: &str, contact: Uuid) -> sqlx::Result<Vec<(RunId, i32)>> {
    sqlx::query_as(
        "select id, seq from automation_runs where tenant_id = $1 and status = 'waiting' and waiting_for = $2
           and contact_id = $3 order by id",
    )
    .bind(tx.tenant())
    .bind(kind)
    .bind(contact)
    .fetch_all(&mut **tx)
    .await
}

/// Moves a run: to `step` (or finished with `status`), one more in `seq`, no wait.
pub async fn move_run(
    tx: &mut TenantTx,
    run: RunId,
    step: Option<&str>,
    status: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<i32> {
    sqlx::query_scalar(
        "update automation_runs set current_step = $3, status = $4, seq = seq + 1, wake_at = null, waiting_for = null,
           timeout_at = null, finished_at = case when $4 in ('done', 'exited') then $5 else null end
         where tenant_id = $1 and id = $2 returning seq",
    )
    .bind(tx.tenant())
    .bind(run)
    .bind(step)
    .bind(status)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Puts a run to wait at its step.
pub async fn wait_run(
    tx: &mut TenantTx,
    run: RunId,
    wake_at: Option<DateTime<Utc>>,
    waiting_for: Option<&str>,
    timeout_at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update automation_runs set status = 'waiting', wake_at = $3, waiting_for = $4, timeout_at = $5
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(run)
    .bind(wake_at)
    .bind(waiting_for)
    .bind(timeout_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds a line to a run's path.
pub async fn record(
    tx: &mut TenantTx,
    run: RunId,
    step: &str,
    kind: &str,
    outcome: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into automation_run_steps (tenant_id, id, run_id, step_id, kind, outcome, at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tx.tenant())
    .bind(Uuid::now_v7())
    .bind(run)
    .bind(step)
    .bind(kind)
    .bind(outcome)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The paths of these runs, in order.
pub async fn paths(tx: &mut TenantTx, runs: &[RunId]) -> sqlx::Result<Vec<PathStep>> {
    sqlx::query_as(
        "select run_id, step_id, kind, outcome, at from automation_run_steps
         where tenant_id = $1 and run_id = any($2) order by at, id",
    )
    .bind(tx.tenant())
    .bind(runs.iter().map(|r| r.0).collect::<Vec<Uuid>>())
    .fetch_all(&mut **tx)
    .await
}

/// The latest delivery this run's automation sent the contact: (opened, clicked).
pub async fn last_delivery(tx: &mut TenantTx, a: AutomationId, contact: Uuid) -> sqlx::Result<Option<(bool, bool)>> {
    sqlx::query_as(
        "select opened_at is not null, clicked_at is not null from email_deliveries
         where tenant_id = $1 and automation_id = $2 and contact_id = $3 order by created_at desc, id desc limit 1",
    )
    .bind(tx.tenant())
    .bind(a)
    .bind(contact)
    .fetch_optional(&mut **tx)
    .await
}
