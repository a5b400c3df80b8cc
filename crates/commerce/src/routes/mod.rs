//! Commerce's pages: one file per page or action.

mod account_billing;
mod account_billing_card;
mod account_billing_plan;
mod account_receipts;
mod admin_billing_settings;
mod admin_coupons;
mod admin_offers;
mod admin_order;
mod admin_orders;
mod admin_payments;
mod admin_products;
mod admin_receipts;
mod admin_subscriptions;
mod checkout;
mod operator_fees;
mod pay;
mod stripe_hooks;
mod thanks;
mod upsell;

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
        .route("/account/billing", get(account_billing::page))
        .route("/account/billing/{sub}/cancel", post(account_billing::cancel))
        .route("/account/billing/{sub}/keep", post(account_billing::keep))
        .route("/account/billing/{sub}/plan", get(account_billing_plan::page).post(account_billing_plan::submit))
        .route("/account/billing/{sub}/card", get(account_billing_card::form).post(account_billing_card::submit))
        .route("/account/receipts", get(account_receipts::list))
        .route("/account/receipts/{payment}", get(account_receipts::receipt))
        .route("/account/credit-notes/{refund}", get(account_receipts::credit_note))
        .route("/admin/receipts/{payment}", get(admin_receipts::receipt))
        .route("/admin/credit-notes/{refund}", get(admin_receipts::credit_note))
        .route("/admin/settings/billing", get(admin_billing_settings::form).post(admin_billing_settings::save))
        .route("/admin/settings/billing/rates", post(admin_billing_settings::save_rate))
        .route("/admin/settings/billing/rates/{country}/delete", post(admin_billing_settings::delete_rate))
        .route("/checkout/{offer}/quote", post(checkout::quote))
        .route("/checkout/upsell/{checkout}", get(upsell::page).post(upsell::accept))
        .route("/admin/products", get(admin_products::list).post(admin_products::create))
        .route("/admin/products/{id}", get(admin_products::show).post(admin_products::save))
        .route("/admin/products/{id}/archive", post(admin_products::archive))
        .route("/admin/products/{id}/restore", post(admin_products::restore))
        .route("/admin/products/{id}/offers/new", get(admin_offers::new).post(admin_offers::create))
        .route("/admin/offers/{id}", get(admin_offers::edit).post(admin_offers::save))
        .route("/admin/offers/{id}/archive", post(admin_offers::archive))
        .route("/admin/offers/{id}/restore", post(admin_offers::restore))
        .route("/admin/coupons", get(admin_coupons::list).post(admin_coupons::create))
        .route("/admin/coupons/new", get(admin_coupons::new))
        .route("/admin/coupons/{id}", get(admin_coupons::edit).post(admin_coupons::save))
        .route("/admin/coupons/{id}/archive", post(admin_coupons::archive))
        .route("/admin/coupons/{id}/restore", post(admin_coupons::restore))
        .route("/admin/settings/payments", get(admin_payments::page))
        .route("/admin/settings/payments/connect", post(admin_payments::connect))
        .route("/admin/settings/payments/return", get(admin_payments::back))
        .route("/admin/settings/payments/refresh", get(admin_payments::refresh))
        .route("/admin/settings/payments/provider", post(admin_payments::provider))
        .route("/admin/settings/payments/tax", post(admin_payments::tax))
        .route("/admin/settings/payments/disconnect", post(admin_payments::disconnect))
        .route("/hooks/stripe", post(stripe_hooks::receive))
        .route("/admin/orders", get(admin_orders::list))
        .route("/admin/orders.csv", get(admin_orders::csv))
        .route("/admin/orders/comp", post(admin_orders::give))
        .route("/admin/orders/{id}", get(admin_order::show))
        .route("/admin/orders/{id}/refund", post(admin_order::refund))
        .route("/admin/orders/{id}/revoke", post(admin_order::revoke))
        .route("/admin/subscriptions", get(admin_subscriptions::list))
        .route("/admin/subscriptions/{id}", get(admin_subscriptions::show))
        .route("/admin/subscriptions/{id}/{action}", post(admin_subscriptions::act))
        .merge(crate::affiliates::routes::router())
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
