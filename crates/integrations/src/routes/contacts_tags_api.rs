//! `POST` and `DELETE /api/v1/contacts/{id}/tags`: putting tags on a contact and taking them off.

use axum::extract::Path;
use kernel::{AppError, web::Json};
use marketing::{ContactId, contacts};
use serde::Deserialize;
use utoipa::ToSchema;

use super::contacts_api::{ApiContact, check_common, found, unprocessable};
use crate::{
    auth::ApiCtx,
    body::ApiJson,
    problem::{ApiResult, ProblemBody},
};

/// Tags to put on or take off a contact. Fields not listed here are refused.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagList {
    /// Tag names (any case; up to 60 characters each).
    #[serde(default)]
    #[schema(required = true, example = json!(["Webinar 2026"]))]
    pub tags: Vec<String>,
}

async fn change_tags(ctx: ApiCtx, id: String, input: TagList, remove: bool) -> ApiResult<Json<ApiContact>> {
    let id: ContactId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    marketing::store::contact(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = kernel::web::FieldErrors::default();
    check_common(&ctx, &mut errors, None, None, None, Some(&input.tags));
    if input.tags.is_empty() {
        errors.add("tags", ctx.t("contacts-api-tags"));
    }
    if !errors.is_empty() {
        return Err(unprocessable(&ctx, errors));
    }
    if remove {
        contacts::untag(&mut tx, id, &input.tags).await?;
    } else {
        contacts::tag(&ctx.state, &mut tx, id, &input.tags).await?;
    }
    let out = found(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(out))
}

/// Tag a contact
///
/// Puts tags on a contact (made when new; `contact.tagged` for each). Needs a read and write key.
#[utoipa::path(
    post,
    path = "/contacts/{id}/tags",
    operation_id = "tagContact",
    tag = "Contacts",
    params(("id" = uuid::Uuid, Path, description = "The contact's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    request_body(content = TagList, content_type = "application/json"),
    responses(
        (status = 200, description = "The contact with their tags.", body = ApiContact),
        (status = 404, description = "No contact in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a JSON object, or `tags` is missing or not valid.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn add_tags(
    ctx: ApiCtx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TagList>,
) -> ApiResult<Json<ApiContact>> {
    change_tags(ctx, id, input, false).await
}

/// Untag a contact
///
/// Takes tags off a contact. Needs a read and write key.
#[utoipa::path(
    delete,
    path = "/contacts/{id}/tags",
    operation_id = "untagContact",
    tag = "Contacts",
    params(("id" = uuid::Uuid, Path, description = "The contact's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    request_body(content = TagList, content_type = "application/json"),
    responses(
        (status = 200, description = "The contact with their tags.", body = ApiContact),
        (status = 404, description = "No contact in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a JSON object, or `tags` is missing or not valid.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn remove_tags(
    ctx: ApiCtx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TagList>,
) -> ApiResult<Json<ApiContact>> {
    change_tags(ctx, id, input, true).await
}
