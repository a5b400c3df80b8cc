//! `GET /api/v1/users/{id}`: one person of the school.

use axum::extract::Path;
use kernel::{AppError, ids::UserId, web::Json};

use crate::{
    auth::ApiCtx,
    problem::{ApiResult, ProblemBody},
    schema::ApiUser,
};

/// Get a person
///
/// One person with an account in the school, by id.
#[utoipa::path(
    get,
    path = "/users/{id}",
    operation_id = "getUser",
    tag = "Users",
    params(("id" = uuid::Uuid, Path, description = "The person's id.", example = "0192f7c4-8a4e-7cc3-b7d5-3f0e1c9a7b21")),
    responses(
        (status = 200, description = "The person.", body = ApiUser),
        (status = 404, description = "No one in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiUser>> {
    // An id that does not parse is simply not found: the answer never says which ids exist.
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let user = identity::store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(Json(ApiUser::from(&user)))
}
