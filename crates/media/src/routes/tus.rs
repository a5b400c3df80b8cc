//! The admin's tus endpoint: `/admin/media/uploads` (the library's uploader talks to it).

use axum::{
    body::Body,
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::AppResult;

use super::parse;
use crate::model::UploadId;

pub async fn options(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    Ok(crate::tus::options(&ctx.school.plan))
}

pub async fn create(ctx: Ctx, headers: HeaderMap) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMedia)?.id;
    let location = |id: UploadId| format!("/admin/media/uploads/{id}");
    Ok(crate::tus::create(
        &ctx.state,
        ctx.school.id,
        &ctx.school.plan,
        Some(user),
        ctx.shell.locale,
        &headers,
        location,
    )
    .await
    .into_response())
}

pub async fn head(
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    Ok(crate::tus::head(&ctx.state, ctx.school.id, parse(&id)?, &headers).await)
}

pub async fn patch(
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
    body: Body,
) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    Ok(crate::tus::patch(&ctx.state, ctx.school.id, parse(&id)?, ctx.shell.locale, &headers, body).await)
}

pub async fn delete(
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    ctx.require(Permission::ManageMedia)?;
    Ok(crate::tus::delete(&ctx.state, ctx.school.id, parse(&id)?, ctx.shell.locale, &headers).await)
}
