//! `GET /api/v1/certificates/{code}`: check a certificate the school issued.

use axum::extract::Path;
use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AppError, web::Json};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::ApiCtx,
    problem::{ApiResult, ProblemBody},
};

/// A certificate the school issued when a student completed a course.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCertificate {
    /// Its public code, also printed on the PDF and its QR code.
    #[schema(example = "LYC-7K3M-9QX2")]
    pub code: String,
    /// The student's name as printed on it.
    #[schema(example = "Ana Müller")]
    pub student_name: String,
    /// The student's id.
    #[schema(value_type = uuid::Uuid, example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")]
    pub user_id: kernel::ids::UserId,
    /// The course's title as printed on it.
    #[schema(example = "Portrait photography from scratch")]
    pub course: String,
    /// The course's id.
    #[schema(value_type = uuid::Uuid, example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e10")]
    pub course_id: courses::CourseId,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// The date printed on it, in the school's time zone.
    #[schema(example = "2026-11-30")]
    pub issued_on: NaiveDate,
    /// Whether the school revoked it (it then certifies nothing).
    pub revoked: bool,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why, as the verification page shows it.
    #[schema(example = "")]
    pub revoked_reason: String,
    /// The public verification page.
    #[schema(example = "https://acme.lyceum.example/certificates/LYC-7K3M-9QX2")]
    pub verify_url: String,
}

/// Get a certificate
///
/// A certificate by its code (case does not matter), whether it is still valid or was revoked.
#[utoipa::path(
    get,
    path = "/certificates/{code}",
    operation_id = "getCertificate",
    tag = "Certificates",
    params(("code" = String, Path, description = "The certificate's code.", example = "LYC-7K3M-9QX2")),
    responses(
        (status = 200, description = "The certificate.", body = ApiCertificate),
        (status = 404, description = "This school issued no certificate with that code.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(code): Path<String>) -> ApiResult<Json<ApiCertificate>> {
    let code = courses::certificates::issue::normalise_code(&code);
    let mut tx = ctx.tx().await?;
    let c = courses::certificates::store::by_code(&mut tx, &code).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(Json(ApiCertificate {
        verify_url: courses::certificates::sheet::verify_url(&ctx.school, &c.code),
        revoked: !c.is_valid(),
        code: c.code,
        student_name: c.student_name,
        user_id: c.user_id,
        course: c.course_title,
        course_id: c.course_id,
        issued_at: c.issued_at,
        issued_on: c.issued_on,
        revoked_at: c.revoked_at,
        revoked_reason: c.revoked_reason,
    }))
}
