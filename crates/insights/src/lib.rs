//! Insights: the numbers that span domains (ARCHITECTURE §3). It sits above the domain crates
//! and reads them only through their `lib.rs`, so no domain has to import another to count
//! its things; today that is the admin dashboard, later sales and learning analytics built
//! from events.

mod routes;

/// Registers the insights templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Routes on a school's site (the admin dashboard).
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}
