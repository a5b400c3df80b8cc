//! The API's request context: a bearer key turned into the school it opens and what it may do.
//! No cookies, no CSRF: the key is the only credential.

use std::{sync::Arc, time::Duration};

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, Method, StatusCode, header, request::Parts},
};
use kernel::{
    AppError, AppResult, AppState,
    db::TenantTx,
    i18n,
    rate::Limit,
    web::{School, Shell, Site},
};

use crate::{
    model::ApiKey,
    problem::{ApiError, Problem},
    service,
};

/// Requests per key and minute.
pub const API_LIMIT: Limit = Limit { max: 600, window: Duration::from_secs(60) };

/// An authenticated API request: the school, the key, and the means to open the school's data.
#[derive(Clone)]
pub struct ApiCtx {
    /// Shared services.
    pub state: AppState,
    /// The school the key belongs to (and the request reached).
    pub school: Arc<School>,
    /// Request data: language, path, request id.
    pub shell: Shell,
    /// The key that authenticated the request.
    pub key: ApiKey,
}

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(Site::School(school)) = parts.extensions.get::<Site>().cloned() else {
            return Err(AppError::NotFound.into());
        };
        let shell = Shell::from_request_parts(parts, state).await?;
        let t = |key: &str| i18n::t(shell.locale, key);
        let Some(secret) = bearer(&parts.headers) else {
            return Err(Problem::new(&shell, StatusCode::UNAUTHORIZED)
                .detail(t("api-error-missing-key"))
                .challenge(r#"Bearer realm="api""#)
                .into());
        };
        let Some(key) = service::authenticate(state, school.id, secret).await? else {
            return Err(Problem::new(&shell, StatusCode::UNAUTHORIZED)
                .detail(t("api-error-invalid-key"))
                .challenge(r#"Bearer realm="api", error="invalid_token""#)
                .into());
        };
        state
            .rate
            .check(&format!("api:{}", key.id), API_LIMIT)
            .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
        let writes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if writes && !key.scope().can_write() {
            return Err(Problem::new(&shell, StatusCode::FORBIDDEN).detail(t("api-error-read-only")).into());
        }
        Ok(Self { state: state.clone(), school, shell, key })
    }
}

impl ApiCtx {
    /// Opens a transaction that sees only this school's rows.
    pub async fn tx(&self) -> AppResult<TenantTx> {
        Ok(self.state.db.tenant(self.school.id).await?)
    }

    /// A problem response in the caller's language.
    pub fn problem(&self, status: StatusCode) -> Problem {
        Problem::new(&self.shell, status)
    }

    /// A message in the caller's language.
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.shell.locale, key)
    }
}

/// The token of an `Authorization: Bearer …` header (the scheme is case-insensitive).
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn reads_the_bearer_token_only() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer lyc_abc"));
        assert_eq!(bearer(&h), Some("lyc_abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic dXNlcjpwdw=="));
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer(&h), None);
    }
}
