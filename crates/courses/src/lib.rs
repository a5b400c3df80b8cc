//! Courses and learning (ARCHITECTURE §3): the builder, enrolments, the student player,
//! progress, drip schedules, quizzes, assignments and certificates.
//!
//! Who may open what is decided in one place, [`access::Outline`]; access is granted only by
//! [`enrollment::enroll`]; lessons complete only through [`progress::complete_lesson`]. Other
//! domains reach courses through this file or through its events (`enrollment.created`,
//! `enrollment.revoked`, `lesson.completed`, `course.completed`).

pub mod access;
pub mod certificates;
pub mod enrollment;
pub mod entitlement;
pub mod model;
pub mod progress;
pub mod routes;
pub mod slug;
pub mod store;

pub use model::{Course, CourseId, Enrollment, Lesson, LessonId, LessonKind, ModuleId};

/// Registers the courses templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Courses' jobs, event subscriptions and the media entitlement.
pub fn wire(w: &mut kernel::state::Wiring) {
    entitlement::register(w);
    certificates::wire(w);
}

/// Routes on a school's site.
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}
