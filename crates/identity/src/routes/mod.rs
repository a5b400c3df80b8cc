//! Identity's pages: one file per page or action.

mod account;
mod account_email;
mod account_password;
mod invitation;
mod language;
mod login;
mod login_2fa;
mod login_link;
mod password_reset;
mod people;
mod security;
mod signup;
mod student;
mod student_actions;
mod team;
mod team_member;
mod verify_email;

use axum::{
    Router,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use kernel::{AppResult, AppState, rate::Limit, web::FieldErrors};
use minijinja::context;
use std::time::Duration;

use crate::Ctx;

/// Wrong passwords or codes per address and school. Only failures count, and loosely: a class
/// behind one address logs in together, and one account is guarded by `kernel::lockout`.
pub const LOGIN_FAILURE_LIMIT: Limit = Limit { max: 50, window: Duration::from_secs(600) };
/// Signups per address and school: sized for a class signing up together.
pub const SIGNUP_LIMIT: Limit = Limit { max: 60, window: Duration::from_secs(600) };
/// Password-reset requests per address and school.
pub const RESET_LIMIT: Limit = Limit { max: 30, window: Duration::from_secs(900) };
/// Verification emails a logged-in person may ask for again.
pub const RESEND_LIMIT: Limit = Limit { max: 3, window: Duration::from_secs(900) };
/// Password checks on the account pages (change password or email, turn off two-factor login).
pub const ACCOUNT_LIMIT: Limit = Limit { max: 10, window: Duration::from_secs(900) };

/// Identity's routes on a school's site.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup::form).post(signup::submit))
        .route("/login", get(login::form).post(login::submit))
        .route("/login/2fa", get(login_2fa::form).post(login_2fa::submit))
        .route("/login/link/{token}", get(login_link::open))
        .route("/logout", post(login::logout))
        .route("/language", post(language::set))
        .route("/verify-email/resend", post(verify_email::resend))
        .route("/verify-email/{token}", get(verify_email::confirm))
        .route("/forgot-password", get(password_reset::forgot_form).post(password_reset::forgot_submit))
        .route("/reset-password/{token}", get(password_reset::reset_form).post(password_reset::reset_submit))
        .route("/account", get(account::show))
        .route("/account/profile", post(account::profile))
        .route("/account/notifications", post(account::notifications))
        .route("/account/password", post(account_password::submit))
        .route("/account/email", post(account_email::submit))
        .route("/confirm-email/{token}", get(account_email::confirm))
        .route("/account/security", get(security::show))
        .route("/account/2fa/setup", post(security::setup))
        .route("/account/2fa/enable", post(security::enable))
        .route("/account/2fa/disable", post(security::disable))
        .route("/admin/team", get(team::show))
        .route("/admin/team/invite", post(team::invite))
        .route("/admin/team/invitations/{id}/revoke", post(team::revoke))
        .route("/admin/team/{user_id}/role", post(team_member::role))
        .route("/admin/team/{user_id}/remove", post(team_member::remove))
        .route("/invitations/{token}", get(invitation::show).post(invitation::accept))
        .route("/admin/people", get(people::list))
        .route("/admin/people/export.csv", get(people::export))
        .route("/admin/people/{id}", get(student::show))
        .route("/admin/people/{id}/resend-verification", post(student_actions::resend_verification))
        .route("/admin/people/{id}/reset-password", post(student_actions::reset_password))
        .route("/admin/people/{id}/email", post(student_actions::correct_email))
        .route("/admin/people/{id}/suspend", post(student_actions::suspend))
        .route("/admin/people/{id}/restore", post(student_actions::restore))
        .route("/admin/people/{id}/delete", post(student_actions::delete))
}

/// A form refused by a rate limit says how long to wait beside `field` (the page is then sent
/// with [`kernel::rate::too_many_requests`], keeping what was typed).
fn wait_errors(ctx: &Ctx, field: &str, wait: u64) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add(field, kernel::rate::wait_message(ctx.shell.locale, wait));
    errors
}

/// 200 for a fresh form, 422 when it comes back with messages beside the fields.
fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

/// The page for a link that is unknown, used up, expired or from another school (404: the
/// link leads nowhere), with the way forward. `kind` is verify, reset, email, invite or sign-in.
fn dead_link(ctx: &Ctx, kind: &str) -> AppResult<Response> {
    let html = ctx.render("identity/dead_link.html", context! { kind, logged_in => ctx.user.is_some() })?;
    Ok((StatusCode::NOT_FOUND, html).into_response())
}

/// Tokens in links are URL-safe base64; anything else cannot be one of ours.
fn plausible_token(token: &str) -> bool {
    (20..=128).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
