//! `GET /api/v1/progress?user=…&course=…`: a student's progress, per enrolment: the share of
//! required lessons done and each completed lesson with how and when.

use axum::{extract::RawQuery, http::StatusCode};
use chrono::{DateTime, Utc};
use kernel::{AppError, ids::UserId, web::Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::ApiCtx,
    problem::{ApiResult, ProblemBody},
};

/// Whose progress, and in which course.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressParams {
    /// The student's id.
    #[param(value_type = uuid::Uuid, example = "0192f7c4-8a4e-7cc3-b7d5-3f0e1c9a7b21")]
    pub user: Option<String>,
    /// Only this course (its id); every course the student is or was enrolled in otherwise.
    #[param(value_type = Option<uuid::Uuid>, example = "0192f7c6-3b1a-7d2e-9f0a-1b2c3d4e5f60")]
    pub course: Option<String>,
}

/// Where an enrolment stands.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EnrollmentStateName {
    /// Access is open.
    Active,
    /// Staff paused it.
    Paused,
    /// Its end date passed.
    Expired,
    /// Staff revoked it.
    Revoked,
}

impl From<courses::model::EnrollmentState> for EnrollmentStateName {
    fn from(s: courses::model::EnrollmentState) -> Self {
        use courses::model::EnrollmentState as S;
        match s {
            S::Active => Self::Active,
            S::Paused => Self::Paused,
            S::Expired => Self::Expired,
            S::Revoked => Self::Revoked,
        }
    }
}

/// How a lesson came to be complete.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CompletedHow {
    /// The student marked it.
    Marked,
    /// The student watched enough of its video.
    Watched,
    /// The student passed its quiz.
    Quiz,
    /// Staff approved the assignment.
    Assignment,
    /// Staff marked it for the student.
    Staff,
}

impl CompletedHow {
    fn parse(s: &str) -> Self {
        match s {
            "watched" => Self::Watched,
            "quiz" => Self::Quiz,
            "assignment" => Self::Assignment,
            "staff" => Self::Staff,
            _ => Self::Marked,
        }
    }
}

/// A completed lesson.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCompletedLesson {
    /// The lesson's id.
    pub lesson_id: uuid::Uuid,
    /// Its title.
    #[schema(example = "Reading the light")]
    pub title: String,
    /// How it was completed.
    pub how: CompletedHow,
    /// When.
    pub completed_at: DateTime<Utc>,
}

/// A student's progress in one course.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCourseProgress {
    /// The enrolment's id.
    pub enrollment_id: uuid::Uuid,
    /// The student.
    pub user_id: uuid::Uuid,
    /// The course.
    pub course_id: uuid::Uuid,
    /// The course's title.
    #[schema(example = "Photography basics")]
    pub course_title: String,
    /// Where the enrolment stands now.
    pub state: EnrollmentStateName,
    /// Share of the course's required lessons done, 0 to 100.
    #[schema(minimum = 0, maximum = 100, example = 50)]
    pub percent: u32,
    /// Required lessons done.
    pub required_done: usize,
    /// Required lessons in the course.
    pub required_total: usize,
    /// When access started.
    pub started_at: DateTime<Utc>,
    /// When the student completed the course.
    pub completed_at: Option<DateTime<Utc>>,
    /// When the student last opened or completed a lesson.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// Completed lessons, oldest first.
    pub lessons: Vec<ApiCompletedLesson>,
}

/// The progress answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressList {
    /// One entry per enrolment.
    pub data: Vec<ApiCourseProgress>,
}

/// Get a student's progress
///
/// Per course the student is (or was) enrolled in: the share of required lessons done, and
/// each completed lesson with how (marked, watched, quiz, assignment, staff) and when. Give
/// `course` to see one course only.
#[utoipa::path(
    get,
    path = "/progress",
    operation_id = "getProgress",
    tag = "Progress",
    params(ProgressParams),
    responses(
        (status = 200, description = "The student's progress, one entry per enrolment.", body = ProgressList),
        (status = 400, description = "`user` is missing, or an id is not valid.", body = ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No one (or no course) in this school has that id.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn show(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<ProgressList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-progress-params"));
    let Ok(params) = serde_urlencoded::from_str::<ProgressParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let Some(Ok(user)) = params.user.as_deref().map(str::parse::<UserId>) else {
        return Err(invalid().into());
    };
    let course = match params.course.as_deref() {
        None | Some("") => None,
        Some(c) => Some(c.parse::<courses::CourseId>().map_err(|_| invalid())?),
    };
    let mut tx = ctx.tx().await?;
    let user = identity::store::find(&mut tx, user).await?.ok_or(AppError::NotFound)?;
    if let Some(course) = course {
        courses::store::course(&mut tx, course).await?.ok_or(AppError::NotFound)?;
    }
    let rows = courses::report::progress(&mut tx, &user, course, ctx.state.clock.now()).await?;
    tx.commit().await?;
    let data = rows
        .into_iter()
        .map(|p| ApiCourseProgress {
            enrollment_id: p.enrollment.id.0,
            user_id: p.enrollment.user_id.0,
            course_id: p.enrollment.course_id.0,
            course_title: p.course_title,
            state: p.state.into(),
            percent: p.percent,
            required_done: p.required_done,
            required_total: p.required_total,
            started_at: p.enrollment.started_at,
            completed_at: p.enrollment.completed_at,
            last_activity_at: p.enrollment.last_activity_at,
            lessons: p
                .lessons
                .into_iter()
                .map(|l| ApiCompletedLesson {
                    lesson_id: l.lesson_id.0,
                    how: CompletedHow::parse(&l.how),
                    title: l.title,
                    completed_at: l.completed_at,
                })
                .collect(),
        })
        .collect();
    Ok(Json(ProgressList { data }))
}
