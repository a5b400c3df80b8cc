//! SQL for editing a course's content: saving a lesson, a module or a course's settings under
//! the version check, attachments, instructors and their profiles. Every function takes the
//! school's transaction.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use media::MediaId;
use serde::Serialize;

use crate::model::{CourseId, Drip, LessonId, ModuleId};

/// Who last saved a lesson or course, and when (named when a stale save is refused).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct LastSave {
    /// Their name, if the account still exists.
    pub name: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// The version that save made.
    pub version: i32,
}

/// Who saved the lesson last.
pub async fn lesson_last_save(tx: &mut TenantTx, id: LessonId) -> sqlx::Result<Option<LastSave>> {
    let row: Option<(Option<UserId>, DateTime<Utc>, i32)> =
        sqlx::query_as("select updated_by, updated_at, version from lessons where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    last_save(tx, row).await
}

/// Who saved the course's settings last.
pub async fn course_last_save(tx: &mut TenantTx, id: CourseId) -> sqlx::Result<Option<LastSave>> {
    let row: Option<(Option<UserId>, DateTime<Utc>, i32)> =
        sqlx::query_as("select updated_by, updated_at, version from courses where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    last_save(tx, row).await
}

/// The saver's name comes from identity, which owns the accounts.
async fn last_save(
    tx: &mut TenantTx,
    row: Option<(Option<UserId>, DateTime<Utc>, i32)>,
) -> sqlx::Result<Option<LastSave>> {
    let Some((by, at, version)) = row else { return Ok(None) };
    let name = match by {
        Some(user) => identity::store::find(tx, user).await?.map(|u| u.name),
        None => None,
    };
    Ok(Some(LastSave { name, at, version }))
}

/// Whether the lesson's video or audio was deleted from the library since it was chosen.
pub async fn lesson_media_deleted(tx: &mut TenantTx, id: LessonId) -> sqlx::Result<bool> {
    sqlx::query_scalar("select media_deleted from lessons where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .fetch_one(&mut **tx)
        .await
}

/// A lesson's content and settings as the editor saves them.
#[derive(Clone, Debug)]
pub struct LessonChanges {
    /// Title.
    pub title: String,
    /// `draft` or `published`.
    pub status: &'static str,
    /// Sanitised rich text.
    pub body_html: String,
    /// The video or audio.
    pub media_id: Option<MediaId>,
    /// The privacy-enhanced player address of an embed lesson.
    pub embed_url: Option<String>,
    /// The creator's estimate.
    pub duration_minutes: Option<i32>,
    /// Open to visitors.
    pub free_preview: bool,
    /// Counts for progress.
    pub required: bool,
    /// "Mark complete" before the rule is met.
    pub allow_manual: bool,
    /// Share to watch.
    pub watch_percent: i32,
    /// When it opens.
    pub drip: Drip,
}

/// Saves a lesson if it is still at `version`; false when another save came first.
pub async fn save_lesson(
    tx: &mut TenantTx,
    id: LessonId,
    version: i32,
    c: &LessonChanges,
    by: UserId,
) -> sqlx::Result<bool> {
    let (rule, days, at, after) = c.drip.to_columns();
    let done = sqlx::query(
        "update lessons set title = $4, status = $5, body_html = $6, media_id = $7, embed_url = $8,
           duration_minutes = $9, free_preview = $10, required = $11, allow_manual = $12, watch_percent = $13,
           drip = $14, drip_days = $15, drip_at = $16, drip_after = $17, updated_by = $18,
           media_deleted = media_deleted and $7 is null, version = version + 1
         where tenant_id = $1 and id = $2 and version = $3 and deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(version)
    .bind(&c.title)
    .bind(c.status)
    .bind(&c.body_html)
    .bind(c.media_id)
    .bind(&c.embed_url)
    .bind(c.duration_minutes)
    .bind(c.free_preview)
    .bind(c.required)
    .bind(c.allow_manual)
    .bind(c.watch_percent)
    .bind(rule)
    .bind(days)
    .bind(at)
    .bind(after)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A lesson's attachments in order.
pub async fn attachments(tx: &mut TenantTx, lesson: LessonId) -> sqlx::Result<Vec<MediaId>> {
    sqlx::query_scalar(
        "select media_id from lesson_attachments where tenant_id = $1 and lesson_id = $2 order by position, created_at",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .fetch_all(&mut **tx)
    .await
}

/// Replaces a lesson's attachments with `items`, in that order. Attaching a file to a lesson
/// is offering it for download, so each one is made downloadable in the library.
pub async fn set_attachments(tx: &mut TenantTx, lesson: LessonId, items: &[MediaId]) -> sqlx::Result<()> {
    sqlx::query("delete from lesson_attachments where tenant_id = $1 and lesson_id = $2")
        .bind(tx.tenant())
        .bind(lesson)
        .execute(&mut **tx)
        .await?;
    let ids: Vec<uuid::Uuid> = items.iter().map(|m| m.0).collect();
    sqlx::query(
        "insert into lesson_attachments (tenant_id, lesson_id, media_id, position)
         select $1, $2, m, (n - 1)::int from unnest($3::uuid[]) with ordinality as a(m, n)",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .bind(ids)
    .execute(&mut **tx)
    .await?;
    for item in items {
        media::store::set_downloadable(tx, *item, true).await?;
    }
    Ok(())
}

/// A module by id.
pub async fn module(tx: &mut TenantTx, id: ModuleId) -> sqlx::Result<Option<crate::model::Module>> {
    sqlx::query_as(
        "select id, course_id, title, position, drip, drip_days, drip_at, drip_after from course_modules
         where tenant_id = $1 and id = $2 and deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Saves a module's title and drip rule.
pub async fn save_module(tx: &mut TenantTx, id: ModuleId, title: &str, drip: Drip) -> sqlx::Result<()> {
    let (rule, days, at, after) = drip.to_columns();
    sqlx::query(
        "update course_modules set title = $3, drip = $4, drip_days = $5, drip_at = $6, drip_after = $7
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(title)
    .bind(rule)
    .bind(days)
    .bind(at)
    .bind(after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A course's settings as the settings page saves them.
#[derive(Clone, Debug)]
pub struct CourseChanges {
    /// Title.
    pub title: String,
    /// One line under the title.
    pub subtitle: String,
    /// Sanitised rich text.
    pub description_html: String,
    /// The cover image.
    pub cover_media_id: Option<MediaId>,
    /// Its address.
    pub slug: String,
    /// Free-text category.
    pub category: String,
    /// Students enrol themselves at no charge.
    pub is_free: bool,
}

/// Saves a course's settings if it is still at `version`; false when another save came first.
pub async fn save_course(
    tx: &mut TenantTx,
    id: CourseId,
    version: i32,
    c: &CourseChanges,
    by: UserId,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update courses set title = $4, subtitle = $5, description_html = $6, cover_media_id = $7, slug = $8,
           category = $9, is_free = $10, updated_by = $11, version = version + 1
         where tenant_id = $1 and id = $2 and version = $3 and deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(version)
    .bind(&c.title)
    .bind(&c.subtitle)
    .bind(&c.description_html)
    .bind(c.cover_media_id)
    .bind(&c.slug)
    .bind(&c.category)
    .bind(c.is_free)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The categories the school's courses use, alphabetically (the settings page suggests them).
pub async fn categories(tx: &mut TenantTx) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "select distinct category from courses where tenant_id = $1 and deleted_at is null and category <> ''
         order by category",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// A course's instructors in order.
pub async fn instructors(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<Vec<UserId>> {
    sqlx::query_scalar(
        "select user_id from course_instructors where tenant_id = $1 and course_id = $2 order by position, created_at",
    )
    .bind(tx.tenant())
    .bind(course)
    .fetch_all(&mut **tx)
    .await
}

/// Replaces a course's instructors with `users`, in that order.
pub async fn set_instructors(tx: &mut TenantTx, course: CourseId, users: &[UserId]) -> sqlx::Result<()> {
    sqlx::query("delete from course_instructors where tenant_id = $1 and course_id = $2")
        .bind(tx.tenant())
        .bind(course)
        .execute(&mut **tx)
        .await?;
    let ids: Vec<uuid::Uuid> = users.iter().map(|u| u.0).collect();
    sqlx::query(
        "insert into course_instructors (tenant_id, course_id, user_id, position)
         select $1, $2, u, (n - 1)::int from unnest($3::uuid[]) with ordinality as a(u, n)",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(ids)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a course page says about an instructor.
#[derive(Clone, Debug, Default, Serialize, sqlx::FromRow)]
pub struct Profile {
    /// One line ("Photographer, 20 years behind the lens").
    pub headline: String,
    /// Sanitised rich text.
    pub bio_html: String,
    /// Their photo, from the library.
    pub photo_media_id: Option<MediaId>,
}

/// A staff member's instructor profile (empty when they have none yet).
pub async fn profile(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Profile> {
    let found: Option<Profile> = sqlx::query_as(
        "select headline, bio_html, photo_media_id from instructor_profiles where tenant_id = $1 and user_id = $2",
    )
    .bind(tx.tenant())
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.unwrap_or_default())
}

/// Saves a staff member's instructor profile.
pub async fn save_profile(tx: &mut TenantTx, user: UserId, p: &Profile) -> sqlx::Result<()> {
    sqlx::query(
        "insert into instructor_profiles (tenant_id, user_id, headline, bio_html, photo_media_id) values ($1, $2, $3, $4, $5)
         on conflict (tenant_id, user_id) do update
           set headline = excluded.headline, bio_html = excluded.bio_html, photo_media_id = excluded.photo_media_id",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(&p.headline)
    .bind(&p.bio_html)
    .bind(p.photo_media_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
