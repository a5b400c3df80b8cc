//! Identity's pages: one file per page or action.

mod dashboard;
mod language;
mod login;
mod signup;

use axum::{Router, routing::get};
use kernel::{AppState, rate::Limit};
use std::time::Duration;

/// Login attempts per address and school.
pub const LOGIN_LIMIT: Limit = Limit { max: 10, window: Duration::from_secs(300) };
/// Signups per address and school.
pub const SIGNUP_LIMIT: Limit = Limit { max: 5, window: Duration::from_secs(3600) };
/// Password-reset requests per address and school.
pub const RESET_LIMIT: Limit = Limit { max: 5, window: Duration::from_secs(900) };

/// Identity's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup::form).post(signup::submit))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", axum::routing::post(login::logout))
        .route("/dashboard", get(dashboard::show))
        .route("/language", axum::routing::post(language::set))
}
