//! `/api/v1/enrollments`: listing with filters and pages, enrolling by email (creating the
//! account) or by id, revoking, each with its event; another school's ids are 404 or refused.

use identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    courses_support::{enroll, events, published_course},
    support::TestApp,
};

fn client(app: &TestApp, slug: &str) -> (reqwest::Client, String) {
    let host = format!("{slug}.localhost");
    let client = reqwest::Client::builder().resolve(&host, app.addr).build().unwrap();
    (client, format!("http://{host}:{}/api/v1", app.addr.port()))
}

#[tokio::test]
async fn enrolments_are_listed_created_and_revoked_through_the_api() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let light = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text")])]).await;
    let sound = published_course(&app, &acme, "Sound", &[("Basics", &[("Mics", "text")])]).await;
    let sam = app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    enroll(&app, &acme, sam.id, &sound.course).await;
    let key = app.api_key(&acme, "read_write").await;
    let read_key = app.api_key(&acme, "read").await;
    let (http, base) = client(&app, "acme");
    let post =
        |path: &str, body: Value, key: &str| http.post(format!("{base}{path}")).bearer_auth(key).json(&body).send();
    let get = |path: &str| http.get(format!("{base}{path}")).bearer_auth(&key).send();

    let res = post(
        "/enrollments",
        json!({ "course_id": light.course.id, "email": "Ana@Example.test", "name": "Ana" }),
        &read_key,
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "a read key cannot enrol");

    let res = post("/enrollments", json!({ "course_id": light.course.id, "email": "Ana@Example.test", "name": "Ana", "ends_at": "2099-01-01T00:00:00Z" }), &key).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let ana: Value = res.json().await.unwrap();
    assert_eq!(ana["email"], "ana@example.test");
    assert_eq!(ana["state"], "active");
    assert_eq!(ana["source"], "api");
    assert_eq!(ana["ends_at"], "2099-01-01T00:00:00Z");
    let res = post("/enrollments", json!({ "course_id": light.course.id, "user_id": sam.id }), &key).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = post("/enrollments", json!({ "course_id": light.course.id, "user_id": sam.id }), &key).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "already enrolled");
    assert_eq!(events(&app, &acme, "enrollment.created").await, 3);
    app.run_jobs().await;
    assert!(app.link_in_mail(&acme, "ana@example.test", "/reset-password/").await.contains("/reset-password/"));

    let res =
        post("/enrollments", json!({ "course_id": "nope", "email": "bad", "ends_at": "2001-01-01T00:00:00Z" }), &key)
            .await
            .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = res.json().await.unwrap();
    for field in ["course_id", "email", "ends_at"] {
        assert!(problem["errors"][field].is_string(), "{field}: {problem}");
    }
    let res = post("/enrollments", json!({ "course_id": light.course.id }), &key).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "nobody named");

    let all: Value = get("/enrollments").await.unwrap().json().await.unwrap();
    assert_eq!(all["data"].as_array().unwrap().len(), 3);
    let page: Value = get("/enrollments?limit=2").await.unwrap().json().await.unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap().to_string();
    let rest: Value = get(&format!("/enrollments?limit=2&cursor={cursor}")).await.unwrap().json().await.unwrap();
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    let in_light: Value =
        get(&format!("/enrollments?course_id={}", light.course.id)).await.unwrap().json().await.unwrap();
    assert_eq!(in_light["data"].as_array().unwrap().len(), 2);
    let sams: Value = get(&format!("/enrollments?user_id={}", sam.id)).await.unwrap().json().await.unwrap();
    assert_eq!(sams["data"].as_array().unwrap().len(), 2);
    let bad = get("/enrollments?state=asleep&course_id=x").await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let id = ana["id"].as_str().unwrap();
    let res = post(&format!("/enrollments/{id}/revoke"), json!({}), &key).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let revoked: Value = res.json().await.unwrap();
    assert_eq!(revoked["state"], "revoked");
    assert_eq!(events(&app, &acme, "enrollment.revoked").await, 1);
    post(&format!("/enrollments/{id}/revoke"), json!({}), &key).await.unwrap();
    assert_eq!(events(&app, &acme, "enrollment.revoked").await, 1, "revoking twice is once");
    let gone: Value = get("/enrollments?state=revoked").await.unwrap().json().await.unwrap();
    assert_eq!(gone["data"].as_array().unwrap().len(), 1);
    let active: Value = get("/enrollments?state=active").await.unwrap().json().await.unwrap();
    assert_eq!(active["data"].as_array().unwrap().len(), 2);

    let globex = app.school("globex").await;
    let other_key = app.api_key(&globex, "read_write").await;
    let (other, other_base) = client(&app, "globex");
    let res = other
        .post(format!("{other_base}/enrollments/{id}/revoke"))
        .bearer_auth(&other_key)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = other
        .post(format!("{other_base}/enrollments"))
        .bearer_auth(&other_key)
        .json(&json!({ "course_id": light.course.id, "email": "x@y.test" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "another school's course is not one");
    let theirs: Value = other
        .get(format!("{other_base}/enrollments"))
        .bearer_auth(&other_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["data"].as_array().unwrap().len(), 0);
}
