//! `GET /internal/tls-allowed?domain=` on the platform host: Caddy's on-demand TLS asks here
//! before getting a certificate. 200 for a school's subdomain or a verified custom domain.

use axum::extract::{Query, State};
use kernel::{AppError, AppResult, AppState};
use serde::Deserialize;

/// The query Caddy sends.
#[derive(Deserialize)]
pub struct TlsQuery {
    #[serde(default)]
    domain: String,
}

pub async fn allowed(State(state): State<AppState>, Query(q): Query<TlsQuery>) -> AppResult<&'static str> {
    if crate::domains::tls_allowed(&state, &q.domain).await? { Ok("ok") } else { Err(AppError::NotFound) }
}
