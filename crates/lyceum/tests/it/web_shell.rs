//! The web shell: error pages in both formats, CSRF, limits, headers, operations endpoints.

use reqwest::StatusCode;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn an_unknown_route_is_404_in_the_format_asked_for() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let b = app.browser("acme");
    let (status, html) = b.page("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found") && html.contains("School acme"), "branded 404");
    let res = b.get_json("/no/such/page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], 404);
    assert_eq!(body["title"], "Page not found");
    assert_eq!(body["instance"], "/no/such/page");
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    let res = b.post_form_without_csrf("/login", &[("email", &acme.owner_email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = b
        .client
        .post(b.url("/login"))
        .header("origin", "http://evil.test")
        .form(&[("email", acme.owner_email.as_str()), ("password", PASSWORD), ("_csrf", &b.csrf().await)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "cross-origin posts are refused even with a token");
}

#[tokio::test]
async fn an_oversized_body_gets_413() {
    let app = TestApp::with(|c| c.max_body_bytes = 64 * 1024).await;
    app.school("acme").await;
    let b = app.browser("acme");
    let token = b.csrf().await;
    let big = "x".repeat(200 * 1024);
    let res = b
        .client
        .post(b.url("/login"))
        .header("accept", "text/html")
        .form(&[("email", big.as_str()), ("password", "p"), ("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().await.unwrap().contains("too large"));
}

#[tokio::test]
async fn responses_carry_a_request_id_and_security_headers() {
    let app = TestApp::new().await;
    let res = app.platform_browser().get("/").await;
    assert!(res.headers().contains_key("x-request-id"));
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn the_language_follows_choice_then_school_then_browser() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let b = app.browser("acme");
    // The school's default (English) wins over the browser's Spanish.
    let res = b.client.get(b.url("/login")).header("accept-language", "es-ES,es;q=0.9").send().await.unwrap();
    assert!(res.text().await.unwrap().contains("Welcome back"));
    // The visitor's own choice wins over both.
    let res = b.post_form("/language", &[("locale", "es"), ("next", "/login")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, body) = b.page("/login").await;
    assert!(body.contains("Hola de nuevo"), "Spanish after choosing it");
    // On the platform host, with no school, the browser's language counts.
    let p = app.platform_browser();
    let res = p.client.get(p.url("/")).header("accept-language", "es").send().await.unwrap();
    assert!(res.text().await.unwrap().contains("Crea tu escuela"));
}

#[tokio::test]
async fn when_the_database_fails_visitors_get_a_branded_503_without_internals() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let mut owner = app.owner_conn().await;
    sqlx::query("alter table tenant_settings rename to tenant_settings_away").execute(&mut owner).await.unwrap();
    let b = app.browser("acme");
    let res = b.get("/").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()["retry-after"], "30");
    let body = res.text().await.unwrap();
    assert!(body.contains("right back") && body.contains("<html"), "a designed page: {body}");
    assert!(!body.contains("tenant_settings") && !body.contains("relation"), "no internals");
    let res = b.get_json("/").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert!(!res.text().await.unwrap().contains("tenant_settings"));
    assert_eq!(b.get("/healthz").await.status(), StatusCode::OK, "liveness does not depend on it");
    sqlx::query("alter table tenant_settings_away rename to tenant_settings").execute(&mut owner).await.unwrap();
    assert_eq!(b.get("/").await.status(), StatusCode::OK, "and the school is back once it is");
}

#[tokio::test]
async fn fingerprinted_assets_and_fonts_are_served_from_our_origin_for_a_year() {
    let app = TestApp::new().await;
    let dir = &app.state.config.assets_dir;
    let manifest: std::collections::HashMap<String, String> =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("run `make assets` first")).unwrap();
    let p = app.platform_browser();
    let (_, page) = p.page("/").await;
    for name in ["app.css", "app.js", "fonts.css"] {
        let url = format!("/assets/{}", manifest[name]);
        assert!(page.contains(&url), "the page links {url}");
        let res = p.get(&url).await;
        assert_eq!(res.status(), StatusCode::OK, "{url}");
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    }
    let fonts = p.get(&format!("/assets/{}", manifest["fonts.css"])).await.text().await.unwrap();
    let font = fonts.split("url(\"./").nth(1).and_then(|s| s.split('"').next()).expect("a font file");
    let res = p.get(&format!("/assets/{font}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "font/woff2");
    assert_eq!(p.get("/assets/no-such-file.css").await.status(), StatusCode::NOT_FOUND);
}
