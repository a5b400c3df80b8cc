//! SQL for the record of successful logins (the sign-in history staff see on a student's page).

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use serde::Serialize;

/// One successful login.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct LoginEvent {
    /// When.
    pub created_at: DateTime<Utc>,
    /// The address it came from.
    pub ip: String,
    /// The browser, shortened (see `service::people::short_user_agent`).
    pub user_agent: String,
}

/// Records a successful login.
pub async fn record(tx: &mut TenantTx, user: UserId, ip: &str, user_agent: &str) -> sqlx::Result<()> {
    sqlx::query("insert into login_events (tenant_id, id, user_id, ip, user_agent) values ($1, $2, $3, $4, $5)")
        .bind(tx.tenant())
        .bind(uuid::Uuid::now_v7())
        .bind(user)
        .bind(ip)
        .bind(user_agent)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The latest `limit` logins of a user, newest first.
pub async fn recent(tx: &mut TenantTx, user: UserId, limit: i64) -> sqlx::Result<Vec<LoginEvent>> {
    sqlx::query_as(
        "select created_at, ip, user_agent from login_events
         where tenant_id = $1 and user_id = $2 order by created_at desc limit $3",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
