//! `GET/POST /login` on the platform host: a returning creator or team member types their
//! email and gets a sign-in link for each school where it belongs to the team
//! ([`identity::service::sign_in`]). The answer on screen is the same whatever the address, so
//! nobody can learn from it which addresses have schools.

use std::time::Duration;

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::model::Email;
use kernel::{
    AppResult, AppState,
    rate::{self, Limit},
    web::{FieldErrors, Form, Shell},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

/// Requests per client address: a shared office asks a few times, a prober many.
pub const LINK_LIMIT_PER_ADDRESS: Limit = Limit { max: 10, window: Duration::from_secs(900) };
/// Requests per email: keeps anyone from filling a person's inbox with links.
pub const LINK_LIMIT_PER_EMAIL: Limit = Limit { max: 3, window: Duration::from_secs(900) };

/// The form's one field.
#[derive(Deserialize, Default)]
pub struct LinkForm {
    #[serde(default)]
    email: String,
}

pub async fn form(State(state): State<AppState>, shell: Shell) -> AppResult<Response> {
    page(&state, &shell, "", &FieldErrors::default(), false)
}

fn page(state: &AppState, shell: &Shell, email: &str, errors: &FieldErrors, sent: bool) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html =
        kernel::web::render(state, shell, "tenancy/login.html", context! { email, errors => Serde(errors), sent })?;
    Ok((status, html).into_response())
}

pub async fn submit(State(state): State<AppState>, shell: Shell, Form(f): Form<LinkForm>) -> AppResult<Response> {
    let Some(email) = Email::parse(&f.email) else {
        let mut errors = FieldErrors::default();
        errors.add("email", kernel::i18n::t(shell.locale, "validation-email-invalid"));
        return page(&state, &shell, &f.email, &errors, false);
    };
    let by_address = format!("platform-login:{}", shell.client_ip);
    let by_email = format!("platform-login-email:{}", email.as_str());
    if let Err(wait) =
        state.rate.peek(&by_address, LINK_LIMIT_PER_ADDRESS).and(state.rate.peek(&by_email, LINK_LIMIT_PER_EMAIL))
    {
        let mut errors = FieldErrors::default();
        errors.add("email", rate::wait_message(shell.locale, wait));
        return Ok(rate::too_many_requests(page(&state, &shell, &f.email, &errors, false)?, wait));
    }
    state.rate.hit(&by_address, LINK_LIMIT_PER_ADDRESS);
    state.rate.hit(&by_email, LINK_LIMIT_PER_EMAIL);
    // How many schools got a link stays here: the page says the same for none.
    identity::service::sign_in::mail_links(&state, &email).await?;
    page(&state, &shell, email.as_str(), &FieldErrors::default(), true)
}
