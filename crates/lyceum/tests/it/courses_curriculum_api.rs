//! `GET /api/v1/courses` and `GET /api/v1/courses/{id}`: paged, filtered by status, with the
//! outline, and never another school's.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{courses_curriculum::sample, courses_support::exec, support::TestApp};

async fn get(app: &TestApp, slug: &str, key: &str, path: &str) -> (StatusCode, Value) {
    let res = reqwest::Client::builder()
        .resolve(&format!("{slug}.{}", app.state.config.platform_host.split(':').next().unwrap()), app.addr)
        .build()
        .unwrap()
        .get(format!("http://{slug}.{}/api/v1{path}", app.state.config.platform_host))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn courses_are_listed_by_page_and_status_and_shown_with_their_outline() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let c = sample(&app, &acme).await;
    let draft = crate::courses_support::published_course(&app, &acme, "Drafty", &[]).await;
    exec(&app, &acme, "update courses set status = 'draft' where tenant_id = $1 and id = $2", draft.course.id.0).await;
    exec(
        &app,
        &acme,
        "update lessons set duration_minutes = 9, free_preview = true where tenant_id = $1 and id = $2",
        c.lesson("Welcome").id.0,
    )
    .await;
    let key = app.api_key(&acme, "read").await;

    let (status, all) = get(&app, "acme", &key, "/courses").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
    let (_, first) = get(&app, "acme", &key, "/courses?limit=1").await;
    let cursor = first["next_cursor"].as_str().expect("a second page").to_string();
    let (_, second) = get(&app, "acme", &key, &format!("/courses?limit=1&cursor={cursor}")).await;
    assert_ne!(first["data"][0]["id"], second["data"][0]["id"]);
    assert!(second["next_cursor"].is_null());
    let (_, published) = get(&app, "acme", &key, "/courses?status=published").await;
    assert_eq!(published["data"].as_array().unwrap().len(), 1);
    assert_eq!(published["data"][0]["title"], "Portraits");
    let (_, drafts) = get(&app, "acme", &key, "/courses?status=draft").await;
    assert_eq!(drafts["data"][0]["title"], "Drafty");
    let (status, bad) = get(&app, "acme", &key, "/courses?status=archived").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad["errors"]["status"].is_string(), "{bad}");

    let (status, one) = get(&app, "acme", &key, &format!("/courses/{}", c.course.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["status"], "published");
    assert_eq!(one["modules"][0]["title"], "Basics");
    let welcome = &one["modules"][0]["lessons"][0];
    assert_eq!(
        (&welcome["title"], &welcome["kind"], &welcome["position"], &welcome["status"]),
        (&Value::from("Welcome"), &Value::from("video"), &Value::from(1), &Value::from("published"))
    );
    assert_eq!((&welcome["free_preview"], &welcome["duration_minutes"]), (&Value::from(true), &Value::from(9)));
    assert_eq!(one["modules"][1]["lessons"][0]["kind"], "assignment");

    let other = app.api_key(&globex, "read").await;
    let (status, _) = get(&app, "globex", &other, &format!("/courses/{}", c.course.id)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, theirs) = get(&app, "globex", &other, "/courses").await;
    assert_eq!(theirs["data"].as_array().unwrap().len(), 0);
}
