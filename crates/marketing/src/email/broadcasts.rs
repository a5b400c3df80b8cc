//! FOUNDATION STUB for the broadcasts part of issue 12 (see `super`); its helper replaces this file.

use axum::Router;
use kernel::AppState;

/// Jobs and subscriptions.
pub fn wire(_w: &mut kernel::state::Wiring) {}

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
}
