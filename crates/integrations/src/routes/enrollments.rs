//! `GET /api/v1/enrollments` (a page at a time, filtered by course, person or state) and
//! `POST /api/v1/enrollments` (give someone access to a course, creating their account when
//! the address has none). Access is granted only through `courses::enrollment::enroll`, so the
//! API publishes the same `enrollment.created` as every other way in.

use std::collections::HashMap;

use axum::{
    extract::RawQuery,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use courses::{
    enrollment::{self, Enrolled, Source},
    model::{CourseId, EnrollmentId, EnrollmentState},
    store::{self, EnrollmentFilter},
};
use identity::model::Email;
use kernel::{AppError, db::TenantTx, i18n, ids::UserId, web::FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::ApiCtx,
    body::ApiJson,
    paging::{self, encode_cursor},
    problem::{ApiResult, ProblemBody},
};

/// Where a person's access to a course stands.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(example = "active")]
pub enum EnrollmentStateName {
    /// Access is open.
    Active,
    /// Staff paused it for now.
    Paused,
    /// Its end date passed.
    Expired,
    /// Access was revoked.
    Revoked,
}

impl From<EnrollmentState> for EnrollmentStateName {
    fn from(s: EnrollmentState) -> Self {
        match s {
            EnrollmentState::Active => Self::Active,
            EnrollmentState::Paused => Self::Paused,
            EnrollmentState::Expired => Self::Expired,
            EnrollmentState::Revoked => Self::Revoked,
        }
    }
}

/// A person's access to a course.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiEnrollment {
    /// The enrolment's id.
    #[schema(value_type = uuid::Uuid, example = "0192f7c5-3c4d-7e5f-8a9b-0c1d2e3f4a5b")]
    pub id: EnrollmentId,
    /// The course.
    #[schema(value_type = uuid::Uuid, example = "0192f7c5-1111-7e5f-8a9b-0c1d2e3f4a5b")]
    pub course_id: CourseId,
    /// The student.
    #[schema(value_type = uuid::Uuid, example = "0192f7c4-8a4e-7cc3-b7d5-3f0e1c9a7b21")]
    pub user_id: UserId,
    /// The student's email address.
    #[schema(format = Email, example = "ana@example.com")]
    pub email: String,
    /// Where access stands now.
    pub state: EnrollmentStateName,
    /// How access was granted: `purchase`, `staff`, `import`, `self` or `api`.
    #[schema(example = "api")]
    pub source: String,
    /// When access started.
    #[schema(example = "2026-11-30T09:30:00Z")]
    pub started_at: DateTime<Utc>,
    /// When access ends; `null` for lifetime access.
    pub ends_at: Option<DateTime<Utc>>,
    /// When the student completed the course, if they did.
    pub completed_at: Option<DateTime<Utc>>,
}

/// One page of enrolments, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrollmentList {
    /// The enrolments on this page.
    pub data: Vec<ApiEnrollment>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    #[schema(example = "AZL3xIpOfMO31T8OHJp7IQ")]
    pub next_cursor: Option<String>,
}

/// Filters and paging for enrolments.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnrollmentListParams {
    /// How many enrolments to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only enrolments in this course.
    #[param(value_type = Option<uuid::Uuid>)]
    pub course_id: Option<String>,
    /// Only this person's enrolments.
    #[param(value_type = Option<uuid::Uuid>)]
    pub user_id: Option<String>,
    /// Only enrolments in this state.
    #[param(value_type = Option<EnrollmentStateName>)]
    pub state: Option<String>,
}

/// A new enrolment. Name the person by `user_id` or by `email` (an account is created for an
/// address that has none, and the person is emailed a link to choose a password).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnrollment {
    /// The course.
    #[serde(default)]
    #[schema(required = true, value_type = uuid::Uuid, example = "0192f7c5-1111-7e5f-8a9b-0c1d2e3f4a5b")]
    pub course_id: String,
    /// The person's account id (or give `email`).
    #[serde(default)]
    #[schema(value_type = Option<uuid::Uuid>)]
    pub user_id: Option<String>,
    /// The person's email address (or give `user_id`).
    #[serde(default)]
    #[schema(format = Email, example = "ana@example.com")]
    pub email: Option<String>,
    /// The name for a new account (up to 120 characters); the address's first part when left out.
    #[serde(default)]
    #[schema(max_length = 120, example = "Ana García")]
    pub name: Option<String>,
    /// When access ends; lifetime access when left out.
    #[serde(default)]
    #[schema(example = "2027-06-30T23:59:59Z")]
    pub ends_at: Option<DateTime<Utc>>,
}

/// The API's view of enrolments, with each student's address.
pub(super) async fn items(
    tx: &mut TenantTx,
    found: Vec<courses::Enrollment>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<ApiEnrollment>> {
    let ids: Vec<_> = found.iter().map(|e| e.user_id).collect();
    let emails: HashMap<_, _> =
        identity::store::find_many(tx, &ids).await?.into_iter().map(|u| (u.id, u.email)).collect();
    Ok(found
        .into_iter()
        .map(|e| ApiEnrollment {
            id: e.id,
            course_id: e.course_id,
            user_id: e.user_id,
            email: emails.get(&e.user_id).cloned().unwrap_or_default(),
            state: e.state(now).into(),
            source: e.source.clone(),
            started_at: e.started_at,
            ends_at: e.ends_at,
            completed_at: e.completed_at,
        })
        .collect())
}

/// List enrolments
///
/// Who has access to which course, newest first. Filter by course, person or state; follow
/// `next_cursor` to walk through every page.
#[utoipa::path(
    get,
    path = "/enrollments",
    operation_id = "listEnrollments",
    tag = "Enrollments",
    params(EnrollmentListParams),
    responses(
        (status = 200, description = "A page of enrolments.", body = EnrollmentList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<axum::Json<EnrollmentList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(p) = serde_urlencoded::from_str::<EnrollmentListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let locale = ctx.shell.locale;
    let mut errors = FieldErrors::default();
    let limit = paging::limit(p.limit.as_deref(), locale, &mut errors);
    let before = paging::cursor(p.cursor.as_deref(), locale, &mut errors).map(EnrollmentId);
    let mut id = |field: &str, raw: &Option<String>| -> Option<uuid::Uuid> {
        let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        let parsed = raw.parse().ok();
        if parsed.is_none() {
            errors.add(field, i18n::t(locale, "api-enrol-error-id"));
        }
        parsed
    };
    let course = id("course_id", &p.course_id).map(CourseId);
    let user = id("user_id", &p.user_id).map(UserId);
    let state = match p.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let state = parse_state(s);
            if state.is_none() {
                let values = "active, paused, expired, revoked";
                errors.add("state", i18n::t_args(locale, "api-error-one-of", &[("values", values.into())]));
            }
            state
        }
    };
    if !errors.is_empty() {
        return Err(invalid().errors(errors).into());
    }
    let now = ctx.state.clock.now();
    let filter = EnrollmentFilter { course, user, state, before, limit: limit + 1 };
    let mut tx = ctx.tx().await?;
    let mut found = store::enrollments_page(&mut tx, &filter, now).await?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|e| encode_cursor(e.id.0));
    let data = items(&mut tx, found, now).await?;
    tx.commit().await?;
    Ok(axum::Json(EnrollmentList { data, next_cursor }))
}

fn parse_state(s: &str) -> Option<EnrollmentState> {
    match s.to_ascii_lowercase().as_str() {
        "active" => Some(EnrollmentState::Active),
        "paused" => Some(EnrollmentState::Paused),
        "expired" => Some(EnrollmentState::Expired),
        "revoked" => Some(EnrollmentState::Revoked),
        _ => None,
    }
}

/// Enrol a person
///
/// Gives a person access to a course until `ends_at` (for ever when left out). A person named
/// by `email` who has no account gets one, and an email to choose their password; everyone
/// enrolled here gets an email with the way into the course. Enrolling someone who already has
/// access changes nothing but a later end date and answers 200. Needs a read and write key.
#[utoipa::path(
    post,
    path = "/enrollments",
    operation_id = "createEnrollment",
    tag = "Enrollments",
    request_body(content = NewEnrollment, content_type = "application/json"),
    responses(
        (status = 201, description = "Access was granted (or restored).", body = ApiEnrollment,
            headers(("Location" = String, description = "The enrolments of this person in this API."))),
        (status = 200, description = "The person already had access; a later `ends_at` was kept.", body = ApiEnrollment),
        (status = 422, description = "The body is not a JSON object, or a field is missing, unknown or not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn create(ctx: ApiCtx, ApiJson(input): ApiJson<NewEnrollment>) -> ApiResult<Response> {
    let locale = ctx.shell.locale;
    let now = ctx.state.clock.now();
    let mut errors = FieldErrors::default();
    let mut tx = ctx.tx().await?;
    let course = match input.course_id.trim().parse::<uuid::Uuid>() {
        Ok(id) => store::course(&mut tx, CourseId(id)).await?,
        Err(_) => None,
    };
    if course.is_none() {
        errors.add("course_id", i18n::t(locale, "api-enrol-error-course"));
    }
    let email = input.email.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let user = match (input.user_id.as_deref().map(str::trim).filter(|s| !s.is_empty()), email) {
        (Some(id), _) => {
            let found = match id.parse::<uuid::Uuid>() {
                Ok(id) => identity::store::find(&mut tx, UserId(id)).await?.filter(|u| u.deleted_at.is_none()),
                Err(_) => None,
            };
            if found.is_none() {
                errors.add("user_id", i18n::t(locale, "api-enrol-error-user"));
            }
            found.map(|u| (u, false))
        }
        (None, Some(raw)) => match Email::parse(raw) {
            Some(_) if input.name.as_deref().is_some_and(|n| n.trim().chars().count() > 120) => {
                errors.add("name", i18n::t(locale, "validation-name-too-long"));
                None
            }
            Some(e) if errors.is_empty() => {
                let name = input.name.as_deref().unwrap_or_default();
                Some(identity::service::people::find_or_create_student(&mut tx, &e, name).await?)
            }
            Some(_) => None,
            None => {
                errors.add("email", i18n::t(locale, "validation-email-invalid"));
                None
            }
        },
        (None, None) => {
            errors.add("email", i18n::t(locale, "api-enrol-error-who"));
            None
        }
    };
    if input.ends_at.is_some_and(|end| end <= now) {
        errors.add("ends_at", i18n::t(locale, "api-enrol-error-past"));
    }
    let (Some(course), Some((user, _)), true) = (course, user, errors.is_empty()) else {
        let problem = ctx.problem(StatusCode::UNPROCESSABLE_ENTITY).detail(ctx.t("api-error-invalid-fields"));
        return Err(problem.errors(errors).into());
    };
    let done = enrollment::enroll(&ctx.state, &mut tx, user.id, &course, Source::Api, None, input.ends_at)
        .await
        .map_err(AppError::Internal)?;
    let status = match done {
        Enrolled::Granted(_) => StatusCode::CREATED,
        Enrolled::AlreadyActive(_) => StatusCode::OK,
    };
    let mut item = items(&mut tx, vec![done.enrollment().clone()], now).await?;
    tx.commit().await?;
    let body = item.pop().ok_or(AppError::NotFound)?;
    let mut res = (status, kernel::web::Json(body)).into_response();
    if status == StatusCode::CREATED {
        let location = format!("/api/v1/enrollments?user_id={}&course_id={}", user.id, course.id);
        if let Ok(v) = HeaderValue::from_str(&location) {
            res.headers_mut().insert(header::LOCATION, v);
        }
    }
    Ok(res)
}
