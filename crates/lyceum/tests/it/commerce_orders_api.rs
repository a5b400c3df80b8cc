//! `/api/v1/orders` and `/api/v1/subscriptions`: paged, filtered by address and state, one
//! order with its payments and refunds, and nothing of another school's.

use reqwest::{Response, StatusCode};
use serde_json::Value;

use crate::{
    commerce_support::{buy, offer},
    courses_support::published_course,
    support::{PASSWORD, TestApp},
};

struct Api {
    client: reqwest::Client,
    base: String,
    key: String,
}

impl Api {
    fn new(app: &TestApp, slug: &str, key: &str) -> Self {
        let host = format!("{slug}.localhost");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .resolve(&host, app.addr)
            .build()
            .unwrap();
        Self { client, base: format!("http://{host}:{}/api/v1", app.addr.port()), key: key.to_string() }
    }

    async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.base)).bearer_auth(&self.key).send().await.unwrap()
    }

    async fn json(&self, path: &str) -> Value {
        let res = self.get(path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        res.json().await.unwrap()
    }
}

#[tokio::test]
async fn orders_and_subscriptions_are_listed_paged_filtered_and_kept_to_their_school() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    offer(&app, &acme, "club", "subscription", 2_900, &[course.course.id]).await;
    buy(&app.browser("acme"), "watercolor", "ana@example.com", &[]).await;
    buy(&app.browser("acme"), "watercolor", "bob@example.com", &[]).await;
    buy(&app.browser("acme"), "club", "cleo@example.com", &[]).await;
    app.run_jobs().await;

    // Refund part of Ana's order from the admin.
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let api = Api::new(&app, "acme", &app.api_key(&acme, "read").await);
    let ana = api.json("/orders?email=ANA@example.com").await;
    assert_eq!(ana["data"].as_array().unwrap().len(), 1, "{ana}");
    let ana_id = ana["data"][0]["id"].as_str().unwrap().to_string();
    let detail = api.json(&format!("/orders/{ana_id}")).await;
    let payment = detail["payments"][0]["id"].as_str().unwrap().to_string();
    let res = owner
        .post_form(&format!("/admin/orders/{ana_id}/refund"), &[("payment", &payment), ("amount", "20"), ("key", "a")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Pages of one, newest first, walking the cursor through all three.
    let mut seen = Vec::new();
    let mut path = "/orders?limit=1".to_string();
    loop {
        let page = api.json(&path).await;
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 1);
        seen.extend(data.iter().map(|o| o["email"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/orders?limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["cleo@example.com", "bob@example.com", "ana@example.com"]);

    let partly = api.json("/orders?status=partly_refunded").await;
    assert_eq!(partly["data"].as_array().unwrap().len(), 1);
    let order = &partly["data"][0];
    assert_eq!(order["email"], "ana@example.com");
    assert_eq!(order["status"], "partly_refunded");
    assert_eq!((order["paid"].as_i64(), order["refunded"].as_i64()), (Some(19_900), Some(2_000)));
    assert_eq!(order["currency"], "USD");
    let detail = api.json(&format!("/orders/{ana_id}")).await;
    assert_eq!(detail["items"][0]["kind"], "main");
    assert_eq!(detail["payments"][0]["receipt_number"], "R-000001");
    assert_eq!(detail["refunds"][0]["amount"], 2_000);
    assert_eq!(detail["refunds"][0]["credit_note_number"], "CN-000001");
    assert!(detail["subscription_id"].is_null());

    let res = api.get("/orders?status=lost&limit=0").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let problem: Value = res.json().await.unwrap();
    assert!(problem["errors"]["status"].is_string() && problem["errors"]["limit"].is_string(), "{problem}");
    assert_eq!(api.get("/orders/nonsense").await.status(), StatusCode::NOT_FOUND);

    // Subscriptions.
    let subs = api.json("/subscriptions").await;
    assert_eq!(subs["data"].as_array().unwrap().len(), 1, "{subs}");
    let sub = &subs["data"][0];
    assert_eq!(
        (sub["email"].as_str(), sub["status"].as_str(), sub["amount"].as_i64()),
        (Some("cleo@example.com"), Some("active"), Some(2_900))
    );
    assert_eq!(sub["monthly_amount"], 2_900);
    assert!(sub["next_payment_at"].is_string());
    let sub_id = sub["id"].as_str().unwrap().to_string();
    assert_eq!(api.json(&format!("/subscriptions/{sub_id}")).await["offer_name"], "Offer club");
    assert_eq!(api.json("/subscriptions?status=canceled").await["data"].as_array().unwrap().len(), 0);
    assert_eq!(api.json("/subscriptions?email=nobody@example.com").await["data"].as_array().unwrap().len(), 0);
    assert_eq!(api.get("/subscriptions?status=gone").await.status(), StatusCode::BAD_REQUEST);
    let cleo_order = api.json("/orders?email=cleo@example.com").await["data"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(api.json(&format!("/orders/{cleo_order}")).await["subscription_id"], sub_id.as_str());

    // Another school's key: empty lists and 404 for every id.
    let other = Api::new(&app, "globex", &app.api_key(&globex, "read").await);
    assert_eq!(other.json("/orders").await["data"].as_array().unwrap().len(), 0);
    assert_eq!(other.json("/subscriptions").await["data"].as_array().unwrap().len(), 0);
    assert_eq!(other.get(&format!("/orders/{ana_id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.get(&format!("/subscriptions/{sub_id}")).await.status(), StatusCode::NOT_FOUND);
    // Without a key: 401.
    let anonymous = Api::new(&app, "acme", "lyc_nope");
    assert_eq!(anonymous.get("/orders").await.status(), StatusCode::UNAUTHORIZED);
}
