//! Insights: the numbers that span domains (ARCHITECTURE §3). It sits above the domain crates
//! and reads them only through their `lib.rs` or their events: the admin dashboard, and
//! learning analytics per course kept as rollups from courses' and quizzes' events
//! ([`rollup`]), so the pages stay fast however many students a course has.

pub mod affiliates;
pub mod chart;
pub mod feed;
pub mod period;
pub mod rollup;
mod routes;
pub mod sales;
pub mod store;

/// Registers the insights templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Insights' event subscriptions (the learning rollups).
pub fn wire(w: &mut kernel::state::Wiring) {
    rollup::register(w);
    sales::register(w);
    affiliates::register(w);
}

/// Routes on a school's site (the admin dashboard and course analytics).
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}
