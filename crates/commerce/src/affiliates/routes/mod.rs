//! The affiliate program's pages: one file per page or action.

mod admin_payout_batch;
mod admin_payouts;
mod payout_statement;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::AppState;

/// The program's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/affiliates/payouts", get(admin_payouts::page).post(admin_payouts::create))
        .route("/admin/affiliates/payouts/{batch}", get(admin_payout_batch::show))
        .route("/admin/affiliates/payouts/{batch}/paypal.csv", get(admin_payout_batch::paypal_csv))
        .route("/admin/affiliates/payouts/{batch}/wise.csv", get(admin_payout_batch::wise_csv))
        .route("/admin/affiliates/payouts/{batch}/paid", post(admin_payout_batch::mark_batch))
        .route("/admin/affiliates/payouts/{batch}/{payout}/paid", post(admin_payout_batch::mark_one))
        .route("/admin/affiliates/payouts/{batch}/{payout}/stripe", post(admin_payout_batch::stripe))
        .route("/admin/affiliates/payouts/{batch}/{payout}/statement.pdf", get(admin_payout_batch::statement))
        .route("/affiliates/payouts/{payout}/statement.pdf", get(payout_statement::download))
}
