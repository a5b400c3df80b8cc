//! Operations endpoints: `/healthz`, `/readyz`, `/metrics`.

use axum::{Router, extract::State, http::StatusCode, routing::get};
use kernel::{AppState, web::metrics};

/// Routes answered on every host.
pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics::render))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and the migrations are current.
async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    match state.db.readiness().await {
        Ok(()) => (StatusCode::OK, "ready".into()),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {e:#}")),
    }
}
