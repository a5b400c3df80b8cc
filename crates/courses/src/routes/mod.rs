//! Courses' pages: one file per page or action.

mod admin_courses;
mod learn;

use axum::{Router, routing::get};
use kernel::AppState;

/// Courses' routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/courses", get(admin_courses::list).post(admin_courses::create))
        .route("/learn/{slug}", get(learn::course))
        .route("/learn/{slug}/{lesson}", get(learn::lesson))
}
