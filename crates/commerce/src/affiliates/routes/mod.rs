//! The affiliate program's pages: one file per page or action.

use axum::Router;
use kernel::AppState;

/// The program's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
}
