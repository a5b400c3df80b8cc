//! `GET /api/v1/pages` and `GET /api/v1/pages/{id}`: the school's built pages, and one page
//! with the sections visitors see.

use axum::{
    extract::{Path, RawQuery},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use kernel::{
    AppError,
    web::{FieldErrors, Json},
};
use marketing::{Page, PageId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    auth::ApiCtx,
    paging::{self, encode_cursor},
    problem::{ApiResult, ProblemBody},
};

/// A built page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPage {
    /// The page's id.
    pub id: Uuid,
    /// Its address on the school's site is `/p/{slug}`.
    #[schema(example = "watercolor-masterclass")]
    pub slug: String,
    /// Its name, and the default title of the published page.
    #[schema(example = "Watercolor masterclass")]
    pub title: String,
    /// Where visitors find it (`/` for the home page).
    #[schema(example = "/p/watercolor-masterclass")]
    pub path: String,
    /// The template it was started from.
    #[schema(example = "sales")]
    pub template: String,
    /// Whether it is the school's home page.
    pub is_home: bool,
    /// Whether visitors can see it.
    pub published: bool,
    /// The version visitors see.
    pub published_version: Option<i32>,
    /// When that version was published.
    pub published_at: Option<DateTime<Utc>>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When its draft or settings last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&Page> for ApiPage {
    fn from(p: &Page) -> Self {
        Self {
            id: p.id.0,
            slug: p.slug.clone(),
            title: p.title.clone(),
            path: p.path(),
            template: p.template.clone(),
            is_home: p.is_home,
            published: p.published_version.is_some() && p.archived_at.is_none(),
            published_version: p.published_version,
            published_at: p.published_at,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A page with what visitors see.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPageDetail {
    /// The page.
    #[serde(flatten)]
    pub page: ApiPage,
    /// The published version's sections and SEO (`{sections: [{id, kind, data}], seo: {…}}`);
    /// `null` while unpublished.
    #[schema(value_type = Option<Object>)]
    pub document: Option<serde_json::Value>,
}

/// A page of pages.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageList {
    /// The pages, in id order.
    pub data: Vec<ApiPage>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Paging for pages and forms.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// How many to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
}

/// The limit and cursor of a list request, or the problem to answer.
pub(crate) fn list_params(ctx: &ApiCtx, query: Option<&str>) -> ApiResult<(i64, Option<Uuid>)> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(params) = serde_urlencoded::from_str::<ListParams>(query.unwrap_or("")) else {
        return Err(invalid().into());
    };
    let mut errors = FieldErrors::default();
    let limit = paging::limit(params.limit.as_deref(), ctx.shell.locale, &mut errors);
    let after = paging::cursor(params.cursor.as_deref(), ctx.shell.locale, &mut errors);
    if !errors.is_empty() {
        return Err(invalid().errors(errors).into());
    }
    Ok((limit, after))
}

/// The items after `after` by id, at most `limit`, and the cursor of the next page.
pub(crate) fn window<T>(
    mut items: Vec<T>,
    id: impl Fn(&T) -> Uuid,
    after: Option<Uuid>,
    limit: i64,
) -> (Vec<T>, Option<String>) {
    items.sort_by_key(&id);
    items.retain(|i| after.is_none_or(|a| id(i) > a));
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next = items.last().filter(|_| more).map(|i| encode_cursor(id(i)));
    (items, next)
}

/// List pages
///
/// The school's built pages, published or not, in a stable order; follow `next_cursor` for
/// every page.
#[utoipa::path(
    get,
    path = "/pages",
    operation_id = "listPages",
    tag = "Pages",
    params(ListParams),
    responses(
        (status = 200, description = "A page of built pages.", body = PageList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<PageList>> {
    let (limit, after) = list_params(&ctx, query.as_deref())?;
    let mut tx = ctx.tx().await?;
    let pages = marketing::store::pages(&mut tx).await?;
    tx.commit().await?;
    let (pages, next_cursor) = window(pages, |p| p.id.0, after, limit);
    Ok(Json(PageList { data: pages.iter().map(ApiPage::from).collect(), next_cursor }))
}

/// Get a page
///
/// One built page, by id, with the sections of its published version.
#[utoipa::path(
    get,
    path = "/pages/{id}",
    operation_id = "getPage",
    tag = "Pages",
    params(("id" = uuid::Uuid, Path, description = "The page's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 200, description = "The page.", body = ApiPageDetail),
        (status = 404, description = "No page in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiPageDetail>> {
    let id: PageId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let page = marketing::store::page(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let version = match page.published_version {
        Some(n) => marketing::store::version(&mut tx, page.id, n).await?,
        None => None,
    };
    tx.commit().await?;
    let document = version.and_then(|v| serde_json::to_value(&v.document).ok());
    Ok(Json(ApiPageDetail { page: ApiPage::from(&page), document }))
}
