//! One error type for request code. It renders as a branded HTML page or as
//! `application/problem+json` (RFC 9457), chosen by the request's `Accept` header; the
//! rendering itself happens in [`crate::web::errors`], which knows the school and language.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// The result of request code.
pub type AppResult<T> = Result<T, AppError>;

/// What went wrong while handling a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or belongs to another school (never said apart).
    #[error("not found")]
    NotFound,
    /// Not logged in.
    #[error("login required")]
    Unauthorized,
    /// Logged in, but the role does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// The request is malformed (bad JSON, a missing CSRF token, a bad parameter).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The request conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Well-formed but invalid input, for API callers (forms re-render instead).
    #[error("invalid: {0}")]
    Unprocessable(String),
    /// The request body is larger than allowed.
    #[error("payload too large")]
    PayloadTooLarge,
    /// Too many attempts; try again after this many seconds.
    #[error("rate limited")]
    TooManyRequests { retry_after: u64 },
    /// The school is suspended and takes no new signups or orders.
    #[error("school suspended")]
    Suspended,
    /// A dependency (the database) is unreachable for now; try again shortly.
    #[error("service unavailable")]
    Unavailable,
    /// Anything else: logged with its cause chain, shown as a generic 500.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::error!(error = %e, "database unreachable");
                Self::Unavailable
            }
            e => Self::Internal(anyhow::Error::new(e)),
        }
    }
}

/// What the error renderer needs, carried in the response's extensions.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    /// HTTP status.
    pub status: StatusCode,
    /// A Fluent key for the title; the detail below is already user-facing text when present.
    pub title_key: &'static str,
    /// Extra user-facing detail, when there is one worth showing.
    pub detail: Option<String>,
}

impl AppError {
    /// The HTTP status this error maps to.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Suspended => StatusCode::FORBIDDEN,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The Fluent key of the title shown for a status.
pub fn title_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "error-400",
        401 => "error-401",
        403 => "error-403",
        404 => "error-404",
        405 => "error-405",
        409 => "error-409",
        413 => "error-413",
        415 => "error-415",
        422 => "error-422",
        429 => "error-429",
        503 => "error-503",
        _ => "error-500",
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (title_key, detail) = match &self {
            Self::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "request failed");
                (title_key(status), None)
            }
            Self::Suspended => ("error-suspended", None),
            Self::BadRequest(d) | Self::Conflict(d) | Self::Unprocessable(d) => (title_key(status), Some(d.clone())),
            _ => (title_key(status), None),
        };
        let mut res = (status, detail.clone().unwrap_or_default()).into_response();
        if matches!(self, Self::Unavailable) {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(30));
        }
        if let Self::TooManyRequests { retry_after } = self {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        res.extensions_mut().insert(ErrorInfo { status, title_key, detail });
        res
    }
}
