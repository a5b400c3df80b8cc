//! Courses and learning (ARCHITECTURE §3): the builder, enrolments, the student player,
//! progress, drip schedules, quizzes, assignments and certificates.
//!
//! Who may open what is decided in one place, [`access::Outline`]; access is granted only by
//! [`enrollment::enroll`]; lessons complete only through [`progress::complete_lesson`]. Other
//! domains reach courses through this file or through its events (`enrollment.created`,
//! `enrollment.revoked`, `lesson.completed`, `course.completed`).

pub mod access;
pub mod assignments;
pub mod certificates;
pub mod comments;
pub mod curriculum;
pub mod dashboard;
pub mod demo;
pub mod drip_form;
pub mod edit_store;
pub mod embed;
pub mod enrollment;
pub mod entitlement;
pub mod import;
pub mod import_sweep;
pub mod mail;
pub mod model;
pub mod notes;
pub mod panel;
pub mod player;
pub mod progress;
pub mod quiz;
pub mod report;
pub mod roster;
pub mod routes;
pub mod slug;
pub mod stats;
pub mod store;
pub mod unlock;

pub use model::{Course, CourseId, Enrollment, Lesson, LessonId, LessonKind, ModuleId};

/// Registers the courses templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Courses' jobs, event subscriptions, the media entitlement and the person panel.
pub fn wire(w: &mut kernel::state::Wiring) {
    entitlement::register(w);
    import_sweep::register(&mut w.jobs);
    mail::wire(w);
    panel::register(w);
    curriculum::purge::register(&mut w.jobs);
    media::observe::register(w, std::sync::Arc::new(player::LessonWatch));
    assignments::wire(w);
    unlock::wire(w);
    certificates::wire(w);
}

/// Routes on a school's site.
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}
