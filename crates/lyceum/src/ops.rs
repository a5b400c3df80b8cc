//! Operations endpoints: `/healthz` on every host; `/readyz` and `/metrics` only on the
//! platform host (and hosts that are no school's, such as a load balancer probing by address),
//! never on a school's site or custom domain.

use axum::{
    Extension, Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use kernel::{AppError, AppState, secret::constant_eq, web::errors::Verbatim};

/// Routes answered on every host.
pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

/// Routes answered on the platform host only.
pub fn platform_router() -> Router<AppState> {
    Router::new().route("/readyz", get(readyz)).route("/metrics", get(metrics))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and the migrations are current. Why not goes to the log, not the
/// body (the error text names tables and hosts); probes get a short text, not a page.
async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.readiness().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, Extension(Verbatim), "not ready").into_response()
        }
    }
}

/// Prometheus metrics for a scraper holding `LYCEUM_METRICS_TOKEN`; not served without one.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.config.metrics_token else { return AppError::NotFound.into_response() };
    let given =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if !given.is_some_and(|g| constant_eq(g, token.expose())) {
        let challenge = [(header::WWW_AUTHENTICATE, "Bearer")];
        return (StatusCode::UNAUTHORIZED, challenge, Extension(Verbatim), "a bearer token is required")
            .into_response();
    }
    kernel::web::metrics::render(State(state)).await.into_response()
}
