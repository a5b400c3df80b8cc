//! A student's private notes, one per lesson (`lesson_notes`).

use kernel::{db::TenantTx, ids::UserId};

use crate::model::LessonId;

/// The longest note kept, in characters (the table checks it too).
pub const MAX_CHARS: usize = 20_000;

/// A student's note on a lesson, with when it was last saved.
pub async fn get(
    tx: &mut TenantTx,
    user: UserId,
    lesson: LessonId,
) -> sqlx::Result<Option<(String, chrono::DateTime<chrono::Utc>)>> {
    sqlx::query_as("select body, updated_at from lesson_notes where tenant_id = $1 and user_id = $2 and lesson_id = $3")
        .bind(tx.tenant())
        .bind(user)
        .bind(lesson)
        .fetch_optional(&mut **tx)
        .await
}

/// Saves a note (an empty one is removed).
pub async fn save(tx: &mut TenantTx, user: UserId, lesson: LessonId, body: &str) -> sqlx::Result<()> {
    if body.trim().is_empty() {
        sqlx::query("delete from lesson_notes where tenant_id = $1 and user_id = $2 and lesson_id = $3")
            .bind(tx.tenant())
            .bind(user)
            .bind(lesson)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "insert into lesson_notes (tenant_id, user_id, lesson_id, body) values ($1, $2, $3, $4)
         on conflict (tenant_id, user_id, lesson_id) do update set body = excluded.body",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(lesson)
    .bind(body)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
