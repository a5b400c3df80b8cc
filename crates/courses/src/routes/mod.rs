//! Courses' pages: one file per page or action.

mod admin_courses;
mod certificates_design;
mod certificates_issued;
pub mod certificates_public;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use kernel::AppState;

/// Courses' routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/courses", get(admin_courses::list).post(admin_courses::create))
        .route(
            "/admin/certificates",
            get(certificates_design::form)
                .post(certificates_design::save)
                .layer(DefaultBodyLimit::max(certificates_design::BODY_MAX)),
        )
        .route("/admin/certificates/preview", get(certificates_design::preview_frame))
        .route("/admin/certificates/preview.pdf", get(certificates_design::preview_pdf))
        .route("/admin/certificates/issued", get(certificates_issued::list))
        .route("/admin/certificates/{id}/revoke", post(certificates_issued::revoke))
        .route("/admin/certificates/{id}/reissue", post(certificates_issued::reissue))
        .route("/certificates", get(certificates_public::mine))
        .route("/certificates/{code}", get(certificates_public::verify))
        .route("/certificates/{code}/pdf", get(certificates_public::pdf))
}
