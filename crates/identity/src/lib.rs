//! Identity: the people of a school, their roles, and how they prove who they are.
//!
//! Other domains use [`Ctx`] (the request context with the school, the viewer and a way to
//! open a tenant transaction) and [`Permission`] with [`Ctx::require`], the one permission
//! check every staff route goes through.

pub mod ctx;
pub mod model;
pub mod panel;
pub mod password;
pub mod preferences;
pub mod routes;
pub mod service;
pub mod session;
pub mod store;

pub use ctx::Ctx;
pub use model::{Permission, Role, User};

/// Registers identity's templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Identity's jobs and event subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    service::wire(w);
}

/// Identity's routes.
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}
