//! Tenancy: schools, their domains, branding and settings, and the platform's operator area.
//!
//! [`resolve`] turns a request's host into a [`kernel::web::Site`]; [`service::create_school`]
//! is how every school comes to exist (the platform's signup page, the CLI, the demo seeder).

pub mod branding;
pub mod console;
pub mod dns_records;
pub mod domain_check;
pub mod domains;
pub mod hero;
pub mod icons;
pub mod mailbox;
pub mod model;
pub mod operator;
pub mod resolve;
pub mod routes;
pub mod sender;
pub mod service;
pub mod settings;
pub mod store;

/// Registers tenancy's templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Tenancy's jobs, subscriptions and the school directory.
pub fn wire(w: &mut kernel::state::Wiring) {
    service::wire(w);
}

/// Routes on a school's site (public home and settings; the admin dashboard is insights').
pub fn school_router() -> axum::Router<kernel::AppState> {
    routes::school_router()
}

/// Routes on the platform host (landing page, school signup, Caddy's TLS check, operator area).
pub fn platform_router(state: &kernel::AppState) -> axum::Router<kernel::AppState> {
    routes::platform_router(state)
}
