//! A student's progress as other domains and the API report it: per enrolment, the share of
//! required lessons done and every completed lesson with how and when.

use chrono::{DateTime, Utc};
use identity::User;
use kernel::db::TenantTx;
use serde::Serialize;

use crate::{
    access::Outline,
    model::{CourseId, Enrollment, EnrollmentState, LessonId},
    store,
};

/// One completed lesson.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Completed {
    /// The lesson.
    pub lesson_id: LessonId,
    /// Its title.
    pub title: String,
    /// `marked`, `watched`, `quiz`, `assignment` or `staff`.
    pub how: String,
    /// When.
    pub completed_at: DateTime<Utc>,
}

/// A student's progress in one course.
#[derive(Clone, Debug, Serialize)]
pub struct CourseProgress {
    /// The enrolment.
    pub enrollment: Enrollment,
    /// The course's title.
    pub course_title: String,
    /// Where the enrolment stands now.
    pub state: EnrollmentState,
    /// Share of required lessons done, 0–100.
    pub percent: u32,
    /// Required lessons done.
    pub required_done: usize,
    /// Required lessons in the course.
    pub required_total: usize,
    /// Completed lessons, oldest first.
    pub lessons: Vec<Completed>,
}

/// `user`'s progress in each course they are (or were) enrolled in, or only in `course`.
pub async fn progress(
    tx: &mut TenantTx,
    user: &User,
    course: Option<CourseId>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<CourseProgress>> {
    let mut out = vec![];
    for enrollment in store::enrollments_of_user(tx, user.id).await? {
        if course.is_some_and(|c| c != enrollment.course_id) {
            continue;
        }
        let Some(found) = store::course(tx, enrollment.course_id).await? else { continue };
        let course_title = found.title.clone();
        let outline = Outline::load(tx, found, Some(user), now, true).await?;
        let lessons = sqlx::query_as(
            "select p.lesson_id, l.title, p.how, p.completed_at from lesson_progress p
               join lessons l on l.tenant_id = p.tenant_id and l.id = p.lesson_id
             where p.tenant_id = $1 and p.user_id = $2 and p.course_id = $3
             order by p.completed_at, p.lesson_id",
        )
        .bind(tx.tenant())
        .bind(user.id)
        .bind(enrollment.course_id)
        .fetch_all(&mut **tx)
        .await?;
        out.push(CourseProgress {
            state: enrollment.state(now),
            percent: outline.percent(),
            required_done: outline.required_done,
            required_total: outline.required_total,
            course_title,
            enrollment,
            lessons,
        });
    }
    Ok(out)
}
