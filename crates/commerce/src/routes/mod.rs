//! Commerce's pages: one file per page or action.

mod admin_order;
mod admin_orders;
mod admin_subscriptions;
mod checkout;
mod pay;
mod thanks;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::AppState;

/// Commerce's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkout/{offer}", get(checkout::page).post(checkout::submit))
        .route("/checkout/pay/{checkout}", get(pay::form).post(pay::submit))
        .route("/checkout/thanks/{checkout}", get(thanks::page))
        .route("/admin/orders", get(admin_orders::list))
        .route("/admin/orders.csv", get(admin_orders::csv))
        .route("/admin/orders/comp", post(admin_orders::give))
        .route("/admin/orders/{id}", get(admin_order::show))
        .route("/admin/orders/{id}/refund", post(admin_order::refund))
        .route("/admin/orders/{id}/revoke", post(admin_order::revoke))
        .route("/admin/subscriptions", get(admin_subscriptions::list))
        .route("/admin/subscriptions/{id}", get(admin_subscriptions::show))
        .route("/admin/subscriptions/{id}/{action}", post(admin_subscriptions::act))
}

/// 422 when a form has errors, 200 otherwise.
fn form_status(errors: &kernel::web::FieldErrors) -> axum::http::StatusCode {
    if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY }
}
