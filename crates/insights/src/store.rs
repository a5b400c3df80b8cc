//! Reading insights' rollups. Every query is led by `tenant_id` and reads a handful of rollup
//! rows or one course's learner rows through an index, never enrolments or progress one by one.

use chrono::{DateTime, NaiveDate, Utc};
use courses::CourseId;
use kernel::{db::TenantTx, ids::UserId};
use serde::Serialize;
use sqlx::AssertSqlSafe;

/// A learner row counts while its latest grant is newer than its latest revocation.
const CURRENT: &str = "enrolled_at is not null and (revoked_at is null or revoked_at < enrolled_at)";

/// One day's counts.
#[derive(Clone, Debug, Default, Serialize, sqlx::FromRow)]
pub struct Day {
    /// The day, in the school's time zone.
    pub day: NaiveDate,
    /// New enrolments.
    pub enrollments: i64,
    /// Courses completed.
    pub completions: i64,
    /// Lessons completed.
    pub lesson_completions: i64,
    /// Quiz attempts.
    pub quiz_attempts: i64,
    /// Quiz attempts that passed.
    pub quiz_passes: i64,
    /// Students with a learning event that day (summed over courses).
    pub active_learners: i64,
}

const DAY: &str = "day, sum(enrollments)::int8 as enrollments, sum(completions)::int8 as completions,
                   sum(lesson_completions)::int8 as lesson_completions, sum(quiz_attempts)::int8 as quiz_attempts,
                   sum(quiz_passes)::int8 as quiz_passes, sum(active_learners)::int8 as active_learners";

/// The school's days from `from` on (all courses together), oldest first.
pub async fn school_days(tx: &mut TenantTx, from: NaiveDate) -> sqlx::Result<Vec<Day>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {DAY} from insights_course_days where tenant_id = $1 and day >= $2 group by day order by day"
    )))
    .bind(tx.tenant())
    .bind(from)
    .fetch_all(&mut **tx)
    .await
}

/// A course's days from `from` on (all of them when `None`), oldest first.
pub async fn course_days(tx: &mut TenantTx, course: CourseId, from: Option<NaiveDate>) -> sqlx::Result<Vec<Day>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {DAY} from insights_course_days where tenant_id = $1 and course_id = $2
           and ($3::date is null or day >= $3) group by day order by day"
    )))
    .bind(tx.tenant())
    .bind(course)
    .bind(from)
    .fetch_all(&mut **tx)
    .await
}

/// Students with a learning event in any course since `since`, or among `viewers` (people who
/// watched a video since then, from media).
pub async fn active_learners(tx: &mut TenantTx, since: DateTime<Utc>, viewers: &[UserId]) -> sqlx::Result<i64> {
    let viewers: Vec<uuid::Uuid> = viewers.iter().map(|u| u.0).collect();
    sqlx::query_scalar(
        "select count(*) from (
           select user_id from insights_learners where tenant_id = $1 and last_active_at >= $2
           union select unnest($3::uuid[])) s",
    )
    .bind(tx.tenant())
    .bind(since)
    .bind(viewers)
    .fetch_one(&mut **tx)
    .await
}

/// Something a student did, for the recent-activity feed.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Activity {
    /// The event kind (`lesson.completed`, …).
    pub kind: String,
    /// The student.
    pub user_id: Option<UserId>,
    /// The course.
    pub course_id: Option<CourseId>,
    /// The lesson or course title.
    pub subject: String,
    /// A quiz score.
    pub score: Option<f64>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// The latest things students did (in one course when `course` is given).
pub async fn recent_activity(tx: &mut TenantTx, course: Option<CourseId>, limit: i64) -> sqlx::Result<Vec<Activity>> {
    sqlx::query_as(
        "select kind, user_id, course_id, subject, score, occurred_at from insights_activity
         where tenant_id = $1 and ($2::uuid is null or course_id = $2) order by occurred_at desc limit $3",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Where a course's students stand now.
#[derive(Clone, Debug, Default, Serialize, sqlx::FromRow)]
pub struct Summary {
    /// Students with access.
    pub enrolled: i64,
    /// Of them, those who completed the course.
    pub completed: i64,
    /// Their average progress, 0–1.
    pub average_progress: f64,
    /// Of them, those active in the last 7 days.
    pub active_7: i64,
    /// Of them, those active in the last 30 days.
    pub active_30: i64,
}

/// Sums up a course's current students in one pass over their rows. `required_total` is the
/// course's number of required lessons; `viewers_7`/`viewers_30` are media's recent watchers.
pub async fn summary(
    tx: &mut TenantTx,
    course: CourseId,
    required_total: i64,
    now: DateTime<Utc>,
    viewers_7: &[UserId],
    viewers_30: &[UserId],
) -> sqlx::Result<Summary> {
    let ids = |v: &[UserId]| v.iter().map(|u| u.0).collect::<Vec<_>>();
    sqlx::query_as(AssertSqlSafe(format!(
        "select count(*) as enrolled, count(completed_at) as completed,
                coalesce(avg(least(required_done, $3)::float8 / nullif($3, 0)), 0)::float8 as average_progress,
                count(*) filter (where last_active_at >= $4 - interval '7 days'
                                    or user_id in (select unnest($5::uuid[]))) as active_7,
                count(*) filter (where last_active_at >= $4 - interval '30 days'
                                    or user_id in (select unnest($6::uuid[]))) as active_30
         from insights_learners where tenant_id = $1 and course_id = $2 and {CURRENT}"
    )))
    .bind(tx.tenant())
    .bind(course)
    .bind(required_total)
    .bind(now)
    .bind(ids(viewers_7))
    .bind(ids(viewers_30))
    .fetch_one(&mut **tx)
    .await
}

/// A lesson's counts.
#[derive(Clone, Debug, Default, Serialize, sqlx::FromRow)]
pub struct LessonCounts {
    /// The lesson.
    pub lesson_id: uuid::Uuid,
    /// Students who completed it (all time).
    pub completions: i64,
    /// Quiz attempts in the period.
    pub quiz_attempts: i64,
    /// Of them, passes.
    pub quiz_passes: i64,
    /// The sum of their scores.
    pub quiz_score_sum: f64,
}

/// Each lesson's completions (all time) and quiz results (from `from` on).
pub async fn lesson_counts(
    tx: &mut TenantTx,
    course: CourseId,
    from: Option<NaiveDate>,
) -> sqlx::Result<Vec<LessonCounts>> {
    sqlx::query_as(
        "select lesson_id, sum(completions)::int8 as completions,
                coalesce(sum(quiz_attempts) filter (where $3::date is null or day >= $3), 0)::int8 as quiz_attempts,
                coalesce(sum(quiz_passes) filter (where $3::date is null or day >= $3), 0)::int8 as quiz_passes,
                coalesce(sum(quiz_score_sum) filter (where $3::date is null or day >= $3), 0)::float8 as quiz_score_sum
         from insights_lesson_days where tenant_id = $1 and course_id = $2 group by lesson_id",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(from)
    .fetch_all(&mut **tx)
    .await
}

/// How the student table is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Most progress first.
    Progress,
    /// Least progress first.
    ProgressAsc,
    /// Most recently active first.
    Activity,
    /// Longest inactive first.
    ActivityAsc,
}

impl Sort {
    /// From the query string; the default is most progress first.
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("progress_asc") => Self::ProgressAsc,
            Some("activity") => Self::Activity,
            Some("activity_asc") => Self::ActivityAsc,
            _ => Self::Progress,
        }
    }

    /// As the query string writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Progress => "progress",
            Self::ProgressAsc => "progress_asc",
            Self::Activity => "activity",
            Self::ActivityAsc => "activity_asc",
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            Self::Progress => "required_done desc, user_id",
            Self::ProgressAsc => "required_done asc, user_id",
            Self::Activity => "last_active_at desc nulls last, user_id",
            Self::ActivityAsc => "last_active_at asc nulls first, user_id",
        }
    }
}

/// One student of a course.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Learner {
    /// The student.
    pub user_id: UserId,
    /// When their access (last) began.
    pub enrolled_at: Option<DateTime<Utc>>,
    /// When they completed the course.
    pub completed_at: Option<DateTime<Utc>>,
    /// Required lessons done.
    pub required_done: i32,
    /// Lessons done.
    pub lessons_done: i32,
    /// Their last learning event.
    pub last_active_at: Option<DateTime<Utc>>,
}

/// A page of a course's current students.
pub async fn learners(
    tx: &mut TenantTx,
    course: CourseId,
    sort: Sort,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<Learner>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select user_id, enrolled_at, completed_at, required_done, lessons_done, last_active_at
         from insights_learners where tenant_id = $1 and course_id = $2 and {CURRENT}
         order by {} offset $3 limit $4",
        sort.order_by()
    )))
    .bind(tx.tenant())
    .bind(course)
    .bind(offset)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
