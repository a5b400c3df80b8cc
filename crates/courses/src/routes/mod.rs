//! Courses' pages: one file per page or action.

mod admin_courses;
mod admin_import;
mod admin_students;
mod catalogue;
mod dashboard;
mod learn;
mod self_enroll;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::AppState;

/// Courses' routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/courses", get(admin_courses::list).post(admin_courses::create))
        .route("/learn/{slug}", get(learn::course))
        .route("/learn/{slug}/{lesson}", get(learn::lesson))
        .route("/admin/courses/{id}/students", get(admin_students::list).post(admin_students::enrol))
        .route("/admin/courses/{id}/students/import", get(admin_import::form).post(admin_import::upload))
        .route("/admin/courses/{id}/students/import/{import}", get(admin_import::review))
        .route("/admin/courses/{id}/students/import/{import}/confirm", post(admin_import::confirm))
        .route("/admin/courses/{id}/students/{enrollment}/{action}", post(admin_students::act))
        .route("/dashboard", get(dashboard::show))
        .route("/courses", get(catalogue::show))
        .route("/learn/{slug}/enroll", post(self_enroll::enroll))
}
