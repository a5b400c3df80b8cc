//! `GET /admin/courses/{id}/analytics`: how a course's students are doing. Enrolled, active,
//! completion rate and average progress; where students drop off lesson by lesson; how much of
//! each video they watch; how quizzes go; and the students themselves, sortable and paginated.
//! Everything comes from insights' rollups plus one read each from courses and media.

use std::collections::HashMap;

use axum::{
    extract::{Path, Query},
    response::{IntoResponse, Response},
};
use chrono::{Duration, NaiveDate};
use courses::{Course, CourseId, Lesson, LessonKind};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, db::TenantTx, ids::UserId};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    chart,
    period::Period,
    rollup::day_of,
    store::{self, Sort},
};

/// Students per page of the table.
pub const PAGE: i64 = 25;

/// The page's query string; anything unreadable falls back to the defaults.
#[derive(Debug, Default, Deserialize)]
pub struct AnalyticsQuery {
    pub(crate) period: Option<String>,
    pub(crate) sort: Option<String>,
    pub(crate) page: Option<String>,
}

/// The course named in the path, if it is this school's (anything else is a 404).
pub(crate) async fn load_course(tx: &mut TenantTx, id: &str) -> AppResult<Course> {
    let id: CourseId = id.parse().map_err(|_| AppError::NotFound)?;
    courses::store::course(tx, id).await?.ok_or(AppError::NotFound)
}

/// A lesson's row in the drop-off, watch-through and quiz charts.
#[derive(Debug, Serialize)]
struct LessonRow {
    title: String,
    kind: &'static str,
    /// Share of enrolled students (drop-off), of the video watched, or of attempts passed, 0–100.
    percent: i64,
    /// Students who completed it, viewers, or attempts.
    count: i64,
    /// The average quiz score, 0–100.
    average: Option<i64>,
}

/// A student in the table.
#[derive(Debug, Serialize)]
pub(crate) struct StudentRow {
    /// Their name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// Course progress, 0–100.
    pub percent: i64,
    /// Where they stand.
    pub learner: store::Learner,
}

fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 { 0 } else { (part * 100 / whole).clamp(0, 100) }
}

/// Names and emails for a page of learners, in one query.
pub(crate) async fn with_people(
    tx: &mut TenantTx,
    learners: Vec<store::Learner>,
    required_total: i64,
) -> sqlx::Result<Vec<StudentRow>> {
    let ids: Vec<UserId> = learners.iter().map(|l| l.user_id).collect();
    let people: HashMap<_, _> =
        identity::store::find_many(tx, &ids).await?.into_iter().map(|u| (u.id, (u.name, u.email))).collect();
    Ok(learners
        .into_iter()
        .map(|learner| {
            let (name, email) = people.get(&learner.user_id).cloned().unwrap_or_default();
            let percent = percent(i64::from(learner.required_done).min(required_total), required_total);
            StudentRow { name, email, percent, learner }
        })
        .collect())
}

/// The course's published lessons in order, and how many of them are required.
pub(crate) async fn published_lessons(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<(Vec<Lesson>, i64)> {
    let mut lessons = courses::store::lessons(tx, course).await?;
    lessons.retain(Lesson::is_published);
    let required = lessons.iter().filter(|l| l.required).count() as i64;
    Ok((lessons, required))
}

/// Daily counts from `first` to `last`, or weekly sums when that is longer than 90 days.
fn series(days: &[store::Day], first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, i64)> {
    let values: Vec<_> = days.iter().map(|d| (d.day, d.enrollments)).collect();
    let daily = chart::daily(&values, first, last);
    if daily.len() <= 90 {
        return daily;
    }
    daily.chunks(7).map(|week| (week[0].0, week.iter().map(|d| d.1).sum())).collect()
}

/// The analytics page of one course.
pub async fn show(ctx: Ctx, Path(id): Path<String>, Query(q): Query<AnalyticsQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let period = Period::parse(q.period.as_deref());
    let sort = Sort::parse(q.sort.as_deref());
    let page = q.page.as_deref().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000);
    let now = ctx.state.clock.now();
    let today = day_of(now, &ctx.school.time_zone);
    let from = period.first_day(today);

    let mut tx = ctx.tx().await?;
    let course = load_course(&mut tx, &id).await?;
    let (lessons, required_total) = published_lessons(&mut tx, course.id).await?;
    let media: Vec<_> = lessons.iter().filter(|l| l.kind().plays_media()).filter_map(|l| l.media_id).collect();
    let viewers_7 = media::views::viewers_since(&mut tx, now - Duration::days(7), Some(&media)).await?;
    let viewers_30 = media::views::viewers_since(&mut tx, now - Duration::days(30), Some(&media)).await?;
    let summary = store::summary(&mut tx, course.id, required_total, now, &viewers_7, &viewers_30).await?;
    let days = store::course_days(&mut tx, course.id, from).await?;
    let counts: HashMap<_, _> =
        store::lesson_counts(&mut tx, course.id, from).await?.into_iter().map(|c| (c.lesson_id, c)).collect();
    let watched: HashMap<_, _> =
        media::views::watch_through(&mut tx, &media).await?.into_iter().map(|w| (w.media_id, w)).collect();
    let learners = store::learners(&mut tx, course.id, sort, (page - 1) * PAGE, PAGE).await?;
    let students = with_people(&mut tx, learners, required_total).await?;
    tx.commit().await?;

    let empty = store::LessonCounts::default();
    let count = |l: &Lesson| counts.get(&l.id.0).unwrap_or(&empty);
    let row = |l: &Lesson, percent, count, average| LessonRow {
        title: l.title.clone(),
        kind: l.kind().as_str(),
        percent,
        count,
        average,
    };
    let drop_off: Vec<_> = lessons
        .iter()
        .map(|l| row(l, percent(count(l).completions, summary.enrolled), count(l).completions, None))
        .collect();
    let watch: Vec<_> = lessons
        .iter()
        .filter(|l| l.kind().plays_media())
        .map(|l| {
            let w = l.media_id.and_then(|m| watched.get(&m));
            row(l, w.map_or(0, |w| (w.average_share * 100.0).round() as i64), w.map_or(0, |w| w.viewers), None)
        })
        .collect();
    let quizzes: Vec<_> = lessons
        .iter()
        .filter(|l| l.kind() == LessonKind::Quiz)
        .map(|l| {
            let c = count(l);
            let average = (c.quiz_attempts > 0).then(|| (c.quiz_score_sum / c.quiz_attempts as f64).round() as i64);
            row(l, percent(c.quiz_passes, c.quiz_attempts), c.quiz_attempts, average)
        })
        .collect();

    let first = from.unwrap_or_else(|| days.first().map_or(today, |d| d.day).min(today - Duration::days(29)));
    let enrolments = chart::columns(&series(&days, first, today), ctx.shell.locale);
    let sum = |f: fn(&store::Day) -> i64| days.iter().map(f).sum::<i64>();
    let pages = ((summary.enrolled + PAGE - 1) / PAGE).max(1);
    ctx.render(
        "insights/analytics.html",
        context! {
            course => Serde(&course),
            period => period.as_str(),
            periods => Serde(Period::CHOICES.iter().map(|p| p.as_str()).collect::<Vec<_>>()),
            sort => sort.as_str(),
            page, pages,
            summary => Serde(&summary),
            completion_rate => percent(summary.completed, summary.enrolled),
            average_progress => (summary.average_progress * 100.0).round() as i64,
            new_enrollments => sum(|d| d.enrollments),
            period_completions => sum(|d| d.completions),
            lesson_completions => sum(|d| d.lesson_completions),
            enrolments => Serde(&enrolments),
            drop_off => Serde(&drop_off),
            watch => Serde(&watch),
            quizzes => Serde(&quizzes),
            students => Serde(&students),
            required_total,
        },
    )
    .map(IntoResponse::into_response)
}
