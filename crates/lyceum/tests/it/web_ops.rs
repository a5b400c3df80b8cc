//! Operations: liveness everywhere, readiness and metrics only on the platform host, metrics
//! only for the holder of the token, and request logs that name routes rather than paths.

use std::sync::{Arc, Mutex};

use reqwest::StatusCode;

use crate::support::{Browser, TestApp};

const TOKEN: &str = "a-metrics-token-for-the-scraper";

async fn metrics(b: &Browser, token: Option<&str>) -> (StatusCode, String) {
    let mut req = b.client.get(b.url("/metrics"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// Serves `domain` as a verified custom domain of `tenant`.
async fn custom_domain(app: &TestApp, tenant: kernel::TenantId, domain: &str) {
    let mut owner = app.owner_conn().await;
    sqlx::query(
        "insert into tenant_domains (tenant_id, id, domain, verification_token, verified_at)
         values ($1, gen_random_uuid(), $2, 'token', now())",
    )
    .bind(tenant)
    .bind(domain)
    .execute(&mut owner)
    .await
    .unwrap();
}

#[tokio::test]
async fn readiness_and_metrics_answer_on_the_platform_host_only() {
    let app = TestApp::with(|c| c.metrics_token = Some(TOKEN.into())).await;
    let acme = app.school("acme").await;
    custom_domain(&app, acme.school.id, "courses.acme.test").await;
    let p = app.platform_browser();
    assert_eq!(p.page("/healthz").await, (StatusCode::OK, "ok".to_string()));
    assert_eq!(p.page("/readyz").await, (StatusCode::OK, "ready".to_string()));
    p.get("/").await;
    let (status, body) = metrics(&p, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    for name in [
        "lyceum_http_requests_total",
        "lyceum_http_request_duration_seconds",
        "lyceum_job_queue_depth",
        "lyceum_db_pool_in_use",
    ] {
        assert!(body.contains(name), "{name} in {body}");
    }
    for wrong in [None, Some("wrong"), Some("a-metrics-token-for-the-scrapeR")] {
        let res = p.client.get(p.url("/metrics")).bearer_auth(wrong.unwrap_or_default()).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        assert!(!res.text().await.unwrap().contains("lyceum_"));
    }
    assert_eq!(metrics(&p, None).await.0, StatusCode::UNAUTHORIZED);

    for b in [app.browser("acme"), app.browser_on("courses.acme.test")] {
        assert_eq!(b.page("/healthz").await, (StatusCode::OK, "ok".to_string()), "liveness on {}", b.base);
        assert_eq!(b.get("/readyz").await.status(), StatusCode::NOT_FOUND, "readiness on {}", b.base);
        let (status, body) = metrics(&b, Some(TOKEN)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "metrics on {}", b.base);
        assert!(!body.contains("lyceum_http_requests_total"));
    }
    // A host that is no school's (a load balancer probing by address) is the platform's.
    let by_address = app.browser_on("probe.internal");
    assert_eq!(by_address.page("/healthz").await, (StatusCode::OK, "ok".to_string()));
    assert_eq!(by_address.page("/readyz").await, (StatusCode::OK, "ready".to_string()));
}

#[tokio::test]
async fn metrics_are_not_served_without_a_token_configured() {
    let app = TestApp::with(|c| c.metrics_token = None).await;
    let p = app.platform_browser();
    assert_eq!(metrics(&p, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(metrics(&p, Some("anything")).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn readiness_says_not_ready_without_the_database_error() {
    let app = TestApp::new().await;
    let mut owner = app.owner_conn().await;
    sqlx::query("alter table _sqlx_migrations rename to _sqlx_migrations_away").execute(&mut owner).await.unwrap();
    let (status, body) = app.platform_browser().page("/readyz").await;
    sqlx::query("alter table _sqlx_migrations_away rename to _sqlx_migrations").execute(&mut owner).await.unwrap();
    assert_eq!((status, body.as_str()), (StatusCode::SERVICE_UNAVAILABLE, "not ready"));
    assert_eq!(app.platform_browser().page("/readyz").await, (StatusCode::OK, "ready".to_string()));
}

/// What the request log lines say for `paths` on `host`, captured by a subscriber of the test's own.
async fn request_logs(app: &TestApp, host: &str, paths: &[&str]) -> String {
    use tower::ServiceExt;
    use tracing::instrument::WithSubscriber;
    #[derive(Clone)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = Buf(Arc::new(Mutex::new(vec![])));
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let dispatch = tracing::Dispatch::new(subscriber);
    for path in paths {
        let req = axum::http::Request::get(*path).header("host", host).body(axum::body::Body::empty()).unwrap();
        let res = lyceum::app::router(app.state.clone()).oneshot(req).with_subscriber(dispatch.clone()).await.unwrap();
        assert!(res.status().as_u16() < 500, "{path}: {}", res.status());
    }
    String::from_utf8(buf.0.lock().unwrap().clone()).unwrap()
}

#[tokio::test]
async fn request_logs_name_the_route_not_the_path_with_its_token() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let paths = [
        "/reset-password/SECRET-RESET-TOKEN?utm=SECRET-QUERY",
        "/invitations/SECRET-INVITATION-TOKEN",
        "/verify-email/SECRET-VERIFY-TOKEN",
        "/no/such/SECRET-UNMATCHED",
    ];
    let logs = request_logs(&app, "acme.localhost", &paths).await;
    assert!(!logs.contains("SECRET"), "no path or query in the logs: {logs}");
    for route in ["/reset-password/{token}", "/invitations/{token}", "/verify-email/{token}", "unmatched"] {
        assert!(logs.contains(&format!("route={route}")), "{route} in {logs}");
    }
    assert_eq!(logs.matches("finished processing request").count(), paths.len(), "{logs}");
}
