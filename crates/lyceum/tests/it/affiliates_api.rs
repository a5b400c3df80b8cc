//! `/api/v1/affiliates`, `/api/v1/commissions` and `/api/v1/payouts`: lists with totals,
//! filters, paging, checks of bad parameters, and another school's key getting 404.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    affiliates_portal_support::seed,
    affiliates_support::{affiliate, enable},
    support::{TestApp, TestSchool},
};

async fn get(app: &TestApp, school: &TestSchool, key: &str, path: &str) -> (StatusCode, Value) {
    let host = format!("{}.localhost", school.school.slug);
    let http = reqwest::Client::builder().resolve(&host, app.addr).build().unwrap();
    let res =
        http.get(format!("http://{host}:{}/api/v1{path}", app.addr.port())).bearer_auth(key).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn affiliates_commissions_and_payouts_are_listed_with_filters() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let bob = affiliate(&app, &acme, "Bob Affiliate", "bob@acme.test", "bob").await;
    let seeded = seed(&app, &acme, &ana).await;
    let key = app.api_key(&acme, "read").await;

    let (code, list) = get(&app, &acme, &key, "/affiliates").await;
    assert_eq!(code, StatusCode::OK, "{list}");
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["code"], "bob", "newest first");
    let a = &data[1];
    assert_eq!((a["email"].as_str(), a["status"].as_str()), (Some("ana@acme.test"), Some("approved")));
    assert_eq!((a["clicks"].as_i64(), a["signups"].as_i64(), a["sales"].as_i64()), (Some(4), Some(1), Some(1)));
    let usd = &a["earnings"][0];
    assert_eq!(
        (usd["pending"].as_i64(), usd["payable"].as_i64(), usd["paid"].as_i64()),
        (Some(1500), Some(3000), Some(1000))
    );
    assert!(a.get("payout_sealed").is_none() && a.get("payout_summary").is_none());

    let (_, page) = get(&app, &acme, &key, "/affiliates?limit=1").await;
    let cursor = page["next_cursor"].as_str().expect("a next page").to_string();
    let (_, next) = get(&app, &acme, &key, &format!("/affiliates?limit=1&cursor={cursor}")).await;
    assert_eq!(next["data"][0]["code"], "ana");
    assert!(next["next_cursor"].is_null());
    let (_, pending) = get(&app, &acme, &key, "/affiliates?status=pending").await;
    assert_eq!(pending["data"].as_array().unwrap().len(), 0);
    let (code, bad) = get(&app, &acme, &key, "/affiliates?status=famous").await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    assert!(bad["errors"]["status"].as_str().unwrap().contains("approved"));

    let (code, one) = get(&app, &acme, &key, &format!("/affiliates/{}", bob.id)).await;
    assert_eq!((code, one["code"].as_str()), (StatusCode::OK, Some("bob")));
    assert_eq!(one["earnings"].as_array().unwrap().len(), 0);

    let (_, all) = get(&app, &acme, &key, "/commissions").await;
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
    let (_, payable) = get(&app, &acme, &key, &format!("/commissions?affiliate_id={}&status=payable", ana.id)).await;
    let rows = payable["data"].as_array().unwrap();
    assert_eq!((rows.len(), rows[0]["amount"].as_i64(), rows[0]["state"].as_str()), (1, Some(3000), Some("payable")));
    assert_eq!(rows[0]["order_id"].as_str(), Some(seeded.order.to_string().as_str()));
    let (_, none) = get(&app, &acme, &key, &format!("/commissions?affiliate_id={}", bob.id)).await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);
    let (_, future) = get(&app, &acme, &key, "/commissions?since=2999-01-01T00:00:00Z").await;
    assert_eq!(future["data"].as_array().unwrap().len(), 0);
    let (code, bad) = get(&app, &acme, &key, "/commissions?since=yesterday&affiliate_id=x&status=lost").await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    for field in ["since", "affiliate_id", "status"] {
        assert!(bad["errors"][field].is_string(), "{field}: {bad}");
    }

    let (_, payouts) = get(&app, &acme, &key, "/payouts?status=paid").await;
    let p = &payouts["data"][0];
    assert_eq!((p["id"].as_str(), p["amount"].as_i64()), (Some(seeded.payout.to_string().as_str()), Some(1000)));
    assert_eq!(p["affiliate_id"].as_str(), Some(ana.id.to_string().as_str()));
    let (_, open) = get(&app, &acme, &key, "/payouts?status=open").await;
    assert_eq!(open["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn another_schools_key_sees_none_of_it() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    seed(&app, &acme, &ana).await;
    let key = app.api_key(&globex, "read").await;

    let (code, _) = get(&app, &globex, &key, &format!("/affiliates/{}", ana.id)).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let (code, _) = get(&app, &globex, &key, "/affiliates/not-an-id").await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    for path in [
        "/affiliates".to_string(),
        "/commissions".into(),
        format!("/commissions?affiliate_id={}", ana.id),
        "/payouts".into(),
    ] {
        let (code, body) = get(&app, &globex, &key, &path).await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(body["data"].as_array().unwrap().len(), 0, "{path}");
    }
    let (code, _) = get(&app, &acme, &key, "/affiliates").await;
    assert_eq!(code, StatusCode::UNAUTHORIZED, "globex's key does not open acme");

    let (_, doc) = get(&app, &acme, "", "/openapi.json").await;
    for path in ["/affiliates", "/affiliates/{id}", "/commissions", "/payouts"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} documented");
    }
}
