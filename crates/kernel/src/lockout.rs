//! Per-account lock-outs after repeated failed logins, whatever address they come from.
//!
//! Per-address limits ([`crate::rate`]) cannot stop someone who rotates addresses, and must stay
//! loose enough for a classroom behind one address. So wrong passwords and codes are also
//! counted per account, in PostgreSQL so that every server agrees: after [`LOCK_AFTER`]
//! failures the account waits a minute, and each further failure doubles the wait up to an
//! hour. A success clears the count; so does a day without failures. The count is kept by the
//! typed address, whether or not an account has it, so a lock says nothing about who exists.

use std::time::Duration;

use sqlx::{AssertSqlSafe, PgConnection, postgres::PgArguments};

use crate::TenantId;

/// Failures in a row before the first lock-out.
pub const LOCK_AFTER: u32 = 5;
/// The first lock-out.
const FIRST_LOCK: Duration = Duration::from_secs(60);
/// The longest lock-out.
const LONGEST_LOCK: Duration = Duration::from_secs(3600);

/// How long an account waits after `failures` in a row; `None` before [`LOCK_AFTER`].
pub fn lock_for(failures: u32) -> Option<Duration> {
    let doublings = failures.checked_sub(LOCK_AFTER)?.min(6);
    Some((FIRST_LOCK * (1 << doublings)).min(LONGEST_LOCK))
}

/// What is being guessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Factor {
    /// The password.
    Password,
    /// A two-factor code (from the app, or a recovery code).
    Code,
}

impl Factor {
    fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Code => "code",
        }
    }
}

/// The account a failure counts against.
#[derive(Clone, Copy, Debug)]
pub enum Account<'a> {
    /// A school's account, by address (in a `TenantTx` of that school).
    School {
        /// The school.
        tenant: TenantId,
        /// What is being guessed.
        factor: Factor,
        /// The address typed or the account's address.
        email: &'a str,
    },
    /// A platform operator, by address (in a `PlatformTx`).
    Operator {
        /// The address typed.
        email: &'a str,
    },
}

impl Account<'_> {
    /// Table, key columns, their placeholders, and the condition that finds the row; the
    /// placeholders are bound by [`bind_args`].
    fn sql(&self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Self::School { .. } => (
                "login_lockouts",
                "tenant_id, factor, subject",
                "$1, $2, $3",
                "tenant_id = $1 and factor = $2 and subject = $3",
            ),
            Self::Operator { .. } => ("operator_login_lockouts", "subject", "$1", "subject = $1"),
        }
    }
}

/// Addresses are compared as a person would type them, whatever the case.
fn subject(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Seconds the account must still wait, when it is locked now.
pub async fn locked(conn: &mut PgConnection, account: Account<'_>) -> sqlx::Result<Option<u64>> {
    let (table, _, _, cond) = account.sql();
    let sql = format!(
        "select ceil(extract(epoch from locked_until - now()))::bigint from {table}
         where {cond} and locked_until > now()"
    );
    let row: Option<(i64,)> =
        sqlx::query_as_with(AssertSqlSafe(sql), bind_args(account)).fetch_optional(&mut *conn).await?;
    Ok(row.map(|(s,)| s.max(1) as u64))
}

/// What one more failure did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Seconds the account is now locked for, when it is.
    pub locked_for: Option<u64>,
    /// Whether this lock starts a new episode (the holder has not been told yet).
    pub first_lock: bool,
}

/// Counts a failure and locks the account when it has failed too often.
pub async fn failed(conn: &mut PgConnection, account: Account<'_>) -> sqlx::Result<Failure> {
    let (table, cols, vals, cond) = account.sql();
    // The counts start over after a quiet day, and so does telling the holder.
    let upsert = format!(
        "insert into {table} ({cols}, failures, last_failed_at) values ({vals}, 1, now())
         on conflict ({cols}) do update set
           failures = case when {table}.last_failed_at < now() - interval '1 day' then 1
                           else {table}.failures + 1 end,
           notified = {table}.notified and {table}.last_failed_at >= now() - interval '1 day',
           last_failed_at = now()
         returning failures, notified"
    );
    let (failures, notified): (i32, bool) =
        sqlx::query_as_with(AssertSqlSafe(upsert), bind_args(account)).fetch_one(&mut *conn).await?;
    if failures == 1 {
        // A new row (or one started over): the moment to drop the ones nobody added to.
        prune(conn, account).await?;
    }
    let Some(wait) = lock_for(failures.max(0) as u32) else {
        return Ok(Failure { locked_for: None, first_lock: false });
    };
    let lock = format!(
        "update {table} set locked_until = now() + make_interval(secs => {}), notified = true where {cond}",
        wait.as_secs()
    );
    sqlx::query_with(AssertSqlSafe(lock), bind_args(account)).execute(&mut *conn).await?;
    Ok(Failure { locked_for: Some(wait.as_secs()), first_lock: !notified })
}

/// Clears the count after a success.
pub async fn clear(conn: &mut PgConnection, account: Account<'_>) -> sqlx::Result<()> {
    let (table, _, _, cond) = account.sql();
    let sql = format!("delete from {table} where {cond}");
    sqlx::query_with(AssertSqlSafe(sql), bind_args(account)).execute(&mut *conn).await?;
    Ok(())
}

/// Drops counts nobody has added to for a day (typed addresses that lead nowhere, mostly).
async fn prune(conn: &mut PgConnection, account: Account<'_>) -> sqlx::Result<()> {
    let stale = "last_failed_at < now() - interval '1 day' and coalesce(locked_until, now()) <= now()";
    match account {
        Account::School { tenant, .. } => {
            sqlx::query(AssertSqlSafe(format!("delete from login_lockouts where tenant_id = $1 and {stale}")))
                .bind(tenant)
                .execute(&mut *conn)
                .await?
        }
        Account::Operator { .. } => {
            sqlx::query(AssertSqlSafe(format!("delete from operator_login_lockouts where {stale}")))
                .execute(&mut *conn)
                .await?
        }
    };
    Ok(())
}

fn bind_args(account: Account<'_>) -> PgArguments {
    use sqlx::Arguments;
    let mut args = PgArguments::default();
    let res = match account {
        Account::School { tenant, factor, email } => {
            args.add(tenant).and_then(|_| args.add(factor.as_str())).and_then(|_| args.add(subject(email)))
        }
        Account::Operator { email } => args.add(subject(email)),
    };
    res.expect("uuid and text always encode");
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_a_minute_to_an_hour() {
        assert_eq!(lock_for(0), None);
        assert_eq!(lock_for(LOCK_AFTER - 1), None);
        let minutes: Vec<u64> = (LOCK_AFTER..LOCK_AFTER + 8).map(|n| lock_for(n).unwrap().as_secs() / 60).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(lock_for(u32::MAX), Some(LONGEST_LOCK));
    }
}
