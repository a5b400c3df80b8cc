//! The API document against the server: every status an operation answers is declared on it,
//! the formats it gives (cursor, name, closed bodies) are exactly what the server takes, and
//! every 405, on any host, says which methods are allowed.

use std::collections::BTreeSet;

use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, TestSchool};

/// A client for one school's API with any key (or none).
struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    fn new(app: &TestApp, school: &TestSchool) -> Self {
        let host = format!("{}.localhost", school.school.slug);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .resolve(&host, app.addr)
            .build()
            .unwrap();
        Self { http, base: format!("http://{host}:{}/api/v1", app.addr.port()) }
    }

    fn request(&self, method: Method, path: &str, key: Option<&str>) -> RequestBuilder {
        let req = self.http.request(method, format!("{}{path}", self.base));
        match key {
            Some(key) => req.bearer_auth(key),
            None => req,
        }
    }

    async fn document(&self) -> Value {
        self.request(Method::GET, "/openapi.json", None).send().await.unwrap().json().await.unwrap()
    }
}

/// A change to a request: a query string, and headers and a body.
type Variant<'a> = (String, Box<dyn Fn(RequestBuilder) -> RequestBuilder + 'a>);

/// The ways one operation is asked, fuzzer-style: invalid parameters, missing and present
/// headers, and bodies of every kind.
fn variants(op: &Value) -> Vec<Variant<'_>> {
    let params: &[Value] = op["parameters"].as_array().map(Vec::as_slice).unwrap_or_default();
    let headers = move |req: RequestBuilder| {
        params.iter().filter(|p| p["in"] == "header").fold(req, |req, p| {
            let value = p["example"].as_str().map(String::from).unwrap_or_else(|| p["example"].to_string());
            req.header(p["name"].as_str().unwrap(), value)
        })
    };
    let mut out: Vec<Variant> = vec![(String::new(), Box::new(|req| req)), (String::new(), Box::new(headers))];
    for p in params.iter().filter(|p| p["in"] == "query") {
        let name = p["name"].as_str().unwrap();
        for bad in ["0", "101", "x", "!!", "AAAAAAAAAAAAAAAAAAAAAA", &"q".repeat(201)] {
            out.push((format!("?{name}={bad}"), Box::new(headers)));
        }
    }
    let content = &op["requestBody"]["content"];
    if content["application/json"].is_object() {
        let bodies = [
            json!({}),
            json!({ "email": "walker@acme.test", "name": "Walker" }),
            json!({ "email": "walker@acme.test", "name": "  " }),
            json!({ "email": 5, "name": "Five" }),
            json!({ "email": "other@acme.test", "name": "Other", "nickname": "x" }),
            json!([1, 2]),
        ];
        for body in bodies {
            out.push((String::new(), Box::new(move |req| headers(req).json(&body))));
        }
        let malformed = move |req| headers(req).header("content-type", "application/json").body("{\"email\": ");
        out.push((String::new(), Box::new(malformed)));
        out.push((String::new(), Box::new(move |req| headers(req).header("content-type", "text/plain").body("hi"))));
    }
    if content["application/offset+octet-stream"].is_object() {
        let chunk = move |req| headers(req).header("content-type", "application/offset+octet-stream").body("abc");
        out.push((String::new(), Box::new(chunk)));
        out.push((String::new(), Box::new(move |req| headers(req).header("content-type", "text/plain").body("abc"))));
    }
    out
}

#[tokio::test]
async fn every_status_an_operation_answers_is_declared_on_it() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (read, write) = (app.api_key(&acme, "read").await, app.api_key(&acme, "read_write").await);
    let client = Client::new(&app, &acme);
    let doc = client.document().await;
    let mut undeclared = BTreeSet::new();
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method: Method = method.to_uppercase().parse().unwrap();
            let declared = op["responses"].as_object().unwrap();
            for id in [uuid::Uuid::now_v7().to_string(), "not-an-id".into()] {
                let path = path.replace("{id}", &id);
                for key in [None, Some("lyc_not_a_key"), Some(read.as_str()), Some(write.as_str())] {
                    for (query, variant) in variants(op) {
                        let req = client.request(method.clone(), &format!("{path}{query}"), key);
                        let res = variant(req).send().await.unwrap();
                        let status = res.status().as_u16().to_string();
                        seen += 1;
                        if !declared.contains_key(&status) {
                            undeclared.insert(format!("{method} {path}{query} answered {status}"));
                        }
                    }
                }
            }
        }
    }
    assert!(seen > 300, "the walk sent {seen} requests");
    assert!(undeclared.is_empty(), "statuses missing from the document: {undeclared:#?}");
}

/// Whether `value` matches the JSON Schema `pattern` (unanchored, as JSON Schema reads it).
fn matches(pattern: &Value, value: &str) -> bool {
    regex_lite::Regex::new(pattern.as_str().expect("a pattern")).unwrap().is_match(value)
}

#[tokio::test]
async fn the_cursor_pattern_is_exactly_what_the_server_takes() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Ana", "ana@acme.test", identity::Role::Student).await;
    let key = app.api_key(&acme, "read").await;
    let client = Client::new(&app, &acme);
    let doc = client.document().await;
    let get = |query: String| {
        let req = client.request(Method::GET, &format!("/users?{query}"), Some(&key));
        async move { req.send().await.unwrap() }
    };
    for path in ["/users", "/media"] {
        let cursor = doc["paths"][path]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "cursor");
        assert_eq!(cursor.unwrap()["schema"]["pattern"], integrations::paging::CURSOR_PATTERN, "{path}");
    }
    let pattern = &doc["paths"]["/users"]["get"]["parameters"][1]["schema"]["pattern"];
    let first: Value = get("limit=1".into()).await.json().await.unwrap();
    let given = first["next_cursor"].as_str().expect("a second page").to_string();
    assert!(matches(pattern, &given), "the server's own cursor {given} matches");
    let taken = [
        given.clone(),
        String::new(),
        "AAAAAAAAAAAAAAAAAAAAAA".into(),
        "zzzzzzzzzzzzzzzzzzzzzw".into(),
        "_-_-_-_-_-_-_-_-_-_-_Q".into(),
    ];
    for c in taken {
        assert!(matches(pattern, &c), "{c} matches");
        assert_eq!(get(format!("cursor={c}")).await.status(), StatusCode::OK, "{c} is taken");
    }
    let refused = [
        "nope",
        "AAAAAAAAAAAAAAAAAAAAAB",
        "AAAAAAAAAAAAAAAAAAAAAA==",
        "AAAAAAAAAAAAAAAAAAAAAAA",
        " AAAAAAAAAAAAAAAAAAAAAA",
    ];
    for c in refused {
        assert!(!matches(pattern, c), "{c} does not match");
        let res = get(format!("cursor={}", c.replace(' ', "%20").replace('=', "%3D"))).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{c} is refused");
    }
}

#[tokio::test]
async fn new_people_bodies_are_described_as_the_server_checks_them() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let key = app.api_key(&acme, "read_write").await;
    let client = Client::new(&app, &acme);
    let doc = client.document().await;
    let schema = &doc["components"]["schemas"]["NewUser"];
    assert_eq!(schema["additionalProperties"], false);
    let name = &schema["properties"]["name"];
    assert_eq!((name["minLength"].as_u64(), name["maxLength"].as_u64()), (Some(1), Some(120)));
    let post = |body: Value| {
        let req = client.request(Method::POST, "/users", Some(&key)).json(&body);
        async move { req.send().await.unwrap() }
    };

    for blank in ["", "   ", "\t"] {
        assert!(!matches(&name["pattern"], blank) || blank.is_empty(), "{blank:?} is refused by the pattern");
        let res = post(json!({ "email": "blank@acme.test", "name": blank })).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = res.json().await.unwrap();
        assert!(body["errors"]["name"].is_string(), "{body}");
    }
    assert!(matches(&name["pattern"], " Ana "));

    let roles: Vec<&str> = schema["properties"]["role"]["oneOf"]
        .as_array()
        .and_then(|o| o.iter().find_map(|s| s["$ref"].as_str()))
        .map(|r| doc["components"]["schemas"][r.rsplit('/').next().unwrap()]["enum"].as_array().unwrap())
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(!roles.contains(&"owner") && roles.contains(&"student"), "{roles:?}");

    let res = post(json!({ "email": "typo@acme.test", "name": "Typo", "pasword": "a long enough one" })).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"].as_object().unwrap().keys().collect::<Vec<_>>(), ["pasword"]);
    let message = body["errors"]["pasword"].as_str().unwrap();
    assert!(message.contains("not part of the API") && message.contains("password"), "{message}");
    let ok = post(json!({ "email": "fine@acme.test", "name": "Fine", "role": null, "password": null })).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn every_405_says_which_methods_are_allowed() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let key = app.api_key(&acme, "read_write").await;
    let api = Client::new(&app, &acme);
    // Browsers pass the CSRF check first, which refuses any unsafe method without a token.
    let school = app.browser("acme");
    let platform = app.platform_browser();
    let (school_token, platform_token) = (school.csrf().await, platform.csrf().await);
    let html = |b: &crate::support::Browser, method: Method, path: &str, token: &str, accept: &str| {
        b.client.request(method, b.url(path)).header("accept", accept).header("x-csrf-token", token)
    };
    let cases = [
        (api.request(Method::DELETE, "/me", Some(&key)), "GET,HEAD", "application/problem+json"),
        (api.request(Method::PUT, "/users", Some(&key)), "GET,HEAD,POST", "application/problem+json"),
        (api.request(Method::GET, "/media/uploads", Some(&key)), "OPTIONS,POST", "application/problem+json"),
        (html(&school, Method::DELETE, "/", &school_token, "text/html"), "GET,HEAD", "text/html"),
        (html(&school, Method::PUT, "/login", &school_token, "text/html"), "GET,HEAD,POST", "text/html"),
        (html(&platform, Method::DELETE, "/start", &platform_token, "text/html"), "GET,HEAD,POST", "text/html"),
        (
            html(&platform, Method::PUT, "/", &platform_token, "application/json"),
            "GET,HEAD",
            "application/problem+json",
        ),
    ];
    for (req, allowed, content_type) in cases {
        let res = req.send().await.unwrap();
        let url = res.url().to_string();
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{url}");
        let allow = res.headers().get("allow").map(|v| v.to_str().unwrap().replace(' ', ""));
        let mut allow: Vec<String> = allow.unwrap_or_default().split(',').map(String::from).collect();
        allow.sort();
        assert_eq!(allow.join(","), allowed, "Allow of {url}");
        let ct = res.headers()["content-type"].to_str().unwrap();
        assert!(ct.starts_with(content_type), "{url} is rendered as {ct}");
    }
}
