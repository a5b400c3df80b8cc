//! `GET /api/v1/orders` and `GET /api/v1/orders/{id}`: the school's orders, newest first, with
//! their state derived from what was paid and refunded; one order with its lines, payments and
//! refunds.

use axum::{
    extract::{Path, RawQuery},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use commerce::{
    OrderId,
    sales_store::{self, OrderFilter, OrderRow},
};
use kernel::{
    AppError, i18n,
    web::{FieldErrors, Json},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    auth::ApiCtx,
    paging::{self, encode_cursor},
    problem::{ApiResult, ProblemBody},
};

/// Where an order stands, derived from its payments and refunds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "paid")]
pub enum OrderStatus {
    /// Paid, nothing given back.
    Paid,
    /// Part of the money given back.
    PartlyRefunded,
    /// All of it given back.
    Refunded,
    /// Nothing charged: given by staff, or free.
    Free,
}

impl OrderStatus {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "paid" => Some(Self::Paid),
            "partly_refunded" => Some(Self::PartlyRefunded),
            "refunded" => Some(Self::Refunded),
            "free" => Some(Self::Free),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Paid => "paid",
            Self::PartlyRefunded => "partly_refunded",
            Self::Refunded => "refunded",
            Self::Free => "free",
        }
    }
}

/// An order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiOrder {
    /// The order's id.
    #[schema(value_type = Uuid, example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")]
    pub id: OrderId,
    /// The buyer's user id.
    #[schema(value_type = Uuid, example = "0192f7c5-0000-7c3d-8e4f-5a6b7c8d9e0f")]
    pub user_id: Uuid,
    /// The buyer's address when they bought.
    #[schema(example = "ana@example.com")]
    pub email: String,
    /// The buyer's name when they bought.
    #[schema(example = "Ana García")]
    pub name: String,
    /// Where the order stands.
    pub status: OrderStatus,
    /// `checkout`, `upsell`, or `comp` (given by staff).
    #[schema(example = "checkout")]
    pub source: String,
    /// The main offer bought.
    #[schema(value_type = Uuid)]
    pub offer_id: Uuid,
    /// Its name.
    #[schema(example = "Pay in full")]
    pub offer_name: String,
    /// Its product's name.
    #[schema(example = "Watercolor for beginners")]
    pub product_name: String,
    /// ISO 4217 currency of every amount.
    #[schema(example = "USD")]
    pub currency: String,
    /// What the checkout charged, in minor units (cents).
    #[schema(example = 19900)]
    pub total: i64,
    /// Every successful payment of the order so far (renewals included), in minor units.
    #[schema(example = 19900)]
    pub paid: i64,
    /// Every refund and chargeback, in minor units.
    #[schema(example = 0)]
    pub refunded: i64,
    /// When it was placed.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

impl From<OrderRow> for ApiOrder {
    fn from(r: OrderRow) -> Self {
        Self {
            id: r.id,
            user_id: r.user_id.0,
            email: r.email,
            name: r.name,
            status: OrderStatus::parse(&r.state).unwrap_or(OrderStatus::Paid),
            source: r.source,
            offer_id: r.offer_id.0,
            offer_name: r.offer_name,
            product_name: r.product_name,
            currency: r.currency,
            total: r.total,
            paid: r.paid,
            refunded: r.refunded,
            created_at: r.created_at,
        }
    }
}

/// A line of an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiOrderItem {
    /// The product.
    #[schema(value_type = Uuid)]
    pub product_id: Uuid,
    /// Its name.
    pub product_name: String,
    /// The offer it was bought through.
    #[schema(value_type = Uuid)]
    pub offer_id: Uuid,
    /// `main`, or `bump` (the extra ticked at checkout).
    #[schema(example = "main")]
    pub kind: String,
    /// Its first payment, in minor units.
    #[schema(example = 19900)]
    pub amount: i64,
}

/// A payment of an order (its first, or a renewal).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPayment {
    /// The payment's id.
    pub id: Uuid,
    /// `succeeded` or `failed`.
    #[schema(example = "succeeded")]
    pub status: String,
    /// Amount in minor units.
    #[schema(example = 19900)]
    pub amount: i64,
    /// Tax within it.
    #[schema(example = 0)]
    pub tax: i64,
    /// Refunded from it so far.
    #[schema(example = 0)]
    pub refunded: i64,
    /// Why it failed (`card_declined`, `insufficient_funds` …).
    pub failure_code: Option<String>,
    /// Its receipt's number.
    #[schema(example = "R-000001")]
    pub receipt_number: Option<String>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// Money given back, or taken back by a chargeback.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiRefund {
    /// The refund's id.
    pub id: Uuid,
    /// The payment refunded.
    pub payment_id: Uuid,
    /// `refund`, or `dispute` (a chargeback).
    #[schema(example = "refund")]
    pub kind: String,
    /// Amount in minor units.
    #[schema(example = 5000)]
    pub amount: i64,
    /// Why, as staff wrote it.
    pub reason: String,
    /// Its credit note's number.
    #[schema(example = "CN-000001")]
    pub credit_note_number: Option<String>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// An order with its lines, payments and refunds.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiOrderDetail {
    /// The order.
    #[serde(flatten)]
    pub order: ApiOrder,
    /// The coupon code used.
    #[schema(example = "LAUNCH20")]
    pub coupon: Option<String>,
    /// Before discount, in minor units.
    pub subtotal: i64,
    /// The discount.
    pub discount: i64,
    /// The tax in the first payment.
    pub tax: i64,
    /// What was bought.
    pub items: Vec<ApiOrderItem>,
    /// Payments, oldest first.
    pub payments: Vec<ApiPayment>,
    /// Refunds and chargebacks, oldest first.
    pub refunds: Vec<ApiRefund>,
    /// The subscription or payment plan the order started, if any.
    pub subscription_id: Option<Uuid>,
}

/// A page of orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderList {
    /// The orders, newest first.
    pub data: Vec<ApiOrder>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Filters and paging for orders.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListParams {
    /// How many orders to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only orders placed with this address (any case).
    #[param(max_length = 254, example = "ana@example.com")]
    pub email: Option<String>,
    /// Only orders in this state.
    #[param(value_type = Option<OrderStatus>)]
    pub status: Option<String>,
}

/// List orders
///
/// The school's orders, newest first, with their state derived from what was paid and
/// refunded. Filter by the buyer's address or by state; follow `next_cursor` for every page.
#[utoipa::path(
    get,
    path = "/orders",
    operation_id = "listOrders",
    tag = "Orders",
    params(OrderListParams),
    responses(
        (status = 200, description = "A page of orders.", body = OrderList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<OrderList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(params) = serde_urlencoded::from_str::<OrderListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let locale = ctx.shell.locale;
    let mut errors = FieldErrors::default();
    let limit = paging::limit(params.limit.as_deref(), locale, &mut errors);
    let after = paging::cursor(params.cursor.as_deref(), locale, &mut errors).map(OrderId);
    let status = match params.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let status = OrderStatus::parse(&s.to_ascii_lowercase());
            if status.is_none() {
                let values = "paid, partly_refunded, refunded, free";
                errors.add("status", i18n::t_args(locale, "api-error-one-of", &[("values", values.into())]));
            }
            status
        }
    };
    let email = params.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_string);
    if email.as_ref().is_some_and(|e| e.chars().count() > 254) {
        errors.add("email", i18n::t(locale, "api-error-invalid-params"));
    }
    if !errors.is_empty() {
        return Err(invalid().errors(errors).into());
    }
    let filter = OrderFilter {
        state: status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        email,
        after,
        ..Default::default()
    };
    let mut tx = ctx.tx().await?;
    let (mut found, _) = sales_store::orders(&mut tx, &filter, 0, limit + 1).await?;
    tx.commit().await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|o| encode_cursor(o.id.0));
    Ok(Json(OrderList { data: found.into_iter().map(ApiOrder::from).collect(), next_cursor }))
}

/// Get an order
///
/// One order, by id, with what was bought, its payments and its refunds.
#[utoipa::path(
    get,
    path = "/orders/{id}",
    operation_id = "getOrder",
    tag = "Orders",
    params(("id" = uuid::Uuid, Path, description = "The order's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 200, description = "The order.", body = ApiOrderDetail),
        (status = 404, description = "No order in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiOrderDetail>> {
    let id: OrderId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let order = commerce::store::order(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let row = sales_store::order_row(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let items = sales_store::items(&mut tx, id).await?;
    let payments = sales_store::payments(&mut tx, id).await?;
    let refunds = sales_store::refunds(&mut tx, id).await?;
    let subscription = commerce::store::subscription_of_order(&mut tx, id).await?;
    let coupon = match order.coupon_id {
        Some(c) => sales_store::coupon_code(&mut tx, c.0).await?,
        None => None,
    };
    tx.commit().await?;
    Ok(Json(ApiOrderDetail {
        order: ApiOrder::from(row),
        coupon,
        subtotal: order.subtotal,
        discount: order.discount,
        tax: order.tax,
        items: items
            .into_iter()
            .map(|i| ApiOrderItem {
                product_id: i.product_id.0,
                product_name: i.product_name,
                offer_id: i.offer_id.0,
                kind: i.kind,
                amount: i.amount,
            })
            .collect(),
        payments: payments
            .into_iter()
            .map(|p| ApiPayment {
                id: p.id,
                status: p.status,
                amount: p.amount,
                tax: p.tax,
                refunded: p.refunded,
                failure_code: p.failure_code,
                receipt_number: p.receipt_number,
                occurred_at: p.occurred_at,
            })
            .collect(),
        refunds: refunds
            .into_iter()
            .map(|r| ApiRefund {
                id: r.id,
                payment_id: r.payment_id,
                kind: r.kind,
                amount: r.amount,
                reason: r.reason,
                credit_note_number: r.credit_note_number,
                occurred_at: r.occurred_at,
            })
            .collect(),
        subscription_id: subscription.map(|s| s.id.0),
    }))
}
