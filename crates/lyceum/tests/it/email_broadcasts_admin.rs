//! `/admin/broadcasts` pages (list, new, editor with the segment builder and its live count,
//! confirmation, a broadcast's page), a segment that matches nobody refused, `/api/v1/broadcasts`,
//! and nothing of another school's.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    email_broadcasts_support::{contact, new_broadcast, review, send, status},
    marketing_support::owner,
    support::{TestApp, location},
};

#[tokio::test]
async fn the_editor_builds_a_segment_with_a_live_count_and_refuses_one_that_matches_nobody() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (code, html) = b.page("/admin/broadcasts").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("Send your first broadcast") && html.contains("/admin/broadcasts/new"), "{html}");
    let (code, html) = b.page("/admin/broadcasts/new").await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains(r#"name="subject""#), "{html}");
    let res = b.post_form("/admin/broadcasts", &[("name", ""), ("subject", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Give the broadcast a name"));

    contact(&app, &acme, "ana@example.com", "subscribed", json!({}), &["VIP"]).await;
    contact(&app, &acme, "bob@example.com", "subscribed", json!({}), &["VIP"]).await;
    contact(&app, &acme, "cleo@example.com", "unsubscribed", json!({}), &["VIP"]).await;

    let id = new_broadcast(&b, "December news", "What's new").await;
    let (code, html) = b.page(&format!("/admin/broadcasts/{id}/edit")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("/admin/broadcasts/segment-count") && html.contains("Add rule"), "{html}");
    assert!(html.contains(&format!("?return=/admin/broadcasts/{id}")), "{html}");
    assert!(html.contains("2 contacts"), "no rules: every subscribed contact: {html}");

    let (code, row) = b.page("/admin/broadcasts/segment-rule?rule=opened_within").await;
    assert_eq!(code, StatusCode::OK);
    assert!(row.contains("rule-row") && row.contains(r#"type="number""#), "{row}");
    let (_, gone) = b.page("/admin/broadcasts/segment-rule?remove=1").await;
    assert!(gone.trim().is_empty());

    let (_, count) = b.page("/admin/broadcasts/segment-count?match=all&rule=has_tag&value=vip&extra=").await;
    assert!(count.contains("2 contacts"), "{count}");
    let (_, count) = b.page("/admin/broadcasts/segment-count?match=all&rule=has_tag&value=Nobody").await;
    assert!(count.contains("matches nobody"), "{count}");
    let (_, count) = b.page("/admin/broadcasts/segment-count?rule=opened_within&value=soon").await;
    assert!(count.contains("Finish the rules"), "{count}");

    // An incomplete rule comes back with what is missing, the typed values kept.
    let res =
        review(&b, &id, &[("name", "December news"), ("rule", "signed_up_before"), ("value", ""), ("when", "now")])
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Choose a date."));
    let res = review(&b, &id, &[("name", "December news"), ("when", "later"), ("send_at", "2001-01-01T09:00")]).await;
    assert!(res.text().await.unwrap().contains("Choose a time in the future."));

    // Nobody: the confirmation says so and sending is refused.
    let nobody = [("name", "December news"), ("rule", "has_tag"), ("value", "Nobody"), ("when", "now")];
    let res = review(&b, &id, &nobody).await;
    assert_eq!(location(&res), format!("/admin/broadcasts/{id}/confirm"));
    let (_, html) = b.page(&format!("/admin/broadcasts/{id}/confirm")).await;
    assert!(html.contains("would reach nobody") && !html.contains("/send\""), "{html}");
    let res = b.post_form(&format!("/admin/broadcasts/{id}/send"), &[]).await;
    assert_eq!(location(&res), format!("/admin/broadcasts/{id}/edit"));
    let (_, html) = b.page(&format!("/admin/broadcasts/{id}/edit")).await;
    assert!(html.contains("would reach nobody"), "{html}");
    assert_eq!(status(&app, &acme, &id).await, "draft");

    // Saved rules come back in the builder.
    let vip = [("name", "December news"), ("match", "any"), ("rule", "has_tag"), ("value", "VIP"), ("when", "now")];
    let res =
        b.post_form(&format!("/admin/broadcasts/{id}/edit"), &[vip.as_slice(), &[("intent", "save")]].concat()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page(&format!("/admin/broadcasts/{id}/edit")).await;
    assert!(html.contains(r#"value="VIP""#) && html.contains(r#"value="any" checked"#), "{html}");

    send(&b, &id, &vip).await;
    let (code, html) = b.page(&format!("/admin/broadcasts/{id}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("Your broadcast is on its way") && html.contains("Cancel send"), "{html}");
    let (_, list) = b.page("/admin/broadcasts").await;
    assert!(list.contains("December news") && list.contains("Scheduled"), "{list}");
    // A sent or scheduled broadcast can no longer be edited.
    let res = b.get(&format!("/admin/broadcasts/{id}/edit")).await;
    assert_eq!(location(&res), format!("/admin/broadcasts/{id}"));
}

async fn api(app: &TestApp, slug: &str, key: &str, path: &str) -> (StatusCode, Value) {
    let host = format!("{slug}.localhost");
    let client = reqwest::Client::builder().resolve(&host, app.addr).build().unwrap();
    let res =
        client.get(format!("http://{host}:{}/api/v1{path}", app.addr.port())).bearer_auth(key).send().await.unwrap();
    let code = res.status();
    (code, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn broadcasts_are_listed_and_read_through_the_api_and_nothing_crosses_schools() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let b = owner(&app, &acme).await;
    let intruder = owner(&app, &globex).await;
    contact(&app, &acme, "ana@example.com", "subscribed", json!({}), &["VIP"]).await;
    let id = new_broadcast(&b, "Launch", "We are live").await;
    let draft = new_broadcast(&b, "Later", "Soon").await;
    send(&b, &id, &[("name", "Launch"), ("rule", "has_tag"), ("value", "VIP"), ("when", "now")]).await;
    app.run_jobs().await;
    let res = b.post_form(&format!("/admin/broadcasts/{id}/resend"), &[("subject", "Again")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let key = app.api_key(&acme, "read").await;
    let (code, list) = api(&app, "acme", &key, "/broadcasts?limit=2").await;
    assert_eq!(code, StatusCode::OK, "{list}");
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    assert!(list["next_cursor"].is_string());
    let cursor = list["next_cursor"].as_str().unwrap().to_string();
    let (_, rest) = api(&app, "acme", &key, &format!("/broadcasts?cursor={cursor}")).await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert_eq!(rest["data"][0]["id"], id.as_str());
    let (code, one) = api(&app, "acme", &key, &format!("/broadcasts/{id}")).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(one["name"], "Launch");
    assert_eq!(one["recipients"], 1);
    assert_eq!(one["segment"]["rules"][0], json!({"kind": "has_tag", "tag": "VIP"}));
    let (code, _) = api(&app, "acme", &key, "/broadcasts?limit=0").await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    let other = app.api_key(&globex, "read").await;
    let (code, _) = api(&app, "globex", &other, &format!("/broadcasts/{id}")).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let (_, theirs) = api(&app, "globex", &other, "/broadcasts").await;
    assert_eq!(theirs["data"], json!([]));
    let (code, _) = api(&app, "acme", &key, "/broadcasts/not-an-id").await;
    assert_eq!(code, StatusCode::NOT_FOUND);

    let (_, doc) = api(&app, "acme", &key, "/openapi.json").await;
    assert!(doc["paths"]["/broadcasts"]["get"].is_object() && doc["paths"]["/broadcasts/{id}"]["get"].is_object());

    // Another school's owner finds none of it.
    for path in [
        format!("/admin/broadcasts/{id}"),
        format!("/admin/broadcasts/{draft}/edit"),
        format!("/admin/broadcasts/{draft}/confirm"),
    ] {
        assert_eq!(intruder.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        format!("/admin/broadcasts/{draft}/edit"),
        format!("/admin/broadcasts/{draft}/send"),
        format!("/admin/broadcasts/{id}/cancel"),
        format!("/admin/broadcasts/{id}/resend"),
    ] {
        let res = intruder.post_form(&path, &[("name", "Mine"), ("subject", "Mine")]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(status(&app, &acme, &draft).await, "draft");
    assert!(["sending", "sent"].contains(&status(&app, &acme, &id).await.as_str()));
    let (_, count) = intruder.page("/admin/broadcasts/segment-count?rule=has_tag&value=VIP").await;
    assert!(count.contains("matches nobody"), "{count}");
}
