//! Insights' pages.

mod dashboard;

use axum::{Router, routing::get};
use kernel::AppState;

/// Routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin", get(dashboard::show))
}
