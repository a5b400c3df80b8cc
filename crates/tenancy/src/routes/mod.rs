//! Tenancy's pages: one file per page or action.

mod dashboard;
mod home;
mod landing;
mod start;

use axum::{Router, routing::get};
use kernel::AppState;

/// Routes on a school's site.
pub fn school_router() -> Router<AppState> {
    Router::new().route("/", get(home::show)).route("/admin", get(dashboard::show))
}

/// Routes on the platform host.
pub fn platform_router() -> Router<AppState> {
    Router::new().route("/", get(landing::show)).route("/start", get(start::form).post(start::submit))
}
