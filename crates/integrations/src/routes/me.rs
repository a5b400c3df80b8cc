//! `GET /api/v1/me`: which key is calling and for which school.

use kernel::web::Json;

use crate::{auth::ApiCtx, problem::ApiResult, schema::Me};

/// Who you are
///
/// The key that made the request and the school it belongs to: a quick way to check that a
/// key works.
#[utoipa::path(
    get,
    path = "/me",
    operation_id = "getMe",
    tag = "School",
    responses((status = 200, description = "The key and its school.", body = Me))
)]
pub async fn show(ctx: ApiCtx) -> ApiResult<Json<Me>> {
    Ok(Json(Me::new(&ctx.key, &ctx.school)))
}
