//! Marketing's pages: one file per page or action.

mod admin_pages;
mod editor;
mod public_page;
mod versions;

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
        .route("/admin/pages/{id}", get(editor::show))
        .route("/admin/pages/{id}/publish", post(admin_pages::publish))
        .route("/admin/pages/{id}/unpublish", post(admin_pages::unpublish))
        .route("/admin/pages/{id}/duplicate", post(admin_pages::duplicate))
        .route("/admin/pages/{id}/archive", post(admin_pages::archive))
        .route("/admin/pages/{id}/unarchive", post(admin_pages::unarchive))
        .route("/admin/pages/{id}/home", post(admin_pages::make_home))
        .route("/admin/pages/{id}/canvas", get(editor::canvas).post(editor::canvas_fragment))
        .route("/admin/pages/{id}/draft", post(editor::save).put(editor::save))
        .route("/admin/pages/{id}/preview", get(editor::preview))
        .route("/admin/pages/{id}/versions/{n}", get(versions::show))
        .route("/admin/pages/{id}/versions/{n}/restore", post(versions::restore))
}
