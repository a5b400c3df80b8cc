//! `GET /admin/courses/{id}/students`: a course's students (searched, filtered, sorted) and the
//! enrol-by-hand form; `POST /admin/courses/{id}/students` enrols someone by address, and
//! `POST /admin/courses/{id}/students/{enrollment}/{action}` pauses, resumes, extends, revokes
//! or re-enrols one student.

use axum::{
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission, model::Email};
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    enrollment::{self, Change, Source},
    model::{Course, CourseId, EnrollmentId, EnrollmentState},
    roster::{self, Row},
    store,
};

/// Rows shown per page.
const PAGE: usize = 50;

/// Search, state filter, order and page, as in the address bar.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct StudentsQuery {
    #[serde(default)]
    q: String,
    /// `active`, `paused`, `expired` or `revoked`; anything else is everyone.
    #[serde(default)]
    state: String,
    /// `name`, `progress`, `activity` or (anything else) newest first.
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: Option<usize>,
}

/// The enrol-by-hand form.
#[derive(Deserialize, Serialize, Default)]
pub struct EnrolForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    ends_on: String,
}

/// The extend form: a new last day, or none.
#[derive(Deserialize, Default)]
pub struct ExtendForm {
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    no_end: Option<String>,
}

/// The course in the path, or 404 (also for another school's course).
pub(super) async fn course(ctx: &Ctx, raw: &str) -> AppResult<Course> {
    let id: CourseId = raw.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let course = store::course(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(course)
}

fn state_name(s: EnrollmentState) -> &'static str {
    match s {
        EnrollmentState::Active => "active",
        EnrollmentState::Paused => "paused",
        EnrollmentState::Expired => "expired",
        EnrollmentState::Revoked => "revoked",
    }
}

/// The rows the query asks for, and how many matched before paging.
fn narrow(mut rows: Vec<Row>, q: &StudentsQuery) -> (Vec<Row>, usize) {
    let needle = q.q.trim().to_lowercase();
    rows.retain(|r| {
        (needle.is_empty() || r.name.to_lowercase().contains(&needle) || r.email.contains(&needle))
            && (q.state.is_empty() || state_name(r.state) == q.state)
    });
    match q.sort.as_str() {
        "name" => rows.sort_by_key(|r| r.name.to_lowercase()),
        "progress" => rows.sort_by_key(|r| std::cmp::Reverse(r.percent)),
        "activity" => rows.sort_by_key(|r| std::cmp::Reverse(r.enrollment.last_activity_at)),
        _ => {}
    }
    let matched = rows.len();
    let page = q.page.unwrap_or(1).max(1);
    (rows.into_iter().skip((page - 1) * PAGE).take(PAGE).collect(), matched)
}

pub async fn list(ctx: Ctx, Path(id): Path<String>, Query(q): Query<StudentsQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let course = course(&ctx, &id).await?;
    page(&ctx, &course, &q, &EnrolForm::default(), &FieldErrors::default()).await
}

async fn page(
    ctx: &Ctx,
    course: &Course,
    q: &StudentsQuery,
    form: &EnrolForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let all = roster::rows(&mut tx, course, ctx.state.clock.now(), &ctx.school.time_zone).await?;
    tx.commit().await?;
    let total = all.len();
    let (rows, matched) = narrow(all, q);
    let page = q.page.unwrap_or(1).max(1);
    let html = ctx.render(
        "courses/admin/students.html",
        context! {
            course => Serde(course), rows => Serde(&rows), query => Serde(q), total, matched,
            page, pages => matched.div_ceil(PAGE).max(1), form => Serde(form), errors => Serde(errors),
        },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

pub async fn enrol(ctx: Ctx, Path(id): Path<String>, Form(f): Form<EnrolForm>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageCourses)?;
    let course = course(&ctx, &id).await?;
    let mut errors = FieldErrors::default();
    let email = Email::parse(&f.email);
    if email.is_none() {
        errors.add("email", ctx.t("validation-email-invalid"));
    }
    if f.name.trim().chars().count() > 120 {
        errors.add("name", ctx.t("validation-name-too-long"));
    }
    let ends_at = match f.ends_on.trim() {
        "" => None,
        d => match roster::end_of_day(d, &ctx.school.time_zone) {
            Some(end) if end > ctx.state.clock.now() => Some(end),
            Some(_) => {
                errors.add("ends_on", ctx.t("enrol-error-end-past"));
                None
            }
            None => {
                errors.add("ends_on", ctx.t("enrol-error-date"));
                None
            }
        },
    };
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return page(&ctx, &course, &StudentsQuery::default(), &f, &errors).await;
    };
    let mut tx = ctx.tx().await?;
    let done = roster::enroll_by_email(&ctx.state, &mut tx, &course, &email, &f.name, ends_at, Source::Staff).await?;
    identity::store::audit(
        &mut tx,
        actor.id,
        "course.student_enrolled",
        serde_json::json!({ "course_id": course.id, "user_id": done.user.id }),
    )
    .await?;
    tx.commit().await?;
    let key = match (done.granted, done.created) {
        (false, _) => "enrol-flash-already",
        (true, true) => "enrol-flash-created",
        (true, false) => "enrol-flash-enrolled",
    };
    let message = ctx.t_args(key, &[("name", done.user.name.clone().into())]);
    let kind = if done.granted { "success" } else { "info" };
    Ok(ctx.redirect_with(&format!("/admin/courses/{}/students", course.id), kind, message).into_response())
}

pub async fn act(
    ctx: Ctx,
    Path((id, enrollment_id, action)): Path<(String, String, String)>,
    Form(f): Form<ExtendForm>,
) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageCourses)?;
    let course = course(&ctx, &id).await?;
    let enrollment_id: EnrollmentId = enrollment_id.parse().map_err(|_| AppError::NotFound)?;
    let back = format!("/admin/courses/{}/students", course.id);
    let mut tx = ctx.tx().await?;
    let e = store::enrollment_by_id(&mut tx, enrollment_id)
        .await?
        .filter(|e| e.course_id == course.id)
        .ok_or(AppError::NotFound)?;
    let student = identity::store::find(&mut tx, e.user_id).await?.ok_or(AppError::NotFound)?;
    let name = student.name.clone();
    let changed = match action.as_str() {
        "pause" => enrollment::change(&ctx.state, &mut tx, &e, &course, Change::Pause).await?,
        "resume" => enrollment::change(&ctx.state, &mut tx, &e, &course, Change::Resume).await?,
        "revoke" => enrollment::revoke(&ctx.state, &mut tx, e.user_id, &course).await?,
        "reenroll" => {
            let ends_at = e.ends_at.filter(|end| *end > ctx.state.clock.now());
            let done =
                enrollment::enroll(&ctx.state, &mut tx, e.user_id, &course, Source::Staff, None, ends_at).await?;
            matches!(done, enrollment::Enrolled::Granted(_))
        }
        "extend" => {
            let end = if f.no_end.is_some() {
                None
            } else {
                match roster::end_of_day(&f.ends_on, &ctx.school.time_zone) {
                    Some(end) if end > ctx.state.clock.now() => Some(end),
                    Some(_) => {
                        return Ok(ctx.redirect_with(&back, "error", ctx.t("enrol-error-end-past")).into_response());
                    }
                    None => return Ok(ctx.redirect_with(&back, "error", ctx.t("enrol-error-date")).into_response()),
                }
            };
            enrollment::change(&ctx.state, &mut tx, &e, &course, Change::Extend(end)).await?
        }
        _ => return Err(AppError::NotFound),
    };
    if changed {
        let detail = serde_json::json!({ "course_id": course.id, "enrollment_id": e.id, "user_id": e.user_id });
        identity::store::audit(&mut tx, actor.id, &format!("course.student_{action}"), detail).await?;
    }
    tx.commit().await?;
    let (kind, message) = if changed {
        ("success", ctx.t_args(&format!("enrol-flash-{action}"), &[("name", name.into())]))
    } else {
        ("info", ctx.t_args("enrol-flash-unchanged", &[("name", name.into())]))
    };
    Ok(ctx.redirect_with(&back, kind, message).into_response())
}
