//! `GET /api/v1/commissions` and `GET /api/v1/payouts`: the affiliate program's commission
//! ledger (filtered by affiliate, state and date) and its payouts, newest first.

use axum::{extract::RawQuery, http::StatusCode};
use chrono::{DateTime, Utc};
use commerce::affiliates::{
    AffiliateId, CommissionId, PayoutBatchId, PayoutId,
    model::Commission,
    portal::listing::{self, COMMISSION_STATES, CommissionFilter, PayoutRow},
};
use kernel::{
    i18n::{self, Locale},
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

/// One row of the commission ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCommission {
    /// The commission's id.
    #[schema(value_type = Uuid)]
    pub id: CommissionId,
    /// Who earns it.
    #[schema(value_type = Uuid)]
    pub affiliate_id: AffiliateId,
    /// The order it comes from.
    pub order_id: Uuid,
    /// The payment it is for (sales and renewals).
    pub payment_id: Option<Uuid>,
    /// The refund it takes back (clawbacks).
    pub refund_id: Option<Uuid>,
    /// 1: the referring affiliate; 2: the affiliate who recruited them.
    pub level: i32,
    /// `sale`, `recurring` or `clawback`.
    #[schema(example = "sale")]
    pub kind: String,
    /// `pending` (held), `payable`, `in_payout`, `paid` or `cancelled`.
    #[schema(example = "payable")]
    pub state: String,
    /// ISO 4217.
    #[schema(example = "USD")]
    pub currency: String,
    /// The sale net of tax it was computed on, in minor units.
    pub basis: i64,
    /// The commission in minor units (negative for a clawback).
    #[schema(example = 2970)]
    pub amount: i64,
    /// How it was computed, in English ("30%", "$25.00", "tier rate 40%", "level 2 · 5%").
    #[schema(example = "30%")]
    pub rate_label: String,
    /// The same as a code: `rate BP`, `personal BP`, `tier BP`, `level2 BP` (basis points),
    /// `fixed CUR MINOR`, `tier-fixed CUR MINOR`, or `none CUR` (a fixed rule without an
    /// amount in the sale's currency).
    #[schema(example = "rate 3000")]
    pub rate: String,
    /// When it stops being held.
    pub payable_at: DateTime<Utc>,
    /// The payout that settles it.
    #[schema(value_type = Option<Uuid>)]
    pub payout_id: Option<PayoutId>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// When the payment or refund happened.
    pub occurred_at: DateTime<Utc>,
}

impl ApiCommission {
    fn new(c: Commission, now: DateTime<Utc>) -> Self {
        Self {
            state: c.state(now).to_string(),
            id: c.id,
            affiliate_id: c.affiliate_id,
            order_id: c.order_id,
            payment_id: c.payment_id,
            refund_id: c.refund_id,
            level: c.level,
            kind: c.kind,
            currency: c.currency,
            basis: c.basis,
            amount: c.amount,
            rate_label: commerce::affiliates::commissions::rate_text(&c.rate_label, kernel::i18n::Locale::En),
            rate: c.rate_label,
            payable_at: c.payable_at,
            payout_id: c.payout_id,
            cancel_reason: c.cancel_reason,
            occurred_at: c.occurred_at,
        }
    }
}

/// A page of commissions.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionList {
    /// The commissions, newest first.
    pub data: Vec<ApiCommission>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Filters and paging for commissions.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommissionListParams {
    /// How many commissions to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only this affiliate's commissions.
    #[param(value_type = Option<Uuid>, example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")]
    pub affiliate_id: Option<String>,
    /// Only commissions in this state: `pending`, `payable`, `in_payout`, `paid` or `cancelled`.
    #[param(example = "payable")]
    pub status: Option<String>,
    /// Only commissions that occurred at or after this time (RFC 3339).
    #[param(value_type = Option<DateTime<Utc>>, example = "2026-01-01T00:00:00Z")]
    pub since: Option<String>,
}

/// Checks `affiliate_id`: a uuid or nothing.
fn affiliate_param(raw: Option<&str>, locale: Locale, errors: &mut FieldErrors) -> Option<AffiliateId> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    let id = raw.parse::<AffiliateId>().ok();
    if id.is_none() {
        errors.add("affiliate_id", i18n::t(locale, "api-error-affiliate-id"));
    }
    id
}

/// List commissions
///
/// The affiliate program's commission ledger, newest first: one row per payment (and level)
/// and per refund of a paid commission. Filter by affiliate, state or date.
#[utoipa::path(
    get,
    path = "/commissions",
    operation_id = "listCommissions",
    tag = "Affiliates",
    params(CommissionListParams),
    responses(
        (status = 200, description = "A page of commissions.", body = CommissionList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn commissions(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<CommissionList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(params) = serde_urlencoded::from_str::<CommissionListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let locale = ctx.shell.locale;
    let mut errors = FieldErrors::default();
    let limit = paging::limit(params.limit.as_deref(), locale, &mut errors);
    let after = paging::cursor(params.cursor.as_deref(), locale, &mut errors);
    let affiliate = affiliate_param(params.affiliate_id.as_deref(), locale, &mut errors);
    let state = params.status.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_ascii_lowercase);
    if state.as_deref().is_some_and(|s| !COMMISSION_STATES.contains(&s)) {
        let values = COMMISSION_STATES.join(", ");
        errors.add("status", i18n::t_args(locale, "api-error-one-of", &[("values", values.into())]));
    }
    let since = params.since.as_deref().map(str::trim).filter(|s| !s.is_empty()).and_then(|s| {
        let parsed = DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc));
        if parsed.is_none() {
            errors.add("since", i18n::t(locale, "api-error-since"));
        }
        parsed
    });
    if !errors.is_empty() {
        return Err(invalid().errors(errors).into());
    }
    let now = ctx.state.clock.now();
    let filter = CommissionFilter { affiliate, state, since, after };
    let mut tx = ctx.tx().await?;
    let mut found = listing::commissions(&mut tx, &filter, limit + 1, now).await?;
    tx.commit().await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|c| encode_cursor(c.id.0));
    Ok(Json(CommissionList { data: found.into_iter().map(|c| ApiCommission::new(c, now)).collect(), next_cursor }))
}

/// A payout to an affiliate.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPayout {
    /// The payout's id.
    #[schema(value_type = Uuid)]
    pub id: PayoutId,
    /// The batch it belongs to.
    #[schema(value_type = Uuid)]
    pub batch_id: PayoutBatchId,
    /// Who is paid.
    #[schema(value_type = Uuid)]
    pub affiliate_id: AffiliateId,
    /// ISO 4217.
    #[schema(example = "USD")]
    pub currency: String,
    /// Minor units.
    #[schema(example = 12500)]
    pub amount: i64,
    /// `paypal`, `bank` or `stripe`.
    #[schema(example = "paypal")]
    pub method: String,
    /// `open` or `paid`.
    #[schema(example = "paid")]
    pub status: String,
    /// The statement number.
    pub number: Option<String>,
    /// The transfer's reference (Stripe Connect).
    pub transfer_ref: Option<String>,
    /// When it was paid.
    pub paid_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl From<PayoutRow> for ApiPayout {
    fn from(p: PayoutRow) -> Self {
        Self {
            id: p.id,
            batch_id: p.batch_id,
            affiliate_id: p.affiliate_id,
            currency: p.currency,
            amount: p.amount,
            method: p.method,
            status: p.status,
            number: p.number,
            transfer_ref: p.transfer_ref,
            paid_at: p.paid_at,
            created_at: p.created_at,
        }
    }
}

/// A page of payouts.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutList {
    /// The payouts, newest first.
    pub data: Vec<ApiPayout>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Filters and paging for payouts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayoutListParams {
    /// How many payouts to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only this affiliate's payouts.
    #[param(value_type = Option<Uuid>, example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")]
    pub affiliate_id: Option<String>,
    /// Only payouts in this status: `open` or `paid`.
    #[param(example = "paid")]
    pub status: Option<String>,
}

/// List payouts
///
/// Payouts to affiliates, newest first.
#[utoipa::path(
    get,
    path = "/payouts",
    operation_id = "listPayouts",
    tag = "Affiliates",
    params(PayoutListParams),
    responses(
        (status = 200, description = "A page of payouts.", body = PayoutList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn payouts(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<PayoutList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(params) = serde_urlencoded::from_str::<PayoutListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let locale = ctx.shell.locale;
    let mut errors = FieldErrors::default();
    let limit = paging::limit(params.limit.as_deref(), locale, &mut errors);
    let after = paging::cursor(params.cursor.as_deref(), locale, &mut errors);
    let affiliate = affiliate_param(params.affiliate_id.as_deref(), locale, &mut errors);
    let status = params.status.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_ascii_lowercase);
    if status.as_deref().is_some_and(|s| !["open", "paid"].contains(&s)) {
        errors.add("status", i18n::t_args(locale, "api-error-one-of", &[("values", "open, paid".into())]));
    }
    if !errors.is_empty() {
        return Err(invalid().errors(errors).into());
    }
    let mut tx = ctx.tx().await?;
    let mut found = listing::payouts(&mut tx, affiliate, status.as_deref(), after, limit + 1).await?;
    tx.commit().await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|p| encode_cursor(p.id.0));
    Ok(Json(PayoutList { data: found.into_iter().map(ApiPayout::from).collect(), next_cursor }))
}
