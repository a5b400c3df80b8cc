//! `GET /api/v1/affiliates` and `GET /api/v1/affiliates/{id}`: the school's affiliates with
//! their status, code, person and totals (clicks, sign-ups, sales, earnings per currency).

use axum::{
    extract::{Path, RawQuery},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use commerce::affiliates::{
    AffiliateId,
    portal::listing::{self, AffiliateRow},
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

const STATUSES: [&str; 4] = ["pending", "approved", "rejected", "suspended"];

/// What an affiliate has earned in one currency, in minor units.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiEarnings {
    /// ISO 4217.
    #[schema(example = "USD")]
    pub currency: String,
    /// Held until the holding period ends.
    pub pending: i64,
    /// Ready for the next payout (negative after a refund of a paid commission).
    pub payable: i64,
    /// In a payout not yet marked paid.
    pub in_payout: i64,
    /// Paid out.
    pub paid: i64,
}

/// A person in the school's affiliate program.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAffiliate {
    /// The affiliate's id.
    #[schema(value_type = Uuid, example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")]
    pub id: AffiliateId,
    /// Their user id.
    pub user_id: Uuid,
    /// Their address.
    #[schema(example = "ana@example.com")]
    pub email: String,
    /// Their name.
    pub name: String,
    /// The referral code of their links (`?ref=code`).
    #[schema(example = "ana")]
    pub code: String,
    /// `pending`, `approved`, `rejected` or `suspended`.
    #[schema(example = "approved")]
    pub status: String,
    /// A personal commission rate in basis points (3000 = 30 %), overriding the rules' percentages.
    pub personal_percent_bp: Option<i32>,
    /// `paypal` or `bank` once they gave payout details (the details themselves are never shown).
    pub payout_method: Option<String>,
    /// Clicks on their links.
    pub clicks: i64,
    /// People who signed up through them.
    pub signups: i64,
    /// Orders credited to them.
    pub sales: i64,
    /// Earnings per currency.
    pub earnings: Vec<ApiEarnings>,
    /// When they applied.
    pub created_at: DateTime<Utc>,
}

impl From<AffiliateRow> for ApiAffiliate {
    fn from(r: AffiliateRow) -> Self {
        Self {
            id: r.id,
            user_id: r.user_id,
            email: r.email,
            name: r.name,
            code: r.code,
            status: r.status,
            personal_percent_bp: r.personal_percent_bp,
            payout_method: r.payout_method,
            clicks: r.clicks,
            signups: r.signups,
            sales: r.sales,
            earnings: r
                .balances
                .into_iter()
                .map(|b| ApiEarnings {
                    currency: b.currency,
                    pending: b.pending,
                    payable: b.payable,
                    in_payout: b.in_payout,
                    paid: b.paid,
                })
                .collect(),
            created_at: r.created_at,
        }
    }
}

/// A page of affiliates.
#[derive(Debug, Serialize, ToSchema)]
pub struct AffiliateList {
    /// The affiliates, newest first.
    pub data: Vec<ApiAffiliate>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Filters and paging for affiliates.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AffiliateListParams {
    /// How many affiliates to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only affiliates in this status: `pending`, `approved`, `rejected` or `suspended`.
    #[param(example = "approved")]
    pub status: Option<String>,
}

/// List affiliates
///
/// The people in the school's affiliate program, newest first, with their totals.
#[utoipa::path(
    get,
    path = "/affiliates",
    operation_id = "listAffiliates",
    tag = "Affiliates",
    params(AffiliateListParams),
    responses(
        (status = 200, description = "A page of affiliates.", body = AffiliateList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<AffiliateList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(params) = serde_urlencoded::from_str::<AffiliateListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let locale = ctx.shell.locale;
    let mut errors = FieldErrors::default();
    let limit = paging::limit(params.limit.as_deref(), locale, &mut errors);
    let after = paging::cursor(params.cursor.as_deref(), locale, &mut errors);
    let status = params.status.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_ascii_lowercase);
    if status.as_deref().is_some_and(|s| !STATUSES.contains(&s)) {
        errors.add("status", i18n::t_args(locale, "api-error-one-of", &[("values", STATUSES.join(", ").into())]));
    }
    if !errors.is_empty() {
        return Err(invalid().errors(errors).into());
    }
    let now = ctx.state.clock.now();
    let mut tx = ctx.tx().await?;
    let mut found = listing::affiliates(&mut tx, status.as_deref(), after, limit + 1, now).await?;
    tx.commit().await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|a| encode_cursor(a.id.0));
    Ok(Json(AffiliateList { data: found.into_iter().map(ApiAffiliate::from).collect(), next_cursor }))
}

/// Get an affiliate
///
/// One affiliate, by id, with their totals.
#[utoipa::path(
    get,
    path = "/affiliates/{id}",
    operation_id = "getAffiliate",
    tag = "Affiliates",
    params(("id" = uuid::Uuid, Path, description = "The affiliate's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 200, description = "The affiliate.", body = ApiAffiliate),
        (status = 404, description = "No affiliate in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiAffiliate>> {
    let id: AffiliateId = id.parse().map_err(|_| AppError::NotFound)?;
    let now = ctx.state.clock.now();
    let mut tx = ctx.tx().await?;
    let row = listing::affiliate(&mut tx, id, now).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(Json(ApiAffiliate::from(row)))
}
