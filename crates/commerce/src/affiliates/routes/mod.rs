//! The affiliate program's pages: one file per page or action.

mod portal_commissions;
mod portal_dashboard;
mod portal_payout;

use axum::{Router, routing::get};
use kernel::AppState;

/// The program's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/affiliates/dashboard", get(portal_dashboard::page))
        .route("/affiliates/dashboard/commissions", get(portal_commissions::list))
        .route("/affiliates/dashboard/payout", get(portal_payout::form).post(portal_payout::submit))
}
