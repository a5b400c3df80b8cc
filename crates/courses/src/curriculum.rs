//! The course builder's tree: adding, renaming and reordering modules and lessons, publishing,
//! and deleting with undo. Duplicating lives in [`duplicate`], the daily purge of what was
//! deleted long ago in [`purge`].
//!
//! Order is written whole: a reorder names every live module and lesson of the course in their
//! new places, is checked against the course's own rows, and rewrites every position in the
//! caller's transaction, so two tabs or a stale page can never leave gaps or mix courses.

pub mod duplicate;
mod order;
pub mod purge;

pub use order::Order;

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use uuid::Uuid;

use crate::{
    model::{Course, CourseId, Lesson, LessonId, LessonKind, Module, ModuleId},
    store,
};

/// Why the builder refused a change.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// An id that is not a live part of this course.
    #[error("not part of this course")]
    NotFound,
    /// The order names an item twice or leaves one out (the page is stale).
    #[error("the order does not match the course")]
    Stale,
    /// A course with no published lesson cannot be published.
    #[error("no published lesson")]
    NothingPublished,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The longest title of a module or lesson.
pub const MAX_TITLE: usize = 200;

/// The live modules of a course with their lessons.
pub struct Tree {
    /// Modules in order.
    pub modules: Vec<Module>,
    /// Lessons in order, module by module.
    pub lessons: Vec<Lesson>,
}

impl Tree {
    /// Loads a course's tree.
    pub async fn load(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<Self> {
        Ok(Self { modules: store::modules(tx, course).await?, lessons: store::lessons(tx, course).await? })
    }

    /// The tree as an [`Order`].
    pub fn order(&self) -> Order {
        Order(
            self.modules
                .iter()
                .map(|m| (m.id, self.lessons.iter().filter(|l| l.module_id == m.id).map(|l| l.id).collect()))
                .collect(),
        )
    }

    /// The live module `id`, if it is one of this course.
    pub fn module(&self, id: ModuleId) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    /// The live lesson `id`, if it is one of this course.
    pub fn lesson(&self, id: LessonId) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }
}

/// Rewrites every position of a course to `order`, after checking that it names exactly the
/// course's live modules and lessons, each once.
#[tracing::instrument(skip_all, fields(course = %course))]
pub async fn reorder(tx: &mut TenantTx, course: CourseId, order: &Order) -> Result<(), Refused> {
    let tree = Tree::load(tx, course).await?;
    let named_modules: Vec<ModuleId> = order.0.iter().map(|(m, _)| *m).collect();
    let named_lessons: Vec<LessonId> = order.0.iter().flat_map(|(_, ls)| ls.iter().copied()).collect();
    if named_modules.iter().any(|m| tree.module(*m).is_none())
        || named_lessons.iter().any(|l| tree.lesson(*l).is_none())
    {
        return Err(Refused::NotFound);
    }
    let unique = |ids: &[Uuid]| ids.iter().collect::<std::collections::HashSet<_>>().len() == ids.len();
    let module_ids: Vec<Uuid> = named_modules.iter().map(|m| m.0).collect();
    let lesson_ids: Vec<Uuid> = named_lessons.iter().map(|l| l.0).collect();
    if !unique(&module_ids)
        || !unique(&lesson_ids)
        || module_ids.len() != tree.modules.len()
        || lesson_ids.len() != tree.lessons.len()
    {
        return Err(Refused::Stale);
    }
    let positions: Vec<i32> = (0..module_ids.len() as i32).collect();
    sqlx::query(
        "update course_modules m set position = v.p from unnest($3::uuid[], $4::int[]) as v(id, p)
         where m.tenant_id = $1 and m.course_id = $2 and m.id = v.id",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(&module_ids)
    .bind(&positions)
    .execute(&mut **tx)
    .await?;
    let (mut owners, mut places) = (vec![], vec![]);
    for (module, lessons) in &order.0 {
        for i in 0..lessons.len() {
            owners.push(module.0);
            places.push(i as i32);
        }
    }
    sqlx::query(
        "update lessons l set module_id = v.m, position = v.p
         from unnest($3::uuid[], $4::uuid[], $5::int[]) as v(id, m, p)
         where l.tenant_id = $1 and l.course_id = $2 and l.id = v.id",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(&lesson_ids)
    .bind(&owners)
    .bind(&places)
    .execute(&mut **tx)
    .await?;
    touch(tx, course).await?;
    Ok(())
}

/// Marks the course as edited now (the list sorts by it).
pub async fn touch(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<()> {
    sqlx::query("update courses set updated_at = now() where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(course)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds a module at the end of the course.
pub async fn add_module(tx: &mut TenantTx, course: CourseId, title: &str) -> sqlx::Result<ModuleId> {
    let id = ModuleId::new();
    store::insert_module(tx, id, course, title).await?;
    touch(tx, course).await?;
    Ok(id)
}

/// Adds a draft lesson at the end of a live module of the course.
pub async fn add_lesson(
    tx: &mut TenantTx,
    course: CourseId,
    module: ModuleId,
    title: &str,
    kind: LessonKind,
) -> Result<LessonId, Refused> {
    if !store::modules(tx, course).await?.iter().any(|m| m.id == module) {
        return Err(Refused::NotFound);
    }
    let id = LessonId::new();
    store::insert_lesson(tx, id, course, module, title, kind.as_str()).await?;
    touch(tx, course).await?;
    Ok(id)
}

/// Renames a live module or lesson of the course (`table` is `course_modules` or `lessons`).
async fn rename(tx: &mut TenantTx, table: Table, course: CourseId, id: Uuid, title: &str) -> Result<(), Refused> {
    let sql = match table {
        Table::Modules => {
            "update course_modules set title = $4 where tenant_id = $1 and course_id = $2 and id = $3 and deleted_at is null"
        }
        Table::Lessons => {
            "update lessons set title = $4, version = version + 1 where tenant_id = $1 and course_id = $2 and id = $3 and deleted_at is null"
        }
    };
    let done = sqlx::query(sql).bind(tx.tenant()).bind(course).bind(id).bind(title).execute(&mut **tx).await?;
    if done.rows_affected() == 0 {
        return Err(Refused::NotFound);
    }
    touch(tx, course).await?;
    Ok(())
}

/// Renames a module.
pub async fn rename_module(tx: &mut TenantTx, course: CourseId, id: ModuleId, title: &str) -> Result<(), Refused> {
    rename(tx, Table::Modules, course, id.0, title).await
}

/// Renames a lesson (its version moves on, so an editor open in another tab notices).
pub async fn rename_lesson(tx: &mut TenantTx, course: CourseId, id: LessonId, title: &str) -> Result<(), Refused> {
    rename(tx, Table::Lessons, course, id.0, title).await
}

#[derive(Clone, Copy)]
enum Table {
    Modules,
    Lessons,
}

/// Publishes a course; refused while none of its lessons is published. The first publication
/// is remembered in `published_at`.
#[tracing::instrument(skip_all, fields(course = %course.id))]
pub async fn publish_course(tx: &mut TenantTx, course: &Course, now: DateTime<Utc>) -> Result<(), Refused> {
    if !Tree::load(tx, course.id).await?.lessons.iter().any(Lesson::is_published) {
        return Err(Refused::NothingPublished);
    }
    sqlx::query(
        "update courses set status = 'published', published_at = coalesce(published_at, $3)
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(course.id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes a course back to draft: students no longer see it.
pub async fn unpublish_course(tx: &mut TenantTx, course: &Course) -> sqlx::Result<()> {
    sqlx::query("update courses set status = 'draft' where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(course.id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Publishes or unpublishes one lesson of the course.
pub async fn set_lesson_published(
    tx: &mut TenantTx,
    course: CourseId,
    lesson: LessonId,
    published: bool,
) -> Result<(), Refused> {
    let done = sqlx::query(
        "update lessons set status = $4 where tenant_id = $1 and course_id = $2 and id = $3 and deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(course)
    .bind(lesson)
    .bind(if published { "published" } else { "draft" })
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Refused::NotFound);
    }
    touch(tx, course).await?;
    Ok(())
}

/// What can be deleted and restored.
#[derive(Clone, Copy, Debug)]
pub enum Item {
    /// A whole course.
    Course(CourseId),
    /// A module of the course (its lessons go and come back with it).
    Module(CourseId, ModuleId),
    /// A lesson of the course.
    Lesson(CourseId, LessonId),
}

/// Deletes (`deleted = true`) or restores an item; refused when it is not a live (or, to
/// restore, a deleted) part of the course. Schedules the daily purge.
#[tracing::instrument(skip_all, fields(item = ?item))]
pub async fn set_deleted(tx: &mut TenantTx, item: Item, deleted: bool, now: DateTime<Utc>) -> Result<(), Refused> {
    let (sql, course, id) = match item {
        Item::Course(c) => ("update courses set deleted_at = $4 where tenant_id = $1 and id = $2 and $3 = $2", c, c.0),
        Item::Module(c, m) => {
            ("update course_modules set deleted_at = $4 where tenant_id = $1 and course_id = $2 and id = $3", c, m.0)
        }
        Item::Lesson(c, l) => {
            ("update lessons set deleted_at = $4 where tenant_id = $1 and course_id = $2 and id = $3", c, l.0)
        }
    };
    if let (Item::Course(c), false) = (item, deleted) {
        make_room(tx, c).await?;
    }
    let sql = format!("{sql} and deleted_at is {}", if deleted { "null" } else { "not null" });
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tx.tenant())
        .bind(course)
        .bind(id)
        .bind(deleted.then_some(now))
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Refused::NotFound);
    }
    if deleted {
        purge::schedule(tx).await?;
    }
    if !matches!(item, Item::Course(_)) {
        touch(tx, course).await?;
    }
    Ok(())
}

/// Before a deleted course comes back: when a live course took its address meanwhile, it gets
/// a free one.
async fn make_room(tx: &mut TenantTx, course: CourseId) -> Result<(), Refused> {
    let Some(c) = store::course_with_deleted(tx, course).await? else {
        return Err(Refused::NotFound);
    };
    if store::slug_taken(tx, &c.slug, Some(course)).await? {
        let base: String = c.slug.chars().take(70).collect();
        let slug = free_slug(tx, base.trim_end_matches('-')).await?;
        sqlx::query("update courses set slug = $3 where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(course)
            .bind(slug)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// `base`, or `base-2`, `base-3`… whichever no live course of the school uses.
pub async fn free_slug(tx: &mut TenantTx, base: &str) -> sqlx::Result<String> {
    let mut candidate = base.to_string();
    let mut n = 2;
    while store::slug_taken(tx, &candidate, None).await? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

/// A title cut to [`MAX_TITLE`] characters once `make` (which adds " (copy)") has had its way.
pub fn fit_title(title: &str, make: &(dyn Fn(&str) -> String + Sync)) -> String {
    let made = make(title);
    let over = made.chars().count().saturating_sub(MAX_TITLE);
    if over == 0 {
        return made;
    }
    let keep = title.chars().count().saturating_sub(over + 1);
    make(&format!("{}…", title.chars().take(keep).collect::<String>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_titles_fit() {
        let make = |t: &str| format!("{t} (copy)");
        assert_eq!(fit_title("Intro", &make), "Intro (copy)");
        let long = fit_title(&"x".repeat(200), &make);
        assert!(long.chars().count() <= MAX_TITLE && long.ends_with("… (copy)"), "{long}");
    }
}
