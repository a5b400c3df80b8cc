//! Courses' pages: one file per page or action.

mod admin_courses;
mod learn;
mod quiz_editor;
mod quiz_question;
mod quiz_stats;
mod quiz_take;

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
        .merge(quiz_routes())
}

/// The quiz editor, its statistics, and taking a quiz.
fn quiz_routes() -> Router<AppState> {
    const QUIZ: &str = "/admin/courses/{id}/lessons/{lesson}/quiz";
    Router::new()
        .route(QUIZ, get(quiz_editor::page).post(quiz_editor::save))
        .route(&format!("{QUIZ}/stats"), get(quiz_stats::page))
        .route(&format!("{QUIZ}/questions/new"), get(quiz_question::new).post(quiz_question::create))
        .route(&format!("{QUIZ}/questions/{{q}}"), get(quiz_question::edit).post(quiz_question::update))
        .route(&format!("{QUIZ}/questions/{{q}}/delete"), post(quiz_editor::delete))
        .route(&format!("{QUIZ}/questions/{{q}}/move"), post(quiz_editor::move_question))
        .route("/learn/{slug}/{lesson}/quiz/start", post(quiz_take::start))
        .route("/learn/{slug}/{lesson}/quiz/{attempt}/submit", post(quiz_take::submit))
        .route("/learn/{slug}/{lesson}/quiz/{attempt}/save", post(quiz_take::save))
}
