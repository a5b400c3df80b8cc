//! Account rules: confirming the address, resetting and changing the password, moving to a
//! new address, and the profile.

use std::time::Duration;

use kernel::{
    AppError, AppState,
    db::TenantTx,
    i18n::{self, Locale},
    secret::hash_token,
    web::{FieldErrors, School},
};
use minijinja::context;

use super::{Recipient, check_password, is_email_taken, issue_token, send_mail};
use crate::{
    model::{Email, User},
    password, store,
    store::tokens::{self, Purpose},
};

/// How long a password-reset link works.
pub const RESET_VALID: Duration = Duration::from_secs(3600);
/// How long a link confirming a new address works.
pub const CHANGE_EMAIL_VALID: Duration = Duration::from_secs(24 * 3600);

/// Confirms the address a verification link was sent to; `None` for a dead link.
pub async fn verify_email(tx: &mut TenantTx, token: &str) -> Result<Option<User>, AppError> {
    let Some(t) = tokens::consume(tx, Purpose::VerifyEmail, &hash_token(token)).await? else { return Ok(None) };
    store::mark_verified(tx, t.user_id).await?;
    Ok(store::find(tx, t.user_id).await?)
}

/// Mails a reset link when the address has an account; says nothing either way.
pub async fn request_reset(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    email: &Email,
) -> Result<(), AppError> {
    let Some((user, _)) = store::find_by_email(tx, email.as_str()).await? else { return Ok(()) };
    if user.suspended_at.is_some() {
        return Ok(()); // a new password would not let them in
    }
    send_reset(state, tx, school, &user).await
}

/// Mails `user` a link to choose a new password (asked for by them, or by staff for them).
pub async fn send_reset(state: &AppState, tx: &mut TenantTx, school: &School, user: &User) -> Result<(), AppError> {
    let token = issue_token(tx, user, Purpose::ResetPassword.as_str(), RESET_VALID, None).await?;
    let url = format!("{}/reset-password/{token}", school.base_url);
    let ctx = context! { name => user.name.clone(), url };
    send_mail(state, tx, school, Recipient::user(user, school), "identity/mail/reset", "mail-reset-subject", ctx).await
}

/// Whether a reset link still works (the form is shown only then).
pub async fn reset_link_works(tx: &mut TenantTx, token: &str) -> Result<bool, AppError> {
    Ok(tokens::peek(tx, Purpose::ResetPassword, &hash_token(token)).await?.is_some())
}

/// Sets a new password from a reset link: the link and any other reset links are used up,
/// the address counts as confirmed, and every session of the account ends.
/// `None` for a dead link.
pub async fn reset_password(tx: &mut TenantTx, token: &str, new_password: &str) -> Result<Option<User>, AppError> {
    let Some(t) = tokens::consume(tx, Purpose::ResetPassword, &hash_token(token)).await? else { return Ok(None) };
    let hash = password::hash(new_password)?;
    store::set_password(tx, t.user_id, &hash, true).await?;
    tokens::retire(tx, t.user_id, Purpose::ResetPassword).await?;
    store::delete_other_sessions(tx, t.user_id, None).await?;
    Ok(store::find(tx, t.user_id).await?)
}

/// The password-change form's input.
pub struct PasswordChange<'a> {
    /// The password now.
    pub current: &'a str,
    /// The password wanted.
    pub new: &'a str,
}

/// Changes the password after checking the current one; ends the account's other sessions
/// (`keep` is the hashed key of the session making the change) and mails a notice.
pub async fn change_password(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    user: &User,
    keep: &str,
    change: PasswordChange<'_>,
    locale: Locale,
) -> Result<Result<(), FieldErrors>, AppError> {
    let mut errors = FieldErrors::default();
    let stored = store::password_hash(tx, user.id).await?;
    if !stored.is_some_and(|h| password::verify(change.current, &h)) {
        errors.add("current_password", i18n::t(locale, "validation-current-password-wrong"));
    }
    if let Err(msg) = check_password(change.new, locale) {
        errors.add("new_password", msg);
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let hash = password::hash(change.new)?;
    store::set_password(tx, user.id, &hash, false).await?;
    store::delete_other_sessions(tx, user.id, Some(keep)).await?;
    let ctx = context! { name => user.name.clone(), url => format!("{}/forgot-password", school.base_url) };
    let to = Recipient::user(user, school);
    send_mail(state, tx, school, to, "identity/mail/password_changed", "mail-password-changed-subject", ctx).await?;
    Ok(Ok(()))
}

/// Starts moving the account to `new_email`: checks the password and that the address is
/// free, then mails a confirmation link to the new address. Nothing changes until it is used.
pub async fn request_email_change(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    user: &User,
    new_email: &str,
    current_password: &str,
    locale: Locale,
) -> Result<Result<Email, FieldErrors>, AppError> {
    let mut errors = FieldErrors::default();
    let email = Email::parse(new_email);
    match &email {
        None => errors.add("new_email", i18n::t(locale, "validation-email-invalid")),
        Some(e) if e.as_str() == user.email.to_lowercase() => {
            errors.add("new_email", i18n::t(locale, "validation-email-same"));
        }
        Some(e) if store::email_in_use(tx, e.as_str()).await? => {
            errors.add("new_email", i18n::t(locale, "validation-email-in-use"));
        }
        Some(_) => {}
    }
    let stored = store::password_hash(tx, user.id).await?;
    if !stored.is_some_and(|h| password::verify(current_password, &h)) {
        errors.add("email_password", i18n::t(locale, "validation-current-password-wrong"));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
    tokens::retire(tx, user.id, Purpose::ChangeEmail).await?;
    let token = issue_token(tx, user, Purpose::ChangeEmail.as_str(), CHANGE_EMAIL_VALID, Some(email.as_str())).await?;
    let url = format!("{}/confirm-email/{token}", school.base_url);
    let to = Recipient { email: email.as_str(), name: &user.name, locale: super::user_locale(user, school) };
    let ctx = context! { name => user.name.clone(), url, new_email => email.as_str() };
    send_mail(state, tx, school, to, "identity/mail/confirm_email", "mail-confirm-email-subject", ctx).await?;
    Ok(Ok(email))
}

/// What came of a link confirming a new address.
pub enum EmailChange {
    /// The account now uses the new address.
    Done(Box<User>),
    /// The link is unknown, used or expired.
    Invalid,
    /// Another account took the address in the meantime.
    Taken,
}

/// Moves the account to the address the link was sent to, and tells the old address.
pub async fn confirm_email_change(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    token: &str,
) -> Result<EmailChange, AppError> {
    let Some(t) = tokens::consume(tx, Purpose::ChangeEmail, &hash_token(token)).await? else {
        return Ok(EmailChange::Invalid);
    };
    let (Some(new_email), Some(before)) = (t.new_email, store::find(tx, t.user_id).await?) else {
        return Ok(EmailChange::Invalid);
    };
    // A savepoint keeps the transaction (and the used-up link) when the address was taken.
    sqlx::query("savepoint change_email").execute(&mut **tx).await?;
    match store::set_email(tx, before.id, &new_email).await {
        Ok(()) => sqlx::query("release savepoint change_email").execute(&mut **tx).await?,
        Err(e) if is_email_taken(&e) => {
            sqlx::query("rollback to savepoint change_email").execute(&mut **tx).await?;
            return Ok(EmailChange::Taken);
        }
        Err(e) => return Err(e.into()),
    };
    let ctx = context! { name => before.name.clone(), new_email => new_email.clone(),
    url => format!("{}/forgot-password", school.base_url) };
    let to = Recipient::user(&before, school);
    send_mail(state, tx, school, to, "identity/mail/email_changed", "mail-email-changed-subject", ctx).await?;
    let after = store::find(tx, before.id).await?.ok_or(AppError::NotFound)?;
    Ok(EmailChange::Done(Box::new(after)))
}

/// A validated profile.
pub struct Profile {
    /// Display name.
    pub name: String,
    /// Interface language; `None` follows the school's default.
    pub locale: Option<Locale>,
    /// IANA time zone; `None` follows the school's.
    pub time_zone: Option<String>,
}

impl Profile {
    /// Checks the profile form. An empty language or time zone means "the school's default";
    /// `saved_zone` is the zone the account holds (kept acceptable even if no longer offered).
    pub fn parse(
        name: &str,
        locale: &str,
        time_zone: &str,
        saved_zone: Option<&str>,
        ui: Locale,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = name.trim();
        if name.is_empty() {
            errors.add("name", i18n::t(ui, "validation-name-required"));
        } else if name.chars().count() > 120 {
            errors.add("name", i18n::t(ui, "validation-name-too-long"));
        }
        let locale = match locale {
            "" => Some(None),
            code => Locale::parse(code).filter(|l| l.code() == code).map(Some),
        };
        if locale.is_none() {
            errors.add("locale", i18n::t(ui, "validation-locale-unknown"));
        }
        let time_zone = match time_zone {
            "" => None,
            zone if kernel::zones::accepts(zone, saved_zone) => Some(zone.to_string()),
            _ => {
                errors.add("time_zone", i18n::t(ui, "validation-time-zone-unknown"));
                None
            }
        };
        match (errors.is_empty(), locale) {
            (true, Some(locale)) => Ok(Self { name: name.to_string(), locale, time_zone }),
            _ => Err(errors),
        }
    }
}
