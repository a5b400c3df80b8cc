//! Marketing's pages: one file per page or action.

mod admin_forms;
mod admin_pages;
mod embed;
mod lead_magnet;
mod optin;
mod public_page;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::AppState;

/// Marketing's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{slug}", get(public_page::show))
        .route("/admin/pages", get(admin_pages::list).post(admin_pages::create))
        .route("/admin/pages/{id}", get(admin_pages::show))
        .route("/admin/pages/{id}/publish", post(admin_pages::publish))
        .merge(forms_router())
}

/// Opt-in forms: the admin, the public post and page, embeds, confirmations and downloads.
fn forms_router() -> Router<AppState> {
    Router::new()
        .route("/admin/forms", get(admin_forms::list).post(admin_forms::create))
        .route("/admin/forms/new", get(admin_forms::new))
        .route("/admin/forms/{id}", get(admin_forms::show).post(admin_forms::update))
        .route("/admin/forms/{id}/{action}", post(admin_forms::archive))
        .route("/f/{id}", get(optin::show).post(optin::submit).options(optin::preflight))
        .route("/f/confirm/{token}", get(optin::confirm))
        .route("/f/{id}/embed", get(embed::frame))
        .route("/f/{id}/embed.js", get(embed::script))
        .route("/lm/{token}", get(lead_magnet::download))
        .route("/lm/{token}/resend", post(lead_magnet::resend))
}
