//! Logging in to a school's account: the per-account lock-out ([`kernel::lockout`]) and the
//! email that tells the holder when their account gets locked.

use kernel::{
    AppError, AppState,
    db::TenantTx,
    lockout::{self, Account, Factor},
    web::School,
};
use minijinja::context;

use super::{Recipient, send_mail};
use crate::store;

/// Seconds to wait when logging in to `email` is locked now.
pub async fn locked(tx: &mut TenantTx, factor: Factor, email: &str) -> Result<Option<u64>, AppError> {
    let at = Account::School { tenant: tx.tenant(), factor, email };
    Ok(lockout::locked(tx, at).await?)
}

/// Counts a wrong password or code for `email`; when that locks the account for the first
/// time since its last good login, mails the holder (if there is one). Returns the wait.
pub async fn failed(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    factor: Factor,
    email: &str,
) -> Result<Option<u64>, AppError> {
    let at = Account::School { tenant: tx.tenant(), factor, email };
    let failure = lockout::failed(tx, at).await?;
    if let (Some(seconds), true) = (failure.locked_for, failure.first_lock)
        && let Some((user, _)) = store::find_by_email(tx, email.trim()).await?
    {
        tracing::info!(user_id = %user.id, factor = ?factor, "account locked after failed logins");
        let ctx = context! {
            name => user.name.clone(),
            minutes => seconds.div_ceil(60),
            code => factor == Factor::Code,
            url => format!("{}/forgot-password", school.base_url),
        };
        let to = Recipient::user(&user, school);
        send_mail(state, tx, school, to, "identity/mail/locked", "mail-locked-subject", ctx).await?;
    }
    Ok(failure.locked_for)
}

/// Clears the count after a good password or code.
pub async fn succeeded(tx: &mut TenantTx, factor: Factor, email: &str) -> Result<(), AppError> {
    let at = Account::School { tenant: tx.tenant(), factor, email };
    Ok(lockout::clear(tx, at).await?)
}
