//! The runner: one `automation.step` job per step a run takes.
//!
//! [`advance`] locks the run and does its current step only if the run's `seq` is still the one
//! the job was made for, so a job delivered twice (or a job and the sweep) takes a step once.
//! Waits set `wake_at` (or `timeout_at`) from `state.clock`; the job for the wake is queued at
//! that moment, and the recurring sweep ([`sweep`]) wakes whatever is due when the clock is
//! moved by tests or the demo operator, so both paths agree.

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use kernel::{
    AppState, TenantId,
    db::TenantTx,
    jobs::{self, Job, NewJob},
};
use serde_json::{Value, json};

use super::{
    actions,
    model::{self, Automation, Run, RunId, Step},
    store,
};

/// The step job.
pub const STEP_JOB: &str = "automation.step";
/// The recurring sweep per school.
pub const SWEEP_JOB: &str = "automation.sweep";
/// How often the sweep runs.
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// What a step decided.
pub(super) enum Next {
    /// Go on to this step (or finish, `None`), with the outcome for the path.
    Go(Option<String>, String),
    /// Stay at the step and wait.
    Wait { wake_at: Option<DateTime<Utc>>, event: Option<String>, timeout_at: Option<DateTime<Utc>>, outcome: String },
    /// Leave the automation.
    Exit(String),
}

/// Queues the job that takes the run's step `seq`, at `at` on the application's clock.
pub async fn kick(
    state: &AppState,
    tx: &mut TenantTx,
    run: RunId,
    seq: i32,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    // The wake of a wait has its own key: the job that started the wait had the same `seq`.
    let key = if at.is_some() { format!("{run}:{seq}:wake") } else { format!("{run}:{seq}") };
    let mut job = NewJob::new(STEP_JOB, json!({ "run_id": run, "seq": seq })).key(key);
    if let Some(at) = at {
        // Jobs are due by the database's clock; the application's may run ahead of it.
        job = job.at(at - state.clock.offset());
    }
    jobs::enqueue(tx, job).await?;
    Ok(())
}

/// Schedules the school's sweep (idempotent).
pub async fn schedule_sweep(tx: &mut TenantTx) -> sqlx::Result<()> {
    jobs::schedule_recurring(tx, SWEEP_JOB, json!({}), SWEEP_EVERY).await
}

pub(super) async fn step_job(state: AppState, job: Job) -> anyhow::Result<()> {
    let Some(run) = job.payload["run_id"].as_str().and_then(|s| s.parse().ok()) else { return Ok(()) };
    let seq = job.payload["seq"].as_i64().unwrap_or(-1) as i32;
    advance(&state, job.tenant, run, seq, false).await?;
    Ok(())
}

pub(super) async fn sweep_job(state: AppState, job: Job) -> anyhow::Result<()> {
    sweep(&state, job.tenant).await?;
    Ok(())
}

/// Wakes every run of the school whose wait is over and runs the daily triggers; returns how
/// many runs moved.
pub async fn sweep(state: &AppState, tenant: TenantId) -> anyhow::Result<usize> {
    super::triggers::daily(state, tenant).await?;
    let due = {
        let mut tx = state.db.tenant(tenant).await?;
        let due = store::due_runs(&mut tx, state.clock.now()).await?;
        tx.commit().await?;
        due
    };
    let mut moved = 0;
    for (run, seq) in due {
        if advance(state, tenant, run, seq, false).await? {
            moved += 1;
        }
    }
    Ok(moved)
}

/// Takes run `run`'s step if it is still at `seq`; `event_came` when the event a wait is for
/// arrived. Whether the run moved.
pub async fn advance(
    state: &AppState,
    tenant: TenantId,
    run: RunId,
    seq: i32,
    event_came: bool,
) -> anyhow::Result<bool> {
    let mut tx = state.db.tenant(tenant).await?;
    let Some(run) = store::run_for_update(&mut tx, run).await? else { return Ok(false) };
    if run.seq != seq || !["active", "waiting"].contains(&run.status.as_str()) {
        return Ok(false);
    }
    let Some(a) = store::find(&mut tx, run.automation_id).await? else { return Ok(false) };
    if a.status != "active" {
        // Paused: the run stays where it is; the sweep picks it up once it is active again.
        return Ok(false);
    }
    let now = state.clock.now();
    let steps = a.tree();
    let Some(step_id) = run.current_step.clone() else {
        store::move_run(&mut tx, run.id, None, "done", now).await?;
        tx.commit().await?;
        return Ok(true);
    };
    let Some(step) = model::find(&steps, &step_id).cloned() else {
        store::record(&mut tx, run.id, &step_id, "missing", "exited: step deleted", now).await?;
        store::move_run(&mut tx, run.id, None, "exited", now).await?;
        tx.commit().await?;
        return Ok(true);
    };
    let next = if run.status == "waiting" {
        match woken(&steps, &step, &run, now, event_came) {
            Some(next) => next,
            None => return Ok(false),
        }
    } else {
        take(state, &mut tx, &a, &steps, &step, &run, now).await?
    };
    match next {
        Next::Go(to, outcome) => {
            store::record(&mut tx, run.id, &step.id, &step.kind, &outcome, now).await?;
            let status = if to.is_some() { "active" } else { "done" };
            let seq = store::move_run(&mut tx, run.id, to.as_deref(), status, now).await?;
            if to.is_some() {
                kick(state, &mut tx, run.id, seq, None).await?;
            }
        }
        Next::Wait { wake_at, event, timeout_at, outcome } => {
            store::record(&mut tx, run.id, &step.id, &step.kind, &outcome, now).await?;
            store::wait_run(&mut tx, run.id, wake_at, event.as_deref(), timeout_at).await?;
            if let Some(at) = wake_at.or(timeout_at) {
                kick(state, &mut tx, run.id, run.seq, Some(at)).await?;
            }
        }
        Next::Exit(outcome) => {
            store::record(&mut tx, run.id, &step.id, &step.kind, &outcome, now).await?;
            store::move_run(&mut tx, run.id, None, "exited", now).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// A waiting run is woken: by its time, its event, or its event's timeout. `None`: not yet.
fn woken(steps: &[Step], step: &Step, run: &Run, now: DateTime<Utc>, event_came: bool) -> Option<Next> {
    if run.waiting_for.is_some() {
        if event_came {
            return Some(Next::Go(model::branch(steps, step, true), "event came".into()));
        }
        if run.timeout_at.is_some_and(|t| t <= now) {
            return Some(Next::Go(model::branch(steps, step, false), "timed out".into()));
        }
        return None;
    }
    run.wake_at.filter(|w| *w <= now).map(|_| Next::Go(model::after(steps, &step.id), "waited".into()))
}

async fn take(
    state: &AppState,
    tx: &mut TenantTx,
    a: &Automation,
    steps: &[Step],
    step: &Step,
    run: &Run,
    now: DateTime<Utc>,
) -> anyhow::Result<Next> {
    let after = || model::after(steps, &step.id);
    Ok(match step.kind.as_str() {
        "wait" => wait(state, tx, step, now).await?,
        "if_else" => {
            let yes = actions::condition(tx, a, step, run).await?;
            Next::Go(model::branch(steps, step, yes), if yes { "yes" } else { "no" }.into())
        }
        "end" => Next::Go(None, "ended".into()),
        _ => match actions::act(state, tx, a, step, run, now).await? {
            Ok(outcome) => Next::Go(after(), outcome),
            Err(exit) => Next::Exit(exit),
        },
    })
}

async fn wait(state: &AppState, tx: &mut TenantTx, step: &Step, now: DateTime<Utc>) -> anyhow::Result<Next> {
    Ok(match step.text("mode") {
        "event" => {
            let event = step.text("event");
            let event = if event.is_empty() { "order.paid" } else { event };
            let days = step.number("timeout_days").clamp(0, 365);
            let hours = step.number("timeout_hours").clamp(0, 24 * 365);
            let timeout = now + Duration::days(days) + Duration::hours(if days + hours == 0 { 24 } else { hours });
            Next::Wait {
                wake_at: None,
                event: Some(event.to_string()),
                timeout_at: Some(timeout),
                outcome: format!("waiting for {event}"),
            }
        }
        "weekday" => {
            let school = state.school(tx.tenant()).await?;
            let at = next_weekday(now, &school.time_zone, step.number("weekday"), step.text("time"));
            Next::Wait { wake_at: Some(at), event: None, timeout_at: None, outcome: "waiting".into() }
        }
        _ => {
            let d = Duration::days(step.number("days").clamp(0, 3650))
                + Duration::hours(step.number("hours").clamp(0, 24 * 3650))
                + Duration::minutes(step.number("minutes").clamp(0, 60 * 24 * 3650));
            Next::Wait { wake_at: Some(now + d), event: None, timeout_at: None, outcome: "waiting".into() }
        }
    })
}

/// The next moment after `now` that is weekday `weekday` (0 = Monday) at `time` ("HH:MM") in
/// the zone `zone` (UTC when unknown).
pub fn next_weekday(now: DateTime<Utc>, zone: &str, weekday: i64, time: &str) -> DateTime<Utc> {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    let at =
        NaiveTime::parse_from_str(time.trim(), "%H:%M").unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    let local = now.with_timezone(&tz).date_naive();
    let want = weekday.clamp(0, 6) as u32;
    for ahead in 0..=7 {
        let day = local + Duration::days(ahead);
        if day.weekday().num_days_from_monday() != want {
            continue;
        }
        if let Some(moment) = tz.from_local_datetime(&day.and_time(at)).earliest() {
            let moment = moment.with_timezone(&Utc);
            if moment > now {
                return moment;
            }
        }
    }
    now + Duration::days(7)
}

/// The trigger data of the contact's latest run of an automation (the merge fields a send
/// step's email may use, e.g. `{{ order.number }}`), for the sending engine.
pub async fn trigger_data(tx: &mut TenantTx, automation: uuid::Uuid, contact: uuid::Uuid) -> sqlx::Result<Value> {
    let data: Option<Value> = sqlx::query_scalar(
        "select trigger_data from automation_runs where tenant_id = $1 and automation_id = $2 and contact_id = $3
         order by started_at desc limit 1",
    )
    .bind(tx.tenant())
    .bind(automation)
    .bind(contact)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(data.unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_weekday_is_in_the_schools_zone() {
        // Monday 2026-11-30 12:00 UTC; Tuesday 09:00 in Madrid is 08:00 UTC.
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        let at = next_weekday(now, "Europe/Madrid", 1, "09:00");
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap());
        // Monday 09:00 already passed today: next week.
        let at = next_weekday(now, "UTC", 0, "09:00");
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap());
    }
}
