//! The media library in the REST API v1: listing, showing and deleting items, and uploading
//! files over tus with an API key; keys' scopes and schools' walls; the OpenAPI document.

use base64::Engine;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

use crate::{
    media_support::{clip, create, media_of, patch, pdf, upload},
    support::{PASSWORD, TestApp},
};

/// An API client for one school's host and one key.
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
        let path = path.trim_start_matches("/api/v1");
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

    async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path).send().await.unwrap()
    }

    /// A tus request: the protocol header is always sent.
    fn tus(&self, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).header("tus-resumable", "1.0.0")
    }

    /// `POST /media/uploads` for a file of `length` bytes.
    async fn create(&self, length: usize, name: &str, file_type: &str) -> Response {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let meta = format!("filename {},filetype {}", b64(name), b64(file_type));
        let req = self.tus(Method::POST, "/media/uploads").header("upload-length", length.to_string());
        req.header("upload-metadata", meta).send().await.unwrap()
    }

    /// `PATCH` one chunk at `offset`.
    async fn patch(&self, location: &str, offset: usize, bytes: &[u8]) -> Response {
        let req = self.tus(Method::PATCH, location).header("content-type", "application/offset+octet-stream");
        req.header("upload-offset", offset.to_string()).body(bytes.to_vec()).send().await.unwrap()
    }
}

/// Checks a problem+json answer and returns its body.
async fn problem(res: Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    res.json().await.unwrap()
}

/// Checks a tus answer that the error renderer must have left alone, and returns its text.
async fn plain(res: Response, status: StatusCode) -> String {
    assert_eq!(res.status(), status);
    assert_eq!(res.headers()["tus-resumable"], "1.0.0");
    assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    res.text().await.unwrap()
}

/// Checks that `v` has each of `expected`'s members, equal.
fn has(v: &Value, expected: Value) {
    for (k, want) in expected.as_object().unwrap() {
        assert_eq!(&v[k], want, "{k} in {v}");
    }
}

fn titles(page: &Value) -> Vec<&str> {
    page["data"].as_array().unwrap().iter().map(|m| m["title"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_library_is_listed_shown_and_deleted_with_each_items_state() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let video = upload(&owner, &clip(2), "intro-video.mp4", "video/mp4", None).await;
    upload(&owner, &pdf(), "lecture.mp4", "video/mp4", None).await;
    app.run_jobs().await;
    let half = create(&owner, 5000, &[("filename", "Half way.mp3"), ("filetype", "audio/mpeg")]).await;
    let half = half.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(patch(&owner, &half, 0, vec![7u8; 2000]).await.status(), StatusCode::NO_CONTENT);
    let reader = Api::new(&app, "acme", &app.api_key(&acme, "read").await);

    let page = reader.json("/media").await;
    assert_eq!(titles(&page), ["Half way", "lecture", "intro video"], "newest first");
    assert!(page["next_cursor"].is_null());
    let [uploading, failed, ready] = [0, 1, 2].map(|i| page["data"][i].clone());
    has(&uploading, json!({ "status": "uploading", "kind": "audio", "file_name": "Half way.mp3" }));
    has(
        &uploading["upload"],
        json!({ "state": "uploading", "received_bytes": 2000, "length_bytes": 5000, "progress": 0.4 }),
    );
    has(&failed, json!({ "status": "failed", "renditions": [] }));
    has(&failed["upload"], json!({ "state": "failed", "progress": null }));
    assert!(failed["upload"]["error"].as_str().unwrap().starts_with("This file is a PDF document, not a video"));

    let item = media_of(&app, &acme, &video).await;
    let expected = json!({ "id": item.id, "status": "ready", "kind": "video", "file_name": "intro-video.mp4",
        "content_type": "video/mp4", "width": 640, "height": 360, "downloadable": false, "upload": null });
    has(&ready, expected);
    has(&ready["renditions"][0], json!({ "name": "360p", "width": 640, "height": 360 }));
    assert!(ready["renditions"][0]["bandwidth"].as_i64().unwrap() > 0);
    assert!((1900..=2200).contains(&ready["duration_ms"].as_i64().unwrap()), "{ready}");
    assert!(ready["storage_bytes"].as_i64().unwrap() > ready["source_bytes"].as_i64().unwrap());
    assert!(ready["created_at"].is_string() && ready["updated_at"].is_string());
    assert_eq!(reader.json(&format!("/media/{}", item.id)).await, ready, "one item reads as it is listed");

    let refused = problem(reader.delete(&format!("/media/{}", item.id)).await, StatusCode::FORBIDDEN).await;
    assert!(refused["detail"].as_str().unwrap().contains("only read"));
    let writer = Api::new(&app, "acme", &app.api_key(&acme, "read_write").await);
    assert_eq!(writer.delete(&format!("/media/{}", item.id)).await.status(), StatusCode::NO_CONTENT);
    problem(reader.get(&format!("/media/{}", item.id)).await, StatusCode::NOT_FOUND).await;
    problem(writer.delete(&format!("/media/{}", item.id)).await, StatusCode::NOT_FOUND).await;
    problem(reader.get("/media/not-an-id").await, StatusCode::NOT_FOUND).await;
    problem(writer.delete("/media/not-an-id").await, StatusCode::NOT_FOUND).await;
    assert_eq!(titles(&reader.json("/media").await), ["Half way", "lecture"]);
}

#[tokio::test]
async fn a_file_sent_over_tus_with_an_api_key_is_processed_and_listed() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let api = Api::new(&app, "acme", &app.api_key(&acme, "read_write").await);
    let res = api.tus(Method::OPTIONS, "/media/uploads").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()["tus-extension"], "creation,termination,expiration");
    assert_eq!(res.headers()["tus-max-size"], (10u64 << 30).to_string());

    let video = clip(2);
    let res = api.create(video.len(), "Module 1 - Welcome.mp4", "video/mp4").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["upload-offset"], "0");
    assert_eq!(res.headers()["tus-resumable"], "1.0.0");
    assert!(res.headers().contains_key("upload-expires"));
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/api/v1/media/uploads/"), "{location}");

    let half = video.len() / 2;
    let res = api.patch(&location, 0, &video[..half]).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()["upload-offset"], half.to_string());
    let res = api.tus(Method::HEAD, &location).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["upload-offset"], half.to_string());
    assert_eq!(res.headers()["upload-length"], video.len().to_string());
    let listed = api.json("/media").await;
    assert_eq!(listed["data"][0]["status"], "uploading");
    assert_eq!(listed["data"][0]["upload"]["id"], location.rsplit('/').next().unwrap());

    // A stale offset gets tus's own 409, as plain text, with where the upload really is.
    let res = api.patch(&location, 0, &video[..half]).await;
    assert_eq!(res.headers()["upload-offset"], half.to_string());
    assert!(!plain(res, StatusCode::CONFLICT).await.is_empty());

    assert_eq!(api.patch(&location, half, &video[half..]).await.status(), StatusCode::NO_CONTENT);
    let id = media_of(&app, &acme, &location).await.id;
    assert_eq!(api.json(&format!("/media/{id}")).await["status"], "processing");
    app.run_jobs().await;
    let item = api.json(&format!("/media/{id}")).await;
    assert_eq!((item["status"].as_str(), item["kind"].as_str()), (Some("ready"), Some("video")));
    assert_eq!((item["title"].as_str(), item["upload"].is_null()), (Some("Module 1 - Welcome"), true));
    assert_eq!(titles(&api.json("/media?kind=video").await), ["Module 1 - Welcome"]);
}

#[tokio::test]
async fn tus_errors_reach_the_client_as_plain_text_and_cancelled_uploads_vanish() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let api = Api::new(&app, "acme", &app.api_key(&acme, "read_write").await);
    let bare = api.request(Method::POST, "/media/uploads").header("upload-length", "10").send().await.unwrap();
    assert_eq!(plain(bare, StatusCode::PRECONDITION_FAILED).await, "Tus-Resumable: 1.0.0 is required");
    let res = api.tus(Method::POST, "/media/uploads").send().await.unwrap();
    assert_eq!(plain(res, StatusCode::BAD_REQUEST).await, "Upload-Length is required");
    let res = api.create(100, "setup.exe", "application/x-msdownload").await;
    assert!(plain(res, StatusCode::UNSUPPORTED_MEDIA_TYPE).await.contains("not a kind of file the library keeps"));
    let res = api.create(11 << 30, "huge.mov", "video/quicktime").await;
    assert!(plain(res, StatusCode::PAYLOAD_TOO_LARGE).await.starts_with("huge.mov is larger than your plan allows"));

    let res = api.create(5000, "draft.mp4", "video/mp4").await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let wrong = api.tus(Method::PATCH, &location).header("upload-offset", "0").body(vec![1u8; 10]);
    let wrong = wrong.header("content-type", "application/json").send().await.unwrap();
    plain(wrong, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    assert_eq!(api.patch(&location, 0, &[1u8; 1000]).await.status(), StatusCode::NO_CONTENT);
    let res = api.tus(Method::DELETE, &location).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let gone = api.tus(Method::HEAD, &location).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(gone.headers()["tus-resumable"], "1.0.0");
    assert_eq!(api.json("/media").await["data"], json!([]), "its item went with it");

    // The key check's answers are problems, still marked as tus.
    let anonymous = Api::new(&app, "acme", "");
    let res = anonymous.create(10, "a.mp4", "video/mp4").await;
    assert_eq!(res.headers()["tus-resumable"], "1.0.0");
    problem(res, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn read_only_keys_cannot_upload_and_other_schools_see_nothing() {
    let app = TestApp::new().await;
    let (acme, globex) = (app.school("acme").await, app.school("globex").await);
    let writer = Api::new(&app, "acme", &app.api_key(&acme, "read_write").await);
    let res = writer.create(5000, "Secret plans.pdf", "application/pdf").await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let id = media_of(&app, &acme, &location).await.id;

    let reader = Api::new(&app, "acme", &app.api_key(&acme, "read").await);
    problem(reader.create(10, "a.mp4", "video/mp4").await, StatusCode::FORBIDDEN).await;
    problem(reader.patch(&location, 0, &[1u8; 10]).await, StatusCode::FORBIDDEN).await;
    problem(reader.tus(Method::DELETE, &location).send().await.unwrap(), StatusCode::FORBIDDEN).await;
    assert_eq!(reader.tus(Method::HEAD, &location).send().await.unwrap().status(), StatusCode::OK, "reading is fine");
    problem(Api::new(&app, "acme", "").get("/media").await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(titles(&reader.json("/media").await), ["Secret plans"]);

    let globex_writer = Api::new(&app, "globex", &app.api_key(&globex, "read_write").await);
    problem(globex_writer.get(&format!("/media/{id}")).await, StatusCode::NOT_FOUND).await;
    problem(globex_writer.delete(&format!("/media/{id}")).await, StatusCode::NOT_FOUND).await;
    assert_eq!(globex_writer.json("/media").await["data"], json!([]));
    assert_eq!(globex_writer.tus(Method::HEAD, &location).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(globex_writer.patch(&location, 0, &[1u8; 10]).await.status(), StatusCode::NOT_FOUND);
    problem(Api::new(&app, "globex", &writer.key).get("/media").await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(reader.json(&format!("/media/{id}")).await["title"], "Secret plans", "still there");
}

#[tokio::test]
async fn the_library_pages_by_cursor_and_filters_by_kind_and_text() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let api = Api::new(&app, "acme", &app.api_key(&acme, "read_write").await);
    for (name, file_type) in [
        ("Welcome.mp4", "video/mp4"),
        ("Breathing.mp3", "audio/mpeg"),
        ("Workbook.pdf", "application/pdf"),
        ("Q and A.mp4", "video/mp4"),
    ] {
        assert_eq!(api.create(1000, name, file_type).await.status(), StatusCode::CREATED);
    }
    let mut seen = vec![];
    let mut path = "/media?limit=1".to_string();
    loop {
        let page = api.json(&path).await;
        assert_eq!(page["data"].as_array().unwrap().len(), 1);
        seen.push(page["data"][0]["title"].as_str().unwrap().to_string());
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/media?limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["Q and A", "Workbook", "Breathing", "Welcome"]);
    assert_eq!(titles(&api.json("/media?limit=3").await).len(), 3);
    assert_eq!(titles(&api.json("/media?kind=video").await), ["Q and A", "Welcome"]);
    assert_eq!(titles(&api.json("/media?kind=audio").await), ["Breathing"]);
    assert_eq!(titles(&api.json("/media?kind=file&q=book").await), ["Workbook"]);
    assert_eq!(titles(&api.json("/media?q=WELCOME.mp4").await), ["Welcome"], "file names are searched too");
    assert_eq!(titles(&api.json("/media?q=100%25").await), Vec::<&str>::new());
    for (bad, field) in
        [("limit=0", "limit"), ("limit=101", "limit"), ("kind=podcast", "kind"), ("cursor=nope", "cursor")]
    {
        let body = problem(api.get(&format!("/media?{bad}")).await, StatusCode::BAD_REQUEST).await;
        assert!(body["errors"][field].is_string(), "{bad}: {body}");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_media_endpoints() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let doc: Value = Api::new(&app, "acme", "").json("/openapi.json").await;
    let paths = &doc["paths"];
    let ops = [
        ("/media", "get", "401"),
        ("/media/{id}", "get", "404"),
        ("/media/{id}", "delete", "403"),
        ("/media/uploads", "options", "401"),
        ("/media/uploads", "post", "412"),
        ("/media/uploads/{id}", "head", "404"),
        ("/media/uploads/{id}", "patch", "409"),
        ("/media/uploads/{id}", "delete", "410"),
    ];
    for (path, method, status) in ops {
        let op = &paths[path][method];
        assert!(op["operationId"].is_string() && op["summary"].is_string(), "{method} {path}");
        assert!(op["responses"][status].is_object(), "{method} {path} documents {status}");
        assert!(op["responses"]["401"].is_object(), "{method} {path} documents 401");
    }
    let create = &paths["/media/uploads"]["post"];
    let params: Vec<&str> =
        create["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(params, ["Tus-Resumable", "Upload-Length", "Upload-Metadata"]);
    assert!(create["responses"]["201"]["headers"]["Location"]["description"].is_string());
    for status in ["400", "403", "413", "415"] {
        assert!(create["responses"][status].is_object(), "create documents {status}");
    }
    let patch = &paths["/media/uploads/{id}"]["patch"];
    assert!(patch["requestBody"]["content"]["application/offset+octet-stream"].is_object());
    assert!(patch["responses"]["409"]["headers"]["Upload-Offset"].is_object());
    let item = &doc["components"]["schemas"]["ApiMedia"]["properties"];
    for field in ["id", "title", "kind", "status", "renditions", "upload", "duration_ms", "storage_bytes"] {
        assert!(item[field].is_object(), "{field}");
    }

    let (status, page) = app.browser("acme").page("/api/docs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("List media") && page.contains("Start an upload"), "the reference shows them");
}
