//! SQL for the students list and the actions staff take on one student.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};

use super::{USER_COLUMNS, like_literal};
use crate::model::User;

/// Which students the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Everyone.
    #[default]
    All,
    /// Not suspended.
    Active,
    /// Address not confirmed yet.
    Unverified,
    /// Suspended by staff.
    Suspended,
}

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Newest sign-ups first.
    #[default]
    Newest,
    /// Oldest sign-ups first.
    Oldest,
    /// By name, A to Z.
    Name,
    /// Most recent login first; those who never logged in last.
    LastLogin,
}

impl Sort {
    fn order_by(self) -> &'static str {
        match self {
            Sort::Newest => "created_at desc, id desc",
            Sort::Oldest => "created_at asc, id asc",
            Sort::Name => "lower(name) asc, id asc",
            Sort::LastLogin => "last_login_at desc nulls last, id desc",
        }
    }
}

/// A search of the school's students.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Text to find in name or email.
    pub search: Option<String>,
    /// Which students.
    pub status: Status,
    /// Signed up at or after.
    pub joined_from: Option<DateTime<Utc>>,
    /// Signed up before.
    pub joined_until: Option<DateTime<Utc>>,
    /// Order.
    pub sort: Sort,
}

/// Students matching `filter` (never deleted ones), `limit` of them after skipping `offset`.
pub async fn search(tx: &mut TenantTx, filter: &Filter, offset: i64, limit: i64) -> sqlx::Result<Vec<User>> {
    let status = match filter.status {
        Status::All => "",
        Status::Active => "and suspended_at is null",
        Status::Unverified => "and email_verified_at is null and suspended_at is null",
        Status::Suspended => "and suspended_at is not null",
    };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users
         where tenant_id = $1 and role = 'student' and deleted_at is null {status}
           and ($2::text is null or name ilike '%' || $2 || '%' or email ilike '%' || $2 || '%')
           and ($3::timestamptz is null or created_at >= $3)
           and ($4::timestamptz is null or created_at < $4)
         order by {} offset $5 limit $6",
        filter.sort.order_by()
    )))
    .bind(tx.tenant())
    .bind(filter.search.as_deref().map(like_literal))
    .bind(filter.joined_from)
    .bind(filter.joined_until)
    .bind(offset)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Suspends (`true`) or restores (`false`) an account.
pub async fn set_suspended(tx: &mut TenantTx, user: UserId, suspended: bool) -> sqlx::Result<()> {
    sqlx::query(
        "update users set suspended_at = case when $3 then coalesce(suspended_at, now()) end
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(suspended)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves an account to an address staff corrected; it counts as unconfirmed until the
/// person follows the new verification link. `Err` with `users_email_key` when taken.
pub async fn correct_email(tx: &mut TenantTx, user: UserId, email: &str) -> sqlx::Result<()> {
    sqlx::query("update users set email = $3, email_verified_at = null where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(user)
        .bind(email)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Erases an account's personal data: name and address become a tombstone, the password and
/// second factor go, and with them every session, link and recorded login. The row stays so
/// that what points at it (orders, audit entries) keeps its meaning.
pub async fn erase(tx: &mut TenantTx, user: UserId) -> sqlx::Result<()> {
    for table in ["sessions", "user_tokens", "recovery_codes", "login_events"] {
        let extra = if table == "sessions" { " or pending_user_id = $2" } else { "" };
        sqlx::query(sqlx::AssertSqlSafe(format!("delete from {table} where tenant_id = $1 and (user_id = $2{extra})")))
            .bind(tx.tenant())
            .bind(user)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(
        "update users set name = '', email = 'deleted-' || id || '@deleted.invalid', password_hash = null,
                totp_secret = null, totp_enabled_at = null, locale = null, time_zone = null,
                email_verified_at = null, last_login_at = null, deleted_at = now()
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
