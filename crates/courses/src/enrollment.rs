//! Granting and ending access to a course. Every path that grants access (a purchase through
//! an event, staff by hand, a CSV import, the API, a student on a free course) goes through
//! [`enroll`], so `enrollment.created` is published once per grant, whoever grants it.

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx, ids::UserId};
use serde_json::json;

use crate::{
    model::{Course, Enrollment, EnrollmentState},
    store,
};

/// Who or what granted an enrolment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A purchase (commerce's `order.paid`).
    Purchase,
    /// Staff, by hand.
    Staff,
    /// A CSV import.
    Import,
    /// The student, on a free course.
    SelfServe,
    /// An API client.
    Api,
}

impl Source {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Purchase => "purchase",
            Self::Staff => "staff",
            Self::Import => "import",
            Self::SelfServe => "self",
            Self::Api => "api",
        }
    }
}

/// What [`enroll`] did.
#[derive(Clone, Debug)]
pub enum Enrolled {
    /// A new enrolment, or one that was revoked, paused or expired and is open again.
    Granted(Enrollment),
    /// The student already had open access; nothing changed but a later end date.
    AlreadyActive(Enrollment),
}

impl Enrolled {
    /// The enrolment as it now stands.
    pub fn enrollment(&self) -> &Enrollment {
        match self {
            Self::Granted(e) | Self::AlreadyActive(e) => e,
        }
    }
}

/// Gives `user` access to `course` until `ends_at` (for ever when `None`), publishing
/// `enrollment.created` when access is new or restored. Re-enrolling keeps earlier progress.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn enroll(
    state: &AppState,
    tx: &mut TenantTx,
    user: UserId,
    course: &Course,
    source: Source,
    source_ref: Option<&str>,
    ends_at: Option<DateTime<Utc>>,
) -> anyhow::Result<Enrolled> {
    let now = state.clock.now();
    let before = store::enrollment(tx, user, course.id).await?;
    if let Some(existing) = before.as_ref().filter(|e| e.state(now) == EnrollmentState::Active) {
        // Open already: a second grant may only lengthen access, never cut it short.
        let longer = match (existing.ends_at, ends_at) {
            (Some(current), Some(new)) if new > current => Some(Some(new)),
            (Some(_), None) => Some(None),
            _ => None,
        };
        if let Some(end) = longer {
            sqlx::query("update enrollments set ends_at = $3 where tenant_id = $1 and id = $2")
                .bind(tx.tenant())
                .bind(existing.id)
                .bind(end)
                .execute(&mut **tx)
                .await?;
        }
        let now_row = store::enrollment(tx, user, course.id).await?.expect("the enrolment exists");
        return Ok(Enrolled::AlreadyActive(now_row));
    }
    let id = before.as_ref().map(|e| e.id).unwrap_or_default();
    sqlx::query(
        "insert into enrollments (tenant_id, id, user_id, course_id, source, source_ref, started_at, ends_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (tenant_id, user_id, course_id) do update set
           source = excluded.source, source_ref = excluded.source_ref, ends_at = excluded.ends_at,
           paused_at = null, revoked_at = null",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(user)
    .bind(course.id)
    .bind(source.as_str())
    .bind(source_ref)
    .bind(now)
    .bind(ends_at)
    .execute(&mut **tx)
    .await?;
    let enrollment = store::enrollment(tx, user, course.id).await?.expect("the enrolment was just written");
    state
        .events
        .publish(
            tx,
            "enrollment.created",
            json!({
                "enrollment_id": enrollment.id, "user_id": user, "course_id": course.id,
                "course_title": course.title, "source": source.as_str(), "source_ref": source_ref,
                "ends_at": ends_at, "restored": before.is_some(),
            }),
        )
        .await?;
    Ok(Enrolled::Granted(enrollment))
}

/// Ends `user`'s access to `course` (progress is kept), publishing `enrollment.revoked`.
/// Returns whether there was open access to revoke.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn revoke(state: &AppState, tx: &mut TenantTx, user: UserId, course: &Course) -> anyhow::Result<bool> {
    let revoked: Option<crate::model::EnrollmentId> = sqlx::query_scalar(
        "update enrollments set revoked_at = $4 where tenant_id = $1 and user_id = $2 and course_id = $3
           and revoked_at is null returning id",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(course.id)
    .bind(state.clock.now())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = revoked {
        state
            .events
            .publish(
                tx,
                "enrollment.revoked",
                json!({ "enrollment_id": id, "user_id": user, "course_id": course.id, "course_title": course.title }),
            )
            .await?;
    }
    Ok(revoked.is_some())
}

/// A change staff make to an open enrolment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Closes access for now, keeping the end date and progress.
    Pause,
    /// Opens a paused enrolment again.
    Resume,
    /// Sets a new end date (`None`: access never ends).
    Extend(Option<DateTime<Utc>>),
}

/// Pauses, resumes or extends `enrollment` (not a revoked one: re-enrol that through
/// [`enroll`]), publishing `enrollment.paused`, `enrollment.resumed` or `enrollment.extended`.
/// Returns whether anything changed (pausing a paused enrolment does not).
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn change(
    state: &AppState,
    tx: &mut TenantTx,
    enrollment: &Enrollment,
    course: &Course,
    change: Change,
) -> anyhow::Result<bool> {
    let (sql, kind) = match change {
        Change::Pause => (
            "update enrollments set paused_at = $3 where tenant_id = $1 and id = $2
               and paused_at is null and revoked_at is null returning id",
            "enrollment.paused",
        ),
        Change::Resume => (
            "update enrollments set paused_at = null where tenant_id = $1 and id = $2
               and paused_at is not null and revoked_at is null returning id",
            "enrollment.resumed",
        ),
        Change::Extend(_) => (
            "update enrollments set ends_at = $3 where tenant_id = $1 and id = $2
               and revoked_at is null and ends_at is distinct from $3 returning id",
            "enrollment.extended",
        ),
    };
    let query = sqlx::query_scalar(sql).bind(tx.tenant()).bind(enrollment.id);
    let query = match change {
        Change::Pause => query.bind(Some(state.clock.now())),
        Change::Resume => query,
        Change::Extend(end) => query.bind(end),
    };
    let changed: Option<crate::model::EnrollmentId> = query.fetch_optional(&mut **tx).await?;
    if changed.is_none() {
        return Ok(false);
    }
    let mut payload = json!({
        "enrollment_id": enrollment.id, "user_id": enrollment.user_id, "course_id": course.id,
        "course_title": course.title,
    });
    if let Change::Extend(end) = change {
        payload["ends_at"] = json!(end);
    }
    state.events.publish(tx, kind, payload).await?;
    Ok(true)
}
