//! The page builder's editor: autosave through the JSON endpoint (a stale tab gets 409 with who
//! saved, a bad link 422 beside its field), publishing versions, restoring one into the draft
//! (visitors keep the live version until the next publish), the staff-only canvas that the
//! editor may frame, and previews.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    marketing_support::{new_page, owner},
    support::{Browser, TestApp},
};

/// Sends `body` as JSON with the CSRF header, as the island does.
pub async fn send_json(b: &Browser, path: &str, body: &Value) -> (StatusCode, Value) {
    let token = b.csrf().await;
    let res = b
        .client
        .post(b.url(path))
        .header("x-csrf-token", token)
        .header("accept", "application/json")
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A one-hero document saying `headline`.
fn hero(headline: &str) -> Value {
    json!({ "sections": [{ "id": "top", "kind": "hero", "data": { "headline": headline, "layout": "centered" } }] })
}

#[tokio::test]
async fn drafts_autosave_versions_publish_and_restore() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let path = new_page(&b, "Watercolor Launch", "launch", "blank").await;

    // The editor: its bar, the palette from the spec and the framed canvas.
    let (status, html) = b.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-page-builder") && html.contains("page-builder"), "{html}");
    assert!(html.contains("Testimonials") && html.contains("Quotes from happy students."), "{html}");
    assert!(html.contains(&format!("src=\"{path}/canvas\"")) && html.contains("Nothing published yet"), "{html}");

    // Autosave from revision 1.
    let (status, body) =
        send_json(&b, &format!("{path}/draft"), &json!({ "revision": 1, "document": hero("Version one") })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["revision"], 2);
    assert!(body["saved_at"].is_string());

    // Another tab still at revision 1 is refused, told who saved and when; nothing is lost.
    let (status, body) =
        send_json(&b, &format!("{path}/draft"), &json!({ "revision": 1, "document": hero("Stale") })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["revision"], 2);
    let msg = body["message"].as_str().unwrap();
    assert!(msg.contains("This page changed since you opened it (by Olivia Owner at"), "{msg}");

    // A link that is not one: 422 with the problem beside the field.
    let bad = json!({ "sections": [
        { "id": "top", "kind": "hero", "data": { "headline": "Version one" } },
        { "id": "buy", "kind": "cta", "data": { "heading": "Go", "button_url": "javascript:alert(1)" } }
    ] });
    let (status, body) = send_json(&b, &format!("{path}/draft"), &json!({ "revision": 2, "document": bad })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["problems"]["1.button_url"].as_str().unwrap().starts_with("Use a full link"), "{body}");

    // A clashing address is refused too, and the draft stays as it was.
    new_page(&b, "Other", "other", "blank").await;
    let (status, body) =
        send_json(&b, &format!("{path}/draft"), &json!({ "revision": 2, "document": hero("X"), "slug": "other" }))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["problems"]["slug"], "Another page already has this address.");

    // Publish v1 from the editor.
    let (status, body) = send_json(&b, &format!("{path}/publish"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["version"], 1);
    assert_eq!(body["message"], "Version 1 is live.");
    let visitor = app.browser("acme");
    assert!(visitor.page("/p/launch").await.1.contains("Version one"));

    // Edit, rename, publish v2.
    let (status, body) = send_json(
        &b,
        &format!("{path}/draft"),
        &json!({ "revision": 2, "document": hero("Version two"), "title": "Launch week" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(send_json(&b, &format!("{path}/publish"), &json!({})).await.1["version"], 2);
    assert!(visitor.page("/p/launch").await.1.contains("Version two"));

    // Restore v1 into the draft: the editor gets the document back; visitors keep v2.
    let (status, body) = send_json(&b, &format!("{path}/versions/1/restore"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["document"]["sections"][0]["data"]["headline"], "Version one");
    assert_eq!(body["revision"], 4);
    let html = visitor.page("/p/launch").await.1;
    assert!(html.contains("Version two") && !html.contains("Version one"), "{html}");

    // The draft's preview and version 2's show what each holds; the list names the publisher.
    let (status, html) = b.page(&format!("{path}/preview")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Version one") && html.contains("Preview of the draft"), "{html}");
    let html = b.page(&format!("{path}/versions/2")).await.1;
    assert!(html.contains("Version two") && html.contains("Preview of version 2."), "{html}");
    assert_eq!(b.get(&format!("{path}/versions/9")).await.status(), StatusCode::NOT_FOUND);
    let html = b.page(&path).await.1;
    assert!(
        html.contains("Launch week") && html.contains("Version 2") && html.contains("Published by Olivia Owner"),
        "{html}"
    );

    // Republished, visitors see v1's content as version 3.
    assert_eq!(send_json(&b, &format!("{path}/publish"), &json!({})).await.1["version"], 3);
    assert!(visitor.page("/p/launch").await.1.contains("Version one"));

    // Unpublished, the page is gone for visitors.
    assert_eq!(b.post_form(&format!("{path}/unpublish"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(visitor.get("/p/launch").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_canvas_is_for_staff_and_may_be_framed_by_the_editor() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let path = new_page(&b, "Canvas", "canvas", "blank").await;

    let res = b.get(&format!("{path}/canvas")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'self'") && !csp.contains("frame-ancestors 'none'"), "{csp}");
    let html = res.text().await.unwrap();
    assert!(html.contains("data-section=") && html.contains("data-field=\"headline\">Canvas<"), "{html}");
    // The editor's own page may not be framed.
    let res = b.get(&path).await;
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));

    // An unsaved document renders as a fragment; a section whose course is gone warns instead of hiding.
    let doc = json!({ "sections": [
        { "id": "a", "kind": "hero", "data": { "headline": "Unsaved <b>headline</b>" } },
        { "id": "b", "kind": "curriculum", "data": { "heading": "Inside", "course": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" } }
    ] });
    let token = b.csrf().await;
    let res =
        b.client.post(b.url(&format!("{path}/canvas"))).header("x-csrf-token", token).json(&doc).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'self'"));
    let html = res.text().await.unwrap();
    assert!(html.contains("Unsaved &lt;b&gt;headline") && !html.contains("<html"), "{html}");
    assert!(
        html.contains("data-section=\"b\"")
            && html.contains("Hidden on your site:")
            && html.contains("course was deleted"),
        "{html}"
    );
    // A document that does not pass the checks is refused with its problems.
    let bad = json!({ "sections": [{ "id": "a", "kind": "cta", "data": { "button_url": "javascript:x" } }] });
    let (status, body) = send_json(&b, &format!("{path}/canvas"), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["problems"]["0.button_url"].is_string());

    // Visitors and students never see it.
    let visitor = app.browser("acme");
    assert_ne!(visitor.get(&format!("{path}/canvas")).await.status(), StatusCode::OK);
    app.user(&acme, "Sam Student", "sam@acme.test", identity::Role::Student).await;
    let student = app.browser("acme");
    student.login("sam@acme.test", crate::support::PASSWORD).await;
    for p in [format!("{path}/canvas"), format!("{path}/preview"), path.clone()] {
        let status = student.get(&p).await.status();
        assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{p}: {status}");
    }
    let (status, _) =
        send_json(&student, &format!("{path}/draft"), &json!({ "revision": 1, "document": hero("x") })).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");
}
