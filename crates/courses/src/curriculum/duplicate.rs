//! Duplicating a lesson, a module with its lessons, or a whole course. A copy keeps the content,
//! settings, attachments and drip rules, and records its use of library items, so the library
//! knows about it; it never copies enrolments, progress, notes or comments. Copies of lessons
//! and modules start as drafts next to their original; a copied course is a draft with its own
//! address.

use std::collections::HashMap;

use kernel::{db::TenantTx, ids::UserId};
use uuid::Uuid;

use super::{Refused, Tree, fit_title, free_slug, touch};
use crate::{
    model::{Course, CourseId, Lesson, LessonId, ModuleId},
    slug, store,
};

/// The columns a lesson copy takes from its original, as they are.
const LESSON_COPIED: &str = "kind, body_html, media_id, embed_url, duration_minutes, free_preview, required, \
                             allow_manual, watch_percent, drip, drip_days, drip_at, drip_after";

/// Copies `lesson` right after itself, as a draft titled by `name` ("Title (copy)").
#[tracing::instrument(skip_all, fields(lesson = %lesson))]
pub async fn lesson(
    tx: &mut TenantTx,
    course: CourseId,
    lesson: LessonId,
    name: &(dyn Fn(&str) -> String + Sync),
) -> Result<LessonId, Refused> {
    let tree = Tree::load(tx, course).await?;
    let original = tree.lesson(lesson).ok_or(Refused::NotFound)?.clone();
    sqlx::query(
        "update lessons set position = position + 1
         where tenant_id = $1 and module_id = $2 and position > $3 and deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(original.module_id)
    .bind(original.position)
    .execute(&mut **tx)
    .await?;
    let id = LessonId::new();
    copy_lesson(
        tx,
        &original,
        id,
        course,
        original.module_id,
        original.position + 1,
        &fit_title(&original.title, name),
        "draft",
    )
    .await?;
    touch(tx, course).await?;
    Ok(id)
}

/// Copies `module` and its lessons right after itself; the lessons of the copy are drafts.
#[tracing::instrument(skip_all, fields(module = %module))]
pub async fn module(
    tx: &mut TenantTx,
    course: CourseId,
    module: ModuleId,
    name: &(dyn Fn(&str) -> String + Sync),
) -> Result<ModuleId, Refused> {
    let tree = Tree::load(tx, course).await?;
    let original = tree.module(module).ok_or(Refused::NotFound)?.clone();
    sqlx::query(
        "update course_modules set position = position + 1
         where tenant_id = $1 and course_id = $2 and position > $3 and deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(original.position)
    .execute(&mut **tx)
    .await?;
    let id = ModuleId::new();
    copy_module(tx, module, id, course, original.position + 1, &fit_title(&original.title, name)).await?;
    for l in tree.lessons.iter().filter(|l| l.module_id == module) {
        copy_lesson(tx, l, LessonId::new(), course, id, l.position, &l.title, "draft").await?;
    }
    touch(tx, course).await?;
    Ok(id)
}

/// Copies a whole course as a draft titled by `name`, under a free address, with its
/// instructors, modules, lessons and attachments; drip rules that name a lesson or module of
/// the original name its copy.
#[tracing::instrument(skip_all, fields(course = %original.id))]
pub async fn course(
    tx: &mut TenantTx,
    original: &Course,
    name: &(dyn Fn(&str) -> String + Sync),
    by: Option<UserId>,
) -> Result<CourseId, Refused> {
    let title = fit_title(&original.title, name);
    let id = CourseId::new();
    let address = free_slug(tx, &slug::from_title(&title)).await?;
    store::insert_course(tx, id, &address, &title, by).await?;
    sqlx::query(
        "update courses c set subtitle = o.subtitle, description_html = o.description_html, category = o.category,
           cover_media_id = o.cover_media_id, is_free = o.is_free
         from courses o where c.tenant_id = $1 and c.id = $2 and o.tenant_id = $1 and o.id = $3",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(original.id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "insert into course_instructors (tenant_id, course_id, user_id, position)
         select tenant_id, $2, user_id, position from course_instructors where tenant_id = $1 and course_id = $3",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(original.id)
    .execute(&mut **tx)
    .await?;
    if let Some(cover) = original.cover_media_id {
        media::uses::record(tx, cover, "course", id.0, &title, &format!("/admin/courses/{id}/settings")).await?;
    }
    let tree = Tree::load(tx, original.id).await?;
    let mut renamed: HashMap<Uuid, Uuid> = HashMap::new();
    for m in &tree.modules {
        let copy = ModuleId::new();
        copy_module(tx, m.id, copy, id, m.position, &m.title).await?;
        renamed.insert(m.id.0, copy.0);
    }
    for l in &tree.lessons {
        let copy = LessonId::new();
        let module = ModuleId(renamed[&l.module_id.0]);
        copy_lesson(tx, l, copy, id, module, l.position, &l.title, &l.status).await?;
        renamed.insert(l.id.0, copy.0);
    }
    for table in ["course_modules", "lessons"] {
        for (old, new) in &renamed {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "update {table} set drip_after = $4 where tenant_id = $1 and course_id = $2 and drip_after = $3"
            )))
            .bind(tx.tenant())
            .bind(id)
            .bind(old)
            .bind(new)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(id)
}

async fn copy_module(
    tx: &mut TenantTx,
    from: ModuleId,
    to: ModuleId,
    course: CourseId,
    position: i32,
    title: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into course_modules (tenant_id, id, course_id, title, position, drip, drip_days, drip_at, drip_after)
         select tenant_id, $3, $4, $5, $6, drip, drip_days, drip_at, drip_after
         from course_modules where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(from)
    .bind(to)
    .bind(course)
    .bind(title)
    .bind(position)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "where the copy goes is four facts")]
async fn copy_lesson(
    tx: &mut TenantTx,
    from: &Lesson,
    to: LessonId,
    course: CourseId,
    module: ModuleId,
    position: i32,
    title: &str,
    status: &str,
) -> sqlx::Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "insert into lessons (tenant_id, id, course_id, module_id, title, position, status, {LESSON_COPIED})
         select tenant_id, $3, $4, $5, $6, $7, $8, {LESSON_COPIED} from lessons where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(from.id)
    .bind(to)
    .bind(course)
    .bind(module)
    .bind(title)
    .bind(position)
    .bind(status)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "insert into lesson_attachments (tenant_id, lesson_id, media_id, position)
         select tenant_id, $3, media_id, position from lesson_attachments where tenant_id = $1 and lesson_id = $2",
    )
    .bind(tx.tenant())
    .bind(from.id)
    .bind(to)
    .execute(&mut **tx)
    .await?;
    let url = format!("/admin/courses/{course}/lessons/{to}");
    for item in store::lesson_media(tx, to).await? {
        media::uses::record(tx, item, "lesson", to.0, title, &url).await?;
    }
    Ok(())
}
