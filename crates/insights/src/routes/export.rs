//! `GET /admin/courses/{id}/analytics/students.csv`: the course's students as a spreadsheet,
//! in the table's order. Cells that a spreadsheet would run as formulas are kept as text.

use axum::{
    extract::{Path, Query},
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use identity::{Ctx, Permission};
use kernel::{AppResult, csv};

use super::analytics::{AnalyticsQuery, load_course, published_lessons, with_people};
use crate::store::{self, Sort};

/// Rows read per query while writing the file.
const BATCH: i64 = 5_000;

/// The course's current students as CSV, in the order `sort` asks for.
pub async fn students(ctx: Ctx, Path(id): Path<String>, Query(q): Query<AnalyticsQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let sort = Sort::parse(q.sort.as_deref());
    let zone = kernel::format::tz(&ctx.school.time_zone);
    let day = |at: Option<DateTime<Utc>>| {
        at.map(|t| t.with_timezone(&zone).format("%Y-%m-%d").to_string()).unwrap_or_default()
    };
    let mut tx = ctx.tx().await?;
    let course = load_course(&mut tx, &id).await?;
    let (_, required_total) = published_lessons(&mut tx, course.id).await?;
    let headers = ["name", "email", "progress", "lessons", "enrolled", "last-active", "completed"]
        .map(|h| ctx.t(&format!("insights-csv-{h}")));
    let mut body = csv::row(&headers);
    let mut offset = 0;
    loop {
        let learners = store::learners(&mut tx, course.id, sort, offset, BATCH).await?;
        let done = (learners.len() as i64) < BATCH;
        for s in with_people(&mut tx, learners, required_total).await? {
            body.push_str(&csv::row(&[
                s.name,
                s.email,
                s.percent.to_string(),
                s.learner.lessons_done.to_string(),
                day(s.learner.enrolled_at),
                day(s.learner.last_active_at),
                day(s.learner.completed_at),
            ]));
        }
        if done {
            break;
        }
        offset += BATCH;
    }
    tx.commit().await?;
    let file = format!("attachment; filename=\"{}-students.csv\"", course.slug);
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, file)], body)
        .into_response())
}
