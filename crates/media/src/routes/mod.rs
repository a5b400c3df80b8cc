//! Media's pages and endpoints: one file per page or action.

mod captions;
mod item;
mod library;
mod picker;
mod public_image;
mod tus;
pub mod watch;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::AppState;

pub use library::PAGE;
pub use library::error_message;
pub(crate) use library::rows;

/// Routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/media", get(library::index))
        .route("/admin/media/items", get(library::items))
        .route("/admin/media/picker", get(picker::list))
        .route("/admin/media/uploads", post(tus::create).options(tus::options))
        .route("/admin/media/uploads/{id}", axum::routing::head(tus::head).patch(tus::patch).delete(tus::delete))
        .route("/admin/media/{id}", get(item::show).post(item::rename))
        .route("/admin/media/{id}/status", get(item::status))
        .route("/admin/media/{id}/poster", get(item::poster))
        .route("/admin/media/{id}/image", get(picker::image))
        .route("/admin/media/{id}/downloadable", post(item::downloadable))
        .route("/admin/media/{id}/delete", post(item::delete))
        .route("/admin/media/{id}/captions", post(captions::add))
        .route("/admin/media/{id}/captions/{caption}/delete", post(captions::remove))
        .route("/media/i/{id}/{version}/{file}", get(public_image::show))
        .route("/media/{id}", get(watch::page))
        .route("/media/{id}/play", get(watch::play))
        .route("/media/{id}/hls/{token}/{*file}", get(watch::hls))
        .route("/media/{id}/heartbeat", post(watch::heartbeat))
        .route("/media/{id}/download", get(watch::download))
        .route("/media/{id}/file/{token}/{name}", get(watch::file))
        // Any other file under an item (a segment without a token, a guessed path): refused.
        .route("/media/{id}/{folder}/{file}", get(watch::refuse))
}

/// Parses an id from a path; anything malformed is simply not found.
pub(crate) fn parse<T: std::str::FromStr>(s: &str) -> kernel::AppResult<T> {
    s.parse().map_err(|_| kernel::AppError::NotFound)
}
