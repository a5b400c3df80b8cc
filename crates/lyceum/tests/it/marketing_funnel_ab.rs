//! A/B tests of a page: starting one, editing variant B, a sticky 50/50 split, results with
//! significance, and ending it with a winner that is published.

use axum::http::{HeaderMap, header};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    marketing_funnel::{beacon, live_page},
    marketing_support::{new_page, owner},
    support::{TestApp, location},
};

#[tokio::test]
async fn a_test_splits_visitors_and_its_winner_is_published() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (b, admin, id) = live_page(&app, &acme, "spring").await;

    let (status, html) = b.page(&format!("{admin}/experiment")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("action=\"{admin}/experiment/start\"")));
    let res = b.post_form(&format!("{admin}/experiment/start"), &[("goal", "optin")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{admin}/experiment"));
    // A second start changes nothing.
    assert_eq!(b.post_form(&format!("{admin}/experiment/start"), &[]).await.status(), StatusCode::SEE_OTHER);

    // Variant B's headline is edited; a too-long one is refused beside the field, kept as typed.
    let (_, html) = b.page(&format!("{admin}/experiment")).await;
    assert!(html.contains("name=\"0.headline\"") && html.contains("value=\"Spring sale\""), "{html}");
    let long = "x".repeat(300);
    let res = b.post_form(&format!("{admin}/experiment"), &[("0.headline", &long), ("goal", "optin")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("This is too long.") && html.contains(&long));
    let res =
        b.post_form(&format!("{admin}/experiment"), &[("0.headline", "Spring sale: 30% off"), ("goal", "optin")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The split: sticky per browser, about half and half, and the cookie decides when present.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let page = marketing::store::page(&mut tx, id.parse().unwrap()).await.unwrap().unwrap();
    let mut on_b = 0;
    for i in 0..400 {
        let mut h = HeaderMap::new();
        h.insert(header::USER_AGENT, format!("Mozilla/5.0 visitor {i}").parse().unwrap());
        let (name, doc) = marketing::funnel::variant(&mut tx, &page, &h).await.unwrap().unwrap();
        let (again, _) = marketing::funnel::variant(&mut tx, &page, &h).await.unwrap().unwrap();
        assert_eq!(name, again, "sticky");
        if name == "b" {
            on_b += 1;
            assert_eq!(doc.sections[0].data["headline"], "Spring sale: 30% off");
        } else {
            assert_eq!(doc.sections[0].data["headline"], "Spring sale");
        }
        assert!(marketing::funnel::needs_cookie(page.id, &h));
    }
    assert!((160..=240).contains(&on_b), "{on_b} of 400 on B");
    let mut h = HeaderMap::new();
    let cookie = marketing::funnel::split_cookie(page.id, "b");
    h.insert(header::COOKIE, cookie.split(';').next().unwrap().parse().unwrap());
    assert_eq!(marketing::funnel::variant(&mut tx, &page, &h).await.unwrap().unwrap().0, "b");
    tx.commit().await.unwrap();

    // Results: 40 visitors on each side, 4 opt-ins on A and 14 on B.
    let b_page = app.browser("acme");
    for (variant, visitors, optins) in [("a", 40, 4), ("b", 40, 14)] {
        for i in 0..visitors {
            let body = json!({ "p": id, "v": variant, "s": "", "r": "" }).to_string();
            let res = b_page
                .client
                .post(b_page.url("/t/pv"))
                .header("user-agent", format!("Mozilla/5.0 {variant} {i}"))
                .header("sec-fetch-site", "same-origin")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::NO_CONTENT);
        }
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        for _ in 0..optins {
            let payload = json!({ "form_id": uuid::Uuid::now_v7(), "contact_id": uuid::Uuid::now_v7(),
                "email": "x@example.com", "page_id": id, "variant": variant, "utm": {} });
            app.state.events.publish(&mut tx, "form.submitted", payload).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    app.run_jobs().await;
    let (_, html) = b.page(&format!("{admin}/experiment")).await;
    assert!(html.contains("4 opt-ins from 40 visitors") && html.contains("14 opt-ins from 40 visitors"), "{html}");
    assert!(html.contains("significant at 95%"), "{html}");
    let (_, stats) = b.page(&format!("{admin}/stats")).await;
    assert!(stats.contains("id=\"ab-h\"") && stats.contains("significant at 95%"));

    // Keep B: it is published and the page shows it.
    let res = b.post_form(&format!("{admin}/experiment/end"), &[("winner", "b")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, public) = app.browser("acme").page("/p/spring").await;
    assert!(public.contains("Spring sale: 30% off"), "{public}");
    let (_, html) = b.page(&format!("{admin}/experiment")).await;
    assert!(html.contains(&format!("action=\"{admin}/experiment/start\"")));
    let (_, stats) = b.page(&format!("{admin}/stats")).await;
    assert!(stats.contains("Last A&#x2f;B test") && stats.contains("Kept"));
    assert_eq!(beacon(&app, &acme, &id, "Mozilla/5.0 after", "").await, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn an_unpublished_page_cannot_be_tested() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let admin = new_page(&b, "Soon", "soon", "blank").await;
    let (status, html) = b.page(&format!("{admin}/experiment")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("This page is not live yet"));
    let res = b.post_form(&format!("{admin}/experiment/start"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page(&location(&res)).await;
    assert!(html.contains("Publish the page first"));
    assert_eq!(
        b.post_form(&format!("{admin}/experiment/end"), &[("winner", "b")]).await.status(),
        StatusCode::CONFLICT
    );
}
