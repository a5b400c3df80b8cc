//! Identity's rules: signing up, logging in, sessions, and the mail that goes with them.

use std::time::Duration;

use chrono::Utc;
use kernel::{
    AppError, AppState,
    db::TenantTx,
    events::Event,
    i18n::{self, Locale},
    mail,
    secret::{hash_token, random_token},
    state::Wiring,
    web::{FieldErrors, School, Visitor},
};
use minijinja::context;

use crate::{
    model::{Email, Role, User},
    password, store,
};

pub mod account;
pub mod lockout;
pub mod people;
pub mod sign_in;
pub mod team;
pub mod two_factor;

/// How long a login lasts.
pub const SESSION_DAYS: i64 = 30;

/// A validated signup.
pub struct NewAccount {
    /// Display name.
    pub name: String,
    /// Address.
    pub email: Email,
    /// Password in clear, checked for length.
    pub password: String,
}

impl NewAccount {
    /// Checks the three fields; messages are in `locale`.
    pub fn parse(name: &str, email: &str, pw: &str, locale: Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = name.trim();
        if name.is_empty() {
            errors.add("name", i18n::t(locale, "validation-name-required"));
        } else if name.chars().count() > 120 {
            errors.add("name", i18n::t(locale, "validation-name-too-long"));
        }
        let email = Email::parse(email);
        if email.is_none() {
            errors.add("email", i18n::t(locale, "validation-email-invalid"));
        }
        if let Err(msg) = check_password(pw, locale) {
            errors.add("password", msg);
        }
        match (errors.is_empty(), email) {
            (true, Some(email)) => Ok(Self { name: name.to_string(), email, password: pw.to_string() }),
            _ => Err(errors),
        }
    }
}

/// Password rules, with a message for the form.
pub fn check_password(pw: &str, locale: Locale) -> Result<(), String> {
    if pw.chars().count() < password::MIN_LEN {
        return Err(i18n::t_args(locale, "validation-password-short", &[("min", (password::MIN_LEN as i64).into())]));
    }
    if pw.len() > 1024 {
        return Err(i18n::t(locale, "validation-password-long"));
    }
    Ok(())
}

/// Whether a database error is the unique email constraint.
pub fn is_email_taken(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.constraint() == Some("users_email_key"))
}

/// Creates an account. `Ok(None)` when the address is already registered.
pub async fn create_account(
    state: &AppState,
    tx: &mut TenantTx,
    account: &NewAccount,
    role: Role,
    verified: bool,
) -> Result<Option<User>, AppError> {
    create_account_from(state, tx, account, role, verified, serde_json::Map::new()).await
}

/// Like [`create_account`], with where the person came from added to `user.signed_up` (the
/// sign-up page adds an affiliate's referral cookie, `referral`, and the keyed hash of the
/// address, `ip_hash`, for the affiliate program).
pub async fn create_account_from(
    state: &AppState,
    tx: &mut TenantTx,
    account: &NewAccount,
    role: Role,
    verified: bool,
    origin: serde_json::Map<String, serde_json::Value>,
) -> Result<Option<User>, AppError> {
    let hash = password::hash(&account.password)?;
    // A savepoint keeps the caller's transaction usable when the address is taken.
    sqlx::query("savepoint create_account").execute(&mut **tx).await?;
    match store::insert_user(tx, account.email.as_str(), &account.name, Some(&hash), role, verified).await {
        Ok(user) => {
            sqlx::query("release savepoint create_account").execute(&mut **tx).await?;
            let mut payload = origin;
            payload.insert("user_id".into(), serde_json::json!(user.id));
            payload.insert("role".into(), role.as_str().into());
            state.events.publish(tx, "user.signed_up", serde_json::Value::Object(payload)).await?;
            Ok(Some(user))
        }
        Err(e) if is_email_taken(&e) => {
            sqlx::query("rollback to savepoint create_account").execute(&mut **tx).await?;
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// The outcome of checking a login.
pub enum LoginCheck {
    /// Email and password match.
    Ok(Box<User>),
    /// Email and password match, but the school suspended the account (said only to someone
    /// who knows the password, so it reveals nothing to a stranger).
    Suspended,
    /// No such account or wrong password (never said apart).
    Invalid,
}

/// Checks email and password.
pub async fn check_login(tx: &mut TenantTx, email: &str, pw: &str) -> Result<LoginCheck, AppError> {
    match store::find_by_email(tx, email.trim()).await? {
        Some((user, Some(hash))) if password::verify(pw, &hash) => {
            Ok(if user.suspended_at.is_some() { LoginCheck::Suspended } else { LoginCheck::Ok(Box::new(user)) })
        }
        Some(_) => Ok(LoginCheck::Invalid),
        None => {
            password::dummy_verify(pw);
            Ok(LoginCheck::Invalid)
        }
    }
}

/// Where a login comes from, kept in the person's sign-in history.
pub struct Device<'a> {
    /// The caller's address.
    pub ip: &'a str,
    /// The browser's `User-Agent` header, as sent.
    pub user_agent: &'a str,
}

/// Starts a session for `user`: a new visitor id (the old one is dropped), stored hashed.
/// `pending` sessions only allow the second-factor step; a full one is recorded in the sign-in
/// history. A suspended account gets none (every way in ends here).
pub async fn start_session(
    state: &AppState,
    tx: &mut TenantTx,
    visitor: &Visitor,
    user: &User,
    pending: bool,
    device: &Device<'_>,
) -> Result<(), AppError> {
    if user.suspended_at.is_some() || user.deleted_at.is_some() {
        return Err(AppError::Forbidden);
    }
    store::delete_session(tx, &hash_token(&visitor.sid())).await?;
    let sid = visitor.rotate(&state.config.keys);
    let expires = if pending {
        Utc::now() + chrono::Duration::minutes(10)
    } else {
        Utc::now() + chrono::Duration::days(SESSION_DAYS)
    };
    store::insert_session(tx, &hash_token(&sid), user.id, pending, expires).await?;
    if !pending {
        store::touch_login(tx, user.id).await?;
        let agent = people::short_user_agent(device.user_agent);
        store::logins::record(tx, user.id, device.ip, &agent).await?;
    }
    Ok(())
}

/// Ends the visitor's session.
pub async fn end_session(state: &AppState, tx: &mut TenantTx, visitor: &Visitor) -> Result<(), AppError> {
    store::delete_session(tx, &hash_token(&visitor.sid())).await?;
    visitor.rotate(&state.config.keys);
    Ok(())
}

/// The language to write to a user in.
pub fn user_locale(user: &User, school: &School) -> Locale {
    user.locale.as_deref().and_then(Locale::parse).unwrap_or(school.default_locale)
}

/// Creates a single-use token for `purpose` and returns it in clear (for the link).
pub async fn issue_token(
    tx: &mut TenantTx,
    user: &User,
    purpose: &str,
    valid_for: Duration,
    new_email: Option<&str>,
) -> sqlx::Result<String> {
    let token = random_token(32);
    sqlx::query(
        "insert into user_tokens (tenant_id, id, user_id, purpose, token_hash, new_email, expires_at)
         values ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))",
    )
    .bind(tx.tenant())
    .bind(uuid::Uuid::now_v7())
    .bind(user.id)
    .bind(purpose)
    .bind(hash_token(&token))
    .bind(new_email)
    .bind(valid_for.as_secs_f64())
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// Queues the email-verification message.
pub async fn send_verification(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    user: &User,
) -> Result<(), AppError> {
    let token = issue_token(tx, user, "verify_email", Duration::from_secs(3 * 24 * 3600), None).await?;
    let locale = user_locale(user, school);
    let url = format!("{}/verify-email/{token}", school.base_url);
    let subject = i18n::t_args(locale, "mail-verify-subject", &[("school", school.name.clone().into())]);
    let m = mail::compose(
        state,
        school,
        locale,
        (&user.email, &user.name),
        "identity/mail/verify",
        subject,
        context! { name => user.name.clone(), url },
    )?;
    mail::queue(tx, &m).await?;
    Ok(())
}

/// Who a message goes to, and in which language.
pub struct Recipient<'a> {
    /// Address.
    pub email: &'a str,
    /// Name (may be empty).
    pub name: &'a str,
    /// Language to write in.
    pub locale: Locale,
}

impl<'a> Recipient<'a> {
    /// A user of `school`, in their language.
    pub fn user(user: &'a User, school: &School) -> Self {
        Self { email: &user.email, name: &user.name, locale: user_locale(user, school) }
    }
}

/// Renders and queues a message to one person; the subject key gets the school's name as `school`.
pub async fn send_mail(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    to: Recipient<'_>,
    template: &str,
    subject_key: &str,
    ctx: minijinja::Value,
) -> Result<(), AppError> {
    let subject = i18n::t_args(to.locale, subject_key, &[("school", school.name.clone().into())]);
    let m = mail::compose(state, school, to.locale, (to.email, to.name), template, subject, ctx)?;
    mail::queue(tx, &m).await?;
    Ok(())
}

/// Sends the welcome email when someone signs up (subscriber of `user.signed_up`).
async fn welcome(state: AppState, event: Event) -> anyhow::Result<()> {
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    let user_id = serde_json::from_value(event.payload["user_id"].clone())?;
    let Some(user) = store::find(&mut tx, user_id).await? else { return Ok(()) };
    if user.role() != Role::Student {
        return Ok(()); // team members get an invitation instead
    }
    let locale = user_locale(&user, &school);
    let subject = i18n::t_args(locale, "mail-welcome-subject", &[("school", school.name.clone().into())]);
    let m = mail::compose(
        &state,
        &school,
        locale,
        (&user.email, &user.name),
        "identity/mail/welcome",
        subject,
        context! { name => user.name.clone(), url => format!("{}/dashboard", school.base_url) },
    )?;
    mail::queue(&mut tx, &m).await?;
    tx.commit().await?;
    Ok(())
}

/// Identity's jobs and subscriptions.
pub fn wire(w: &mut Wiring) {
    w.events.subscribe(&mut w.jobs, "user.signed_up", "identity.welcome_email", welcome);
}
