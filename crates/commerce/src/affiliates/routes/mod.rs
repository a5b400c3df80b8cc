//! The affiliate program's pages: one file per page or action.

use axum::{Router, routing::get};
use kernel::AppState;

use super::attribution::clicks;

/// The program's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new().route("/a/{code}", get(clicks::short_link)).route("/a/{code}/{*path}", get(clicks::short_link))
}
