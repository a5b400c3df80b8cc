//! `GET/POST /start` on the platform host: a creator starts a school.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use kernel::{
    AppResult, AppState,
    rate::{self, Limit},
    web::{FieldErrors, Form, Shell},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::service::{CreateError, NewSchool, start_school};

/// Schools started per address: only schools actually created count, never a form sent back
/// with typos or a taken address.
pub const START_LIMIT: Limit = Limit { max: 10, window: std::time::Duration::from_secs(3600) };

/// The school signup form.
#[derive(Deserialize, Default, serde::Serialize)]
pub struct StartForm {
    #[serde(default)]
    school_name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default, skip_serializing)]
    password: String,
}

pub async fn form(State(state): State<AppState>, shell: Shell) -> AppResult<Response> {
    page(&state, &shell, &StartForm::default(), &FieldErrors::default())
}

fn page(state: &AppState, shell: &Shell, f: &StartForm, errors: &FieldErrors) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = kernel::web::render(
        state,
        shell,
        "tenancy/start.html",
        context! { form => Serde(f), errors => Serde(errors), platform_host => state.config.platform_host.clone() },
    )?;
    Ok((status, html).into_response())
}

pub async fn submit(State(state): State<AppState>, shell: Shell, Form(f): Form<StartForm>) -> AppResult<Response> {
    let rate_key = format!("start:{}", shell.client_ip);
    if let Err(wait) = state.rate.peek(&rate_key, START_LIMIT) {
        let mut errors = FieldErrors::default();
        errors.add("school_name", rate::wait_message(shell.locale, wait));
        return Ok(rate::too_many_requests(page(&state, &shell, &f, &errors)?, wait));
    }
    let new = match NewSchool::parse(&f.school_name, &f.slug, &f.name, &f.email, &f.password, shell.locale) {
        Ok(n) => n,
        Err(errors) => return page(&state, &shell, &f, &errors),
    };
    match start_school(&state, &new).await {
        Ok((_school, link)) => {
            state.rate.hit(&rate_key, START_LIMIT);
            // Cookies are per host: the one-time link starts the owner's session on the school's.
            Ok(Redirect::to(&format!("{link}?welcome=1")).into_response())
        }
        Err(CreateError::SlugTaken) => {
            let mut errors = FieldErrors::default();
            errors.add("slug", kernel::i18n::t(shell.locale, "validation-slug-taken"));
            page(&state, &shell, &f, &errors)
        }
        Err(CreateError::Other(e)) => Err(e),
    }
}
