//! Integrations: the REST API v1 for scripts and tools, its OpenAPI document and reference
//! page, and the API keys a school's owner creates for them.
//!
//! A request to `/api/v1` carries `Authorization: Bearer <key>`; [`auth::ApiCtx`] turns it
//! into the school and the key's scope. The routes and the OpenAPI document are built
//! together in [`openapi::parts`].

pub mod auth;
pub mod body;
pub mod model;
pub mod openapi;
pub mod ordered;
pub mod paging;
pub mod problem;
pub mod reference;
pub mod routes;
pub mod schema;
pub mod service;
pub mod store;

/// Registers integrations' templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Integrations' routes on a school's site.
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}
