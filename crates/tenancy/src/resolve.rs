//! Host header → school: `{slug}.{platform host}`, or a verified custom domain. Anything else
//! gets the platform's 404 page.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};
use kernel::{AppError, AppState, web::Site};

use crate::store;

/// Marks a request whose host matches no school (answered with 404 inside the web shell).
#[derive(Clone, Copy, Debug)]
pub struct UnknownHost;

/// Marks a request whose host could not be looked up (the database is unreachable): answered
/// with a branded 503 inside the web shell rather than a bare error.
#[derive(Clone, Copy, Debug)]
pub struct LookupFailed;

/// Middleware: inserts the [`Site`] for the request's host.
pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().host())
        .unwrap_or("")
        .to_ascii_lowercase();
    match resolve(&state, &host).await {
        Ok(Some(site)) => {
            req.extensions_mut().insert(site);
        }
        Ok(None) => {
            req.extensions_mut().insert(Site::Platform);
            req.extensions_mut().insert(UnknownHost);
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "resolving host failed");
            req.extensions_mut().insert(Site::Platform);
            req.extensions_mut().insert(LookupFailed);
        }
    }
    next.run(req).await
}

/// Middleware (inside the web shell): 404 for unknown hosts, rendered as the platform's page,
/// and 503 when the host could not be looked up.
pub async fn reject_unknown(req: Request, next: Next) -> Response {
    // Ops endpoints answer on any host (load balancers use the IP).
    let p = req.uri().path();
    let ops = p == "/healthz" || p == "/readyz" || p == "/metrics" || p.starts_with("/assets/");
    if !ops {
        if req.extensions().get::<LookupFailed>().is_some() {
            return AppError::Unavailable.into_response();
        }
        if req.extensions().get::<UnknownHost>().is_some() {
            return AppError::NotFound.into_response();
        }
    }
    next.run(req).await
}

/// Which site a host is; `None` when it is no school's. Answers are remembered for a few
/// seconds ([`kernel::AppState::hosts`]); whatever changes a school calls [`forget`].
pub async fn resolve(state: &AppState, host: &str) -> anyhow::Result<Option<Site>> {
    if let Some(site) = state.hosts.get(host) {
        return Ok(site);
    }
    let site = lookup(state, host).await?;
    state.hosts.insert(host.to_string(), site.clone());
    Ok(site)
}

/// Drops remembered host answers after a school's name, branding, domains or status changed.
pub fn forget(state: &AppState) {
    state.hosts.clear();
}

async fn lookup(state: &AppState, host: &str) -> anyhow::Result<Option<Site>> {
    let platform = state.config.platform_host.to_ascii_lowercase();
    let platform_name = state.config.platform_hostname().to_ascii_lowercase();
    let bare = host.split(':').next().unwrap_or(host);
    if host == platform || bare == platform_name || host.is_empty() || bare == "127.0.0.1" {
        return Ok(Some(Site::Platform));
    }
    let mut tx = state.db.platform().await?;
    let suffix = format!(".{platform_name}");
    let row = if let Some(slug) = bare.strip_suffix(&suffix).filter(|s| !s.contains('.')) {
        store::by_slug(&mut tx, slug).await?
    } else {
        store::by_domain(&mut tx, bare).await?
    };
    tx.commit().await?;
    Ok(row.map(|r| Site::School(Arc::new(r.into_school(&state.config)))))
}
