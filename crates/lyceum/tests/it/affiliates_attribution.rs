//! Affiliate clicks: `?ref=` on any page and the `/a/` short links record a person's click and
//! set the signed referral cookie; robots, unknown or unapproved codes and another school's
//! codes get neither; the short link never sends anyone off the site.

use reqwest::StatusCode;

use crate::{
    affiliates_attribution_support::{CHROME, ref_set_cookie, visit},
    affiliates_support::{affiliate, enable},
    commerce_support::count,
    support::{TestApp, location},
};

#[tokio::test]
async fn a_click_records_the_visit_and_sets_a_signed_cookie() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let b = app.browser("acme");
    let plain = visit(&b, "/courses").await.status();

    let res = b
        .client
        .get(b.url("/courses?ref=ana&utm_source=podcast&utm_campaign=spring"))
        .header("user-agent", CHROME)
        .header("referer", "https://Blog.Example.com:8443/post?id=1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), plain, "the page renders as it does without ref");
    let cookie = ref_set_cookie(&res).expect("referral cookie");
    assert!(cookie.starts_with("lyceum_ref=ana."), "{cookie}");
    for part in ["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=2592000"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    assert!(!cookie.contains("Secure"), "plain http test server: {cookie}");

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (affiliate_id, landing, referrer, utm, ip_hash): (uuid::Uuid, String, String, serde_json::Value, String) =
        sqlx::query_as("select affiliate_id, landing, referrer, utm, ip_hash from affiliate_clicks")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(affiliate_id, ana.id.0);
    assert_eq!((landing.as_str(), referrer.as_str()), ("/courses", "blog.example.com"));
    assert_eq!(utm, serde_json::json!({ "utm_source": "podcast", "utm_campaign": "spring" }));
    assert_eq!(ip_hash.len(), 32);
    assert!(!ip_hash.contains("127.0.0.1"), "the address is never kept");

    // No `ref`: nothing recorded, no cookie.
    let res = visit(&b, "/courses?utm_source=podcast").await;
    assert!(ref_set_cookie(&res).is_none());
    assert_eq!(count(&app, &acme, "select count(*) from affiliate_clicks where tenant_id = $1").await, 1);
}

#[tokio::test]
async fn robots_unknown_and_unapproved_codes_get_nothing() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let pending = affiliate(&app, &acme, "Pat Pending", "pat@acme.test", "pat").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update affiliates set status = 'pending' where id = $1")
        .bind(pending.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let b = app.browser("acme");
    let plain = visit(&b, "/courses").await.status();

    for ua in ["curl/8.5.0", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ""] {
        let res = b.client.get(b.url("/courses?ref=ana")).header("user-agent", ua).send().await.unwrap();
        assert!(ref_set_cookie(&res).is_none(), "robot {ua:?} got a cookie");
    }
    let res = b
        .client
        .get(b.url("/courses?ref=ana"))
        .header("user-agent", CHROME)
        .header("sec-purpose", "prefetch")
        .send()
        .await
        .unwrap();
    assert!(ref_set_cookie(&res).is_none(), "a prefetch is not a click");
    for code in ["nobody", "pat", "x", "../../etc", "ana%00"] {
        let res = visit(&b, &format!("/courses?ref={code}")).await;
        assert_eq!(res.status(), plain, "{code}: the page renders normally");
        assert!(ref_set_cookie(&res).is_none(), "{code} set a cookie");
    }
    assert_eq!(count(&app, &acme, "select count(*) from affiliate_clicks where tenant_id = $1").await, 0);

    // With the program off, even an approved code records nothing.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update affiliate_settings set enabled = false").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(ref_set_cookie(&visit(&b, "/courses?ref=ana").await).is_none());
    assert_eq!(count(&app, &acme, "select count(*) from affiliate_clicks where tenant_id = $1").await, 0);
}

#[tokio::test]
async fn the_short_link_redirects_only_within_the_site() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let b = app.browser("acme");

    let res = visit(&b, "/a/ana").await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(location(&res), "/");
    assert!(ref_set_cookie(&res).expect("cookie").starts_with("lyceum_ref=ana."));

    let res = visit(&b, "/a/ANA/checkout/course?utm_source=yt").await;
    assert_eq!(location(&res), "/checkout/course?utm_source=yt");
    assert!(ref_set_cookie(&res).is_some());

    for evil in [
        "/a/ana//evil.example",
        "/a/ana//evil.example/path",
        "/a/ana/https://evil.example",
        "/a/ana/%5Cevil.example",
        "/a/ana/%2F%2Fevil.example",
        "/a/ana/%09/evil.example",
    ] {
        let res = visit(&b, evil).await;
        assert_eq!(res.status(), StatusCode::FOUND, "{evil}");
        assert_eq!(location(&res), "/", "{evil} must stay on the site");
    }
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let landings: Vec<String> = sqlx::query_scalar("select landing from affiliate_clicks order by at, created_at")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(landings[..2], ["/".to_string(), "/checkout/course".to_string()]);
    assert!(landings.iter().all(|l| l.starts_with('/') && !l.contains("evil")), "{landings:?}");

    // An unknown code still goes where it says, without a click or a cookie; robots too.
    let res = visit(&b, "/a/nobody/courses").await;
    assert_eq!((res.status(), location(&res)), (StatusCode::FOUND, "/courses".to_string()));
    assert!(ref_set_cookie(&res).is_none());
    let res = b.client.get(b.url("/a/ana")).header("user-agent", "curl/8").send().await.unwrap();
    assert!(ref_set_cookie(&res).is_none());
    assert_eq!(count(&app, &acme, "select count(*) from affiliate_clicks where tenant_id = $1").await, 8);
}

#[tokio::test]
async fn a_code_of_one_school_does_nothing_on_another() {
    let app = TestApp::new().await;
    let (acme, globex) = (app.school("acme").await, app.school("globex").await);
    enable(&app, &acme, "approval", 30, 30).await;
    enable(&app, &globex, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let b = app.browser("globex");
    assert!(ref_set_cookie(&visit(&b, "/courses?ref=ana").await).is_none());
    assert!(ref_set_cookie(&visit(&b, "/a/ana").await).is_none());
    assert_eq!(count(&app, &acme, "select count(*) from affiliate_clicks where tenant_id = $1").await, 0);
    assert_eq!(count(&app, &globex, "select count(*) from affiliate_clicks where tenant_id = $1").await, 0);
}
