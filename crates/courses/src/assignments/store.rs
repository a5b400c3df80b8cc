//! SQL for submissions, their versions and files; every function takes the school's transaction.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use serde::Serialize;
use sqlx::AssertSqlSafe;

use super::{FileId, SubmissionId, VersionId};
use crate::model::{CourseId, LessonId};

const SUBMISSION: &str = "id, lesson_id, course_id, user_id, status, version, submitted_at, reviewed_at, reviewed_by";
const VERSION: &str = "id, submission_id, number, body_html, submitted_at, outcome, feedback, reviewed_at, reviewed_by";
const FILE: &str = "id, version_id, submission_id, file_name, content_type, size_bytes, storage_key";

/// Where a student's work on one assignment stands.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Submission {
    /// Its id.
    pub id: SubmissionId,
    /// The assignment lesson.
    pub lesson_id: LessonId,
    /// Its course.
    pub course_id: CourseId,
    /// The student.
    pub user_id: UserId,
    /// `pending`, `approved` or `changes_requested`.
    pub status: String,
    /// The number of the latest version.
    pub version: i32,
    /// When the latest version was handed in.
    pub submitted_at: DateTime<Utc>,
    /// When staff last decided.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Who decided.
    pub reviewed_by: Option<UserId>,
}

/// One version of the work, with the review it got.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Version {
    /// Its id.
    pub id: VersionId,
    /// The submission.
    pub submission_id: SubmissionId,
    /// 1, 2, …
    pub number: i32,
    /// The student's text (sanitised HTML).
    pub body_html: String,
    /// When it was handed in.
    pub submitted_at: DateTime<Utc>,
    /// `approved` or `changes_requested` once reviewed.
    pub outcome: Option<String>,
    /// What staff wrote back.
    pub feedback: String,
    /// When it was reviewed.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Who reviewed it.
    pub reviewed_by: Option<UserId>,
}

/// A file attached to a version.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct File {
    /// Its id (the download address).
    pub id: FileId,
    /// The version.
    pub version_id: VersionId,
    /// The submission.
    pub submission_id: SubmissionId,
    /// The name on the student's computer.
    pub file_name: String,
    /// The type found from its bytes.
    pub content_type: String,
    /// Its size.
    pub size_bytes: i64,
    /// Where the bytes are in the school's storage.
    pub storage_key: String,
}

/// A student's submission for a lesson, locked for update when `lock`.
pub async fn submission_of(
    tx: &mut TenantTx,
    lesson: LessonId,
    user: UserId,
    lock: bool,
) -> sqlx::Result<Option<Submission>> {
    let lock = if lock { " for update" } else { "" };
    sqlx::query_as(AssertSqlSafe(format!(
        "select {SUBMISSION} from assignment_submissions where tenant_id = $1 and lesson_id = $2 and user_id = $3{lock}"
    )))
    .bind(tx.tenant())
    .bind(lesson)
    .bind(user)
    .fetch_optional(&mut **tx)
    .await
}

/// A submission by id, locked for update when `lock`.
pub async fn submission(tx: &mut TenantTx, id: SubmissionId, lock: bool) -> sqlx::Result<Option<Submission>> {
    let lock = if lock { " for update" } else { "" };
    sqlx::query_as(AssertSqlSafe(format!(
        "select {SUBMISSION} from assignment_submissions where tenant_id = $1 and id = $2{lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Adds a submission with its first version.
pub async fn insert_submission(
    tx: &mut TenantTx,
    s: &Submission,
    version: VersionId,
    body_html: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into assignment_submissions (tenant_id, id, lesson_id, course_id, user_id, status, version, submitted_at)
         values ($1, $2, $3, $4, $5, 'pending', 1, $6)",
    )
    .bind(tx.tenant())
    .bind(s.id)
    .bind(s.lesson_id)
    .bind(s.course_id)
    .bind(s.user_id)
    .bind(s.submitted_at)
    .execute(&mut **tx)
    .await?;
    insert_version(tx, version, s.id, 1, body_html, s.submitted_at).await
}

/// Adds a version.
pub async fn insert_version(
    tx: &mut TenantTx,
    id: VersionId,
    submission: SubmissionId,
    number: i32,
    body_html: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into assignment_versions (tenant_id, id, submission_id, number, body_html, submitted_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(submission)
    .bind(number)
    .bind(body_html)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces the text of a version not yet reviewed.
pub async fn replace_version_text(
    tx: &mut TenantTx,
    id: VersionId,
    body_html: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("update assignment_versions set body_html = $3, submitted_at = $4 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(body_html)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves a submission to its latest version, waiting for review again.
pub async fn mark_pending(tx: &mut TenantTx, id: SubmissionId, version: i32, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "update assignment_submissions set status = 'pending', version = $3, submitted_at = $4,
           reviewed_at = null, reviewed_by = null
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(version)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records staff's decision on the latest version.
pub async fn record_review(
    tx: &mut TenantTx,
    s: &Submission,
    outcome: &str,
    feedback: &str,
    reviewer: UserId,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update assignment_versions set outcome = $4, feedback = $5, reviewed_by = $6, reviewed_at = $7
         where tenant_id = $1 and submission_id = $2 and number = $3",
    )
    .bind(tx.tenant())
    .bind(s.id)
    .bind(s.version)
    .bind(outcome)
    .bind(feedback)
    .bind(reviewer)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "update assignment_submissions set status = $3, reviewed_by = $4, reviewed_at = $5
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(s.id)
    .bind(outcome)
    .bind(reviewer)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A submission's versions, newest first.
pub async fn versions(tx: &mut TenantTx, submission: SubmissionId) -> sqlx::Result<Vec<Version>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {VERSION} from assignment_versions where tenant_id = $1 and submission_id = $2 order by number desc"
    )))
    .bind(tx.tenant())
    .bind(submission)
    .fetch_all(&mut **tx)
    .await
}

/// The files of a submission, every version, in the order they were added.
pub async fn files(tx: &mut TenantTx, submission: SubmissionId) -> sqlx::Result<Vec<File>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {FILE} from assignment_files where tenant_id = $1 and submission_id = $2 order by created_at, id"
    )))
    .bind(tx.tenant())
    .bind(submission)
    .fetch_all(&mut **tx)
    .await
}

/// A file by id.
pub async fn file(tx: &mut TenantTx, id: FileId) -> sqlx::Result<Option<File>> {
    sqlx::query_as(AssertSqlSafe(format!("select {FILE} from assignment_files where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Attaches a stored file to a version.
pub async fn insert_file(tx: &mut TenantTx, f: &File) -> sqlx::Result<()> {
    sqlx::query(
        "insert into assignment_files (tenant_id, id, version_id, submission_id, file_name, content_type, size_bytes, storage_key)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tx.tenant())
    .bind(f.id)
    .bind(f.version_id)
    .bind(f.submission_id)
    .bind(&f.file_name)
    .bind(&f.content_type)
    .bind(f.size_bytes)
    .bind(&f.storage_key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a version's files; returns the storage keys no other version still uses.
pub async fn delete_files(tx: &mut TenantTx, version: VersionId) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "with gone as (delete from assignment_files where tenant_id = $1 and version_id = $2 returning storage_key)
         select storage_key from gone g where not exists (
           select 1 from assignment_files f where f.tenant_id = $1 and f.storage_key = g.storage_key
             and f.version_id <> $2)",
    )
    .bind(tx.tenant())
    .bind(version)
    .fetch_all(&mut **tx)
    .await
}

/// Carries the previous version's files over to a new one (same stored bytes).
pub async fn copy_files(tx: &mut TenantTx, from: VersionId, to: VersionId) -> sqlx::Result<()> {
    sqlx::query(
        "insert into assignment_files (tenant_id, id, version_id, submission_id, file_name, content_type, size_bytes, storage_key)
         select tenant_id, uuid_v7(), $3, submission_id, file_name, content_type, size_bytes, storage_key
         from assignment_files where tenant_id = $1 and version_id = $2 order by created_at, id",
    )
    .bind(tx.tenant())
    .bind(from)
    .bind(to)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A row of the review queue.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct QueueRow {
    /// The submission.
    pub id: SubmissionId,
    /// The student.
    pub user_id: UserId,
    /// `pending`, `approved` or `changes_requested`.
    pub status: String,
    /// Latest version number.
    pub version: i32,
    /// When the latest version came in.
    pub submitted_at: DateTime<Utc>,
    /// The lesson's title.
    pub lesson_title: String,
    /// The course's title.
    pub course_title: String,
    /// The course.
    pub course_id: CourseId,
}

/// The queue: submissions with `status` (any when `None`) in `course` (any when `None`),
/// oldest first, at most `limit`.
pub async fn queue(
    tx: &mut TenantTx,
    status: Option<&str>,
    course: Option<CourseId>,
    limit: i64,
) -> sqlx::Result<Vec<QueueRow>> {
    sqlx::query_as(
        "select s.id, s.user_id, s.status, s.version, s.submitted_at, l.title as lesson_title,
                c.title as course_title, c.id as course_id
         from assignment_submissions s
           join lessons l on l.tenant_id = s.tenant_id and l.id = s.lesson_id
           join courses c on c.tenant_id = s.tenant_id and c.id = s.course_id
         where s.tenant_id = $1 and ($2::text is null or s.status = $2) and ($3::uuid is null or s.course_id = $3)
           and l.deleted_at is null and c.deleted_at is null
         order by s.submitted_at, s.id
         limit $4",
    )
    .bind(tx.tenant())
    .bind(status)
    .bind(course)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// How many submissions are in each status (for the queue's tabs), in `course` if given.
pub async fn counts(tx: &mut TenantTx, course: Option<CourseId>) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "select s.status, count(*) from assignment_submissions s
           join lessons l on l.tenant_id = s.tenant_id and l.id = s.lesson_id and l.deleted_at is null
         where s.tenant_id = $1 and ($2::uuid is null or s.course_id = $2) group by s.status",
    )
    .bind(tx.tenant())
    .bind(course)
    .fetch_all(&mut **tx)
    .await
}

/// Courses that have an assignment lesson (the queue's course filter).
pub async fn courses_with_assignments(tx: &mut TenantTx) -> sqlx::Result<Vec<(CourseId, String)>> {
    sqlx::query_as(
        "select c.id, c.title from courses c where c.tenant_id = $1 and c.deleted_at is null and exists(
           select 1 from lessons l where l.tenant_id = c.tenant_id and l.course_id = c.id and l.kind = 'assignment'
             and l.deleted_at is null)
         order by c.title",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Bytes the school's handed-in files take in storage (a file carried over to a later version
/// counts once).
pub async fn stored_bytes(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select coalesce(sum(size_bytes), 0)::bigint from (
           select distinct on (storage_key) size_bytes from assignment_files where tenant_id = $1) f",
    )
    .bind(tx.tenant())
    .fetch_one(&mut **tx)
    .await
}
