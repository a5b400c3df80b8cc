//! The REST API v1: keys made in settings, bearer authentication, the endpoints, their
//! problem+json errors, and the OpenAPI document with its reference page.

use identity::Role;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestApp, TestSchool, location};

/// An API client: no cookie jar, one school's host, one key.
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

    async fn post(&self, path: &str, body: &Value) -> Response {
        self.client.post(format!("{}{path}", self.base)).bearer_auth(&self.key).json(body).send().await.unwrap()
    }

    async fn post_raw(&self, path: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Response {
        let req = self.client.post(format!("{}{path}", self.base)).bearer_auth(&self.key);
        req.header("content-type", content_type).body(body).send().await.unwrap()
    }
}

/// The body of a problem+json response, after checking its content type and status.
async fn problem(res: Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status);
    let ct = res.headers().get("content-type").unwrap().to_str().unwrap().to_string();
    assert_eq!(ct, "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    body
}

/// The text of HTML as a browser shows it (templates escape `/`, quotes and the like).
fn unescape(html: &str) -> String {
    [("&#x2f;", "/"), ("&quot;", "\""), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
        .iter()
        .fold(html.to_string(), |s, (from, to)| s.replace(from, to))
}

async fn count_users(app: &TestApp, school: &TestSchool) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let n = sqlx::query_scalar("select count(*) from users where tenant_id = $1")
        .bind(school.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn a_new_key_is_shown_once_and_stored_only_as_its_hash() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (status, empty) = owner.page("/admin/settings/api-keys").await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty.contains("No API keys yet"), "{empty}");

    let res = owner.post_form("/admin/settings/api-keys", &[("name", ""), ("scope", "admin")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Please give the key a name.") && page.contains("Choose what the key may do."));

    let res = owner.post_form("/admin/settings/api-keys", &[("name", "Zapier"), ("scope", "read_write")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let page = res.text().await.unwrap();
    let start = page.find("data-copy=\"lyc_").expect("the key is shown with a copy button") + "data-copy=\"".len();
    let secret = &page[start..start + 44];
    assert!(secret.chars().skip(4).all(|c| c.is_ascii_alphanumeric()), "{secret}");

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (prefix, hash, scope): (String, String, String) =
        sqlx::query_as("select prefix, key_hash, scope from api_keys where tenant_id = $1")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    let stored: String = sqlx::query_scalar("select row_to_json(k)::text from api_keys k where tenant_id = $1")
        .bind(acme.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(hash, kernel::secret::hash_token(secret));
    assert_eq!((prefix.as_str(), scope.as_str()), (&secret[..12], "read_write"));
    assert!(!stored.contains(secret), "the key itself must not be stored");

    let (_, again) = owner.page("/admin/settings/api-keys").await;
    assert!(!again.contains(secret), "the key is shown only once");
    assert!(again.contains(&format!("{prefix}…")) && again.contains("Zapier") && again.contains("Never used"));

    let res = Api::new(&app, "acme", secret).get("/me").await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_, used) = owner.page("/admin/settings/api-keys").await;
    assert!(!used.contains("Never used"), "last use is recorded");
}

#[tokio::test]
async fn a_revoked_key_gets_401_with_a_bearer_challenge() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let secret = app.api_key(&acme, "read").await;
    let api = Api::new(&app, "acme", &secret);
    assert_eq!(api.get("/me").await.status(), StatusCode::OK);

    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let id: uuid::Uuid = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from api_keys where tenant_id = $1")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let page = owner.get("/admin/settings/api-keys").await.text().await.unwrap();
    assert!(page.contains("data-confirm="), "revoking asks for confirmation");
    let res = owner.post_form(&format!("/admin/settings/api-keys/{id}/revoke"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/settings/api-keys");

    let res = api.get("/me").await;
    assert!(res.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    let body = problem(res, StatusCode::UNAUTHORIZED).await;
    assert_eq!(body["instance"], "/api/v1/me");

    let missing = api.client.get(format!("{}/me", api.base)).send().await.unwrap();
    assert!(missing.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
    problem(missing, StatusCode::UNAUTHORIZED).await;
    let garbage = Api::new(&app, "acme", "lyc_notarealkey").get("/me").await;
    problem(garbage, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn me_describes_the_key_and_its_school() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let secret = app.api_key(&acme, "read").await;
    let res = Api::new(&app, "acme", &secret).get("/me").await;
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["key"]["name"], "read key");
    assert_eq!(me["key"]["scope"], "read");
    assert_eq!(me["key"]["prefix"], &secret[..12]);
    assert_eq!(me["school"]["id"], acme.school.id.to_string());
    assert_eq!(me["school"]["slug"], "acme");
    assert_eq!(me["school"]["name"], "School acme");
    assert_eq!(me["school"]["url"], acme.school.base_url);
    for field in ["currency", "locale", "time_zone"] {
        assert!(me["school"][field].as_str().is_some_and(|s| !s.is_empty()), "{field}");
    }
}

#[tokio::test]
async fn people_are_listed_page_by_page_without_gaps_or_repeats() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    for i in 0..30 {
        let role = if i % 3 == 0 { Role::Instructor } else { Role::Student };
        app.user(&acme, &format!("Person {i:02}"), &format!("p{i:02}@acme.test"), role).await;
    }
    let api = Api::new(&app, "acme", &app.api_key(&acme, "read").await);

    let mut seen: Vec<String> = vec![];
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/users?limit=7&cursor={c}"),
            None => "/users?limit=7".to_string(),
        };
        let res = api.get(&path).await;
        assert_eq!(res.status(), StatusCode::OK);
        let page: Value = res.json().await.unwrap();
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 7);
        seen.extend(data.iter().map(|u| u["id"].as_str().unwrap().to_string()));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen.len(), 31, "30 people and the owner");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 31, "no one appears twice");
    assert_eq!(count_users(&app, &acme).await, 31);

    let first: Value = api.get("/users").await.json().await.unwrap();
    assert_eq!(first["data"].as_array().unwrap().len(), 25, "25 by default");
    let user = &first["data"][0];
    assert_eq!(user["name"], "Person 29");
    assert_eq!(user["email"], "p29@acme.test");
    assert_eq!(user["role"], "student");
    assert_eq!(user["email_verified"], true);
    assert!(user["created_at"].as_str().is_some());

    for bad in
        ["/users?limit=0", "/users?limit=101", "/users?limit=ten", "/users?cursor=nonsense", "/users?role=wizard"]
    {
        let body = problem(api.get(bad).await, StatusCode::BAD_REQUEST).await;
        assert!(body["errors"].as_object().is_some_and(|e| !e.is_empty()), "{bad}: {body}");
    }
}

#[tokio::test]
async fn people_can_be_filtered_by_role_and_searched() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Ines Instructor", "ines@acme.test", Role::Instructor).await;
    app.user(&acme, "Sam Student", "sam@acme.test", Role::Student).await;
    app.user(&acme, "Sue Student", "sue@acme.test", Role::Student).await;
    let api = Api::new(&app, "acme", &app.api_key(&acme, "read").await);

    let emails = |v: Value| -> Vec<String> {
        v["data"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap().to_string()).collect()
    };
    let students = emails(api.get("/users?role=student").await.json().await.unwrap());
    assert_eq!(students, vec!["sue@acme.test", "sam@acme.test"]);
    let team = emails(api.get("/users?role=owner,instructor").await.json().await.unwrap());
    assert_eq!(team, vec!["ines@acme.test", "owner@acme.test"]);
    let found = emails(api.get("/users?q=SAM").await.json().await.unwrap());
    assert_eq!(found, vec!["sam@acme.test"]);
}

#[tokio::test]
async fn a_person_created_through_the_api_is_welcomed() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let api = Api::new(&app, "acme", &app.api_key(&acme, "read_write").await);

    let body = json!({ "email": "New.Person@Example.com", "name": "New Person", "password": "a long enough password" });
    let res = api.post("/users", &body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let at = location(&res);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["email"], "new.person@example.com");
    assert_eq!(created["role"], "student");
    assert_eq!(created["email_verified"], false);
    assert_eq!(at, format!("/api/v1/users/{}", created["id"].as_str().unwrap()));
    let fetched: Value = api.get(at.trim_start_matches("/api/v1")).await.json().await.unwrap();
    assert_eq!(fetched, created);

    app.run_jobs().await;
    let mails = app.mails(&acme).await;
    assert!(mails.iter().any(|m| m.to_email == "new.person@example.com" && m.template.contains("welcome")));
    let student = app.browser("acme");
    student.login("new.person@example.com", "a long enough password").await;

    let res = api.post("/users", &json!({ "email": "coach@example.com", "name": "Coach", "role": "instructor" })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let coach: Value = res.json().await.unwrap();
    assert_eq!(coach["role"], "instructor");
    let mails = app.mails(&acme).await;
    assert!(
        mails.iter().any(|m| m.to_email == "coach@example.com" && m.template.contains("verify")),
        "without a password the person is asked to confirm their address"
    );
}

#[tokio::test]
async fn bad_requests_get_problem_details_and_write_nothing() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Taken", "taken@acme.test", Role::Student).await;
    let api = Api::new(&app, "acme", &app.api_key(&acme, "read_write").await);
    let before = count_users(&app, &acme).await;

    let dup = api.post("/users", &json!({ "email": "TAKEN@acme.test", "name": "Again" })).await;
    assert!(problem(dup, StatusCode::CONFLICT).await["errors"]["email"].is_string());

    problem(api.post_raw("/users", "application/json", "{\"email\": ").await, StatusCode::BAD_REQUEST).await;
    let missing = problem(api.post("/users", &json!({})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(missing["errors"]["email"].is_string() && missing["errors"]["name"].is_string(), "{missing}");
    let typed = api.post("/users", &json!({ "email": 5, "name": "Ok" })).await;
    let typed = problem(typed, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(typed["errors"].as_object().unwrap().keys().collect::<Vec<_>>(), vec!["email"]);
    let body = json!({ "email": "boss@acme.test", "name": "Boss", "role": "owner", "password": "short" });
    let owner = problem(api.post("/users", &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(owner["errors"]["role"].is_string() && owner["errors"]["password"].is_string(), "{owner}");
    problem(api.post_raw("/users", "text/plain", "email=a@b.test").await, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(5 * 1024 * 1024));
    problem(api.post_raw("/users", "application/json", huge).await, StatusCode::PAYLOAD_TOO_LARGE).await;

    problem(api.get("/nothing-here").await, StatusCode::NOT_FOUND).await;
    problem(api.get("/users/not-a-uuid").await, StatusCode::NOT_FOUND).await;
    assert_eq!(count_users(&app, &acme).await, before, "nothing half-written");
}

#[tokio::test]
async fn a_read_only_key_cannot_write_and_keys_are_rate_limited() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let secret = app.api_key(&acme, "read").await;
    let api = Api::new(&app, "acme", &secret);
    let body = json!({ "email": "new@acme.test", "name": "New" });
    let refused = problem(api.post("/users", &body).await, StatusCode::FORBIDDEN).await;
    assert!(refused["detail"].as_str().unwrap().contains("only read"));
    assert_eq!(count_users(&app, &acme).await, 1);

    let me: Value = api.get("/me").await.json().await.unwrap();
    let limited = format!("api:{}", me["key"]["id"].as_str().unwrap());
    while app.state.rate.check(&limited, integrations::auth::API_LIMIT).is_ok() {}
    let res = api.get("/me").await;
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    problem(res, StatusCode::TOO_MANY_REQUESTS).await;
}

#[tokio::test]
async fn keys_and_people_never_cross_schools() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let acme_key = app.api_key(&acme, "read_write").await;
    let globex_key = app.api_key(&globex, "read").await;
    let stu = app.user(&acme, "Stu Dent", "stu@acme.test", Role::Student).await;

    problem(Api::new(&app, "globex", &acme_key).get("/me").await, StatusCode::UNAUTHORIZED).await;
    let body = json!({ "email": "x@globex.test", "name": "X" });
    problem(Api::new(&app, "globex", &acme_key).post("/users", &body).await, StatusCode::UNAUTHORIZED).await;
    let globex_api = Api::new(&app, "globex", &globex_key);
    problem(globex_api.get(&format!("/users/{}", stu.id)).await, StatusCode::NOT_FOUND).await;
    let listed: Value = globex_api.get("/users?q=stu").await.json().await.unwrap();
    assert_eq!(listed["data"], json!([]));
    assert_eq!(Api::new(&app, "acme", &acme_key).get(&format!("/users/{}", stu.id)).await.status(), StatusCode::OK);

    let acme_key_id: uuid::Uuid = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from api_keys where tenant_id = $1")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let globex_owner = app.browser("globex");
    globex_owner.login(&globex.owner_email, PASSWORD).await;
    let res = globex_owner.post_form(&format!("/admin/settings/api-keys/{acme_key_id}/revoke"), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(Api::new(&app, "acme", &acme_key).get("/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn only_the_owner_manages_api_keys() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Ada Admin", "ada@acme.test", Role::Admin).await;
    let admin = app.browser("acme");
    admin.login("ada@acme.test", PASSWORD).await;
    assert_eq!(admin.get("/admin/settings/api-keys").await.status(), StatusCode::FORBIDDEN);
    let res = admin.post_form("/admin/settings/api-keys", &[("name", "Mine"), ("scope", "read_write")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let anonymous = app.browser("acme").get("/admin/settings/api-keys").await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let res = Api::new(&app, "acme", "").client.get(format!("{}/api/v1/openapi.json", acme.school.base_url)).send();
    let res = res.await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1."));
    assert_eq!(doc["info"]["title"], "Lyceum API");
    assert_eq!(doc["servers"][0]["url"], format!("{}/api/v1", acme.school.base_url));
    assert_eq!(doc["components"]["securitySchemes"]["api_key"]["scheme"], "bearer");
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [("/me", "get"), ("/users", "get"), ("/users", "post"), ("/users/{id}", "get")] {
        let op = &paths[path][method];
        assert!(op["operationId"].is_string() && op["summary"].is_string(), "{method} {path}");
        assert!(op["responses"]["401"].is_object(), "{method} {path} documents 401");
    }
    assert!(paths["/users"]["post"]["responses"]["422"]["content"]["application/problem+json"].is_object());
    assert!(paths["/users"]["get"]["parameters"].as_array().unwrap().iter().any(|p| p["name"] == "cursor"));
    assert!(paths.contains_key("/openapi.json"));
}

#[tokio::test]
async fn the_reference_page_shows_every_endpoint() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (status, page) = app.browser("acme").page("/api/docs").await;
    assert_eq!(status, StatusCode::OK);
    let page = unescape(&page);
    for path in ["/api/v1/me", "/api/v1/users", "/api/v1/users/{id}", "/api/v1/openapi.json"] {
        assert!(page.contains(path), "{path} missing from the reference");
    }
    assert!(page.contains("List people") && page.contains("Create a person") && page.contains("next_cursor"));
    assert!(page.contains(&format!("curl {}/api/v1/users", acme.school.base_url)));
    assert!(!page.contains("<script src=\"http"), "no external scripts");
}
