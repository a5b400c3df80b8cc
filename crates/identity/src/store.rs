//! SQL for identity. Every function takes the school's transaction.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};

use crate::model::{Role, User};

const USER_COLUMNS: &str = "tenant_id, id, email, name, role, email_verified_at, locale, time_zone, \
                            totp_enabled_at, last_login_at, created_at";

/// Inserts a user; `Err` with constraint `users_email_key` when the address is taken.
pub async fn insert_user(
    tx: &mut TenantTx,
    email: &str,
    name: &str,
    password_hash: Option<&str>,
    role: Role,
    verified: bool,
) -> sqlx::Result<User> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into users (tenant_id, id, email, name, password_hash, role, email_verified_at)
         values ($1, $2, $3, $4, $5, $6, case when $7 then now() end)
         returning {USER_COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(UserId::new())
    .bind(email)
    .bind(name)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(verified)
    .fetch_one(&mut **tx)
    .await
}

/// A user by id.
pub async fn find(tx: &mut TenantTx, id: UserId) -> sqlx::Result<Option<User>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("select {USER_COLUMNS} from users where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// A user and their password hash by email.
pub async fn find_by_email(tx: &mut TenantTx, email: &str) -> sqlx::Result<Option<(User, Option<String>)>> {
    let user: Option<User> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users where tenant_id = $1 and lower(email) = lower($2)"
    )))
    .bind(tx.tenant())
    .bind(email)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(user) = user else { return Ok(None) };
    let hash: Option<String> = sqlx::query_scalar("select password_hash from users where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(user.id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some((user, hash)))
}

/// The user a live session belongs to (`pending` for a session waiting for its second factor).
pub async fn session_user(tx: &mut TenantTx, session_key: &str, pending: bool) -> sqlx::Result<Option<User>> {
    let column = if pending { "pending_user_id" } else { "user_id" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select u.tenant_id, u.id, u.email, u.name, u.role, u.email_verified_at, u.locale, u.time_zone,
                u.totp_enabled_at, u.last_login_at, u.created_at
         from sessions s join users u on u.tenant_id = s.tenant_id and u.id = s.{column}
         where s.tenant_id = $1 and s.id = $2 and s.expires_at > now()"
    )))
    .bind(tx.tenant())
    .bind(session_key)
    .fetch_optional(&mut **tx)
    .await
}

/// Stores a session (logged in, or waiting for the second factor).
pub async fn insert_session(
    tx: &mut TenantTx,
    key: &str,
    user: UserId,
    pending: bool,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let (uid, pid) = if pending { (None, Some(user)) } else { (Some(user), None) };
    sqlx::query(
        "insert into sessions (tenant_id, id, user_id, pending_user_id, expires_at) values ($1, $2, $3, $4, $5)",
    )
    .bind(tx.tenant())
    .bind(key)
    .bind(uid)
    .bind(pid)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a session.
pub async fn delete_session(tx: &mut TenantTx, key: &str) -> sqlx::Result<()> {
    sqlx::query("delete from sessions where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends every session of a user except `keep` (after a password change or reset).
pub async fn delete_other_sessions(tx: &mut TenantTx, user: UserId, keep: Option<&str>) -> sqlx::Result<()> {
    sqlx::query("delete from sessions where tenant_id = $1 and (user_id = $2 or pending_user_id = $2) and id <> coalesce($3, '')")
        .bind(tx.tenant())
        .bind(user)
        .bind(keep)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records a successful login.
pub async fn touch_login(tx: &mut TenantTx, user: UserId) -> sqlx::Result<()> {
    sqlx::query("update users set last_login_at = now() where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Counts accounts by role, for the dashboard.
pub async fn count_by_role(tx: &mut TenantTx) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("select role, count(*) from users where tenant_id = $1 group by role")
        .bind(tx.tenant())
        .fetch_all(&mut **tx)
        .await
}

/// A page of users, newest first, optionally filtered by role or a search in name and email.
pub async fn list(
    tx: &mut TenantTx,
    roles: &[&str],
    search: Option<&str>,
    before: Option<UserId>,
    limit: i64,
) -> sqlx::Result<Vec<User>> {
    let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users
         where tenant_id = $1
           and (cardinality($2::text[]) = 0 or role = any($2))
           and ($3::text is null or name ilike '%' || $3 || '%' or email ilike '%' || $3 || '%')
           and ($4::uuid is null or id < $4)
         order by id desc limit $5"
    )))
    .bind(tx.tenant())
    .bind(roles)
    .bind(search)
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
