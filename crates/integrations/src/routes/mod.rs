//! Integrations' HTTP surface: the API under `/api/v1`, its reference page, and the API keys
//! settings page. One file per page or action.

pub mod affiliate_ledger_api;
pub mod affiliates_api;
pub mod automations_api;
pub mod broadcasts_api;
pub mod certificate_show;
pub mod commerce_catalog;
pub mod contacts_api;
pub mod contacts_tags_api;
pub mod courses;
pub mod courses_list;
pub mod courses_show;
pub mod create_user;
pub mod docs;
pub mod enrollment_revoke;
pub mod enrollments;
pub mod forms_api;
pub mod keys;
pub mod list_users;
pub mod me;
pub mod media;
pub mod media_delete;
pub mod media_list;
pub mod media_show;
pub mod media_uploads;
pub mod orders;
pub mod pages_api;
pub mod progress;
pub mod show_user;
pub mod subscriptions;

use axum::{
    Router,
    routing::{get, post},
};
use kernel::AppState;

use crate::openapi;

/// Integrations' routes on a school's site.
pub fn router() -> Router<AppState> {
    let (api, _) = openapi::parts();
    Router::new()
        .nest(openapi::BASE_PATH, api)
        .route("/api/docs", get(docs::reference))
        .route("/admin/settings/api-keys", get(keys::index).post(keys::create))
        .route("/admin/settings/api-keys/{id}/revoke", post(keys::revoke))
}
