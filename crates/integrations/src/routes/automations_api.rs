//! `/api/v1/automations`: the school's email automations, and enrolling a contact in one.

use axum::{
    extract::{Path, RawQuery},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use kernel::{
    AppError,
    web::{FieldErrors, Json},
};
use marketing::email::automations::{self as auto, Automation, AutomationId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    contacts_api::unprocessable,
    pages_api::{ListParams, list_params, window},
};
use crate::{
    auth::ApiCtx,
    body::ApiJson,
    problem::{ApiResult, ProblemBody},
};

/// An automation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAutomation {
    /// Its id.
    pub id: Uuid,
    /// Its name in the admin.
    #[schema(example = "Welcome series")]
    pub name: String,
    /// `draft`, `active` or `paused` (only an active automation takes people in).
    #[schema(example = "active")]
    pub status: String,
    /// What starts it: `form_submitted`, `tag_added`, `purchase`, `checkout_abandoned`, `enrolled`,
    /// `lesson_completed`, `course_completed`, `quiz_failed`, `subscription_past_due`,
    /// `subscription_canceled`, `no_login`, `date_field` or `manual`.
    #[schema(example = "form_submitted")]
    pub trigger: String,
    /// How many steps it has, branches included.
    pub steps: usize,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl From<Automation> for ApiAutomation {
    fn from(a: Automation) -> Self {
        Self {
            id: a.id.0,
            trigger: a.trigger["kind"].as_str().unwrap_or("manual").to_string(),
            steps: auto::model::ids(&a.tree()).len(),
            name: a.name,
            status: a.status,
            updated_at: a.updated_at,
        }
    }
}

/// A page of automations.
#[derive(Debug, Serialize, ToSchema)]
pub struct AutomationList {
    /// The automations, in id order.
    pub data: Vec<ApiAutomation>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// List automations
///
/// The school's email automations, in a stable order; follow `next_cursor` for every page.
#[utoipa::path(
    get,
    path = "/automations",
    operation_id = "listAutomations",
    tag = "Automations",
    params(ListParams),
    responses(
        (status = 200, description = "A page of automations.", body = AutomationList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<AutomationList>> {
    let (limit, after) = list_params(&ctx, query.as_deref())?;
    let mut tx = ctx.tx().await?;
    let all = auto::store::list(&mut tx).await?;
    tx.commit().await?;
    let (all, next_cursor) = window(all, |a| a.id.0, after, limit);
    Ok(Json(AutomationList { data: all.into_iter().map(ApiAutomation::from).collect(), next_cursor }))
}

/// Who to enrol: a contact id or an address. Fields not listed here are refused.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnrollment {
    /// The contact's id.
    pub contact_id: Option<Uuid>,
    /// Or the contact's address.
    #[schema(example = "ana@example.com")]
    pub email: Option<String>,
}

/// A contact's run through an automation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiEnrollment {
    /// The run's id.
    pub id: Uuid,
    /// The automation.
    pub automation_id: Uuid,
    /// The contact.
    pub contact_id: Uuid,
}

/// Enrol a contact
///
/// Puts a contact into an active automation, from its first step (the contact's consent still
/// decides whether they are mailed). A contact already in it, or who went through it when it
/// does not allow re-entry, is not enrolled again: 409. Needs a read and write key.
#[utoipa::path(
    post,
    path = "/automations/{id}/enrollments",
    operation_id = "enrollInAutomation",
    tag = "Automations",
    params(("id" = uuid::Uuid, Path, description = "The automation's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    request_body(content = NewEnrollment, content_type = "application/json"),
    responses(
        (status = 201, description = "The contact entered the automation.", body = ApiEnrollment),
        (status = 404, description = "No automation in this school has that id, or no contact has that id or address.", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The automation is not active, or the contact may not enter it now.", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Neither `contact_id` nor `email` was given.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn enroll(
    ctx: ApiCtx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewEnrollment>,
) -> ApiResult<Response> {
    let id: AutomationId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let a = auto::store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let contact = match (input.contact_id, input.email.as_deref()) {
        (Some(c), _) => marketing::store::contact(&mut tx, marketing::ContactId(c)).await?,
        (None, Some(e)) => match marketing::contacts::normalise_email(e) {
            Some(e) => marketing::store::contact_by_email(&mut tx, &e).await?,
            None => None,
        },
        (None, None) => {
            let mut errors = FieldErrors::default();
            errors.add("contact_id", ctx.t("automations-api-who"));
            return Err(unprocessable(&ctx, errors));
        }
    };
    let contact = contact.ok_or(AppError::NotFound)?;
    if a.status != "active" {
        return Err(ctx.problem(StatusCode::CONFLICT).detail(ctx.t("automations-api-not-active")).into());
    }
    let key = format!("api:{}", Uuid::now_v7());
    let data = serde_json::json!({ "source": "api" });
    let run = auto::enrol(&ctx.state, &mut tx, &a, contact.id.0, &key, &data).await.map_err(AppError::Internal)?;
    let Some(run) = run else {
        return Err(ctx.problem(StatusCode::CONFLICT).detail(ctx.t("automations-api-not-again")).into());
    };
    tx.commit().await?;
    let body = ApiEnrollment { id: run.0, automation_id: a.id.0, contact_id: contact.id.0 };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}
