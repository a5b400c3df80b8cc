//! Marketing's pages: one file per page or action.

mod admin_pages;
mod home;
mod public_page;
mod sitemap;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::AppState;

/// Marketing's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/p/{slug}", get(public_page::show))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/robots.txt", get(sitemap::robots))
        .route("/admin/pages", get(admin_pages::list).post(admin_pages::create))
        .route("/admin/pages/{id}", get(admin_pages::show))
        .route("/admin/pages/{id}/publish", post(admin_pages::publish))
}
