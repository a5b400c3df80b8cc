//! `GET /api/v1/media/{id}`: one item of the school's media library.

use axum::extract::Path;
use kernel::{AppError, web::Json};
use media::MediaId;

use super::media::{ApiMedia, items};
use crate::{
    auth::ApiCtx,
    problem::{ApiResult, ProblemBody},
};

/// Get a media item
///
/// One item of the library, by id, with where it is in its processing. Poll it after an upload
/// until `status` is `ready` (or `failed`, with the reason in `upload.error`).
#[utoipa::path(
    get,
    path = "/media/{id}",
    operation_id = "getMedia",
    tag = "Media",
    params(("id" = uuid::Uuid, Path, description = "The item's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 200, description = "The item.", body = ApiMedia),
        (status = 404, description = "No item in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiMedia>> {
    // An id that does not parse is simply not found: the answer never says which ids exist.
    let id: MediaId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let found = media::store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let item = items(&mut tx, ctx.shell.locale, vec![found]).await?.pop().ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(Json(item))
}
