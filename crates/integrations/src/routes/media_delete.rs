//! `DELETE /api/v1/media/{id}`: removes an item from the library, with everything it stores.

use axum::{extract::Path, http::StatusCode};
use kernel::AppError;
use media::MediaId;

use crate::{
    auth::ApiCtx,
    problem::{ApiResult, ProblemBody},
};

/// Delete a media item
///
/// Deletes the item with its files, renditions and captions, for good, and frees the storage
/// they used. Needs a read and write key.
#[utoipa::path(
    delete,
    path = "/media/{id}",
    operation_id = "deleteMedia",
    tag = "Media",
    params(("id" = uuid::Uuid, Path, description = "The item's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 204, description = "The item is gone."),
        (status = 404, description = "No item in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn delete(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let id: MediaId = id.parse().map_err(|_| AppError::NotFound)?;
    if !media::service::delete_media(&ctx.state, ctx.school.id, id).await.map_err(AppError::Internal)? {
        return Err(AppError::NotFound.into());
    }
    Ok(StatusCode::NO_CONTENT)
}
