//! Prometheus metrics: requests by route and status with latency histograms, job queue
//! depth and pool use, rendered at `/metrics`.

use std::{sync::OnceLock, time::Instant};

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide recorder's handle (installed on first use).
pub fn handle() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("_seconds".into()),
                    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
                )
                .expect("buckets are valid")
                .build_recorder();
            let handle = recorder.handle();
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// Route-level middleware: counts the request under its route pattern, and names that pattern in
/// the request's log span (the one place a request's address is logged: the raw path can hold
/// one-time tokens, the pattern cannot).
pub async fn track(req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    tracing::Span::current().record("route", tracing::field::display(&route));
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("lyceum_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    metrics::histogram!("lyceum_http_request_duration_seconds", "route" => route).record(start.elapsed().as_secs_f64());
    res
}

/// `GET /metrics`.
pub async fn render(State(state): State<AppState>) -> impl IntoResponse {
    let (size, idle) = state.db.pool_usage();
    metrics::gauge!("lyceum_db_pool_connections").set(size as f64);
    metrics::gauge!("lyceum_db_pool_idle").set(idle as f64);
    metrics::gauge!("lyceum_db_pool_in_use").set(size.saturating_sub(idle as u32) as f64);
    if let Ok(depth) = crate::jobs::queue_depth(&state).await {
        for status in ["queued", "running", "dead"] {
            let n = depth.iter().find(|d| d.0 == status).map(|d| d.1).unwrap_or(0);
            metrics::gauge!("lyceum_job_queue_depth", "status" => status).set(n as f64);
        }
    }
    ([("content-type", "text/plain; version=0.0.4")], state.metrics.render())
}
