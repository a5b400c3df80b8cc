//! Courses' pages: one file per page or action.

mod admin_courses;
mod assignment_file;
mod assignment_review;
mod assignment_submit;
mod assignments_queue;
mod learn;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use kernel::AppState;

/// Courses' routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/courses", get(admin_courses::list).post(admin_courses::create))
        .route("/learn/{slug}", get(learn::course))
        .route("/learn/{slug}/{lesson}", get(learn::lesson))
        .route(
            "/learn/{slug}/{lesson}/assignment",
            post(assignment_submit::submit).layer(DefaultBodyLimit::max(crate::assignments::files::BODY_MAX)),
        )
        .route("/assignments/files/{id}", get(assignment_file::download))
        .route("/admin/assignments", get(assignments_queue::list))
        .route("/admin/assignments/badge", get(assignments_queue::badge))
        .route("/admin/assignments/{id}", get(assignment_review::show))
        .route("/admin/assignments/{id}/review", post(assignment_review::review))
}
