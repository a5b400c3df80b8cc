//! `GET /api/v1/openapi.json` (the document) and `GET /api/docs` (the reference page rendered
//! from it).

use axum::{
    http::{HeaderValue, header},
    response::{Html, IntoResponse, Response},
};
use identity::Ctx;
use kernel::AppResult;
use minijinja::{context, value::Serde};

use crate::{openapi, ordered::Json, problem::ProblemBody, reference};

/// The OpenAPI document
///
/// This API described in OpenAPI 3.1, with this school's address as the server. No key is
/// needed to read it.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "getOpenApiDocument",
    tag = "Reference",
    security(()),
    responses(
        (status = 200, description = "The OpenAPI 3.1 document.", body = serde_json::Value),
        (status = 404, description = "The address is not a school's.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn openapi_json(ctx: Ctx) -> AppResult<Response> {
    let body = serde_json::to_string_pretty(&openapi::document(&ctx.school))
        .map_err(|e| anyhow::anyhow!("serialising the OpenAPI document: {e}"))?;
    let mut res = ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response();
    res.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    Ok(res)
}

/// The API reference page.
pub async fn reference(ctx: Ctx) -> AppResult<Html<String>> {
    let doc = Json::from_serialize(&openapi::document(&ctx.school))
        .map_err(|e| anyhow::anyhow!("serialising the OpenAPI document: {e}"))?;
    let api = reference::build(&doc);
    ctx.render("integrations/docs.html", context! { api => Serde(api) })
}
