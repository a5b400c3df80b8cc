//! SQL for identity. Every function takes the school's transaction.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};

use crate::model::{Role, User};

pub mod logins;
pub mod people;
pub mod team;
pub mod tokens;
pub mod two_factor;

const USER_COLUMNS: &str = "tenant_id, id, email, name, role, email_verified_at, locale, time_zone, \
                            totp_enabled_at, last_login_at, created_at, suspended_at, deleted_at";

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

/// Users by id (for lists other domains show with names); missing ids are left out.
pub async fn find_many(tx: &mut TenantTx, ids: &[UserId]) -> sqlx::Result<Vec<User>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users where tenant_id = $1 and id = any($2)"
    )))
    .bind(tx.tenant())
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}

/// Users by address (compared without case); addresses without an account are left out.
pub async fn find_by_emails(tx: &mut TenantTx, emails: &[String]) -> sqlx::Result<Vec<User>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users where tenant_id = $1 and lower(email) = any($2)"
    )))
    .bind(tx.tenant())
    .bind(emails)
    .fetch_all(&mut **tx)
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
                u.totp_enabled_at, u.last_login_at, u.created_at, u.suspended_at, u.deleted_at
         from sessions s join users u on u.tenant_id = s.tenant_id and u.id = s.{column}
         where s.tenant_id = $1 and s.id = $2 and s.expires_at > now()
           and u.suspended_at is null and u.deleted_at is null"
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
    sqlx::query_as("select role, count(*) from users where tenant_id = $1 and deleted_at is null group by role")
        .bind(tx.tenant())
        .fetch_all(&mut **tx)
        .await
}

/// A page of users, newest first, optionally filtered by role or a search in name and email
/// (deleted accounts are left out).
pub async fn list(
    tx: &mut TenantTx,
    roles: &[&str],
    search: Option<&str>,
    before: Option<UserId>,
    limit: i64,
) -> sqlx::Result<Vec<User>> {
    let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
    let search = search.map(like_literal);
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users
         where tenant_id = $1 and deleted_at is null
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

/// A search typed by a person as a `like` pattern body: `%` and `_` match themselves.
pub(crate) fn like_literal(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The stored password hash of a user (none for accounts created without one).
pub async fn password_hash(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select password_hash from users where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(user)
        .fetch_optional(&mut **tx)
        .await
        .map(Option::flatten)
}

/// Replaces a password hash; `verified` also marks the address confirmed (after a reset by mail).
pub async fn set_password(tx: &mut TenantTx, user: UserId, hash: &str, verified: bool) -> sqlx::Result<()> {
    sqlx::query(
        "update users set password_hash = $3,
                email_verified_at = case when $4 then coalesce(email_verified_at, now()) else email_verified_at end
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(hash)
    .bind(verified)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks a user's address confirmed (keeps the first confirmation time).
pub async fn mark_verified(tx: &mut TenantTx, user: UserId) -> sqlx::Result<()> {
    sqlx::query(
        "update users set email_verified_at = coalesce(email_verified_at, now()) where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves name, language and time zone (`None`: follow the school's default).
pub async fn update_profile(
    tx: &mut TenantTx,
    user: UserId,
    name: &str,
    locale: Option<&str>,
    time_zone: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("update users set name = $3, locale = $4, time_zone = $5 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(user)
        .bind(name)
        .bind(locale)
        .bind(time_zone)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records the interface language a person chose.
pub async fn set_locale(tx: &mut TenantTx, user: UserId, locale: &str) -> sqlx::Result<()> {
    sqlx::query("update users set locale = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(user)
        .bind(locale)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Changes the address (already proven by a link); `Err` with `users_email_key` when taken.
pub async fn set_email(tx: &mut TenantTx, user: UserId, email: &str) -> sqlx::Result<()> {
    sqlx::query("update users set email = $3, email_verified_at = now() where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(user)
        .bind(email)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether another account of the school uses this address.
pub async fn email_in_use(tx: &mut TenantTx, email: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("select exists(select 1 from users where tenant_id = $1 and lower(email) = lower($2))")
        .bind(tx.tenant())
        .bind(email)
        .fetch_one(&mut **tx)
        .await
}

/// Changes a user's role.
pub async fn set_role(tx: &mut TenantTx, user: UserId, role: Role) -> sqlx::Result<()> {
    sqlx::query("update users set role = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(user)
        .bind(role.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records a staff action in the school's audit log.
pub async fn audit(tx: &mut TenantTx, actor: UserId, action: &str, detail: serde_json::Value) -> sqlx::Result<()> {
    sqlx::query("insert into audit_log (tenant_id, id, actor_id, action, detail) values ($1, $2, $3, $4, $5)")
        .bind(tx.tenant())
        .bind(uuid::Uuid::now_v7())
        .bind(actor)
        .bind(action)
        .bind(detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
