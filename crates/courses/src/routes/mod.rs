//! Courses' pages: one file per page or action.

mod admin_courses;
mod course_settings;
mod fields;
mod instructor_profile;
mod lesson_editor;
mod module_settings;

use axum::{Router, routing::get};
use kernel::AppState;

/// Courses' routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/courses", get(admin_courses::list).post(admin_courses::create))
        .route("/admin/courses/{id}/settings", get(course_settings::show).post(course_settings::save))
        .route("/admin/courses/{id}/instructors/{user}", get(instructor_profile::show).post(instructor_profile::save))
        .route("/admin/courses/{id}/lessons/{lesson}", get(lesson_editor::show).post(lesson_editor::save))
        .route("/admin/courses/{id}/modules/{module}", get(module_settings::show).post(module_settings::save))
}
