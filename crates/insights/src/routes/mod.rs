//! Insights' pages.

mod analytics;
mod dashboard;
mod export;

use axum::{Router, routing::get};
use kernel::AppState;

/// Routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard::show))
        .route("/admin/courses/{id}/analytics", get(analytics::show))
        .route("/admin/courses/{id}/analytics/students.csv", get(export::students))
}
