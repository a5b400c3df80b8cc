//! The catalog in the REST API v1: products, offers and coupons listed and read a page at a
//! time, coupons created with the admin page's checks, keys' scopes and schools' walls.

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

use crate::{
    commerce_support::{buy, offer},
    courses_support::published_course,
    support::TestApp,
};

struct Api {
    client: reqwest::Client,
    base: String,
    key: String,
}

impl Api {
    fn new(app: &TestApp, slug: &str, key: &str) -> Self {
        let host = format!("{slug}.localhost");
        let client = reqwest::Client::builder().resolve(&host, app.addr).build().unwrap();
        Self { client, base: format!("http://{host}:{}/api/v1", app.addr.port()), key: key.to_string() }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base)).bearer_auth(&self.key)
    }

    async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.unwrap()
    }

    async fn json(&self, path: &str) -> Value {
        let res = self.get(path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        res.json().await.unwrap()
    }

    async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path).json(body).send().await.unwrap()
    }
}

#[tokio::test]
async fn products_offers_and_coupons_are_read_and_coupons_created() {
    let app = TestApp::new().await;
    let (acme, globex) = (app.school("acme").await, app.school("globex").await);
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    let sold = offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    offer(&app, &acme, "monthly", "subscription", 2_900, &[course.course.id]).await;
    buy(&app.browser("acme"), "watercolor", "ana@example.com", &[]).await;
    let read = Api::new(&app, "acme", &app.api_key(&acme, "read").await);
    let write = Api::new(&app, "acme", &app.api_key(&acme, "read_write").await);

    // Products, newest first, a page at a time.
    let page = read.json("/products?limit=1").await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let cursor = page["next_cursor"].as_str().unwrap().to_string();
    let next = read.json(&format!("/products?limit=1&cursor={cursor}")).await;
    assert!(next["next_cursor"].is_null());
    let mut names = [page["data"][0]["name"].as_str().unwrap(), next["data"][0]["name"].as_str().unwrap()];
    names.sort();
    assert_eq!(names, ["Product monthly", "Product watercolor"]);
    let one = read.json(&format!("/products/{}", sold.product_id)).await;
    assert_eq!((one["name"].as_str(), one["archived"].as_bool()), (Some("Product watercolor"), Some(false)));
    assert_eq!(one["course_ids"], json!([course.course.id.to_string()]));
    assert_eq!(read.get("/products?limit=0").await.status(), StatusCode::BAD_REQUEST);

    // Offers, with their address and sales; filtered by product.
    let offers = read.json("/offers").await;
    assert_eq!(offers["data"].as_array().unwrap().len(), 2);
    let mine = read.json(&format!("/offers?product_id={}", sold.product_id)).await;
    let o = &mine["data"][0];
    assert_eq!(mine["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        (o["slug"].as_str(), o["amount"].as_i64(), o["sales"].as_i64()),
        (Some("watercolor"), Some(19_900), Some(1))
    );
    assert!(o["checkout_url"].as_str().unwrap().ends_with("/checkout/watercolor"), "{o}");
    let one = read.json(&format!("/offers/{}", sold.id)).await;
    assert_eq!((one["kind"].as_str(), one["currency"].as_str()), (Some("one_time"), Some("USD")));
    assert_eq!(read.get("/offers?product_id=nope").await.status(), StatusCode::BAD_REQUEST);

    // Coupons: a read key cannot create one; a write key can, with the page's checks.
    let body =
        json!({ "code": "spring25", "percent_off": 25, "offer_ids": [sold.id.to_string()], "max_redemptions": 10 });
    assert_eq!(read.post("/coupons", &body).await.status(), StatusCode::FORBIDDEN);
    let res = write.post("/coupons", &body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let created: Value = res.json().await.unwrap();
    assert_eq!((created["code"].as_str(), created["percent_off"].as_i64()), (Some("SPRING25"), Some(25)));
    assert_eq!(created["offer_ids"], json!([sold.id.to_string()]));
    assert_eq!(write.post("/coupons", &body).await.status(), StatusCode::CONFLICT);
    let res = write.post("/coupons", &json!({ "code": "TOO-MUCH", "percent_off": 150 })).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = res.json().await.unwrap();
    assert!(problem["errors"]["percent_off"].is_string(), "{problem}");
    let res = write
        .post("/coupons", &json!({ "code": "BOTH", "percent_off": 5, "amount_off": 500, "currency": "USD" }))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = write
        .post("/coupons", &json!({ "code": "CASH5", "amount_off": 500, "currency": "EUR", "duration": "forever" }))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let cash: Value = res.json().await.unwrap();
    assert_eq!((cash["amount_off"].as_i64(), cash["currency"].as_str()), (Some(500), Some("EUR")));
    let res = write.post("/coupons", &json!({ "code": "SNEAKY", "percent_off": 5, "nickname": "x" })).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let coupon = read.json(location.trim_start_matches("/api/v1")).await;
    assert_eq!((coupon["code"].as_str(), coupon["uses"].as_i64()), (Some("SPRING25"), Some(0)));
    let list = read.json("/coupons").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    assert_eq!(list["data"][0]["code"], "CASH5");

    // Another school's key finds none of it.
    let other = Api::new(&app, "globex", &app.api_key(&globex, "read_write").await);
    for path in [
        format!("/products/{}", sold.product_id),
        format!("/offers/{}", sold.id),
        location.trim_start_matches("/api/v1").to_string(),
        "/offers/not-an-id".to_string(),
    ] {
        assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for path in ["/products", "/offers", "/coupons"] {
        assert_eq!(other.json(path).await["data"], json!([]), "{path}");
    }
    // The same code in another school is its own coupon.
    assert_eq!(
        other.post("/coupons", &json!({ "code": "SPRING25", "percent_off": 10 })).await.status(),
        StatusCode::CREATED
    );
}
