//! `/api/v1/pages`, `/api/v1/forms` and `/api/v1/contacts`: reading pages and forms, contacts
//! created, updated, tagged and erased, write scope enforced, nothing of another school's.

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::{
    marketing_support::{new_page, owner, publish},
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
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .resolve(&host, app.addr)
            .build()
            .unwrap();
        Self { client, base: format!("http://{host}:{}/api/v1", app.addr.port()), key: key.to_string() }
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let req = self.client.request(method, format!("{}{path}", self.base)).bearer_auth(&self.key);
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        req.send().await.unwrap()
    }

    async fn json(&self, method: Method, path: &str, body: Option<Value>, want: StatusCode) -> Value {
        let res = self.send(method.clone(), path, body).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, want, "{method} {path}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}

#[tokio::test]
async fn contacts_are_created_read_changed_tagged_and_erased_through_the_api() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let read = Api::new(&app, "acme", &app.api_key(&acme, "read").await);
    let write = Api::new(&app, "acme", &app.api_key(&acme, "read_write").await);
    let other = Api::new(&app, "globex", &app.api_key(&globex, "read_write").await);

    let body =
        json!({ "email": " Ana@Example.com ", "first_name": "Ana", "tags": ["VIP"], "fields": { "Company": "Acme" } });
    let res = read.send(Method::POST, "/contacts", Some(body.clone())).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = write.send(Method::POST, "/contacts", Some(body.clone())).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/api/v1/contacts/"));
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let ana: Value = res.json().await.unwrap();
    assert_eq!(ana["email"], "ana@example.com");
    assert_eq!((ana["status"].as_str(), ana["tags"].clone()), (Some("subscribed"), json!(["VIP"])));
    assert_eq!(ana["fields"]["company"], "Acme");
    assert_eq!(ana["source"]["kind"], "api");
    let id = ana["id"].as_str().unwrap().to_string();

    // The same address again updates the contact.
    let again = json!({ "email": "ana@example.com", "tags": ["Webinar"] });
    let ana = write.json(Method::POST, "/contacts", Some(again), StatusCode::OK).await;
    assert_eq!(ana["tags"], json!(["VIP", "Webinar"]));
    assert_eq!(ana["first_name"], "Ana");

    let bad = write
        .json(
            Method::POST,
            "/contacts",
            Some(json!({ "email": "nope", "status": "maybe" })),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(bad["errors"]["email"].is_string() && bad["errors"]["status"].is_string(), "{bad}");
    let res = write.send(Method::POST, "/contacts", Some(json!({ "email": "a@example.com", "nickname": "x" }))).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    let bad = write
        .json(
            Method::POST,
            "/contacts",
            Some(json!({ "email": "b@example.com", "fields": { "n": 5 } })),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(bad["errors"]["fields"].is_string());
    write
        .json(
            Method::POST,
            "/contacts",
            Some(json!({ "email": "bob@example.com", "status": "unsubscribed" })),
            StatusCode::CREATED,
        )
        .await;

    // Listing: search, filters, cursor paging, refused parameters.
    let found = read.json(Method::GET, "/contacts?q=ANA", None, StatusCode::OK).await;
    assert_eq!(found["data"].as_array().unwrap().len(), 1);
    let found = read.json(Method::GET, "/contacts?status=unsubscribed", None, StatusCode::OK).await;
    assert_eq!(found["data"][0]["email"], "bob@example.com");
    let found = read.json(Method::GET, "/contacts?tag=vip", None, StatusCode::OK).await;
    assert_eq!(found["data"][0]["email"], "ana@example.com");
    let first = read.json(Method::GET, "/contacts?limit=1", None, StatusCode::OK).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let second = read.json(Method::GET, &format!("/contacts?limit=1&cursor={cursor}"), None, StatusCode::OK).await;
    assert_eq!(second["data"].as_array().unwrap().len(), 1);
    assert_ne!(first["data"][0]["id"], second["data"][0]["id"]);
    assert!(second["next_cursor"].is_null());
    let bad = read.json(Method::GET, "/contacts?status=bogus&limit=0", None, StatusCode::BAD_REQUEST).await;
    assert!(bad["errors"]["status"].is_string() && bad["errors"]["limit"].is_string());

    // Get, change, tag and untag.
    let path = format!("/contacts/{id}");
    let got = read.json(Method::GET, &path, None, StatusCode::OK).await;
    assert_eq!(got["email"], "ana@example.com");
    let change =
        json!({ "last_name": "García", "fields": { "company": null, "city": "Madrid" }, "status": "unsubscribed" });
    let changed = write.json(Method::PATCH, &path, Some(change), StatusCode::OK).await;
    assert_eq!((changed["last_name"].as_str(), changed["status"].as_str()), (Some("García"), Some("unsubscribed")));
    assert_eq!(changed["fields"], json!({ "city": "Madrid" }));
    let tagged =
        write.json(Method::POST, &format!("{path}/tags"), Some(json!({ "tags": ["Launch"] })), StatusCode::OK).await;
    assert_eq!(tagged["tags"], json!(["Launch", "VIP", "Webinar"]));
    let untagged =
        write.json(Method::DELETE, &format!("{path}/tags"), Some(json!({ "tags": ["vip"] })), StatusCode::OK).await;
    assert_eq!(untagged["tags"], json!(["Launch", "Webinar"]));
    write
        .json(Method::POST, &format!("{path}/tags"), Some(json!({ "tags": [] })), StatusCode::UNPROCESSABLE_ENTITY)
        .await;

    // Another school's key sees none of it.
    assert_eq!(other.send(Method::GET, &path, None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        other.send(Method::PATCH, &path, Some(json!({ "first_name": "X" }))).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.send(Method::POST, &format!("{path}/tags"), Some(json!({ "tags": ["X"] }))).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(other.send(Method::DELETE, &path, None).await.status(), StatusCode::NOT_FOUND);
    let theirs = other.json(Method::GET, "/contacts", None, StatusCode::OK).await;
    assert!(theirs["data"].as_array().unwrap().is_empty());

    // Erase.
    assert_eq!(read.send(Method::DELETE, &path, None).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(write.send(Method::DELETE, &path, None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(read.send(Method::GET, &path, None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(write.send(Method::DELETE, &path, None).await.status(), StatusCode::NOT_FOUND);

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let kinds: Vec<String> = sqlx::query_scalar(
        "select distinct kind from events where tenant_id = $1 and kind like 'contact.%' order by kind",
    )
    .bind(acme.school.id)
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    assert_eq!(kinds, ["contact.created", "contact.erased", "contact.subscribed", "contact.tagged"]);
}

#[tokio::test]
async fn pages_and_forms_are_read_through_the_api() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let b = owner(&app, &acme).await;
    let admin = new_page(&b, "Watercolor masterclass", "watercolor", "blank").await;
    publish(&b, &admin).await;
    new_page(&b, "Coming soon", "soon", "blank").await;
    let page_id = admin.rsplit('/').next().unwrap().to_string();

    let form_id = uuid::Uuid::now_v7();
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("insert into forms (tenant_id, id, name, embed_key, tags, consent_text) values ($1, $2, 'Free guide', 'k_123', '{Guide}', 'Send me tips')")
        .bind(acme.school.id)
        .bind(form_id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let api = Api::new(&app, "acme", &app.api_key(&acme, "read").await);
    let pages = api.json(Method::GET, "/pages", None, StatusCode::OK).await;
    assert_eq!(pages["data"].as_array().unwrap().len(), 2, "{pages}");
    let first = api.json(Method::GET, "/pages?limit=1", None, StatusCode::OK).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = api.json(Method::GET, &format!("/pages?cursor={cursor}"), None, StatusCode::OK).await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    api.json(Method::GET, "/pages?limit=500", None, StatusCode::BAD_REQUEST).await;

    let page = api.json(Method::GET, &format!("/pages/{page_id}"), None, StatusCode::OK).await;
    assert_eq!((page["path"].as_str(), page["published"].as_bool()), (Some("/p/watercolor"), Some(true)));
    assert!(page["document"]["sections"].is_array(), "{page}");

    let forms = api.json(Method::GET, "/forms", None, StatusCode::OK).await;
    assert_eq!(forms["data"][0]["name"], "Free guide");
    let form = api.json(Method::GET, &format!("/forms/{form_id}"), None, StatusCode::OK).await;
    assert_eq!((form["tags"].clone(), form["consent_text"].as_str()), (json!(["Guide"]), Some("Send me tips")));

    let other = Api::new(&app, "globex", &app.api_key(&globex, "read").await);
    assert_eq!(other.send(Method::GET, &format!("/pages/{page_id}"), None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.send(Method::GET, &format!("/forms/{form_id}"), None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.send(Method::GET, "/pages/not-an-id", None).await.status(), StatusCode::NOT_FOUND);
    let theirs = other.json(Method::GET, "/forms", None, StatusCode::OK).await;
    assert!(theirs["data"].as_array().unwrap().is_empty());

    // The document lists every new operation.
    let doc: Value = api.send(Method::GET, "/openapi.json", None).await.json().await.unwrap();
    for path in ["/pages", "/pages/{id}", "/forms", "/forms/{id}", "/contacts", "/contacts/{id}", "/contacts/{id}/tags"]
    {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}
