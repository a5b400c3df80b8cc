//! `GET /api/v1/forms` and `GET /api/v1/forms/{id}`: the school's opt-in forms.

use axum::extract::{Path, RawQuery};
use chrono::{DateTime, Utc};
use kernel::{AppError, web::Json};
use marketing::{FormId, model::Form};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::pages_api::{ListParams, list_params, window};
use crate::{
    auth::ApiCtx,
    problem::{ApiResult, ProblemBody},
};

/// An opt-in form.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiForm {
    /// The form's id.
    pub id: Uuid,
    /// Its name in the admin.
    #[schema(example = "Free watercolor guide")]
    pub name: String,
    /// The fields asked for, in order: `[{key, label, kind, required, options}]`.
    #[schema(value_type = Vec<Object>)]
    pub fields: serde_json::Value,
    /// The consent checkbox's text (none shown when empty).
    pub consent_text: String,
    /// Whether the box must be ticked.
    pub consent_required: bool,
    /// Whether a confirmation email must be clicked before the contact is subscribed.
    pub double_opt_in: bool,
    /// Tags put on whoever submits it.
    #[schema(example = json!(["Lead magnet"]))]
    pub tags: Vec<String>,
    /// What is delivered: `{kind: none|file|course|sequence, …}`.
    #[schema(value_type = Object)]
    pub lead_magnet: serde_json::Value,
    /// The built page visitors go to after submitting.
    pub thank_you_page_id: Option<Uuid>,
    /// Or this address.
    pub thank_you_url: Option<String>,
    /// The public key an embed on another site sends.
    pub embed_key: String,
    /// Whether it was put away.
    pub archived: bool,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl From<Form> for ApiForm {
    fn from(f: Form) -> Self {
        Self {
            id: f.id.0,
            name: f.name,
            fields: f.fields,
            consent_text: f.consent_text,
            consent_required: f.consent_required,
            double_opt_in: f.double_opt_in,
            tags: f.tags,
            lead_magnet: f.lead_magnet,
            thank_you_page_id: f.thank_you_page_id,
            thank_you_url: f.thank_you_url,
            embed_key: f.embed_key,
            archived: f.archived_at.is_some(),
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

/// A page of forms.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormList {
    /// The forms, in id order.
    pub data: Vec<ApiForm>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// List forms
///
/// The school's opt-in forms, archived ones included; follow `next_cursor` for every page.
#[utoipa::path(
    get,
    path = "/forms",
    operation_id = "listForms",
    tag = "Forms",
    params(ListParams),
    responses(
        (status = 200, description = "A page of forms.", body = FormList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<FormList>> {
    let (limit, after) = list_params(&ctx, query.as_deref())?;
    let mut tx = ctx.tx().await?;
    let forms = marketing::store::forms(&mut tx).await?;
    tx.commit().await?;
    let (forms, next_cursor) = window(forms, |f| f.id.0, after, limit);
    Ok(Json(FormList { data: forms.into_iter().map(ApiForm::from).collect(), next_cursor }))
}

/// Get a form
///
/// One opt-in form, by id.
#[utoipa::path(
    get,
    path = "/forms/{id}",
    operation_id = "getForm",
    tag = "Forms",
    params(("id" = uuid::Uuid, Path, description = "The form's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 200, description = "The form.", body = ApiForm),
        (status = 404, description = "No form in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiForm>> {
    let id: FormId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let form = marketing::store::form(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(Json(ApiForm::from(form)))
}
