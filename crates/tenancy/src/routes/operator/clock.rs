//! `POST /operator/clock`: in the demo only, moves the application's clock forward by some
//! days or hours, so a drip-locked lesson can be seen opening (and its email sent) without
//! waiting. The job worker runs in the same process and shares the clock; recurring
//! schedules are made due at once so time-based jobs catch up. Anywhere but the demo: 404.

use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use kernel::{
    AppError, AppResult, AppState, i18n,
    web::{Form, Shell, Visitor},
};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::operator::Operator;

/// The form on the jobs page.
#[derive(Deserialize)]
pub struct ClockForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    unit: String,
}

/// What the jobs page shows of the clock (nothing outside the demo).
pub fn view(state: &AppState) -> Value {
    if !state.config.demo {
        return Value::UNDEFINED;
    }
    let offset = state.clock.offset();
    let (days, hours) = (offset.num_days(), offset.num_hours() % 24);
    context! { now => state.clock.now().to_rfc3339(), days, hours }
}

/// Moves the clock forward by the amount asked, then back to the jobs page.
pub async fn advance(
    op: Operator,
    State(state): State<AppState>,
    shell: Shell,
    visitor: Visitor,
    Form(f): Form<ClockForm>,
) -> AppResult<Response> {
    if !state.config.demo {
        return Err(AppError::NotFound);
    }
    let amount = f.amount.trim().parse::<i64>().ok().filter(|n| (1..=365).contains(n));
    let by = match (amount, f.unit.as_str()) {
        (Some(n), "hours") => chrono::Duration::hours(n),
        (Some(n), _) => chrono::Duration::days(n),
        (None, _) => {
            visitor.flash("error", i18n::t(shell.locale, "operator-clock-invalid"));
            return Ok(Redirect::to("/operator/jobs").into_response());
        }
    };
    state.clock.advance(by);
    let mut tx = state.db.platform().await?;
    sqlx::query("update job_schedules set next_run_at = now() where next_run_at > now()").execute(&mut *tx).await?;
    sqlx::query("select pg_notify('lyceum_jobs', '')").execute(&mut *tx).await?;
    tx.commit().await?;
    tracing::info!(operator = %op.email, seconds = by.num_seconds(), "operator advanced the demo clock");
    visitor.flash("success", i18n::t(shell.locale, "operator-clock-advanced"));
    Ok(Redirect::to("/operator/jobs").into_response())
}
