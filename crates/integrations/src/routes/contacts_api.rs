//! `/api/v1/contacts`: the school's leads and customers — list (filtered, cursor-paged),
//! create or update by address, get, change and erase (tags: [`super::contacts_tags_api`]).

use axum::{
    extract::{Path, RawQuery},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use kernel::{
    AppError, i18n,
    web::{FieldErrors, Json},
};
use marketing::{
    ContactId,
    contacts::{self, ContactError, Incoming},
    contacts_store::{self as cs, Filter, Row},
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    auth::ApiCtx,
    body::ApiJson,
    paging::{self, encode_cursor},
    problem::{ApiResult, ProblemBody},
};

/// A contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiContact {
    /// The contact's id.
    pub id: Uuid,
    /// Their address, lower case.
    #[schema(example = "ana@example.com")]
    pub email: String,
    /// First name (may be empty).
    #[schema(example = "Ana")]
    pub first_name: String,
    /// Last name (may be empty).
    #[schema(example = "García")]
    pub last_name: String,
    /// `subscribed`, `pending` (waiting for a double opt-in), `unsubscribed` or `suppressed`
    /// (mail stopped after a bounce or complaint).
    #[schema(example = "subscribed")]
    pub status: String,
    /// Whether they bought something.
    pub customer: bool,
    /// Their tags.
    #[schema(example = json!(["Customer", "Webinar 2026"]))]
    pub tags: Vec<String>,
    /// Custom fields from forms, imports and this API.
    #[schema(value_type = Object, example = json!({"company": "Acme"}))]
    pub fields: Value,
    /// How they arrived: `{kind: form|import|purchase|signup|api|staff, form_id?, utm_*…}`.
    #[schema(value_type = Object)]
    pub source: Value,
    /// What they agreed to, when and where (`{text, at, form_id, ip}`), if recorded.
    #[schema(value_type = Option<Object>)]
    pub consent: Option<Value>,
    /// Their account at the school, when they have one.
    pub user_id: Option<Uuid>,
    /// When they arrived.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl From<Row> for ApiContact {
    fn from(r: Row) -> Self {
        let c = r.contact;
        let status = if c.suppressed_at.is_some() { "suppressed".to_string() } else { c.status };
        Self {
            id: c.id.0,
            email: c.email,
            first_name: c.first_name,
            last_name: c.last_name,
            status,
            customer: c.is_customer,
            tags: r.tags,
            fields: c.fields,
            source: c.source,
            consent: c.consent,
            user_id: c.user_id,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A page of contacts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    /// The contacts, in id order.
    pub data: Vec<ApiContact>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Filters and paging for contacts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactListParams {
    /// How many contacts to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Part of the address or the name.
    #[param(max_length = 200, example = "ana")]
    pub q: Option<String>,
    /// Only contacts with this tag (any case).
    #[param(max_length = 60, example = "Customer")]
    pub tag: Option<String>,
    /// Only contacts with this status: `subscribed`, `pending`, `unsubscribed` or `suppressed`.
    #[param(example = "subscribed")]
    pub status: Option<String>,
    /// `customer` or `lead`.
    #[param(example = "customer")]
    pub kind: Option<String>,
}

fn one_of(ctx: &ApiCtx, errors: &mut FieldErrors, field: &str, value: &str, allowed: &[&str]) {
    if !value.is_empty() && !allowed.contains(&value) {
        let args = [("values", allowed.join(", ").into())];
        errors.add(field, i18n::t_args(ctx.shell.locale, "api-error-one-of", &args));
    }
}

/// List contacts
///
/// The school's leads and customers, filtered by search text, tag, status or kind; follow
/// `next_cursor` for every page.
#[utoipa::path(
    get,
    path = "/contacts",
    operation_id = "listContacts",
    tag = "Contacts",
    params(ContactListParams),
    responses(
        (status = 200, description = "A page of contacts.", body = ContactList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<ContactList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(p) = serde_urlencoded::from_str::<ContactListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let locale = ctx.shell.locale;
    let mut errors = FieldErrors::default();
    let limit = paging::limit(p.limit.as_deref(), locale, &mut errors);
    let after = paging::cursor(p.cursor.as_deref(), locale, &mut errors);
    let q = paging::search(p.q.as_deref(), locale, &mut errors).unwrap_or_default();
    let tag = p.tag.unwrap_or_default().trim().to_string();
    if tag.chars().count() > 60 {
        errors.add("tag", ctx.t("api-error-invalid-params"));
    }
    let status = p.status.unwrap_or_default().trim().to_string();
    one_of(&ctx, &mut errors, "status", &status, cs::STATUSES);
    let kind = p.kind.unwrap_or_default().trim().to_string();
    one_of(&ctx, &mut errors, "kind", &kind, &["customer", "lead"]);
    if !errors.is_empty() {
        return Err(invalid().errors(errors).into());
    }
    let filter = Filter { q, tag, status, kind, ..Default::default() };
    let mut tx = ctx.tx().await?;
    let mut rows = cs::list_after(&mut tx, &filter, after, limit + 1).await?;
    tx.commit().await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = rows.last().filter(|_| more).map(|r| encode_cursor(r.contact.id.0));
    Ok(Json(ContactList { data: rows.into_iter().map(ApiContact::from).collect(), next_cursor }))
}

/// A contact to create, or to update when the address is already a contact. Fields not listed
/// here are refused.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    /// Their address.
    #[serde(default)]
    #[schema(required = true, max_length = 254, example = "ana@example.com")]
    pub email: String,
    /// First name.
    #[schema(max_length = 100, example = "Ana")]
    pub first_name: Option<String>,
    /// Last name.
    #[schema(max_length = 100, example = "García")]
    pub last_name: Option<String>,
    /// Custom fields (text values), merged over what is stored.
    #[schema(value_type = Option<Object>, example = json!({"company": "Acme"}))]
    pub fields: Option<Map<String, Value>>,
    /// Tags to put on them.
    #[schema(example = json!(["Webinar 2026"]))]
    pub tags: Option<Vec<String>>,
    /// `subscribed` when they agreed to marketing email (the default for a new contact),
    /// `unsubscribed` when they did not.
    #[schema(example = "subscribed")]
    pub status: Option<String>,
}

/// Checks names, fields and tags; returns the custom fields as they will be stored.
pub(crate) fn check_common(
    ctx: &ApiCtx,
    errors: &mut FieldErrors,
    first: Option<&str>,
    last: Option<&str>,
    fields: Option<&Map<String, Value>>,
    tags: Option<&[String]>,
) -> Map<String, Value> {
    for (name, value) in [("first_name", first), ("last_name", last)] {
        if value.is_some_and(|v| v.trim().chars().count() > 100) {
            errors.add(name, ctx.t("contacts-api-name"));
        }
    }
    let mut out = Map::new();
    for (k, v) in fields.into_iter().flatten() {
        let key = marketing::contacts_import::field_key(k);
        match v {
            Value::String(s) if !key.is_empty() && s.chars().count() <= 500 => {
                out.insert(key, Value::String(s.clone()));
            }
            Value::Null if !key.is_empty() => {
                out.insert(key, Value::Null);
            }
            _ => errors.add("fields", ctx.t("contacts-api-fields")),
        }
    }
    if tags.is_some_and(|t| t.len() > 50 || t.iter().any(|t| t.trim().is_empty() || t.trim().chars().count() > 60)) {
        errors.add("tags", ctx.t("contacts-api-tags"));
    }
    out
}

pub(crate) fn unprocessable(ctx: &ApiCtx, errors: FieldErrors) -> crate::problem::ApiError {
    ctx.problem(StatusCode::UNPROCESSABLE_ENTITY).detail(ctx.t("api-error-invalid-fields")).errors(errors).into()
}

pub(crate) async fn found(tx: &mut kernel::db::TenantTx, id: ContactId) -> ApiResult<ApiContact> {
    Ok(ApiContact::from(cs::row(tx, id).await?.ok_or(AppError::NotFound)?))
}

/// Create or update a contact
///
/// Makes a contact with source `api`, or updates the one with this address (names replaced
/// when given, fields merged, tags added). Needs a read and write key.
#[utoipa::path(
    post,
    path = "/contacts",
    operation_id = "createContact",
    tag = "Contacts",
    request_body(content = NewContact, content_type = "application/json"),
    responses(
        (status = 201, description = "The contact was created.", body = ApiContact,
            headers(("Location" = String, description = "The new contact's URL in this API."))),
        (status = 200, description = "A contact with this address existed and was updated.", body = ApiContact),
        (status = 422, description = "The body is not a JSON object, or a field is missing, unknown or not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn create(ctx: ApiCtx, ApiJson(input): ApiJson<NewContact>) -> ApiResult<Response> {
    let mut errors = FieldErrors::default();
    if contacts::normalise_email(&input.email).is_none() {
        errors.add("email", ctx.t("contacts-api-email"));
    }
    let status = input.status.as_deref().unwrap_or_default().trim();
    one_of(&ctx, &mut errors, "status", status, &["subscribed", "unsubscribed"]);
    let (first, last) = (input.first_name.as_deref(), input.last_name.as_deref());
    let fields = check_common(&ctx, &mut errors, first, last, input.fields.as_ref(), input.tags.as_deref());
    if !errors.is_empty() {
        return Err(unprocessable(&ctx, errors));
    }
    let who = Incoming {
        email: input.email.clone(),
        first_name: input.first_name.clone(),
        last_name: input.last_name.clone(),
        fields: fields.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        source: json!({ "kind": "api", "key_id": ctx.key.id }),
        status: match status {
            "subscribed" => Some("subscribed"),
            "unsubscribed" => Some("unsubscribed"),
            _ => None,
        },
        ..Default::default()
    };
    let mut tx = ctx.tx().await?;
    let (id, created) = match contacts::upsert(&ctx.state, &mut tx, who).await {
        Ok(v) => v,
        Err(ContactError::Email) => {
            let mut errors = FieldErrors::default();
            errors.add("email", ctx.t("contacts-api-email"));
            return Err(unprocessable(&ctx, errors));
        }
        Err(ContactError::Db(e)) => return Err(e.into()),
    };
    contacts::tag(&ctx.state, &mut tx, id, input.tags.as_deref().unwrap_or_default()).await?;
    let contact = found(&mut tx, id).await?;
    tx.commit().await?;
    if !created {
        return Ok(Json(contact).into_response());
    }
    let location = format!("/api/v1/contacts/{id}");
    let mut res = (StatusCode::CREATED, Json(contact)).into_response();
    res.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&location).expect("a path is a header value"));
    Ok(res)
}

/// Get a contact
///
/// One contact, by id, with their tags, fields, source and consent.
#[utoipa::path(
    get,
    path = "/contacts/{id}",
    operation_id = "getContact",
    tag = "Contacts",
    params(("id" = uuid::Uuid, Path, description = "The contact's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 200, description = "The contact.", body = ApiContact),
        (status = 404, description = "No contact in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiContact>> {
    let id: ContactId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let contact = found(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(contact))
}

/// A change to a contact: only the fields given change. Fields not listed here are refused.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactChange {
    /// First name.
    #[schema(max_length = 100)]
    pub first_name: Option<String>,
    /// Last name.
    #[schema(max_length = 100)]
    pub last_name: Option<String>,
    /// Custom fields merged over what is stored; a `null` value removes that field.
    #[schema(value_type = Option<Object>, example = json!({"company": "Acme", "city": null}))]
    pub fields: Option<Map<String, Value>>,
    /// `subscribed` or `unsubscribed` (only when the person asked).
    #[schema(example = "unsubscribed")]
    pub status: Option<String>,
}

/// Change a contact
///
/// Changes the names, custom fields or subscription of a contact. Needs a read and write key.
#[utoipa::path(
    patch,
    path = "/contacts/{id}",
    operation_id = "updateContact",
    tag = "Contacts",
    params(("id" = uuid::Uuid, Path, description = "The contact's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    request_body(content = ContactChange, content_type = "application/json"),
    responses(
        (status = 200, description = "The changed contact.", body = ApiContact),
        (status = 404, description = "No contact in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "The body is not a JSON object, or a field is unknown or not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    ctx: ApiCtx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactChange>,
) -> ApiResult<Json<ApiContact>> {
    let id: ContactId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let contact = marketing::store::contact(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let status = input.status.as_deref().unwrap_or_default().trim();
    one_of(&ctx, &mut errors, "status", status, &["subscribed", "unsubscribed"]);
    let (first, last) = (input.first_name.as_deref(), input.last_name.as_deref());
    let changes = check_common(&ctx, &mut errors, first, last, input.fields.as_ref(), None);
    if !errors.is_empty() {
        return Err(unprocessable(&ctx, errors));
    }
    let mut fields = contact.fields.as_object().cloned().unwrap_or_default();
    for (k, v) in changes {
        if v.is_null() {
            fields.remove(&k);
        } else {
            fields.insert(k, v);
        }
    }
    let first = first.map_or(contact.first_name.clone(), |s| s.trim().to_string());
    let last = last.map_or(contact.last_name.clone(), |s| s.trim().to_string());
    cs::set_details(&mut tx, id, &first, &last, &Value::Object(fields)).await?;
    match status {
        "subscribed" => contacts::set_status(&ctx.state, &mut tx, &contact, "subscribed", None).await?,
        "unsubscribed" => contacts::set_status(&ctx.state, &mut tx, &contact, "unsubscribed", None).await?,
        _ => false,
    };
    let out = found(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(out))
}

/// Erase a contact
///
/// Deletes the contact with their tags and activity, and publishes `contact.erased`. Needs a
/// read and write key.
#[utoipa::path(
    delete,
    path = "/contacts/{id}",
    operation_id = "deleteContact",
    tag = "Contacts",
    params(("id" = uuid::Uuid, Path, description = "The contact's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 204, description = "The contact and their personal data are gone."),
        (status = 404, description = "No contact in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn delete(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let id: ContactId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    if !contacts::erase(&ctx.state, &mut tx, id).await? {
        return Err(AppError::NotFound.into());
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
