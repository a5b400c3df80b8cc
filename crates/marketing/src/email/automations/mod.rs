//! Automations (issue 12, item 3): a trigger, then steps, per contact.
//!
//! - [`model`]: automations, their step tree with stable ids, runs and their paths;
//! - [`store`]: the SQL;
//! - [`triggers`]: events that enrol contacts (and wake runs waiting for them), the daily
//!   sweeps (no login for N days, a date field);
//! - [`runner`]: the `automation.step` job, one per step a run takes, idempotent on the run's
//!   `seq`, and the recurring sweep that wakes due waits along the application's clock;
//! - [`actions`]: what send, tag, enrol, notify and webhook steps do, and the if/else conditions;
//! - [`webhook`]: the SSRF-guarded outgoing webhook;
//! - [`recipes`]: pre-built automations with their emails;
//! - [`routes`]: `/admin/automations` (list, visual editor, people).

pub mod actions;
pub mod model;
pub mod outcome;
pub mod recipes;
pub mod routes;
pub mod runner;
pub mod store;
pub mod triggers;
pub mod webhook;

use axum::Router;
use kernel::AppState;

pub use actions::AllowPrivateWebhooks;
pub use model::{Automation, AutomationId, RunId};
pub use runner::{advance, sweep, trigger_data};
pub use triggers::enrol;

/// Jobs and subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.jobs.register(runner::STEP_JOB, runner::step_job);
    w.jobs.register(runner::SWEEP_JOB, runner::sweep_job);
    triggers::wire(w);
}

/// Routes.
pub fn router() -> Router<AppState> {
    routes::router()
}
