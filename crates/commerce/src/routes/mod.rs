//! Commerce's pages: one file per page or action.

mod admin_payments;
mod checkout;
mod operator_fees;
mod pay;
mod stripe_hooks;
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
        .route("/admin/settings/payments", get(admin_payments::page))
        .route("/admin/settings/payments/connect", post(admin_payments::connect))
        .route("/admin/settings/payments/return", get(admin_payments::back))
        .route("/admin/settings/payments/refresh", get(admin_payments::refresh))
        .route("/admin/settings/payments/provider", post(admin_payments::provider))
        .route("/admin/settings/payments/tax", post(admin_payments::tax))
        .route("/admin/settings/payments/disconnect", post(admin_payments::disconnect))
        .route("/hooks/stripe", post(stripe_hooks::receive))
}

/// Commerce's routes on the platform host: Stripe's webhooks and the operator's plan fees.
pub fn platform_router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/operator/payments", get(operator_fees::page).post(operator_fees::save))
        .layer(axum::middleware::from_fn_with_state(state.clone(), tenancy::operator::layer))
        .route("/hooks/stripe", post(stripe_hooks::receive))
}

/// 422 when a form has errors, 200 otherwise.
fn form_status(errors: &kernel::web::FieldErrors) -> axum::http::StatusCode {
    if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY }
}
