//! Tenancy's pages: one file per page or action.

mod branding;
mod domains;
mod icons;
mod landing;
mod login;
mod logo;
mod mailbox;
mod operator;
mod sender;
mod settings;
mod start;
mod tls;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    middleware::from_fn_with_state,
    routing::{get, post},
};
use kernel::AppState;

/// Routes on a school's site.
pub fn school_router() -> Router<AppState> {
    Router::new()
        .route("/admin/settings", get(settings::form).post(settings::save))
        .route("/admin/settings/sender/verify", post(sender::verify))
        .route(
            "/admin/settings/branding",
            get(branding::form).post(branding::save).layer(DefaultBodyLimit::max(branding::BODY_MAX)),
        )
        .route("/brand/logo/{id}", get(logo::serve))
        .route("/admin/settings/domains", get(domains::index).post(domains::add))
        .route("/admin/settings/domains/{id}/verify", post(domains::verify))
        .route("/admin/settings/domains/{id}/remove", post(domains::remove))
        .route("/admin/mailbox", get(mailbox::index))
        .route("/admin/mailbox/{id}", get(mailbox::show))
        .merge(icon_routes())
}

/// The site's icons, on every host.
fn icon_routes() -> Router<AppState> {
    Router::new()
        .route("/favicon.ico", get(icons::favicon_ico))
        .route("/favicon.svg", get(icons::favicon_svg))
        .route("/apple-touch-icon.png", get(icons::touch))
        .route("/icon-192.png", get(icons::icon_192))
        .route("/icon-512.png", get(icons::icon_512))
}

/// Routes on the platform host; the operator session is resolved for all of them.
pub fn platform_router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(landing::show))
        .route("/start", get(start::form).post(start::submit))
        .route("/login", get(login::form).post(login::submit))
        .route("/internal/tls-allowed", get(tls::allowed))
        .merge(operator::router())
        .merge(icon_routes())
        .layer(from_fn_with_state(state.clone(), crate::operator::layer))
}
