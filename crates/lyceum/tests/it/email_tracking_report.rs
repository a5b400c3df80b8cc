//! The preference centre and topics, revenue attributed to a click, and the reports.

use kernel::{events::Event, ids::EventId};
use marketing::email::tracking::{self, Scope};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::{
    email_tracking_support::{From, count, email, hrefs, path_of, sent, subscriber},
    marketing_support::owner,
    support::{TestApp, TestSchool},
};

async fn wants(app: &TestApp, school: &TestSchool, contact: marketing::model::ContactId, topic: &str) -> bool {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let w = tracking::wants(&mut tx, contact, topic).await.unwrap();
    tx.commit().await.unwrap();
    w
}

#[tokio::test]
async fn the_preference_centre_opts_out_of_a_topic_and_resubscribes_only_by_its_owner() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let staff = owner(&app, &acme).await;
    let res = staff.post_form("/admin/emails/topics", &[("name", "Product news"), ("description", "Launches")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    staff.post_form("/admin/emails/topics", &[("name", "Weekly tips")]).await;
    let (status, page) = staff.page("/admin/emails/topics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Product news") && page.contains("weekly-tips"), "{page}");

    let ana = subscriber(&app, &acme, "ana@example.com").await;
    let mail = email(&app, &acme).await;
    let d = sent(&app, &acme, mail, Some(ana), "ana@example.com", From::default()).await;
    let prefs = path_of(&tracking::links(&app.state, &acme.school.base_url, d).preferences);
    let b = app.browser("acme");
    let (status, page) = b.page(&prefs).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Product news") && page.contains("Weekly tips") && page.contains("checked"), "{page}");
    assert!(wants(&app, &acme, ana, "product-news").await);

    // Keep only the weekly tips (no CSRF token: the signed link is the credential).
    let res = b.post_form_without_csrf(&prefs, &[("topic", "weekly-tips"), ("action", "save")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!wants(&app, &acme, ana, "product-news").await);
    assert!(wants(&app, &acme, ana, "weekly-tips").await);
    assert!(wants(&app, &acme, ana, "").await);

    // Everything off, then on again by the person themself.
    b.post_form_without_csrf(&prefs, &[("action", "unsubscribe")]).await;
    let out = "select count(*) from contacts where tenant_id = $1 and status = 'unsubscribed'";
    assert_eq!(count(&app, &acme, out).await, 1);
    let (_, page) = b.page(&prefs).await;
    assert!(page.contains("Subscribe again"), "{page}");
    let res = b.post_form_without_csrf(&prefs, &[("action", "resubscribe")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(count(&app, &acme, out).await, 0);
    assert_eq!(count(&app, &acme, "select count(*) from suppressions where tenant_id = $1").await, 0);

    // Another school's owner cannot remove this school's topic.
    let g = owner(&app, &globex).await;
    let res = g.post_form("/admin/emails/topics/product-news/delete", &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = staff.post_form("/admin/emails/topics/product-news/delete", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(wants(&app, &acme, ana, "product-news").await);
}

fn paid(school: &TestSchool, order: Uuid, email: &str, total: i64, at: chrono::DateTime<chrono::Utc>) -> Event {
    Event {
        id: EventId::new(),
        kind: "order.paid".into(),
        payload: json!({ "order_id": order, "email": email, "total": total, "currency": "usd" }),
        occurred_at: at,
        tenant: school.school.id,
    }
}

#[tokio::test]
async fn revenue_is_attributed_once_and_the_report_counts_it() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let broadcast = Uuid::now_v7();
    let from = From { broadcast: Some(broadcast), ..Default::default() };
    let mail = email(&app, &acme).await;
    let ana = subscriber(&app, &acme, "ana@example.com").await;
    let bo = subscriber(&app, &acme, "bo@example.com").await;
    let cy = subscriber(&app, &acme, "cy@example.com").await;
    let d_ana = sent(&app, &acme, mail, Some(ana), "ana@example.com", from).await;
    let d_bo = sent(&app, &acme, mail, Some(bo), "bo@example.com", from).await;
    let _d_cy = sent(&app, &acme, mail, Some(cy), "cy@example.com", from).await;
    let base = acme.school.base_url.clone();
    let b = app.browser("acme");

    // Ana opens and clicks; Bo's opens are only Apple's; Cy's mail bounced.
    let html = r#"<body><a href="https://shop.example/course">Course</a></body>"#;
    let click = path_of(&hrefs(&tracking::decorate(&app.state, &base, d_ana, html, true))[0]);
    let t_ana = tracking::token(&app.state, d_ana);
    let t_bo = tracking::token(&app.state, d_bo);
    let ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15";
    b.client.get(b.url(&format!("/e/o/{t_ana}.gif"))).header("user-agent", ua).send().await.unwrap();
    assert_eq!(b.get(&click).await.status(), StatusCode::FOUND);
    assert_eq!(b.get(&click).await.status(), StatusCode::FOUND);
    b.client.get(b.url(&format!("/e/o/{t_bo}.gif"))).header("user-agent", "Mozilla/5.0").send().await.unwrap();
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update email_deliveries set bounced_at = now() where to_email = 'cy@example.com'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // Ana buys; the event is delivered twice. Bo buys without having clicked.
    let order = Uuid::now_v7();
    let now = app.state.clock.now();
    let event = paid(&acme, order, "Ana@Example.com", 4_900, now);
    tracking::revenue::on_paid(app.state.clone(), event.clone()).await.unwrap();
    tracking::revenue::on_paid(app.state.clone(), event).await.unwrap();
    tracking::revenue::on_paid(app.state.clone(), paid(&acme, Uuid::now_v7(), "bo@example.com", 900, now))
        .await
        .unwrap();
    // A purchase long after the click is not the email's.
    let late = now + chrono::Duration::days(6);
    tracking::revenue::on_paid(app.state.clone(), paid(&acme, Uuid::now_v7(), "ana@example.com", 700, late))
        .await
        .unwrap();
    let rows = "select count(*) from email_revenue where tenant_id = $1";
    assert_eq!(count(&app, &acme, rows).await, 1);

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let r = tracking::report(&mut tx, Scope::Broadcast(broadcast)).await.unwrap();
    tx.commit().await.unwrap();
    let t = &r.totals;
    assert_eq!((t.sent, t.delivered, t.opens, t.machine_opens), (3, 2, 1, 1));
    assert_eq!((t.clicks, t.total_clicks, t.unsubscribes, t.bounces, t.complaints), (1, 2, 0, 1, 0));
    assert_eq!(t.rate(t.clicks), 50.0);
    assert_eq!(r.revenue, vec![("USD".to_string(), 4_900)]);
    assert_eq!(r.links.len(), 1);
    assert_eq!((r.links[0].unique, r.links[0].clicks, r.links[0].revenue), (1, 2, 4_900));
    assert_eq!(r.hours.iter().map(|h| h.clicks).sum::<i64>(), 2);

    let staff = owner(&app, &acme).await;
    let (status, page) = staff.page(&format!("/admin/broadcasts/{broadcast}/report")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("data-report") && page.contains("shop.example"), "{page}");
    assert!(page.contains("$49.00") && page.contains("<svg"), "{page}");
    let unknown = staff.get(&format!("/admin/broadcasts/{}/report", Uuid::now_v7())).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let g = owner(&app, &globex).await;
    assert_eq!(g.get(&format!("/admin/broadcasts/{broadcast}/report")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.browser("acme").get(&format!("/admin/broadcasts/{broadcast}/report")).await.status().as_u16() / 100,
        3
    );
}

#[tokio::test]
async fn an_automation_report_has_a_line_per_step() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let automation = Uuid::now_v7();
    let mail = email(&app, &acme).await;
    let ana = subscriber(&app, &acme, "ana@example.com").await;
    let first = From { automation: Some(automation), step: Some("s1"), ..Default::default() };
    let second = From { step: Some("s2"), ..first };
    sent(&app, &acme, mail, Some(ana), "ana@example.com", first).await;
    let d2 = sent(&app, &acme, mail, Some(ana), "ana@example.com", second).await;
    let b = app.browser("acme");
    let unsubscribe = path_of(&tracking::links(&app.state, &acme.school.base_url, d2).unsubscribe);
    b.post_form_without_csrf(&unsubscribe, &[("List-Unsubscribe", "One-Click")]).await;

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let r = tracking::report(&mut tx, Scope::Automation(automation)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(r.totals.sent, 2);
    let steps: Vec<_> = r.steps.iter().map(|s| (s.step_id.as_str(), s.totals.unsubscribes)).collect();
    assert_eq!(steps, [("s1", 0), ("s2", 1)]);

    let staff = owner(&app, &acme).await;
    let (status, page) = staff.page(&format!("/admin/automations/{automation}/report")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"data-step="s2""#), "{page}");
    let g = owner(&app, &globex).await;
    assert_eq!(g.get(&format!("/admin/automations/{automation}/report")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(g.get("/admin/emails/topics").await.status(), StatusCode::OK);
}
