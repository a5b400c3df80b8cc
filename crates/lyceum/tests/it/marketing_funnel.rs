//! Funnel tracking: the view beacon (counted without cookies, robots and other sites refused),
//! opt-ins, checkout starts and purchases recorded once from their events, and a page's stats.

use chrono::Utc;
use kernel::jobs::NewJob;
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    commerce_support::{buy, offer},
    marketing_support::{new_page, owner, publish},
    support::{Browser, TestApp, TestSchool},
};

const CHROME: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

/// Sends the beacon the way a browser on the page does, from a browser with no cookies.
pub async fn beacon(app: &TestApp, school: &TestSchool, page: &str, ua: &str, search: &str) -> StatusCode {
    let b = app.browser(&school.school.slug);
    beacon_from(&b, page, ua, search, &[("sec-fetch-site", "same-origin")]).await
}

async fn beacon_from(b: &Browser, page: &str, ua: &str, search: &str, headers: &[(&str, &str)]) -> StatusCode {
    let mut req = b.client.post(b.url("/t/pv")).header("content-type", "text/plain;charset=UTF-8");
    if !ua.is_empty() {
        req = req.header("user-agent", ua);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = json!({ "p": page, "v": "", "s": search, "r": "news.example.com" }).to_string();
    req.body(body).send().await.unwrap().status()
}

/// A published page; returns its admin path and id.
pub async fn live_page(app: &TestApp, school: &TestSchool, slug: &str) -> (Browser, String, String) {
    let b = owner(app, school).await;
    let admin = new_page(&b, "Spring sale", slug, "blank").await;
    publish(&b, &admin).await;
    let id = admin.rsplit('/').next().unwrap().to_string();
    (b, admin, id)
}

async fn views(app: &TestApp) -> Vec<(String, String, String, String)> {
    let mut c = app.owner_conn().await;
    sqlx::query_as("select visitor_key, utm_source, utm_campaign, referrer_host from page_views order by at")
        .fetch_all(&mut c)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_beacon_counts_views_without_cookies_and_ignores_robots_and_other_sites() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (_, _, id) = live_page(&app, &acme, "spring").await;

    let (status, html) = app.browser("acme").page("/p/spring").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("data-lyceum-page=\"{id}\"")) && html.contains("/beacon."), "{html}");

    for ua in [CHROME, "Mozilla/5.0 (iPhone) Safari/604.1", CHROME] {
        assert_eq!(beacon(&app, &acme, &id, ua, "?utm_source=news&utm_campaign=spring").await, StatusCode::NO_CONTENT);
    }
    let rows = views(&app).await;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].0, rows[2].0, "the same browser is the same visitor today, without a cookie");
    assert_ne!(rows[0].0, rows[1].0);
    assert_eq!((rows[0].1.as_str(), rows[0].2.as_str(), rows[0].3.as_str()), ("news", "spring", "news.example.com"));

    // Robots, a missing browser name and prefetches answer like anyone but are not counted.
    assert_eq!(beacon(&app, &acme, &id, "Mozilla/5.0 (compatible; Googlebot/2.1)", "").await, StatusCode::NO_CONTENT);
    assert_eq!(beacon(&app, &acme, &id, "", "").await, StatusCode::NO_CONTENT);
    let b = app.browser("acme");
    let prefetch = [("sec-fetch-site", "same-origin"), ("sec-purpose", "prefetch")];
    assert_eq!(beacon_from(&b, &id, CHROME, "", &prefetch).await, StatusCode::NO_CONTENT);
    assert_eq!(views(&app).await.len(), 3);

    // Another site cannot post views.
    let b = app.browser("acme");
    assert_eq!(beacon_from(&b, &id, CHROME, "", &[("sec-fetch-site", "cross-site")]).await, StatusCode::FORBIDDEN);
    assert_eq!(beacon_from(&b, &id, CHROME, "", &[("origin", "https://evil.example")]).await, StatusCode::FORBIDDEN);
    assert_eq!(beacon_from(&b, &id, CHROME, "", &[]).await, StatusCode::FORBIDDEN);
    // A page of another school, or nonsense, is not counted.
    let globex = app.school("globex").await;
    assert_eq!(beacon(&app, &globex, &id, CHROME, "").await, StatusCode::NO_CONTENT);
    assert_eq!(beacon(&app, &acme, "not-a-page", CHROME, "").await, StatusCode::BAD_REQUEST);
    assert_eq!(views(&app).await.len(), 3);
}

/// Delivers `event` to `subscriber` once more, as a retried job would.
async fn redeliver(app: &TestApp, school: &TestSchool, subscriber: &str, event: serde_json::Value) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    kernel::jobs::enqueue(&mut tx, NewJob::new(subscriber, event)).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
}

#[tokio::test]
async fn opt_ins_checkouts_and_purchases_become_funnel_rows_once_and_show_in_the_stats() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (b, admin, id) = live_page(&app, &acme, "spring").await;
    for ua in [CHROME, "Mozilla/5.0 (iPhone) Safari/604.1", "Mozilla/5.0 (Macintosh) Firefox/130.0", CHROME] {
        beacon(&app, &acme, &id, ua, "?utm_source=news&utm_campaign=launch").await;
    }

    // An opt-in on the page, delivered twice.
    let payload = json!({ "form_id": uuid::Uuid::now_v7(), "contact_id": uuid::Uuid::now_v7(), "email": "ana@example.com",
        "page_id": id, "variant": "", "utm": { "utm_source": "news", "utm_campaign": "launch" } });
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let event = app.state.events.publish(&mut tx, "form.submitted", payload.clone()).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    let again = json!({ "id": event, "kind": "form.submitted", "payload": payload, "occurred_at": Utc::now() });
    redeliver(&app, &acme, "marketing.funnel_optin", again).await;

    // A purchase through the page's buy button (checkout started, then paid).
    offer(&app, &acme, "course", "one_time", 4900, &[]).await;
    let buyer = app.browser("acme");
    buy(&buyer, "course", "bo@example.com", &[("lp", "spring"), ("utm_source", "news"), ("utm_campaign", "launch")])
        .await;
    // A checkout from no page is not this funnel's.
    crate::commerce_support::start_checkout(&app.browser("acme"), "course", "cy@example.com", &[]).await;
    app.run_jobs().await;

    let mut c = app.owner_conn().await;
    let kinds: Vec<(String, Option<i64>)> =
        sqlx::query_as("select kind, amount from funnel_events order by kind").fetch_all(&mut c).await.unwrap();
    assert_eq!(kinds, vec![("checkout".into(), None), ("optin".into(), None), ("purchase".into(), Some(4900))]);
    let order_lp: String = sqlx::query_scalar("select attribution->>'lp' from orders").fetch_one(&mut c).await.unwrap();
    assert_eq!(order_lp, "spring");

    let (status, html) = b.page(&format!("{admin}/stats?days=7")).await;
    assert_eq!(status, StatusCode::OK);
    let tiles = html.split("data-tiles").nth(1).unwrap();
    for (label, value) in
        [("Visitors", "3"), ("Views", "4"), ("Opt-ins", "1"), ("Opt-in rate", "33.3%"), ("Sales", "1")]
    {
        assert!(tiles.contains(&format!("<span>{label}</span>")), "{label}");
        let after = tiles.split(&format!("<span>{label}</span>")).nth(1).unwrap();
        assert!(after.contains(&format!(">{value}</p>")), "{label} should be {value}");
    }
    assert!(tiles.contains("$49.00"), "revenue");
    let sources = html.split("data-sources").nth(1).unwrap();
    assert!(sources.contains("news") && sources.contains("launch"));

    // A custom period before any of it shows nothing, with the empty state.
    let (status, html) = b.page(&format!("{admin}/stats?from=2020-01-01&to=2020-01-31")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No visits in this period"));
}

#[tokio::test]
async fn another_school_cannot_see_a_pages_stats_or_test() {
    let app = TestApp::new().await;
    let (acme, globex) = (app.school("acme").await, app.school("globex").await);
    let (_, admin, _) = live_page(&app, &acme, "spring").await;
    let other = owner(&app, &globex).await;
    for path in [format!("{admin}/stats"), format!("{admin}/experiment")] {
        assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for path in [format!("{admin}/experiment/start"), format!("{admin}/experiment/end"), format!("{admin}/experiment")]
    {
        assert_eq!(other.post_form(&path, &[]).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
}
