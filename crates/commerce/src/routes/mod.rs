//! Commerce's pages: one file per page or action.

mod checkout;
mod pay;
mod thanks;
mod upsell;

use axum::{Router, routing::get};
use kernel::AppState;

/// Commerce's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkout/{offer}", get(checkout::page).post(checkout::submit))
        .route("/checkout/pay/{checkout}", get(pay::form).post(pay::submit))
        .route("/checkout/thanks/{checkout}", get(thanks::page))
        .route("/checkout/{offer}/quote", axum::routing::post(checkout::quote))
        .route("/checkout/upsell/{checkout}", get(upsell::page).post(upsell::accept))
}

/// 422 when a form has errors, 200 otherwise.
fn form_status(errors: &kernel::web::FieldErrors) -> axum::http::StatusCode {
    if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY }
}
