//! `GET /api/v1/courses/{id}`: one course with its modules and lessons.

use axum::extract::Path;
use courses::CourseId;
use kernel::{AppError, web::Json};

use super::courses::{ApiCourse, ApiCourseDetail, outline};
use crate::{
    auth::ApiCtx,
    problem::{ApiResult, ProblemBody},
};

/// Get a course
///
/// One course, by id, with its modules in order and each module's lessons in order (drafts
/// included, with their status).
#[utoipa::path(
    get,
    path = "/courses/{id}",
    operation_id = "getCourse",
    tag = "Courses",
    params(("id" = uuid::Uuid, Path, description = "The course's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 200, description = "The course and its outline.", body = ApiCourseDetail),
        (status = 404, description = "No course in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiCourseDetail>> {
    // An id that does not parse is simply not found: the answer never says which ids exist.
    let id: CourseId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let course = courses::store::course(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let modules = courses::store::modules(&mut tx, id).await?;
    let lessons = courses::store::lessons(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(ApiCourseDetail { course: ApiCourse::from(course), modules: outline(&modules, &lessons) }))
}
