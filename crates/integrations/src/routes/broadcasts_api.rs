//! `/api/v1/broadcasts`: the school's broadcasts with how their sends went — list (newest
//! first, cursor-paged) and get.

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use kernel::{
    AppError,
    web::{FieldErrors, Json},
};
use marketing::email::broadcasts::{BroadcastId, store};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    auth::ApiCtx,
    paging::{self, encode_cursor},
    problem::{ApiResult, ProblemBody},
};

/// A broadcast: one email sent to a segment of contacts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiBroadcast {
    /// The broadcast's id.
    pub id: Uuid,
    /// Its name in the admin.
    #[schema(example = "December newsletter")]
    pub name: String,
    /// The email it sends.
    pub email_id: Uuid,
    /// `draft`, `scheduled`, `sending`, `sent` or `cancelled`.
    #[schema(example = "sent")]
    pub status: String,
    /// Who it goes to: `{match: all|any, rules: [{kind, …}]}`.
    #[schema(value_type = Object, example = json!({"match": "all", "rules": [{"kind": "has_tag", "tag": "VIP"}]}))]
    pub segment: Value,
    /// When it is (or was) to be sent.
    pub send_at: Option<DateTime<Utc>>,
    /// Delivered at `send_at`'s wall-clock time in each recipient's time zone.
    pub local_time: bool,
    /// The broadcast this one resends to those who did not open it.
    pub parent_id: Option<Uuid>,
    /// A resend's own subject.
    pub subject: Option<String>,
    /// Recipients queued (cancelled ones excluded).
    pub recipients: i64,
    /// Emails sent so far.
    pub sent: i64,
    /// Recipients who opened it.
    pub opened: i64,
    /// Recipients who clicked a link in it.
    pub clicked: i64,
    /// When sending started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished (sent or cancelled).
    pub finished_at: Option<DateTime<Utc>>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

impl From<store::Listed> for ApiBroadcast {
    fn from(l: store::Listed) -> Self {
        let b = l.broadcast;
        Self {
            id: b.id.0,
            name: b.name,
            email_id: b.email_id.0,
            status: b.status,
            segment: b.segment,
            send_at: b.send_at,
            local_time: b.local_time,
            parent_id: b.parent_id.map(|p| p.0),
            subject: b.subject,
            recipients: l.total,
            sent: l.sent,
            opened: l.opened,
            clicked: l.clicked,
            started_at: b.started_at,
            finished_at: b.finished_at,
            created_at: b.created_at,
        }
    }
}

/// A page of broadcasts.
#[derive(Debug, Serialize, ToSchema)]
pub struct BroadcastList {
    /// The broadcasts, newest first.
    pub data: Vec<ApiBroadcast>,
    /// Pass as `cursor` for the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// Paging for broadcasts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BroadcastListParams {
    /// How many broadcasts to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
}

/// List broadcasts
///
/// The school's broadcasts, newest first, with their recipients, sends, opens and clicks;
/// follow `next_cursor` for every page.
#[utoipa::path(
    get,
    path = "/broadcasts",
    operation_id = "listBroadcasts",
    tag = "Broadcasts",
    params(BroadcastListParams),
    responses(
        (status = 200, description = "A page of broadcasts.", body = BroadcastList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<BroadcastList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(p) = serde_urlencoded::from_str::<BroadcastListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let mut errors = FieldErrors::default();
    let limit = paging::limit(p.limit.as_deref(), ctx.shell.locale, &mut errors);
    let after = paging::cursor(p.cursor.as_deref(), ctx.shell.locale, &mut errors);
    if !errors.is_empty() {
        return Err(invalid().errors(errors).into());
    }
    let mut tx = ctx.tx().await?;
    let mut rows = store::list(&mut tx, after, limit + 1).await?;
    tx.commit().await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = rows.last().filter(|_| more).map(|r| encode_cursor(r.broadcast.id.0));
    Ok(Json(BroadcastList { data: rows.into_iter().map(ApiBroadcast::from).collect(), next_cursor }))
}

/// Get a broadcast
///
/// One broadcast, by id, with its segment, timing and numbers.
#[utoipa::path(
    get,
    path = "/broadcasts/{id}",
    operation_id = "getBroadcast",
    tag = "Broadcasts",
    params(("id" = uuid::Uuid, Path, description = "The broadcast's id.", example = "0192f7c5-1a2b-7c3d-8e4f-5a6b7c8d9e0f")),
    responses(
        (status = 200, description = "The broadcast.", body = ApiBroadcast),
        (status = 404, description = "No broadcast in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ApiBroadcast>> {
    let id: BroadcastId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let b = store::listed(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(Json(ApiBroadcast::from(b)))
}
