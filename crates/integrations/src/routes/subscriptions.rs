//! `GET /api/v1/subscriptions` and `GET /api/v1/subscriptions/{id}`: the school's
//! subscriptions and payment plans, newest first, with their next payment.

use axum::{
    extract::{Path, RawQuery},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use commerce::{
    SubscriptionId,
    sales_store::{self, SubscriptionFilter, SubscriptionRow},
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

/// The statuses a subscription can have.
const STATUSES: [&str; 6] = ["trialing", "active", "past_due", "paused", "canceled", "completed"];

/// Where a subscription stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(example = "active")]
pub enum SubscriptionStatus {
    /// In its free trial.
    Trialing,
    /// Paid up.
    Active,
    /// A renewal failed; payment is being retried and access kept for the grace period.
    PastDue,
    /// The grace period ended without payment: access is paused.
    Paused,
    /// Ended.
    Canceled,
    /// A payment plan with every payment made.
    Completed,
}

impl SubscriptionStatus {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "trialing" => Self::Trialing,
            "active" => Self::Active,
            "past_due" => Self::PastDue,
            "paused" => Self::Paused,
            "canceled" => Self::Canceled,
            "completed" => Self::Completed,
            _ => return None,
        })
    }
}

/// A subscription or payment plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSubscription {
    /// The subscription's id.
    #[schema(value_type = Uuid, example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")]
    pub id: SubscriptionId,
    /// The subscriber's user id.
    pub user_id: Uuid,
    /// Their address.
    #[schema(example = "ana@example.com")]
    pub email: String,
    /// Their name.
    pub name: String,
    /// Where it stands.
    pub status: SubscriptionStatus,
    /// The offer subscribed to.
    pub offer_id: Uuid,
    /// Its name.
    #[schema(example = "Monthly membership")]
    pub offer_name: String,
    /// `subscription`, or `plan` (a fixed number of payments).
    #[schema(example = "subscription")]
    pub kind: String,
    /// `month` or `year`.
    #[schema(example = "month")]
    pub interval: Option<String>,
    /// Payments of a plan.
    pub installments: Option<i32>,
    /// The order that started it.
    pub order_id: Uuid,
    /// ISO 4217.
    #[schema(example = "USD")]
    pub currency: String,
    /// Each payment, in minor units.
    #[schema(example = 2900)]
    pub amount: i64,
    /// The amount as a monthly figure (a yearly amount divided by twelve).
    #[schema(example = 2900)]
    pub monthly_amount: i64,
    /// Successful payments so far.
    pub payments_made: i32,
    /// Ends at the period's end instead of renewing.
    pub cancel_at_period_end: bool,
    /// The end of the period paid for.
    pub current_period_end: DateTime<Utc>,
    /// When the next charge is attempted; `null` when it will not renew.
    pub next_payment_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub canceled_at: Option<DateTime<Utc>>,
    /// When it started.
    pub created_at: DateTime<Utc>,
}

impl From<SubscriptionRow> for ApiSubscription {
    fn from(r: SubscriptionRow) -> Self {
        Self {
            id: r.id,
            user_id: r.user_id.0,
            email: r.email,
            name: r.name,
            status: SubscriptionStatus::parse(&r.status).unwrap_or(SubscriptionStatus::Active),
            offer_id: r.offer_id.0,
            offer_name: r.offer_name,
            kind: r.offer_kind,
            interval: r.interval,
            installments: r.installments,
            order_id: r.order_id.0,
            currency: r.currency,
            amount: r.amount,
            monthly_amount: r.monthly,
            payments_made: r.payments_made,
            cancel_at_period_end: r.cancel_at_period_end,
            current_period_end: r.current_period_end,
            next_payment_at: r.next_payment_at,
            canceled_at: r.canceled_at,
            created_at: r.created_at,
        }
    }
}

/// A page of subscriptions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionList {
    /// The subscriptions, newest first.
    pub data: Vec<ApiSubscription>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Filters and paging for subscriptions.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubscriptionListParams {
    /// How many subscriptions to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only subscriptions of the person with this address (any case).
    #[param(max_length = 254, example = "ana@example.com")]
    pub email: Option<String>,
    /// Only subscriptions in this status.
    #[param(value_type = Option<SubscriptionStatus>)]
    pub status: Option<String>,
}

/// List subscriptions
///
/// The school's subscriptions and payment plans, newest first, with their next payment.
/// Filter by the subscriber's address or by status; follow `next_cursor` for every page.
#[utoipa::path(
    get,
    path = "/subscriptions",
    operation_id = "listSubscriptions",
    tag = "Subscriptions",
    params(SubscriptionListParams),
    responses(
        (status = 200, description = "A page of subscriptions.", body = SubscriptionList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<SubscriptionList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(params) = serde_urlencoded::from_str::<SubscriptionListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let locale = ctx.shell.locale;
    let mut errors = FieldErrors::default();
    let limit = paging::limit(params.limit.as_deref(), locale, &mut errors);
    let after = paging::cursor(params.cursor.as_deref(), locale, &mut errors).map(SubscriptionId);
    let status = params.status.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_ascii_lowercase);
    if status.as_deref().is_some_and(|s| !STATUSES.contains(&s)) {
        errors.add("status", i18n::t_args(locale, "api-error-one-of", &[("values", STATUSES.join(", ").into())]));
    }
    let email = params.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_string);
    if email.as_ref().is_some_and(|e| e.chars().count() > 254) {
        errors.add("email", i18n::t(locale, "api-error-invalid-params"));
    }
    if !errors.is_empty() {
        return Err(invalid().errors(errors).into());
    }
    let filter = SubscriptionFilter { status: status.unwrap_or_default(), email, after, ..Default::default() };
    let mut tx = ctx.tx().await?;
    let (mut found, _) = sales_store::subscriptions(&mut tx, &filter, 0, limit + 1).await?;
    tx.commit().await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|s| encode_cursor(s.id.0));
    Ok(Json(SubscriptionList { data: found.into_iter().map(ApiSubscription::from).collect(), next_cursor }))
}

/// Get a subscription
///
/// One subscription or payment plan, by id.
#[utoipa::path(
    get,
    path = "/subscriptions/{id}",
    operation_id = "getSubscription",
    tag = "Subscriptions",
    params(("id" = uuid::Uuid, Path, description = "The subscription's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 200, description = "The subscription.", body = ApiSubscription),
        (status = 404, description = "No subscription in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiSubscription>> {
    let id: SubscriptionId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let row = sales_store::subscription_row(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(Json(ApiSubscription::from(row)))
}
