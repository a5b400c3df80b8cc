//! `POST /api/v1/enrollments/{id}/revoke`: ends a person's access to a course.

use axum::extract::Path;
use courses::{enrollment, model::EnrollmentId, store};
use kernel::AppError;

use super::enrollments::{ApiEnrollment, items};
use crate::{
    auth::ApiCtx,
    problem::{ApiResult, ProblemBody},
};

/// Revoke an enrolment
///
/// Ends the person's access to the course now; their progress is kept, so enrolling them
/// again picks up where they were. Revoking an enrolment that is already revoked changes
/// nothing. Needs a read and write key.
#[utoipa::path(
    post,
    path = "/enrollments/{id}/revoke",
    operation_id = "revokeEnrollment",
    tag = "Enrollments",
    params(("id" = uuid::Uuid, Path, description = "The enrolment's id.", example = "0192f7c5-3c4d-7e5f-8a9b-0c1d2e3f4a5b")),
    responses(
        (status = 200, description = "Access has ended.", body = ApiEnrollment),
        (status = 404, description = "No enrolment in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn revoke(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<axum::Json<ApiEnrollment>> {
    let id: EnrollmentId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let found = store::enrollment_by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let course = store::course(&mut tx, found.course_id).await?.ok_or(AppError::NotFound)?;
    enrollment::revoke(&ctx.state, &mut tx, found.user_id, &course).await.map_err(AppError::Internal)?;
    let now = ctx.state.clock.now();
    let after = store::enrollment_by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let mut item = items(&mut tx, vec![after], now).await?;
    tx.commit().await?;
    Ok(axum::Json(item.pop().ok_or(AppError::NotFound)?))
}
