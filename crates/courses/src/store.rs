//! SQL for courses, modules, lessons, enrolments and progress; every function takes the
//! school's transaction. Deleted (undo-able) rows are left out everywhere except where named.

use kernel::{db::TenantTx, ids::UserId};
use sqlx::AssertSqlSafe;

use crate::model::{Course, CourseId, Enrollment, EnrollmentId, Lesson, LessonId, Module, ModuleId};

const COURSE: &str = "id, slug, title, subtitle, description_html, category, cover_media_id, status, is_free, \
                      published_at, version, created_at, updated_at";
const MODULE: &str = "id, course_id, title, position, drip, drip_days, drip_at, drip_after";
const LESSON: &str = "id, course_id, module_id, title, kind, position, status, body_html, media_id, embed_url, \
                      duration_minutes, free_preview, required, allow_manual, watch_percent, drip, drip_days, \
                      drip_at, drip_after, version, updated_at";
const ENROLLMENT: &str = "id, user_id, course_id, source, source_ref, started_at, ends_at, paused_at, revoked_at, \
                          completed_at, last_lesson_id, last_activity_at, created_at";

/// The school's courses, newest first.
pub async fn courses(tx: &mut TenantTx) -> sqlx::Result<Vec<Course>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {COURSE} from courses where tenant_id = $1 and deleted_at is null order by created_at desc"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// A course by id.
pub async fn course(tx: &mut TenantTx, id: CourseId) -> sqlx::Result<Option<Course>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {COURSE} from courses where tenant_id = $1 and id = $2 and deleted_at is null"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// A course by its address.
pub async fn course_by_slug(tx: &mut TenantTx, slug: &str) -> sqlx::Result<Option<Course>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {COURSE} from courses where tenant_id = $1 and slug = $2 and deleted_at is null"
    )))
    .bind(tx.tenant())
    .bind(slug)
    .fetch_optional(&mut **tx)
    .await
}

/// Whether a live course already has this address.
pub async fn slug_taken(tx: &mut TenantTx, slug: &str, except: Option<CourseId>) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists(select 1 from courses where tenant_id = $1 and slug = $2 and deleted_at is null
           and id is distinct from $3)",
    )
    .bind(tx.tenant())
    .bind(slug)
    .bind(except)
    .fetch_one(&mut **tx)
    .await
}

/// Adds a draft course.
pub async fn insert_course(
    tx: &mut TenantTx,
    id: CourseId,
    slug: &str,
    title: &str,
    created_by: Option<UserId>,
) -> sqlx::Result<()> {
    sqlx::query("insert into courses (tenant_id, id, slug, title, created_by) values ($1, $2, $3, $4, $5)")
        .bind(tx.tenant())
        .bind(id)
        .bind(slug)
        .bind(title)
        .bind(created_by)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A course's modules in order.
pub async fn modules(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<Vec<Module>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {MODULE} from course_modules where tenant_id = $1 and course_id = $2 and deleted_at is null
         order by position, created_at"
    )))
    .bind(tx.tenant())
    .bind(course)
    .fetch_all(&mut **tx)
    .await
}

/// Adds a module at the end of a course.
pub async fn insert_module(tx: &mut TenantTx, id: ModuleId, course: CourseId, title: &str) -> sqlx::Result<()> {
    sqlx::query(
        "insert into course_modules (tenant_id, id, course_id, title, position)
         values ($1, $2, $3, $4, (select coalesce(max(position) + 1, 0) from course_modules
                                  where tenant_id = $1 and course_id = $3 and deleted_at is null))",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(course)
    .bind(title)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A course's lessons, module by module in order (drafts included; callers filter).
pub async fn lessons(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<Vec<Lesson>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {} from lessons l join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id
         where l.tenant_id = $1 and l.course_id = $2 and l.deleted_at is null and m.deleted_at is null
         order by m.position, m.created_at, l.position, l.created_at",
        LESSON.split(", ").map(|c| format!("l.{c}")).collect::<Vec<_>>().join(", ")
    )))
    .bind(tx.tenant())
    .bind(course)
    .fetch_all(&mut **tx)
    .await
}

/// A lesson by id.
pub async fn lesson(tx: &mut TenantTx, id: LessonId) -> sqlx::Result<Option<Lesson>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {LESSON} from lessons where tenant_id = $1 and id = $2 and deleted_at is null"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Adds a draft lesson at the end of a module.
pub async fn insert_lesson(
    tx: &mut TenantTx,
    id: LessonId,
    course: CourseId,
    module: ModuleId,
    title: &str,
    kind: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into lessons (tenant_id, id, course_id, module_id, title, kind, position)
         values ($1, $2, $3, $4, $5, $6, (select coalesce(max(position) + 1, 0) from lessons
                                          where tenant_id = $1 and module_id = $4 and deleted_at is null))",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(course)
    .bind(module)
    .bind(title)
    .bind(kind)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The published lessons of published courses that play or attach `media`.
pub async fn lessons_using_media(tx: &mut TenantTx, media: media::MediaId) -> sqlx::Result<Vec<Lesson>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {} from lessons l
           join courses c on c.tenant_id = l.tenant_id and c.id = l.course_id
           join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id
         where l.tenant_id = $1 and l.deleted_at is null and m.deleted_at is null and c.deleted_at is null
           and l.status = 'published' and c.status = 'published'
           and (l.media_id = $2 or exists(select 1 from lesson_attachments a
                                          where a.tenant_id = l.tenant_id and a.lesson_id = l.id and a.media_id = $2))",
        LESSON.split(", ").map(|c| format!("l.{c}")).collect::<Vec<_>>().join(", ")
    )))
    .bind(tx.tenant())
    .bind(media)
    .fetch_all(&mut **tx)
    .await
}

/// A student's enrolment in a course, whatever its state.
pub async fn enrollment(tx: &mut TenantTx, user: UserId, course: CourseId) -> sqlx::Result<Option<Enrollment>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {ENROLLMENT} from enrollments where tenant_id = $1 and user_id = $2 and course_id = $3"
    )))
    .bind(tx.tenant())
    .bind(user)
    .bind(course)
    .fetch_optional(&mut **tx)
    .await
}

/// A student's enrolments, most recently active first.
pub async fn enrollments_of_user(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Vec<Enrollment>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {ENROLLMENT} from enrollments where tenant_id = $1 and user_id = $2
         order by coalesce(last_activity_at, created_at) desc"
    )))
    .bind(tx.tenant())
    .bind(user)
    .fetch_all(&mut **tx)
    .await
}

/// The lessons of a course a student completed.
pub async fn completed_lessons(tx: &mut TenantTx, user: UserId, course: CourseId) -> sqlx::Result<Vec<LessonId>> {
    sqlx::query_scalar("select lesson_id from lesson_progress where tenant_id = $1 and user_id = $2 and course_id = $3")
        .bind(tx.tenant())
        .bind(user)
        .bind(course)
        .fetch_all(&mut **tx)
        .await
}

/// Remembers the lesson a student opened last ("continue where you left off").
pub async fn touch_enrollment(
    tx: &mut TenantTx,
    user: UserId,
    course: CourseId,
    lesson: LessonId,
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        // Writing on every page view would cost a WAL flush per view: only a new lesson, or
        // activity more than five minutes after the last recorded, is written.
        "update enrollments set last_lesson_id = $4, last_activity_at = $5
         where tenant_id = $1 and user_id = $2 and course_id = $3
           and (last_lesson_id is distinct from $4 or last_activity_at is null
                or last_activity_at < $5 - interval '5 minutes')",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(course)
    .bind(lesson)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An enrolment by id.
pub async fn enrollment_by_id(tx: &mut TenantTx, id: EnrollmentId) -> sqlx::Result<Option<Enrollment>> {
    sqlx::query_as(AssertSqlSafe(format!("select {ENROLLMENT} from enrollments where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Every enrolment in a course, whatever its state, newest first.
pub async fn enrollments_of_course(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<Vec<Enrollment>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {ENROLLMENT} from enrollments where tenant_id = $1 and course_id = $2 order by created_at desc"
    )))
    .bind(tx.tenant())
    .bind(course)
    .fetch_all(&mut **tx)
    .await
}

/// Required published lessons of a course: how many there are.
pub async fn required_total(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from lessons l join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id
         where l.tenant_id = $1 and l.course_id = $2 and l.required and l.status = 'published'
           and l.deleted_at is null and m.deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(course)
    .fetch_one(&mut **tx)
    .await
}

/// Required published lessons of a course each student completed, by student.
pub async fn required_done(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<Vec<(UserId, i64)>> {
    sqlx::query_as(
        "select p.user_id, count(*) from lesson_progress p
           join lessons l on l.tenant_id = p.tenant_id and l.id = p.lesson_id
           join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id
         where p.tenant_id = $1 and p.course_id = $2 and l.required and l.status = 'published'
           and l.deleted_at is null and m.deleted_at is null
         group by p.user_id",
    )
    .bind(tx.tenant())
    .bind(course)
    .fetch_all(&mut **tx)
    .await
}

/// The school's published courses, in the catalogue's order (newest first).
pub async fn published_courses(tx: &mut TenantTx) -> sqlx::Result<Vec<Course>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {COURSE} from courses where tenant_id = $1 and deleted_at is null and status = 'published'
         order by published_at desc nulls last, created_at desc"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Published lessons per published course.
pub async fn lesson_counts(tx: &mut TenantTx) -> sqlx::Result<Vec<(CourseId, i64)>> {
    sqlx::query_as(
        "select l.course_id, count(*) from lessons l
           join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id
         where l.tenant_id = $1 and l.status = 'published' and l.deleted_at is null and m.deleted_at is null
         group by l.course_id",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Who teaches each course, in order: (course, instructor).
pub async fn instructors(tx: &mut TenantTx) -> sqlx::Result<Vec<(CourseId, UserId)>> {
    sqlx::query_as(
        "select course_id, user_id from course_instructors where tenant_id = $1 order by course_id, position",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// What an enrolment list (the API's) asks for.
#[derive(Clone, Debug, Default)]
pub struct EnrollmentFilter {
    /// Only this course.
    pub course: Option<CourseId>,
    /// Only this student.
    pub user: Option<UserId>,
    /// Only this state: `active`, `paused`, `expired` or `revoked`.
    pub state: Option<crate::model::EnrollmentState>,
    /// Only enrolments older than this one (the cursor).
    pub before: Option<EnrollmentId>,
    /// At most this many.
    pub limit: i64,
}

/// Enrolments newest first (ids are time-ordered), filtered; `now` decides what has expired.
pub async fn enrollments_page(
    tx: &mut TenantTx,
    f: &EnrollmentFilter,
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<Vec<Enrollment>> {
    use crate::model::EnrollmentState as S;
    let state = match f.state {
        None => "true",
        Some(S::Active) => "revoked_at is null and paused_at is null and (ends_at is null or ends_at > $6)",
        Some(S::Paused) => "revoked_at is null and paused_at is not null",
        Some(S::Expired) => "revoked_at is null and paused_at is null and ends_at <= $6",
        Some(S::Revoked) => "revoked_at is not null",
    };
    sqlx::query_as(AssertSqlSafe(format!(
        "select {ENROLLMENT} from enrollments where tenant_id = $1
           and ($2::uuid is null or course_id = $2) and ($3::uuid is null or user_id = $3)
           and ($4::uuid is null or id < $4) and {state} and $6::timestamptz is not null
         order by id desc limit $5"
    )))
    .bind(tx.tenant())
    .bind(f.course)
    .bind(f.user)
    .bind(f.before)
    .bind(f.limit)
    .bind(now)
    .fetch_all(&mut **tx)
    .await
}

/// A course of the school's list, with what the list shows beside it.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct CourseCard {
    /// The course.
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub course: Course,
    /// Its live modules.
    pub modules: i64,
    /// Its live lessons.
    pub lessons: i64,
    /// Students enrolled and not revoked.
    pub enrolled: i64,
}

/// The school's courses for the list, newest edit first, optionally only titles containing `q`.
pub async fn course_cards(tx: &mut TenantTx, q: Option<&str>) -> sqlx::Result<Vec<CourseCard>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {},
           (select count(*) from course_modules m where m.tenant_id = c.tenant_id and m.course_id = c.id
              and m.deleted_at is null) as modules,
           (select count(*) from lessons l join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id
              where l.tenant_id = c.tenant_id and l.course_id = c.id and l.deleted_at is null
                and m.deleted_at is null) as lessons,
           (select count(*) from enrollments e where e.tenant_id = c.tenant_id and e.course_id = c.id
              and e.revoked_at is null) as enrolled
         from courses c
         where c.tenant_id = $1 and c.deleted_at is null
           and ($2::text is null or c.title ilike '%' || $2 || '%')
         order by c.updated_at desc",
        COURSE.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ")
    )))
    .bind(tx.tenant())
    .bind(q)
    .fetch_all(&mut **tx)
    .await
}

/// The school's courses for the API, newest first, a page after `before` (an id), optionally
/// of one status.
pub async fn course_page(
    tx: &mut TenantTx,
    status: Option<&str>,
    before: Option<CourseId>,
    limit: i64,
) -> sqlx::Result<Vec<Course>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {COURSE} from courses where tenant_id = $1 and deleted_at is null
           and ($2::text is null or status = $2) and ($3::uuid is null or id < $3)
         order by id desc limit $4"
    )))
    .bind(tx.tenant())
    .bind(status)
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// A course by id, also when it was deleted (for its undo).
pub async fn course_with_deleted(tx: &mut TenantTx, id: CourseId) -> sqlx::Result<Option<Course>> {
    sqlx::query_as(AssertSqlSafe(format!("select {COURSE} from courses where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// A deleted module of a course (for its undo).
pub async fn deleted_module(tx: &mut TenantTx, course: CourseId, id: ModuleId) -> sqlx::Result<Option<Module>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {MODULE} from course_modules where tenant_id = $1 and course_id = $2 and id = $3
           and deleted_at is not null"
    )))
    .bind(tx.tenant())
    .bind(course)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// A deleted lesson of a course (for its undo).
pub async fn deleted_lesson(tx: &mut TenantTx, course: CourseId, id: LessonId) -> sqlx::Result<Option<Lesson>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {LESSON} from lessons where tenant_id = $1 and course_id = $2 and id = $3 and deleted_at is not null"
    )))
    .bind(tx.tenant())
    .bind(course)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The library items a lesson plays or attaches.
pub async fn lesson_media(tx: &mut TenantTx, lesson: LessonId) -> sqlx::Result<Vec<media::MediaId>> {
    sqlx::query_scalar(
        "select media_id from lessons where tenant_id = $1 and id = $2 and media_id is not null
         union select media_id from lesson_attachments where tenant_id = $1 and lesson_id = $2",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .fetch_all(&mut **tx)
    .await
}
