//! Read-only numbers about courses for other domains (insights' dashboard and analytics), so
//! they never read courses' tables themselves.

use kernel::{db::TenantTx, ids::UserId};

use crate::model::CourseId;

/// How many courses the school has (drafts included, deleted ones not).
pub async fn course_count(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from courses where tenant_id = $1 and deleted_at is null")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

/// How many of a course's required, published lessons `user` completed: the numerator of
/// course progress (see [`crate::access::Outline::percent`]).
pub async fn required_done(tx: &mut TenantTx, user: UserId, course: CourseId) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from lesson_progress p
           join lessons l on l.tenant_id = p.tenant_id and l.id = p.lesson_id
           join course_modules m on m.tenant_id = l.tenant_id and m.id = l.module_id
         where p.tenant_id = $1 and p.user_id = $2 and p.course_id = $3
           and l.required and l.status = 'published' and l.deleted_at is null and m.deleted_at is null",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(course)
    .fetch_one(&mut **tx)
    .await
}
