//! Completing lessons and courses. A completion is one `lesson_progress` row, inserted once, so
//! `lesson.completed` is published once per student and lesson however many ways it arrives
//! (marked, watched, quiz passed, assignment approved, staff); the course completes once, when
//! its last required lesson does, and `course.completed` is published then.

use kernel::{AppState, db::TenantTx, ids::UserId};
use serde_json::json;

use crate::model::Lesson;

/// How a lesson came to be complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// The student pressed "mark complete".
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

impl How {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Marked => "marked",
            Self::Watched => "watched",
            Self::Quiz => "quiz",
            Self::Assignment => "assignment",
            Self::Staff => "staff",
        }
    }
}

/// What [`complete_lesson`] changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The lesson was not complete before.
    pub lesson: bool,
    /// This completion finished the course.
    pub course: bool,
}

/// Records that `user` completed `lesson`; publishes `lesson.completed` the first time, and
/// `course.completed` when it was the course's last required lesson. Callers check access first.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn complete_lesson(
    state: &AppState,
    tx: &mut TenantTx,
    user: UserId,
    lesson: &Lesson,
    how: How,
) -> anyhow::Result<Completion> {
    let now = state.clock.now();
    let inserted = sqlx::query(
        "insert into lesson_progress (tenant_id, user_id, lesson_id, course_id, how, completed_at)
         values ($1, $2, $3, $4, $5, $6) on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(lesson.id)
    .bind(lesson.course_id)
    .bind(how.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if !inserted {
        return Ok(Completion { lesson: false, course: false });
    }
    sqlx::query(
        "update enrollments set last_activity_at = $4 where tenant_id = $1 and user_id = $2 and course_id = $3",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(lesson.course_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    state
        .events
        .publish(
            tx,
            "lesson.completed",
            json!({ "user_id": user, "lesson_id": lesson.id, "course_id": lesson.course_id,
                    "lesson_title": lesson.title, "how": how.as_str() }),
        )
        .await?;
    let course = check_course(state, tx, user, lesson.course_id).await?;
    Ok(Completion { lesson: true, course })
}

/// Marks the course complete for `user` if every required published lesson is done and it was
/// not complete already; publishes `course.completed` then. Returns whether it completed now.
pub async fn check_course(
    state: &AppState,
    tx: &mut TenantTx,
    user: UserId,
    course: crate::model::CourseId,
) -> anyhow::Result<bool> {
    let (total, done): (i64, i64) = sqlx::query_as(
        "select count(*), count(p.lesson_id)
         from lessons l
           join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id and m.deleted_at is null
           left join lesson_progress p on p.tenant_id = l.tenant_id and p.lesson_id = l.id and p.user_id = $2
         where l.tenant_id = $1 and l.course_id = $3 and l.required and l.status = 'published'
           and l.deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(course)
    .fetch_one(&mut **tx)
    .await?;
    if total == 0 || done < total {
        return Ok(false);
    }
    let completed: Option<crate::model::EnrollmentId> = sqlx::query_scalar(
        "update enrollments set completed_at = $4 where tenant_id = $1 and user_id = $2 and course_id = $3
           and completed_at is null returning id",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(course)
    .bind(state.clock.now())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(enrollment) = completed else { return Ok(false) };
    let title: String = sqlx::query_scalar("select title from courses where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(course)
        .fetch_one(&mut **tx)
        .await?;
    state
        .events
        .publish(
            tx,
            "course.completed",
            json!({ "user_id": user, "course_id": course, "enrollment_id": enrollment, "course_title": title }),
        )
        .await?;
    Ok(true)
}
