//! A person's notification preferences. Identity keeps them so that the account page can show
//! them without knowing which domain sends what; other domains read them here before emailing
//! (courses asks [`unlock_emails`] before telling a student that new lessons opened).

use kernel::{db::TenantTx, ids::UserId};

/// Whether `user` wants an email when new lessons unlock (on unless they turned it off).
pub async fn unlock_emails(tx: &mut TenantTx, user: UserId) -> sqlx::Result<bool> {
    let on: Option<bool> = sqlx::query_scalar(
        "select unlock_emails from user_notification_preferences where tenant_id = $1 and user_id = $2",
    )
    .bind(tx.tenant())
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(on.unwrap_or(true))
}

/// Turns the unlock emails on or off for `user`.
pub async fn set_unlock_emails(tx: &mut TenantTx, user: UserId, on: bool) -> sqlx::Result<()> {
    sqlx::query(
        "insert into user_notification_preferences (tenant_id, user_id, unlock_emails) values ($1, $2, $3)
         on conflict (tenant_id, user_id) do update set unlock_emails = excluded.unlock_emails",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(on)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
