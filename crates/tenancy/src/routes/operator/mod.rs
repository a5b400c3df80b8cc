//! The operator area on the platform host: schools, jobs (and the demo's clock) and the dev mailbox. Every page but
//! the login needs an [`Operator`]; anyone else is sent to `/operator/login`.

mod clock;
mod jobs;
mod login;
mod mailbox;
mod schools;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::{AppError, AppState};

use crate::operator::Operator;

/// The operator area's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/operator", get(schools::index))
        .route("/operator/login", get(login::form).post(login::submit))
        .route("/operator/logout", post(login::logout))
        .route("/operator/schools/{id}/suspend", get(schools::pause_form).post(schools::suspend))
        .route("/operator/schools/{id}/resume", post(schools::resume))
        .route("/operator/jobs", get(jobs::index))
        .route("/operator/clock", post(clock::advance))
        .route("/operator/jobs/{tenant_id}/{id}/retry", post(jobs::retry))
        .route("/operator/mailbox", get(mailbox::index))
        .route("/operator/mailbox/{tenant_id}/{id}", get(mailbox::show))
        .route("/operator/{*rest}", get(unknown).post(unknown))
}

/// Any other path under `/operator`: the login page for strangers, 404 for operators.
async fn unknown(_: Operator) -> AppError {
    AppError::NotFound
}
