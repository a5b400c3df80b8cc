//! Courses' pages: one file per page or action.

mod admin_courses;
mod comments;
mod complete;
mod learn;
mod lesson;
mod notes;

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
        .route("/learn/{slug}/{lesson}", get(lesson::show))
        .route("/learn/{slug}/{lesson}/complete", post(complete::complete).get(complete::back))
        .route("/learn/{slug}/{lesson}/notes", post(notes::save))
        .route("/learn/{slug}/{lesson}/comments", post(comments::post))
        .route("/learn/{slug}/{lesson}/comments/{comment}/delete", post(comments::delete))
}
