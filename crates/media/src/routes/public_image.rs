//! `GET /media/i/{id}/{version}/{width}.{ext}`: a library image for public pages (see
//! [`crate::public_image`]); 404 for anything else, including another school's items.

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};

use super::parse;
use crate::{
    model::{MediaId, UploadId},
    public_image,
};

pub async fn show(ctx: Ctx, Path((id, version, file)): Path<(String, String, String)>) -> AppResult<Response> {
    let id: MediaId = parse(&id)?;
    let version: UploadId = parse(&version)?;
    let (width, ext) = file.split_once('.').ok_or(AppError::NotFound)?;
    let width: u32 = parse(width)?;
    let found = {
        let mut tx = ctx.tx().await?;
        let found = public_image::resized(&ctx.state, &mut tx, id, version, width, ext).await?;
        tx.commit().await?;
        found
    };
    let (bytes, content_type) = found.ok_or(AppError::NotFound)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    Ok(res)
}
