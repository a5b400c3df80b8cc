//! Published pages served from memory: each visitor still gets their own CSRF token, a
//! logged-in visitor is never served (or leaves) a shared copy, a revisit is a 304, and a
//! publish, an unpublish or a change made by another process is seen on the next request.

use std::time::Duration;

use marketing::sections::Seo;
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    marketing_delivery_support::{doc, publish, published_page, save, section},
    marketing_support::owner,
    support::{TestApp, extract_meta},
};

fn hero(headline: &str) -> marketing::sections::Document {
    doc(vec![section("hero", json!({ "headline": headline }))], Seo::default())
}

#[tokio::test]
async fn a_cached_page_is_each_visitors_own_and_a_publish_is_seen_at_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let id = published_page(&app, &acme, "Sale", "sale", &hero("Version one")).await;

    let (ana, ben) = (app.browser("acme"), app.browser("acme"));
    let first = ana.get("/p/sale").await;
    assert_eq!(first.headers()["cache-control"], "private, no-cache");
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let first = first.text().await.unwrap();
    let again = ana.get("/p/sale").await.text().await.unwrap();
    assert_eq!(first, again, "the same page, from memory");
    let ana_token = extract_meta(&again, "csrf-token").unwrap();
    let ben_page = ben.page("/p/sale").await.1;
    let ben_token = extract_meta(&ben_page, "csrf-token").unwrap();
    assert_ne!(ana_token, ben_token, "each visitor has their own token");
    assert!(!again.contains("__lyceum_csrf") && !ben_page.contains("__lyceum_csrf"));
    assert!(again.contains(&format!(r#"name="_csrf" value="{ana_token}""#)), "the language form too");
    let res = ana.post_form("/language", &[("locale", "es"), ("next", "/p/sale")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the token of a cached page is accepted");

    // Spanish is its own copy; back in English the revisit is answered by the ETag.
    let es = ana.page("/p/sale").await.1;
    assert!(es.contains(r#"<html lang="es""#));
    ana.post_form("/language", &[("locale", "en"), ("next", "/p/sale")]).await;
    let res = ana.client.get(ana.url("/p/sale")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    let res = ben.client.get(ben.url("/p/sale")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "another visitor's ETag is not theirs");

    // A saved draft is not shown; publishing it is, on the very next request.
    save(&app, &acme, id, &hero("Version two")).await;
    let html = ana.page("/p/sale").await.1;
    assert!(html.contains("Version one") && !html.contains("Version two"));
    publish(&app, &acme, id).await;
    let html = ben.page("/p/sale").await.1;
    assert!(html.contains("Version two") && !html.contains("Version one"), "{html}");
}

#[tokio::test]
async fn a_logged_in_visitor_gets_a_fresh_private_page() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    published_page(&app, &acme, "Sale", "sale", &hero("Join us")).await;
    let visitor = app.browser("acme");
    visitor.page("/p/sale").await;

    let b = owner(&app, &acme).await;
    let res = b.get("/p/sale").await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.headers().get("etag").is_none());
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"action="/logout""#) && html.contains("Join us"), "their own header");

    let html = visitor.page("/p/sale").await.1;
    assert!(!html.contains(r#"action="/logout""#) && html.contains(r#"href="/signup""#), "nobody else's");
}

#[tokio::test]
async fn a_change_announced_by_another_process_drops_the_copy() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    published_page(&app, &acme, "Sale", "sale", &hero("Before")).await;
    let visitor = app.browser("acme");
    assert!(visitor.page("/p/sale").await.1.contains("Before"));

    // Another process publishes: the rows change behind this process's back, then it says so.
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "update page_versions set document = jsonb_set(document, '{sections,0,data,headline}', '\"After\"')
         where tenant_id = $1",
    )
    .bind(acme.school.id)
    .execute(&mut conn)
    .await
    .unwrap();
    assert!(visitor.page("/p/sale").await.1.contains("Before"), "served from memory");
    let mut seen = false;
    for _ in 0..50 {
        // Said again until heard: the listener may still be connecting.
        let notify = sqlx::query("select pg_notify('lyceum_pages', $1)").bind(acme.school.id.to_string());
        notify.execute(&mut conn).await.unwrap();
        if visitor.page("/p/sale").await.1.contains("After") {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen, "the notification dropped the cached copy");
}
