//! The discussion under a lesson (`lesson_comments`): comments and one level of replies, staff
//! replies marked. Bodies are plain text, escaped on output with their line breaks kept.

use std::{collections::HashMap, time::Duration};

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId, rate::Limit};
use serde::Serialize;

use crate::model::{CommentId, CourseId, LessonId};

/// The longest comment, in characters (the table checks it too).
pub const MAX_CHARS: usize = 5_000;
/// Comments one person may post per ten minutes.
pub const LIMIT: Limit = Limit { max: 10, window: Duration::from_secs(600) };

/// A comment as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Comment {
    /// Id.
    pub id: CommentId,
    /// The lesson.
    pub lesson_id: LessonId,
    /// The author.
    pub user_id: UserId,
    /// The comment it answers.
    pub parent_id: Option<CommentId>,
    /// Plain text.
    pub body: String,
    /// Whether the author was staff when posting.
    pub by_staff: bool,
    /// When it was removed (replies stay readable under a removed comment).
    pub deleted_at: Option<DateTime<Utc>>,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
}

/// A comment as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct CommentView {
    /// Id.
    pub id: CommentId,
    /// The author's name.
    pub author: String,
    /// The author's initials (the avatar).
    pub initials: String,
    /// "instructor" (teaches the course), "team" (other staff), or empty.
    pub badge: &'static str,
    /// Plain text; empty when removed.
    pub body: String,
    /// Whether it was removed.
    pub deleted: bool,
    /// When it was posted.
    pub created_at: DateTime<Utc>,
    /// Whether the viewer may remove it.
    pub can_delete: bool,
    /// Replies, oldest first.
    pub replies: Vec<CommentView>,
}

/// Every comment under a lesson, oldest first.
pub async fn of_lesson(tx: &mut TenantTx, lesson: LessonId) -> sqlx::Result<Vec<Comment>> {
    sqlx::query_as(
        "select id, lesson_id, user_id, parent_id, body, by_staff, deleted_at, created_at from lesson_comments
         where tenant_id = $1 and lesson_id = $2 order by created_at, id",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .fetch_all(&mut **tx)
    .await
}

/// One comment of a lesson.
pub async fn find(tx: &mut TenantTx, lesson: LessonId, id: CommentId) -> sqlx::Result<Option<Comment>> {
    sqlx::query_as(
        "select id, lesson_id, user_id, parent_id, body, by_staff, deleted_at, created_at from lesson_comments
         where tenant_id = $1 and lesson_id = $2 and id = $3",
    )
    .bind(tx.tenant())
    .bind(lesson)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Adds a comment.
#[expect(clippy::too_many_arguments, reason = "one column each")]
pub async fn insert(
    tx: &mut TenantTx,
    id: CommentId,
    lesson: LessonId,
    course: CourseId,
    user: UserId,
    parent: Option<CommentId>,
    body: &str,
    by_staff: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into lesson_comments (tenant_id, id, lesson_id, course_id, user_id, parent_id, body, by_staff)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(lesson)
    .bind(course)
    .bind(user)
    .bind(parent)
    .bind(body)
    .bind(by_staff)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a comment (its text is kept out of every page from now on).
pub async fn delete(tx: &mut TenantTx, id: CommentId) -> sqlx::Result<()> {
    sqlx::query(
        "update lesson_comments set deleted_at = now() where tenant_id = $1 and id = $2 and deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Who teaches a course.
pub async fn instructors(tx: &mut TenantTx, course: CourseId) -> sqlx::Result<Vec<UserId>> {
    sqlx::query_scalar(
        "select user_id from course_instructors where tenant_id = $1 and course_id = $2 order by position",
    )
    .bind(tx.tenant())
    .bind(course)
    .fetch_all(&mut **tx)
    .await
}

/// The thread under a lesson as `viewer` sees it: comments with their replies; a removed
/// comment without replies disappears, one with replies stays as "removed".
pub async fn thread(
    tx: &mut TenantTx,
    lesson: LessonId,
    course: CourseId,
    viewer: Option<(UserId, bool)>,
) -> sqlx::Result<Vec<CommentView>> {
    let rows = of_lesson(tx, lesson).await?;
    let teachers = instructors(tx, course).await?;
    let mut people: HashMap<UserId, (String, String)> = HashMap::new();
    for row in &rows {
        if let std::collections::hash_map::Entry::Vacant(slot) = people.entry(row.user_id) {
            let who = identity::store::find(tx, row.user_id).await?;
            slot.insert(who.map(|u| (u.name.clone(), u.initials())).unwrap_or_else(|| ("—".into(), "?".into())));
        }
    }
    let view = |c: &Comment| {
        let (author, initials) = people.get(&c.user_id).cloned().unwrap_or_default();
        let badge = match (c.by_staff, teachers.contains(&c.user_id)) {
            (_, true) => "instructor",
            (true, false) => "team",
            _ => "",
        };
        let can_delete = c.deleted_at.is_none() && viewer.is_some_and(|(id, staff)| staff || id == c.user_id);
        CommentView {
            id: c.id,
            author,
            initials,
            badge,
            body: if c.deleted_at.is_some() { String::new() } else { c.body.clone() },
            deleted: c.deleted_at.is_some(),
            created_at: c.created_at,
            can_delete,
            replies: vec![],
        }
    };
    let mut out: Vec<CommentView> = vec![];
    for top in rows.iter().filter(|c| c.parent_id.is_none()) {
        let mut v = view(top);
        v.replies = rows.iter().filter(|r| r.parent_id == Some(top.id) && r.deleted_at.is_none()).map(view).collect();
        if v.deleted && v.replies.is_empty() {
            continue;
        }
        out.push(v);
    }
    Ok(out)
}

/// A comment body as typed: trimmed, with Windows line ends made plain.
pub fn clean(body: &str) -> String {
    body.replace("\r\n", "\n").trim().to_string()
}
