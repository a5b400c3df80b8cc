//! `GET /brand/logo/{id}`: the school's logo (it is chosen on the branding page).

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};
use uuid::Uuid;

use crate::branding;

pub async fn serve(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let asset = branding::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let content_type = HeaderValue::from_str(&asset.content_type).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ],
        asset.data,
    )
        .into_response())
}
