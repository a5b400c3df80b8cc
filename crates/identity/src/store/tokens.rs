//! SQL for single-use links (email verification, password reset, email change, sign-in).

use kernel::{db::TenantTx, ids::UserId};

/// What a link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Confirms the account's address.
    VerifyEmail,
    /// Sets a new password.
    ResetPassword,
    /// Moves the account to a new address.
    ChangeEmail,
    /// Logs a staff member in on the school's host (handed over from the platform host).
    SignIn,
}

impl Purpose {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ChangeEmail => "change_email",
            Purpose::SignIn => "sign_in",
        }
    }
}

/// A live link: whose it is and, for an email change, the new address.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LiveToken {
    /// The account.
    pub user_id: UserId,
    /// The address to move to (email change only).
    pub new_email: Option<String>,
}

/// The link if it is unused and unexpired, without using it up.
pub async fn peek(tx: &mut TenantTx, purpose: Purpose, token_hash: &str) -> sqlx::Result<Option<LiveToken>> {
    sqlx::query_as(
        "select user_id, new_email from user_tokens
         where tenant_id = $1 and token_hash = $2 and purpose = $3 and used_at is null and expires_at > now()",
    )
    .bind(tx.tenant())
    .bind(token_hash)
    .bind(purpose.as_str())
    .fetch_optional(&mut **tx)
    .await
}

/// Uses the link up; `None` when it is unknown, used, expired or for something else.
pub async fn consume(tx: &mut TenantTx, purpose: Purpose, token_hash: &str) -> sqlx::Result<Option<LiveToken>> {
    sqlx::query_as(
        "update user_tokens set used_at = now()
         where tenant_id = $1 and token_hash = $2 and purpose = $3 and used_at is null and expires_at > now()
         returning user_id, new_email",
    )
    .bind(tx.tenant())
    .bind(token_hash)
    .bind(purpose.as_str())
    .fetch_optional(&mut **tx)
    .await
}

/// Retires every unused link of a user for `purpose` (a newer one replaces them).
pub async fn retire(tx: &mut TenantTx, user: UserId, purpose: Purpose) -> sqlx::Result<()> {
    sqlx::query(
        "update user_tokens set used_at = now()
         where tenant_id = $1 and user_id = $2 and purpose = $3 and used_at is null",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(purpose.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
