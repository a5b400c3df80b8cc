//! Courses' pages: one file per page or action.

mod admin_courses;
mod admin_import;
mod admin_students;
mod assignment_file;
mod assignment_review;
mod assignment_submit;
mod assignments_queue;
mod catalogue;
mod certificates_design;
mod certificates_issued;
pub mod certificates_public;
mod comments;
mod complete;
mod course_settings;
mod curriculum;
mod curriculum_actions;
mod curriculum_items;
mod dashboard;
mod fields;
mod instructor_profile;
mod learn;
mod lesson;
mod lesson_editor;
mod module_settings;
mod notes;
mod quiz_editor;
mod quiz_question;
mod quiz_stats;
mod quiz_take;
mod self_enroll;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use kernel::AppState;

/// Courses' routes on a school's site.
pub fn router() -> Router<AppState> {
    use curriculum_actions as act;
    use curriculum_items as item;
    Router::new()
        .route("/admin/courses", get(admin_courses::list).post(admin_courses::create))
        .route("/learn/{slug}", get(learn::course))
        .route("/admin/courses/{id}/students", get(admin_students::list).post(admin_students::enrol))
        .route("/admin/courses/{id}/students/import", get(admin_import::form).post(admin_import::upload))
        .route("/admin/courses/{id}/students/import/{import}", get(admin_import::review))
        .route("/admin/courses/{id}/students/import/{import}/confirm", post(admin_import::confirm))
        .route("/admin/courses/{id}/students/{enrollment}/{action}", post(admin_students::act))
        .route("/dashboard", get(dashboard::show))
        .route("/courses", get(catalogue::show))
        .route("/learn/{slug}/enroll", post(self_enroll::enroll))
        .route("/admin/courses/{id}", get(curriculum::page))
        .route("/admin/courses/{id}/modules", post(act::add_module))
        .route("/admin/courses/{id}/order", post(act::reorder))
        .route("/admin/courses/{id}/publish", post(act::publish))
        .route("/admin/courses/{id}/unpublish", post(act::unpublish))
        .route("/admin/courses/{id}/duplicate", post(item::duplicate_course))
        .route("/admin/courses/{id}/delete", post(item::delete_course))
        .route("/admin/courses/{id}/restore", post(item::restore_course))
        .route("/admin/courses/{id}/modules/{module}/lessons", post(act::add_lesson))
        .route("/admin/courses/{id}/modules/{module}/rename", post(act::rename_module))
        .route("/admin/courses/{id}/modules/{module}/move", post(act::move_module))
        .route("/admin/courses/{id}/modules/{module}/duplicate", post(item::duplicate_module))
        .route("/admin/courses/{id}/modules/{module}/delete", post(item::delete_module))
        .route("/admin/courses/{id}/modules/{module}/restore", post(item::restore_module))
        .route("/admin/courses/{id}/lessons/{lesson}/rename", post(act::rename_lesson))
        .route("/admin/courses/{id}/lessons/{lesson}/move", post(act::move_lesson))
        .route("/admin/courses/{id}/lessons/{lesson}/status", post(act::lesson_status))
        .route("/admin/courses/{id}/lessons/{lesson}/duplicate", post(item::duplicate_lesson))
        .route("/admin/courses/{id}/lessons/{lesson}/delete", post(item::delete_lesson))
        .route("/admin/courses/{id}/lessons/{lesson}/restore", post(item::restore_lesson))
        .route("/admin/courses/{id}/settings", get(course_settings::show).post(course_settings::save))
        .route("/admin/courses/{id}/instructors/{user}", get(instructor_profile::show).post(instructor_profile::save))
        .route("/admin/courses/{id}/lessons/{lesson}", get(lesson_editor::show).post(lesson_editor::save))
        .route("/admin/courses/{id}/modules/{module}", get(module_settings::show).post(module_settings::save))
        .route("/learn/{slug}/{lesson}", get(lesson::show))
        .route("/learn/{slug}/{lesson}/complete", post(complete::complete).get(complete::back))
        .route("/learn/{slug}/{lesson}/notes", post(notes::save))
        .route("/learn/{slug}/{lesson}/comments", post(comments::post))
        .route("/learn/{slug}/{lesson}/comments/{comment}/delete", post(comments::delete))
        .route(
            "/learn/{slug}/{lesson}/assignment",
            post(assignment_submit::submit).layer(DefaultBodyLimit::max(crate::assignments::files::BODY_MAX)),
        )
        .route("/assignments/files/{id}", get(assignment_file::download))
        .route("/admin/assignments", get(assignments_queue::list))
        .route("/admin/assignments/badge", get(assignments_queue::badge))
        .route("/admin/assignments/{id}", get(assignment_review::show))
        .route("/admin/assignments/{id}/review", post(assignment_review::review))
        .merge(quiz_routes())
        .merge(certificate_routes())
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

/// Certificates: the design, the issued list, and the public verification pages.
fn certificate_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/certificates",
            get(certificates_design::form)
                .post(certificates_design::save)
                .layer(DefaultBodyLimit::max(certificates_design::BODY_MAX)),
        )
        .route("/admin/certificates/preview", get(certificates_design::preview_frame))
        .route("/admin/certificates/preview.pdf", get(certificates_design::preview_pdf))
        .route("/admin/certificates/issued", get(certificates_issued::list))
        .route("/admin/certificates/{id}/revoke", post(certificates_issued::revoke))
        .route("/admin/certificates/{id}/reissue", post(certificates_issued::reissue))
        .route("/certificates", get(certificates_public::mine))
        .route("/certificates/{code}", get(certificates_public::verify))
        .route("/certificates/{code}/pdf", get(certificates_public::pdf))
}
