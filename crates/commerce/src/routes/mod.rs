//! Commerce's pages: one file per page or action.

mod admin_coupons;
mod admin_offers;
mod admin_products;
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
}

/// 422 when a form has errors, 200 otherwise.
fn form_status(errors: &kernel::web::FieldErrors) -> axum::http::StatusCode {
    if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY }
}
