//! Builds the state and the router.

use std::{convert::Infallible, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    http::{HeaderName, HeaderValue, header},
    middleware::from_fn,
    middleware::from_fn_with_state,
    response::IntoResponse,
};
use kernel::{
    AppError, AppState,
    config::Config,
    db::Db,
    net::TxtResolver,
    state::Wiring,
    web::{self, Site},
};
use tower::ServiceExt;
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};

/// Every domain's templates, jobs and event subscriptions.
pub fn wiring() -> Wiring {
    let mut w = Wiring {
        templates: vec![
            identity::templates,
            tenancy::templates,
            integrations::templates,
            media::templates,
            courses::templates,
            commerce::templates,
            marketing::templates,
            insights::templates,
        ],
        ..Default::default()
    };
    kernel::mail::register(&mut w.jobs);
    identity::wire(&mut w);
    tenancy::wire(&mut w);
    media::wire(&mut w);
    courses::wire(&mut w);
    commerce::wire(&mut w);
    marketing::wire(&mut w);
    insights::wire(&mut w);
    w
}

/// Connects to the database as the application role and assembles the services.
pub async fn state(config: Config, dns: Arc<dyn TxtResolver>) -> anyhow::Result<AppState> {
    state_with(config, dns, wiring()).await
}

/// Like [`state`] with the wiring given (tests add rules, such as media entitlements).
pub async fn state_with(config: Config, dns: Arc<dyn TxtResolver>, wiring: Wiring) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.app_database_url, config.db_pool_size).await?;
    AppState::new(config, db, wiring, dns)
}

async fn not_found() -> AppError {
    tracing::Span::current().record("route", tracing::field::display("unmatched"));
    AppError::NotFound
}

fn site_router(routes: Router<AppState>, state: &AppState) -> Router {
    routes
        .merge(crate::ops::router())
        .route_layer(from_fn(web::metrics::track))
        .fallback(not_found)
        .with_state(state.clone())
}

/// The whole HTTP surface: schools' sites and the platform host, behind the web shell.
pub fn router(state: AppState) -> Router {
    let school = site_router(
        identity::router()
            .merge(tenancy::school_router())
            .merge(integrations::router())
            .merge(media::router())
            .merge(courses::router())
            .merge(commerce::router())
            .merge(marketing::router())
            .merge(insights::router()),
        &state,
    )
    // `?ref=` on any page of a school's site is an affiliate's click (a no-op without it).
    .layer(from_fn_with_state(state.clone(), commerce::affiliates::attribution::clicks::layer));
    let platform = site_router(
        tenancy::platform_router(&state).merge(crate::ops::platform_router()).merge(commerce::platform_router(&state)),
        &state,
    );
    let dispatch = tower::service_fn(move |req: Request| {
        let (school, platform) = (school.clone(), platform.clone());
        async move {
            let res = match req.extensions().get::<Site>() {
                Some(Site::School(_)) => school.oneshot(req).await,
                _ => platform.oneshot(req).await,
            };
            Ok::<_, Infallible>(res.into_response())
        }
    });
    let request_id = HeaderName::from_static("x-request-id");
    let pages = Router::new()
        .fallback_service(dispatch)
        .layer(CatchPanicLayer::new())
        .layer(from_fn_with_state(state.clone(), identity::session::layer))
        .layer(from_fn(tenancy::resolve::reject_unknown))
        .layer(from_fn_with_state(state.clone(), web::visitor::csrf_layer))
        .layer(from_fn_with_state(state.clone(), web::errors::layer))
        .layer(from_fn_with_state(state.clone(), web::visitor::layer))
        .layer(from_fn_with_state(state.clone(), tenancy::resolve::layer))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(security_headers())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                    // Never the raw path or query: they carry one-time tokens (password resets,
                    // invitations). The route template is recorded once routing knows it.
                    let route = tracing::field::Empty;
                    tracing::info_span!("request", method = %req.method(), route, request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid));
    // Fingerprinted assets skip the web shell: no school lookup, no session.
    Router::new().merge(web::assets::router(&state.config.assets_dir)).fallback_service(pages).layer(
        // No includeSubDomains: a custom domain's subdomains are the school's, not ours to pin.
        tower::util::option_layer((state.config.public_scheme == "https").then(|| {
            SetResponseHeaderLayer::overriding(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=63072000"),
            )
        })),
    )
}

fn security_headers() -> tower::layer::util::Stack<
    SetResponseHeaderLayer<HeaderValue>,
    tower::layer::util::Stack<SetResponseHeaderLayer<HeaderValue>, SetResponseHeaderLayer<HeaderValue>>,
> {
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
               script-src 'self'; font-src 'self'; connect-src 'self'; media-src 'self' blob:; \
               frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com https://www.loom.com; \
               frame-ancestors 'none'; \
               base-uri 'self'; object-src 'none'";
    tower::layer::util::Stack::new(
        SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp)),
        tower::layer::util::Stack::new(
            SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            ),
        ),
    )
}

/// Serves until `shutdown` resolves; in-flight requests finish first.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await?;
    Ok(())
}

/// Starts the in-process worker; returns its handle and the switch that stops it.
pub fn spawn_worker(state: AppState) -> (tokio::task::JoinHandle<()>, tokio::sync::watch::Sender<bool>) {
    let (tx, rx) = tokio::sync::watch::channel(false);
    let handle = tokio::spawn(kernel::jobs::run_worker(state, rx));
    (handle, tx)
}

/// How long to wait for a stopping worker: its own grace for running jobs, plus the moment it
/// takes to hand unfinished ones back.
pub const WORKER_GRACE: Duration = Duration::from_secs(kernel::jobs::SHUTDOWN_GRACE.as_secs() + 5);
