//! The catalog in the API: `GET /api/v1/products`, `/products/{id}`, `/offers`, `/offers/{id}`,
//! `/coupons`, `/coupons/{id}`, and `POST /api/v1/coupons`. Lists are newest first, a page at a
//! time. Amounts are integers in the currency's minor units (cents), as stored.

use axum::{
    extract::{Path, RawQuery},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use commerce::{
    catalog::{self, CouponInput},
    catalog_store as cs,
    model::{Coupon, CouponId, Offer, OfferId, Product, ProductId},
    store,
};
use kernel::{
    AppError,
    web::{FieldErrors, Json},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    auth::ApiCtx,
    body::ApiJson,
    paging::{self, encode_cursor},
    problem::{ApiResult, ProblemBody},
};

/// A product: what the school sells, and the courses it opens.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiProduct {
    /// The product's id.
    #[schema(value_type = uuid::Uuid, example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")]
    pub id: Uuid,
    /// Name shown to buyers.
    #[schema(example = "Watercolor Masterclass")]
    pub name: String,
    /// Short description shown on checkout.
    pub description: String,
    /// The courses a purchase opens, in order.
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub course_ids: Vec<Uuid>,
    /// Archived products are no longer sold.
    pub archived: bool,
    /// When it was archived.
    pub archived_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// An offer: one way to buy a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiOffer {
    /// The offer's id.
    #[schema(value_type = uuid::Uuid)]
    pub id: Uuid,
    /// The product it sells.
    #[schema(value_type = uuid::Uuid)]
    pub product_id: Uuid,
    /// Its address: the checkout is at `/checkout/{slug}`.
    #[schema(example = "pay-in-full")]
    pub slug: String,
    /// The full checkout address.
    #[schema(example = "https://acme.lyceum.example/checkout/pay-in-full")]
    pub checkout_url: String,
    /// Name shown to buyers.
    #[schema(example = "Pay in full")]
    pub name: String,
    /// `one_time`, `plan` (a fixed number of payments) or `subscription`.
    #[schema(example = "one_time")]
    pub kind: String,
    /// ISO 4217 currency.
    #[schema(example = "USD")]
    pub currency: String,
    /// Each payment, in minor units.
    #[schema(example = 19900)]
    pub amount: i64,
    /// `month` or `year` for plans and subscriptions.
    pub interval: Option<String>,
    /// Number of payments of a plan.
    pub installments: Option<i32>,
    /// Free days before a subscription's first payment.
    pub trial_days: i32,
    /// Charged with a subscription's first payment, in minor units.
    pub setup_fee: i64,
    /// Listed publicly; hidden offers sell through their link only.
    pub visible: bool,
    /// Sells at most this many orders.
    pub max_sales: Option<i32>,
    /// Orders placed so far (gifts from staff not counted).
    pub sales: i64,
    /// No sales after this moment.
    pub closes_at: Option<DateTime<Utc>>,
    /// The one-time offer proposed as a checkbox on this checkout.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub bump_offer_id: Option<Uuid>,
    /// The line beside the bump's checkbox.
    pub bump_headline: String,
    /// The offer proposed after payment.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub upsell_offer_id: Option<Uuid>,
    /// Archived offers are no longer sold.
    pub archived: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A coupon: a discount code.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCoupon {
    /// The coupon's id.
    #[schema(value_type = uuid::Uuid)]
    pub id: Uuid,
    /// The code, upper case (buyers may type it in any case).
    #[schema(example = "SPRING25")]
    pub code: String,
    /// A percentage off (1–100), or null when the coupon takes an amount off.
    pub percent_off: Option<i32>,
    /// An amount off in `currency` minor units, or null when it takes a percentage off.
    pub amount_off: Option<i64>,
    /// The currency of `amount_off`.
    pub currency: Option<String>,
    /// Payments of a plan or subscription it discounts: `once`, `forever` or `months`.
    #[schema(example = "once")]
    pub duration: String,
    /// Payments discounted when `duration` is `months`.
    pub duration_months: Option<i32>,
    /// The offers it applies to; null for every offer.
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub offer_ids: Option<Vec<Uuid>>,
    /// Not accepted after this moment.
    pub expires_at: Option<DateTime<Utc>>,
    /// Orders it may be used on in total.
    pub max_redemptions: Option<i32>,
    /// Orders one buyer (by email) may use it on.
    pub per_customer_limit: Option<i32>,
    /// Orders it was used on.
    pub uses: i64,
    /// Archived coupons are no longer accepted.
    pub archived: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A page of products.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductList {
    /// Newest first.
    pub data: Vec<ApiProduct>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

/// A page of offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferList {
    /// Newest first.
    pub data: Vec<ApiOffer>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

/// A page of coupons.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouponList {
    /// Newest first.
    pub data: Vec<ApiCoupon>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

/// Paging.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
}

/// Paging, and the product whose offers to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfferParams {
    /// How many items to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only the offers of this product.
    #[param(value_type = Option<uuid::Uuid>)]
    pub product_id: Option<String>,
}

/// A new coupon. Give `percent_off`, or `amount_off` with its `currency`. Fields not listed
/// here are refused.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCoupon {
    /// 3 to 40 letters, digits, `_` or `-`; stored upper case; unique in the school.
    #[serde(default)]
    #[schema(required = true, min_length = 3, max_length = 40, example = "SPRING25")]
    pub code: String,
    /// A whole percentage off, 1 to 100.
    #[schema(minimum = 1, maximum = 100, example = 25)]
    pub percent_off: Option<i64>,
    /// An amount off in minor units of `currency` (e.g. 2000 for $20.00).
    #[schema(minimum = 1)]
    pub amount_off: Option<i64>,
    /// ISO 4217 currency of `amount_off`.
    #[schema(example = "USD")]
    pub currency: Option<String>,
    /// `once` (default), `forever` or `months`.
    pub duration: Option<String>,
    /// With `months`: how many payments are discounted, 1 to 120.
    pub duration_months: Option<i64>,
    /// The offers it applies to; leave out for every offer.
    #[schema(value_type = Option<Vec<uuid::Uuid>>)]
    pub offer_ids: Option<Vec<String>>,
    /// Not accepted after this moment (RFC 3339).
    pub expires_at: Option<DateTime<Utc>>,
    /// Orders it may be used on in total.
    #[schema(minimum = 1)]
    pub max_redemptions: Option<i64>,
    /// Orders one buyer may use it on.
    #[schema(minimum = 1)]
    pub per_customer_limit: Option<i64>,
}

fn product(p: Product, links: &[(ProductId, courses::CourseId)]) -> ApiProduct {
    ApiProduct {
        id: p.id.0,
        course_ids: links.iter().filter(|(id, _)| *id == p.id).map(|(_, c)| c.0).collect(),
        name: p.name,
        description: p.description,
        archived: p.archived_at.is_some(),
        archived_at: p.archived_at,
        created_at: p.created_at,
    }
}

fn offer(ctx: &ApiCtx, o: Offer, sales: i64) -> ApiOffer {
    ApiOffer {
        id: o.id.0,
        product_id: o.product_id.0,
        checkout_url: format!("{}/checkout/{}", ctx.school.base_url, o.slug),
        slug: o.slug,
        name: o.name,
        kind: o.kind,
        currency: o.currency,
        amount: o.amount,
        interval: o.interval,
        installments: o.installments,
        trial_days: o.trial_days,
        setup_fee: o.setup_fee,
        visible: o.visible,
        max_sales: o.max_sales,
        sales,
        closes_at: o.closes_at,
        bump_offer_id: o.bump_offer_id.map(|id| id.0),
        bump_headline: o.bump_headline,
        upsell_offer_id: o.upsell_offer_id.map(|id| id.0),
        archived: o.archived_at.is_some(),
        created_at: o.created_at,
    }
}

fn coupon(c: Coupon, uses: i64) -> ApiCoupon {
    ApiCoupon {
        id: c.id.0,
        code: c.code,
        percent_off: c.percent_off,
        amount_off: c.amount_off,
        currency: c.currency,
        duration: c.duration,
        duration_months: c.duration_months,
        offer_ids: c.offer_ids,
        expires_at: c.expires_at,
        max_redemptions: c.max_redemptions,
        per_customer_limit: c.per_customer_limit,
        uses,
        archived: c.archived_at.is_some(),
        created_at: c.created_at,
    }
}

/// Limit and cursor from the query string, or a 400 naming the bad field.
fn page(
    ctx: &ApiCtx,
    limit: Option<&str>,
    cursor: Option<&str>,
    mut errors: FieldErrors,
) -> ApiResult<(i64, Option<Uuid>)> {
    let limit = paging::limit(limit, ctx.shell.locale, &mut errors);
    let before = paging::cursor(cursor, ctx.shell.locale, &mut errors);
    if errors.is_empty() {
        Ok((limit, before))
    } else {
        Err(ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params")).errors(errors).into())
    }
}

fn query<T: for<'de> Deserialize<'de>>(ctx: &ApiCtx, raw: Option<&str>) -> ApiResult<T> {
    serde_urlencoded::from_str::<T>(raw.unwrap_or(""))
        .map_err(|_| ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params")).into())
}

/// List products
///
/// What the school sells, newest first, each with the courses it opens; archived products
/// included (see `archived`). Follow `next_cursor` for the next page.
#[utoipa::path(
    get,
    path = "/products",
    operation_id = "listProducts",
    tag = "Products",
    params(PageParams),
    responses(
        (status = 200, description = "A page of products.", body = ProductList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list_products(ctx: ApiCtx, RawQuery(raw): RawQuery) -> ApiResult<Json<ProductList>> {
    let params: PageParams = query(&ctx, raw.as_deref())?;
    let (limit, before) = page(&ctx, params.limit.as_deref(), params.cursor.as_deref(), FieldErrors::default())?;
    let mut tx = ctx.tx().await?;
    let mut found = cs::products_page(&mut tx, before, limit + 1).await?;
    let links = cs::product_courses(&mut tx).await?;
    tx.commit().await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|p| encode_cursor(p.id.0));
    Ok(Json(ProductList { data: found.into_iter().map(|p| product(p, &links)).collect(), next_cursor }))
}

/// Get a product
///
/// One product, by id, with the courses it opens in order.
#[utoipa::path(
    get,
    path = "/products/{id}",
    operation_id = "getProduct",
    tag = "Products",
    params(("id" = uuid::Uuid, Path, description = "The product's id.")),
    responses(
        (status = 200, description = "The product.", body = ApiProduct),
        (status = 404, description = "No product in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show_product(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiProduct>> {
    let id: ProductId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let found = store::product(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let links = cs::product_courses(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(product(found, &links)))
}

/// List offers
///
/// The ways the school's products are sold, newest first, with their checkout addresses and
/// sales so far; archived offers included. Filter by `product_id`.
#[utoipa::path(
    get,
    path = "/offers",
    operation_id = "listOffers",
    tag = "Products",
    params(OfferParams),
    responses(
        (status = 200, description = "A page of offers.", body = OfferList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list_offers(ctx: ApiCtx, RawQuery(raw): RawQuery) -> ApiResult<Json<OfferList>> {
    let params: OfferParams = query(&ctx, raw.as_deref())?;
    let mut errors = FieldErrors::default();
    let product = match params.product_id.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(raw) => {
            let id = raw.parse::<ProductId>().ok();
            if id.is_none() {
                errors.add("product_id", ctx.t("api-error-invalid-params"));
            }
            id
        }
    };
    let (limit, before) = page(&ctx, params.limit.as_deref(), params.cursor.as_deref(), errors)?;
    let mut tx = ctx.tx().await?;
    let mut found = cs::offers_page(&mut tx, product, before, limit + 1).await?;
    let sales = cs::offer_sales(&mut tx).await?;
    tx.commit().await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|o| encode_cursor(o.id.0));
    let data = found
        .into_iter()
        .map(|o| {
            let n = sales.get(&o.id).copied().unwrap_or(0);
            offer(&ctx, o, n)
        })
        .collect();
    Ok(Json(OfferList { data, next_cursor }))
}

/// Get an offer
///
/// One offer, by id: its price, kind, limits, bump and upsell, and its checkout address.
#[utoipa::path(
    get,
    path = "/offers/{id}",
    operation_id = "getOffer",
    tag = "Products",
    params(("id" = uuid::Uuid, Path, description = "The offer's id.")),
    responses(
        (status = 200, description = "The offer.", body = ApiOffer),
        (status = 404, description = "No offer in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show_offer(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiOffer>> {
    let id: OfferId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let found = store::offer(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let sales = store::offer_sales(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(offer(&ctx, found, sales)))
}

/// List coupons
///
/// The school's discount codes, newest first, with how many orders used each; archived ones
/// included.
#[utoipa::path(
    get,
    path = "/coupons",
    operation_id = "listCoupons",
    tag = "Coupons",
    params(PageParams),
    responses(
        (status = 200, description = "A page of coupons.", body = CouponList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list_coupons(ctx: ApiCtx, RawQuery(raw): RawQuery) -> ApiResult<Json<CouponList>> {
    let params: PageParams = query(&ctx, raw.as_deref())?;
    let (limit, before) = page(&ctx, params.limit.as_deref(), params.cursor.as_deref(), FieldErrors::default())?;
    let mut tx = ctx.tx().await?;
    let mut found = cs::coupons_page(&mut tx, before, limit + 1).await?;
    let uses = cs::coupon_uses(&mut tx).await?;
    tx.commit().await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|c| encode_cursor(c.id.0));
    let data = found
        .into_iter()
        .map(|c| {
            let n = uses.get(&c.id).copied().unwrap_or(0);
            coupon(c, n)
        })
        .collect();
    Ok(Json(CouponList { data, next_cursor }))
}

/// Get a coupon
///
/// One coupon, by id, with its uses.
#[utoipa::path(
    get,
    path = "/coupons/{id}",
    operation_id = "getCoupon",
    tag = "Coupons",
    params(("id" = uuid::Uuid, Path, description = "The coupon's id.")),
    responses(
        (status = 200, description = "The coupon.", body = ApiCoupon),
        (status = 404, description = "No coupon in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show_coupon(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiCoupon>> {
    let id: CouponId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let found = store::coupon(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let uses = cs::coupon_uses(&mut tx).await?.get(&id).copied().unwrap_or(0);
    tx.commit().await?;
    Ok(Json(coupon(found, uses)))
}

/// Create a coupon
///
/// Adds a discount code, checked as the admin page checks it. Needs a read and write key.
#[utoipa::path(
    post,
    path = "/coupons",
    operation_id = "createCoupon",
    tag = "Coupons",
    request_body(content = NewCoupon, content_type = "application/json"),
    responses(
        (status = 201, description = "The coupon was created.", body = ApiCoupon,
            headers(("Location" = String, description = "The new coupon's URL in this API."))),
        (status = 409, description = "Another coupon already uses this code.", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a JSON object, or a field is missing, unknown or not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn create_coupon(ctx: ApiCtx, ApiJson(body): ApiJson<NewCoupon>) -> ApiResult<Response> {
    if ctx.school.suspended() {
        return Err(AppError::Suspended.into());
    }
    let currency = body.currency.clone().unwrap_or_default().trim().to_ascii_uppercase();
    let discount = match (body.percent_off, body.amount_off) {
        (Some(_), None) => "percent",
        (None, Some(_)) => "amount",
        _ => "",
    };
    let input = CouponInput {
        code: body.code.clone(),
        discount: discount.into(),
        percent_off: body.percent_off.map(|p| p.to_string()).unwrap_or_default(),
        amount_off: match body.amount_off {
            Some(a) if a > 0 => catalog::amount_input(a, &currency),
            Some(_) => "0".into(),
            None => String::new(),
        },
        currency,
        duration: body.duration.clone().unwrap_or_default(),
        duration_months: body.duration_months.map(|n| n.to_string()).unwrap_or_default(),
        offers: body.offer_ids.clone(),
        expires_at: body.expires_at,
        max_redemptions: body.max_redemptions.map(|n| n.to_string()).unwrap_or_default(),
        per_customer_limit: body.per_customer_limit.map(|n| n.to_string()).unwrap_or_default(),
    };
    let mut tx = ctx.tx().await?;
    if store::coupon_by_code(&mut tx, &input.code).await?.is_some() {
        let mut errors = FieldErrors::default();
        errors.add("code", ctx.t("catalog-error-code-taken"));
        let problem = ctx.problem(StatusCode::CONFLICT).detail(ctx.t("catalog-error-code-taken"));
        return Err(problem.errors(errors).into());
    }
    let draft = match catalog::coupon_draft(&mut tx, &input, None, ctx.shell.locale, FieldErrors::default())
        .await
        .map_err(AppError::from)?
    {
        Ok(d) => d,
        Err(mut errors) => {
            // The form's radio buttons are the API's two fields.
            if let Some(message) = errors.0.remove("discount") {
                errors.add("percent_off", message);
            }
            if let Some(message) = errors.0.remove("offer") {
                errors.add("offer_ids", message);
            }
            let problem = ctx.problem(StatusCode::UNPROCESSABLE_ENTITY).detail(ctx.t("api-error-invalid-fields"));
            return Err(problem.errors(errors).into());
        }
    };
    let id = match cs::insert_coupon(&mut tx, &draft).await {
        Ok(id) => id,
        Err(e) if cs::is_duplicate(&e, "coupons_code") => {
            let problem = ctx.problem(StatusCode::CONFLICT).detail(ctx.t("catalog-error-code-taken"));
            return Err(problem.into());
        }
        Err(e) => return Err(AppError::from(e).into()),
    };
    let payload = serde_json::json!({ "coupon_id": id, "code": draft.code });
    ctx.state.events.publish(&mut tx, "coupon.created", payload).await?;
    let created = store::coupon(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let location = format!("/api/v1/coupons/{id}");
    let mut res = (StatusCode::CREATED, Json(coupon(created, 0))).into_response();
    res.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&location).expect("a path is a header value"));
    Ok(res)
}
