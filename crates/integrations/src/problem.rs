//! API errors as RFC 9457 `application/problem+json`.
//!
//! Most errors are plain [`AppError`]s, which the web shell renders for `/api` paths. The
//! ones that need more than a status and a sentence — field errors on a 422, the
//! `WWW-Authenticate` challenge on a 401 — are built here as a [`Problem`], in the same shape.

use std::collections::BTreeMap;

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use kernel::{
    AppError,
    error::title_key,
    i18n,
    web::{FieldErrors, Shell},
};
use serde::Serialize;

/// The body of every API error (RFC 9457).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Problem)]
pub struct ProblemBody {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: String,
    /// A short summary of the problem.
    #[schema(example = "Some details aren't valid")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong in this case, when there is more to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Please check the highlighted fields.")]
    pub detail: Option<String>,
    /// The path that was requested.
    #[schema(example = "/api/v1/users")]
    pub instance: String,
    /// The request's id; quote it when asking for help.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "0192f7c4-8a4e-7cc3-b7d5-3f0e1c9a7b21")]
    pub request_id: Option<String>,
    /// On validation errors (422 and some 400s): a message for each field that failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = json!({ "email": "Please enter a valid email address, like name@example.com." }))]
    pub errors: Option<BTreeMap<String, String>>,
}

/// An error response built by this crate.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    body: ProblemBody,
    challenge: Option<&'static str>,
}

impl Problem {
    /// A problem with the status's usual title, in the caller's language.
    pub fn new(shell: &Shell, status: StatusCode) -> Self {
        let body = ProblemBody {
            kind: "about:blank".into(),
            title: i18n::t(shell.locale, title_key(status)),
            status: status.as_u16(),
            detail: None,
            instance: shell.path.clone(),
            request_id: Some(shell.request_id.clone()).filter(|s| !s.is_empty()),
            errors: None,
        };
        Self { status, body, challenge: None }
    }

    /// Adds what went wrong in this case.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.body.detail = Some(detail.into());
        self
    }

    /// Adds the field errors.
    pub fn errors(mut self, errors: FieldErrors) -> Self {
        self.body.errors = Some(errors.0);
        self
    }

    /// Adds a `WWW-Authenticate: Bearer …` challenge (RFC 6750), for 401s.
    pub fn challenge(mut self, value: &'static str) -> Self {
        self.challenge = Some(value);
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&self.body).expect("problem serialises");
        let mut res = (self.status, body).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(c) = self.challenge {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(c));
        }
        res
    }
}

/// What an API handler or extractor fails with.
#[derive(Debug)]
pub enum ApiError {
    /// A plain error, rendered by the web shell.
    App(AppError),
    /// A problem built here (field errors, challenges).
    Problem(Box<Problem>),
}

/// The result of API code.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self::App(e)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::App(e.into())
    }
}

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        Self::Problem(Box::new(p))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::App(e) => e.into_response(),
            Self::Problem(p) => p.into_response(),
        }
    }
}
