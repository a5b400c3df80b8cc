//! What staff do for one student: send them the emails that get them back in, correct their
//! address, suspend and restore them, and delete them. Every action is recorded in the audit
//! log. Team members are managed on the team page, so these rules only ever touch students.

use kernel::{
    AppError, AppState,
    db::TenantTx,
    i18n::{self, Locale},
    ids::UserId,
    web::{FieldErrors, School},
};
use serde_json::json;

use super::{account, is_email_taken, send_verification};
use crate::{
    model::{Email, Role, User},
    store::{self, people, tokens},
};

/// The student with this id, or 404 (also for team members, deleted accounts and other schools).
pub async fn student(tx: &mut TenantTx, id: UserId) -> Result<User, AppError> {
    store::find(tx, id).await?.filter(|u| u.role() == Role::Student && u.deleted_at.is_none()).ok_or(AppError::NotFound)
}

/// The account with `email`, or a new student account for it (no password yet: they choose
/// one from the link the caller mails them). `name` may be empty: the address's local part is
/// used then. Returns the account and whether it was created.
pub async fn find_or_create_student(tx: &mut TenantTx, email: &Email, name: &str) -> Result<(User, bool), AppError> {
    if let Some((user, _)) = store::find_by_email(tx, email.as_str()).await? {
        return Ok((user, false));
    }
    let name = match name.trim() {
        "" => email.as_str().split('@').next().unwrap_or_default().to_string(),
        n => n.chars().take(120).collect(),
    };
    let user = store::insert_user(tx, email.as_str(), &name, None, Role::Student, false).await?;
    Ok((user, true))
}

/// Whether the account has a password yet (an account staff created has none until the
/// student sets one from their email).
pub async fn has_password(tx: &mut TenantTx, user: &User) -> Result<bool, AppError> {
    Ok(store::password_hash(tx, user.id).await?.is_some())
}

/// Mails the verification link again; refused once the address is confirmed.
pub async fn resend_verification(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    actor: &User,
    student: &User,
    locale: Locale,
) -> Result<(), AppError> {
    if student.email_verified_at.is_some() {
        return Err(AppError::Conflict(i18n::t(locale, "student-already-verified")));
    }
    send_verification(state, tx, school, student).await?;
    store::audit(tx, actor.id, "student.verification_sent", json!({ "user_id": student.id })).await?;
    Ok(())
}

/// Mails a password-reset link; not to a suspended account (it could not log in with it).
pub async fn send_reset(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    actor: &User,
    student: &User,
    locale: Locale,
) -> Result<(), AppError> {
    if student.suspended_at.is_some() {
        return Err(AppError::Conflict(i18n::t(locale, "student-reset-suspended")));
    }
    account::send_reset(state, tx, school, student).await?;
    store::audit(tx, actor.id, "student.reset_sent", json!({ "user_id": student.id })).await?;
    Ok(())
}

/// Corrects a mistyped address: it must be valid and free in the school. The account then
/// counts as unconfirmed, and the verification link goes to the new address.
pub async fn correct_email(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    actor: &User,
    student: &User,
    input: &str,
    locale: Locale,
) -> Result<Result<Email, FieldErrors>, AppError> {
    let mut errors = FieldErrors::default();
    let Some(email) = Email::parse(input) else {
        errors.add("email", i18n::t(locale, "validation-email-invalid"));
        return Ok(Err(errors));
    };
    if email.as_str() == student.email.to_lowercase() {
        errors.add("email", i18n::t(locale, "validation-email-same"));
        return Ok(Err(errors));
    }
    // A savepoint keeps the transaction usable when the address is taken.
    sqlx::query("savepoint correct_email").execute(&mut **tx).await?;
    match people::correct_email(tx, student.id, email.as_str()).await {
        Ok(()) => sqlx::query("release savepoint correct_email").execute(&mut **tx).await?,
        Err(e) if is_email_taken(&e) => {
            sqlx::query("rollback to savepoint correct_email").execute(&mut **tx).await?;
            errors.add("email", i18n::t(locale, "validation-email-in-use"));
            return Ok(Err(errors));
        }
        Err(e) => return Err(e.into()),
    };
    // Links mailed to the old address must not work any more.
    for purpose in [tokens::Purpose::VerifyEmail, tokens::Purpose::ResetPassword, tokens::Purpose::ChangeEmail] {
        tokens::retire(tx, student.id, purpose).await?;
    }
    let moved = store::find(tx, student.id).await?.ok_or(AppError::NotFound)?;
    send_verification(state, tx, school, &moved).await?;
    let detail = json!({ "user_id": student.id, "from": student.email, "to": email.as_str() });
    store::audit(tx, actor.id, "student.email_corrected", detail).await?;
    Ok(Ok(email))
}

/// Suspends a student: they are logged out everywhere and cannot log in until restored.
pub async fn suspend(tx: &mut TenantTx, actor: &User, student: &User) -> Result<(), AppError> {
    people::set_suspended(tx, student.id, true).await?;
    store::delete_other_sessions(tx, student.id, None).await?;
    tokens::retire(tx, student.id, tokens::Purpose::ResetPassword).await?;
    store::audit(tx, actor.id, "student.suspended", json!({ "user_id": student.id })).await?;
    Ok(())
}

/// Lets a suspended student log in again.
pub async fn restore(tx: &mut TenantTx, actor: &User, student: &User) -> Result<(), AppError> {
    people::set_suspended(tx, student.id, false).await?;
    store::audit(tx, actor.id, "student.restored", json!({ "user_id": student.id })).await?;
    Ok(())
}

/// Deletes a student, erasing their personal data, once `confirm` repeats their address.
/// `Ok(false)` when it does not.
pub async fn delete(tx: &mut TenantTx, actor: &User, student: &User, confirm: &str) -> Result<bool, AppError> {
    if !confirm.trim().eq_ignore_ascii_case(&student.email) {
        return Ok(false);
    }
    people::erase(tx, student.id).await?;
    // The audit entry names nobody: the point is that the data is gone.
    store::audit(tx, actor.id, "student.deleted", json!({ "user_id": student.id })).await?;
    Ok(true)
}

/// A short, readable name for a browser ("Firefox on Windows"), kept instead of the whole
/// header: enough to recognise a device, and less to store about a person.
pub fn short_user_agent(ua: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    let os = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} · {o}"),
        (Some(b), None) => b.to_string(),
        (None, Some(o)) => o.to_string(),
        (None, None) => ua.chars().take(60).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::short_user_agent;

    #[test]
    fn browsers_are_named_briefly() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/120.0 Safari/537.36";
        assert_eq!(short_user_agent(chrome), "Chrome · Windows");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(short_user_agent(safari), "Safari · iPhone");
        assert_eq!(short_user_agent(""), "");
        assert_eq!(short_user_agent(&"x".repeat(300)).len(), 60);
    }
}
