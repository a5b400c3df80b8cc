//! Learning rollups kept from events. Each event insights subscribes to runs [`apply`] as its
//! own job; the event's `insights_activity` row is written in the same transaction as the
//! counters it moves, so a job that runs twice finds the row and counts nothing the second time.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AppState, db::TenantTx, events::Event, ids::UserId, state::Wiring};
use serde_json::Value;
use uuid::Uuid;

/// The events insights counts, with the job each one runs as.
pub const SUBSCRIPTIONS: [(&str, &str); 7] = [
    ("enrollment.created", "insights.enrollment_created"),
    ("enrollment.revoked", "insights.enrollment_revoked"),
    ("lesson.completed", "insights.lesson_completed"),
    ("course.completed", "insights.course_completed"),
    ("quiz.passed", "insights.quiz_passed"),
    ("quiz.failed", "insights.quiz_failed"),
    ("certificate.issued", "insights.certificate_issued"),
];

/// Subscribes insights to the learning events.
pub fn register(w: &mut Wiring) {
    for (kind, job) in SUBSCRIPTIONS {
        w.events.subscribe(&mut w.jobs, kind, job, apply);
    }
}

async fn apply(state: AppState, event: Event) -> anyhow::Result<()> {
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    record(&mut tx, &event, &school.time_zone).await?;
    tx.commit().await?;
    Ok(())
}

fn id(payload: &Value, key: &str) -> Option<Uuid> {
    payload.get(key).and_then(Value::as_str).and_then(|s| s.parse().ok())
}

/// The day an event happened on, in the school's time zone.
pub fn day_of(at: DateTime<Utc>, zone: &str) -> NaiveDate {
    at.with_timezone(&kernel::format::tz(zone)).date_naive()
}

/// How one event moves the course's counters.
#[derive(Default, Debug, PartialEq)]
struct Counts {
    enrollments: i32,
    revocations: i32,
    completions: i32,
    lesson_completions: i32,
    quiz_attempts: i32,
    quiz_passes: i32,
    certificates: i32,
    /// Whether the event is the student learning (it makes them active that day).
    learning: bool,
}

fn counts(kind: &str) -> Counts {
    let c = Counts::default();
    match kind {
        "enrollment.created" => Counts { enrollments: 1, ..c },
        "enrollment.revoked" => Counts { revocations: 1, ..c },
        "lesson.completed" => Counts { lesson_completions: 1, learning: true, ..c },
        "course.completed" => Counts { completions: 1, learning: true, ..c },
        "quiz.passed" => Counts { quiz_attempts: 1, quiz_passes: 1, learning: true, ..c },
        "quiz.failed" => Counts { quiz_attempts: 1, learning: true, ..c },
        "certificate.issued" => Counts { certificates: 1, ..c },
        _ => c,
    }
}

/// Counts one event, once: returns false when it was counted before.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant(), kind = %event.kind))]
pub async fn record(tx: &mut TenantTx, event: &Event, zone: &str) -> anyhow::Result<bool> {
    let p = &event.payload;
    let (user, course, lesson) = (id(p, "user_id"), id(p, "course_id"), id(p, "lesson_id"));
    let score = p.get("score").and_then(Value::as_f64);
    let subject = subject(tx, &event.kind, p, course, lesson).await?;
    let at = event.occurred_at;
    let fresh = sqlx::query(
        "insert into insights_activity (tenant_id, id, kind, user_id, course_id, lesson_id, subject, score, occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(event.id)
    .bind(&event.kind)
    .bind(user)
    .bind(course)
    .bind(lesson)
    .bind(&subject)
    .bind(score)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    let Some(course) = course.filter(|_| fresh) else { return Ok(fresh) };
    let day = day_of(at, zone);
    let c = counts(&event.kind);
    sqlx::query(
        "insert into insights_course_days as d (tenant_id, course_id, day, enrollments, revocations, completions,
           lesson_completions, quiz_attempts, quiz_passes, certificates)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (tenant_id, course_id, day) do update set
           enrollments = d.enrollments + excluded.enrollments, revocations = d.revocations + excluded.revocations,
           completions = d.completions + excluded.completions,
           lesson_completions = d.lesson_completions + excluded.lesson_completions,
           quiz_attempts = d.quiz_attempts + excluded.quiz_attempts, quiz_passes = d.quiz_passes + excluded.quiz_passes,
           certificates = d.certificates + excluded.certificates",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(day)
    .bind(c.enrollments)
    .bind(c.revocations)
    .bind(c.completions)
    .bind(c.lesson_completions)
    .bind(c.quiz_attempts)
    .bind(c.quiz_passes)
    .bind(c.certificates)
    .execute(&mut **tx)
    .await?;
    if let Some(lesson) = lesson.filter(|_| c.lesson_completions + c.quiz_attempts > 0) {
        sqlx::query(
            "insert into insights_lesson_days as d (tenant_id, course_id, lesson_id, day, completions, quiz_attempts,
               quiz_passes, quiz_score_sum)
             values ($1, $2, $3, $4, $5, $6, $7, $8)
             on conflict (tenant_id, course_id, lesson_id, day) do update set
               completions = d.completions + excluded.completions, quiz_attempts = d.quiz_attempts + excluded.quiz_attempts,
               quiz_passes = d.quiz_passes + excluded.quiz_passes, quiz_score_sum = d.quiz_score_sum + excluded.quiz_score_sum",
        )
        .bind(tx.tenant())
        .bind(course)
        .bind(lesson)
        .bind(day)
        .bind(c.lesson_completions)
        .bind(c.quiz_attempts)
        .bind(c.quiz_passes)
        .bind(if c.quiz_attempts > 0 { score.unwrap_or(0.0).clamp(0.0, 100.0) } else { 0.0 })
        .execute(&mut **tx)
        .await?;
    }
    if let Some(user) = user {
        learner(tx, &event.kind, course, user, at, c.learning).await?;
        if c.learning {
            active_on(tx, course, user, day).await?;
        }
    }
    Ok(true)
}

/// What the feed names: the lesson for lesson and quiz events, else the course.
async fn subject(
    tx: &mut TenantTx,
    kind: &str,
    p: &Value,
    course: Option<Uuid>,
    lesson: Option<Uuid>,
) -> sqlx::Result<String> {
    let named = |key: &str| p.get(key).and_then(Value::as_str).map(str::to_string);
    if kind.starts_with("lesson.") || kind.starts_with("quiz.") {
        if let Some(title) = named("lesson_title") {
            return Ok(title);
        }
        if let Some(lesson) = lesson {
            let found = courses::store::lesson(tx, courses::LessonId(lesson)).await?;
            return Ok(found.map(|l| l.title).unwrap_or_default());
        }
    }
    if let Some(title) = named("course_title") {
        return Ok(title);
    }
    match course {
        Some(course) => {
            Ok(courses::store::course(tx, courses::CourseId(course)).await?.map(|c| c.title).unwrap_or_default())
        }
        None => Ok(String::new()),
    }
}

/// Moves the student's row for the course. Written to give the same row whatever order the
/// events arrive in: dates only move forward, progress is re-read from courses.
async fn learner(
    tx: &mut TenantTx,
    kind: &str,
    course: Uuid,
    user: Uuid,
    at: DateTime<Utc>,
    learning: bool,
) -> anyhow::Result<()> {
    let required_done = if kind == "lesson.completed" {
        courses::stats::required_done(tx, UserId(user), courses::CourseId(course)).await? as i32
    } else {
        0
    };
    let enrolled = (kind == "enrollment.created").then_some(at);
    let revoked = (kind == "enrollment.revoked").then_some(at);
    let completed = (kind == "course.completed").then_some(at);
    let lessons = i32::from(kind == "lesson.completed");
    let active = learning.then_some(at);
    sqlx::query(
        "insert into insights_learners as l (tenant_id, course_id, user_id, enrolled_at, revoked_at, completed_at,
           required_done, lessons_done, last_active_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (tenant_id, course_id, user_id) do update set
           enrolled_at = greatest(l.enrolled_at, excluded.enrolled_at),
           revoked_at = greatest(l.revoked_at, excluded.revoked_at),
           completed_at = least(l.completed_at, excluded.completed_at),
           required_done = greatest(l.required_done, excluded.required_done),
           lessons_done = l.lessons_done + excluded.lessons_done,
           last_active_at = greatest(l.last_active_at, excluded.last_active_at)",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(user)
    .bind(enrolled)
    .bind(revoked)
    .bind(completed)
    .bind(required_done)
    .bind(lessons)
    .bind(active)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Counts the student among the course's active learners of `day`, once.
async fn active_on(tx: &mut TenantTx, course: Uuid, user: Uuid, day: NaiveDate) -> sqlx::Result<()> {
    let first = sqlx::query(
        "insert into insights_learner_days (tenant_id, course_id, user_id, day) values ($1, $2, $3, $4)
         on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(user)
    .bind(day)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if first {
        sqlx::query(
            "update insights_course_days set active_learners = active_learners + 1
             where tenant_id = $1 and course_id = $2 and day = $3",
        )
        .bind(tx.tenant())
        .bind(course)
        .bind(day)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_moves_its_own_counter() {
        assert_eq!(counts("enrollment.created").enrollments, 1);
        let quiz = counts("quiz.passed");
        assert_eq!((quiz.quiz_attempts, quiz.quiz_passes, quiz.learning), (1, 1, true));
        let failed = counts("quiz.failed");
        assert_eq!((failed.quiz_attempts, failed.quiz_passes), (1, 0));
        assert!(!counts("enrollment.revoked").learning, "losing access is not learning");
        assert_eq!(counts("something.else"), Counts::default());
    }

    #[test]
    fn days_are_the_schools_days() {
        let at: DateTime<Utc> = "2026-11-30T03:00:00Z".parse().unwrap();
        assert_eq!(day_of(at, "UTC").to_string(), "2026-11-30");
        assert_eq!(day_of(at, "America/Mexico_City").to_string(), "2026-11-29");
    }
}
