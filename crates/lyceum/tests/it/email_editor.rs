//! The email editor (issue 12, item 1): blocks rendered through MJML in the school's brand,
//! merge fields filled and escaped, the plain-text part, the preview for a contact, a test
//! send, autosave refused from a stale tab, bad images and scripts refused or cleaned, the
//! library (new, duplicate, delete refused while used), and nothing of another school's.

use marketing::email::{
    EmailId,
    content::{self, Recipient},
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    courses_support::library_item,
    marketing_builder::send_json,
    marketing_contacts::contact,
    marketing_sections_support::library_image,
    marketing_support::owner,
    support::{Browser, TestApp, TestSchool, location},
};

/// Makes an email from `starter` through the library; its admin path.
async fn new_email(b: &Browser, starter: &str) -> String {
    let res = b.post_form("/admin/emails", &[("starter", starter)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res)
}

fn id_of(path: &str) -> EmailId {
    path.trim_start_matches("/admin/emails/").split('?').next().unwrap().parse().unwrap()
}

async fn load(app: &TestApp, school: &TestSchool, path: &str) -> content::Email {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let e = content::find(&mut tx, id_of(path)).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    e
}

async fn render(app: &TestApp, school: &TestSchool, path: &str, r: &Recipient) -> content::Rendered {
    let email = load(app, school, path).await;
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let prepared = content::prepare(&app.state, &mut tx, &school.school, &email, None).await.unwrap();
    tx.commit().await.unwrap();
    prepared.personalise(r).unwrap()
}

fn every_block(image: &str) -> Value {
    json!({ "blocks": [
        { "id": "h1", "kind": "heading", "text": "Hello {{ first_name | default: \"there\" }}", "level": "1" },
        { "id": "t1", "kind": "text", "html": "<p>Read <strong>this</strong> <a href=\"https://example.com/post\">post</a></p><script>alert(1)</script><p onclick=\"x()\">Bye</p>" },
        { "id": "i1", "kind": "image", "media_id": image, "alt": "Studio", "link": "" },
        { "id": "b1", "kind": "button", "label": "Join {{ first_name }}", "url": "/courses", "color": "" },
        { "id": "d1", "kind": "divider" },
        { "id": "c1", "kind": "columns", "columns": [
            [{ "id": "c1h", "kind": "heading", "text": "Left side", "level": "2" }],
            [{ "id": "c1t", "kind": "text", "html": "<p>Right side</p>" }]
        ] },
        { "id": "f1", "kind": "footer" }
    ] })
}

#[tokio::test]
async fn emails_render_through_mjml_in_the_brand_with_merge_fields_filled_and_escaped() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let path = new_email(&b, "blank").await;
    let image = library_image(&app, &acme, "Studio", 1200, 600).await;
    let draft = json!({ "revision": 1, "name": "Spring", "subject": "Hi {{ first_name | default: \"friend\" }}",
                        "preheader": "Inside: {{ fields.city }}", "doc": every_block(&image.to_string()) });
    let (status, body) = send_json(&b, &format!("{path}/draft"), &draft).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["revision"], 2);
    assert!(body["warning"].is_null(), "{body}");

    // Scripts and handlers are gone from the stored text; the link stays.
    let email = load(&app, &acme, &path).await;
    let stored = email.doc["blocks"][1]["html"].as_str().unwrap();
    assert!(!stored.contains("script") && !stored.contains("onclick"), "{stored}");
    assert!(stored.contains("<a href=\"https://example.com/post\">post</a>"), "{stored}");

    let ann = Recipient {
        email: "ann@example.com".into(),
        first_name: "<script>alert(1)</script>".into(),
        fields: json!({ "city": "Oslo" }),
        unsubscribe_url: "https://acme.test/e/u/1".into(),
        preferences_url: "https://acme.test/e/p/1".into(),
        ..Recipient::default()
    };
    let r = render(&app, &acme, &path, &ann).await;
    assert!(r.html.starts_with("<!doctype html>"), "{}", &r.html[..200]);
    assert!(r.html.contains(&acme.school.brand_color), "brand colour on the button");
    assert!(r.html.contains("Hello &lt;script&gt;") && !r.html.contains("<script>alert"), "escaped");
    assert_eq!(r.subject, "Hi <script>alert(1)</script>", "the subject is not HTML");
    assert!(r.html.contains(&format!("/media/i/{image}/")), "the library image");
    assert!(r.html.contains("Left side") && r.html.contains("Right side"), "both columns");
    assert!(r.html.contains("Inside: Oslo"), "the preheader");
    assert!(r.html.contains("href=\"https://acme.test/e/u/1\""), "the unsubscribe link");
    assert!(r.html.contains(&acme.school.name), "the footer names the school");
    assert!(!r.html.contains("LYCMERGE") && !r.html.contains("{{"), "every field filled");
    // Mobile: mrml's responsive columns.
    assert!(r.html.contains("@media only screen and (min-width:480px)"), "responsive");

    // An empty first name takes the default; the text part has headings, links and the footer.
    let nobody = Recipient { unsubscribe_url: "https://acme.test/e/u/2".into(), ..Recipient::default() };
    let r = render(&app, &acme, &path, &nobody).await;
    assert_eq!(r.subject, "Hi friend");
    assert!(r.html.contains("Hello there"));
    assert!(r.text.starts_with("Hello there\n==="), "{}", r.text);
    assert!(r.text.contains("Read this post (https://example.com/post)"), "{}", r.text);
    assert!(r.text.contains(&format!("Join : {}/courses", acme.school.base_url)), "{}", r.text);
    assert!(r.text.contains("Unsubscribe: https://acme.test/e/u/2"), "{}", r.text);
    assert!(!r.text.contains('<'), "{}", r.text);

    // The generated text keeps merge fields as written; an edited one is used as it is.
    let res = b.get_json(&format!("{path}/text")).await;
    let text = res.json::<Value>().await.unwrap()["text"].as_str().unwrap().to_string();
    assert!(text.starts_with("Hello {{ first_name | default: \"there\" }}"), "{text}");
    let mut edited = draft.clone();
    edited["revision"] = json!(2);
    edited["text_body"] = json!("Plain {{ first_name | default: \"you\" }}");
    assert_eq!(send_json(&b, &format!("{path}/draft"), &edited).await.0, StatusCode::OK);
    assert_eq!(render(&app, &acme, &path, &nobody).await.text, "Plain you");
}

#[tokio::test]
async fn bad_merge_fields_are_kept_and_explained_and_stale_or_bad_saves_are_refused() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let path = new_email(&b, "welcome").await;
    let email = load(&app, &acme, &path).await;
    assert!(email.doc["blocks"].as_array().unwrap().len() >= 4, "the starter's blocks");

    let draft =
        json!({ "revision": 1, "name": "W", "subject": "Hi {{ frist_name }}", "preheader": "", "doc": email.doc });
    let (status, body) = send_json(&b, &format!("{path}/draft"), &draft).await;
    assert_eq!(status, StatusCode::OK);
    let msg = "Unknown merge field \"frist_name\" in the subject — did you mean first_name?";
    assert_eq!(body["warning"], msg);
    assert_eq!(load(&app, &acme, &path).await.subject, "Hi {{ frist_name }}", "kept as typed");
    let (_, html) = b.page(&path).await;
    assert!(html.contains("did you mean first_name?"), "shown in the editor");
    // Sending a test is refused with the message.
    let res = b.post_form(&format!("{path}/test"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page(&location(&res)).await;
    assert!(html.contains("did you mean first_name?"), "{html}");
    // The engine skips it: prepare fails with the same words.
    let email = load(&app, &acme, &path).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let err = content::prepare(&app.state, &mut tx, &acme.school, &email, None).await.unwrap_err();
    assert_eq!(err.to_string(), msg);
    drop(tx);

    // A stale tab gets 409 and nothing changes.
    let stale = json!({ "revision": 1, "name": "Stale", "subject": "x", "doc": { "blocks": [] } });
    let (status, body) = send_json(&b, &format!("{path}/draft"), &stale).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["revision"], 2);
    assert!(body["message"].as_str().unwrap().contains("another tab"));
    assert_eq!(load(&app, &acme, &path).await.name, "W");

    // A file that is not an image, and a script link, are refused beside their block.
    let pdf = library_item(&app, &acme, "Guide", "file", "application/pdf").await;
    let bad = json!({ "revision": 2, "name": "W", "subject": "x", "doc": { "blocks": [
        { "id": "img", "kind": "image", "media_id": pdf.to_string() },
        { "id": "btn", "kind": "button", "label": "Go", "url": "javascript:alert(1)" } ] } });
    let (status, body) = send_json(&b, &format!("{path}/draft"), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["problems"]["img"].as_str().unwrap().contains("not an image"), "{body}");
    assert!(body["problems"]["btn"].as_str().unwrap().contains("https://"), "{body}");
    assert_eq!(load(&app, &acme, &path).await.revision, 2);
}

#[tokio::test]
async fn the_preview_is_made_for_a_chosen_contact_and_a_test_goes_to_the_staff_member() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let path = new_email(&b, "announcement").await;
    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;

    let (status, html) = b.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    for needle in ["data-email-editor", "data-add-block=\"columns\"", "data-email-preview", "Send a test to me"] {
        assert!(html.contains(needle), "{needle}");
    }
    let res = b.get(&format!("{path}/preview?contact={ana}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'self'"));
    let html = res.text().await.unwrap();
    assert!(html.contains("Hi Ana,") && html.contains("Big news"), "{html}");
    let found: Value = b.get_json(&format!("{path}/contacts?q=ana")).await.json().await.unwrap();
    assert_eq!(found[0]["id"], ana.as_str());
    assert_eq!(found[0]["email"], "ana@example.com");

    let res = b.post_form(&format!("{path}/test"), &[("return", "/admin/broadcasts/x")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).ends_with("?return=/admin/broadcasts/x"), "{}", location(&res));
    let mut conn = app.owner_conn().await;
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("select to_email, source, status from email_deliveries where tenant_id = $1 and email_id = $2")
            .bind(acme.school.id)
            .bind(id_of(&path))
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(rows, vec![(acme.owner_email.to_lowercase(), "test".to_string(), "queued".to_string())]);
    app.run_jobs().await;
}

#[tokio::test]
async fn the_library_duplicates_and_deletes_only_what_nothing_uses() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (status, html) = b.page("/admin/emails").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No emails yet") && html.contains("Course launch"), "{html}");
    let path = new_email(&b, "newsletter").await;
    let (_, html) = b.page("/admin/emails").await;
    assert!(html.contains("Newsletter") && html.contains("Not used yet"), "{html}");

    let res = b.post_form(&format!("{path}/duplicate"), &[]).await;
    let copy = location(&res);
    assert_ne!(copy, path);
    assert_eq!(load(&app, &acme, &copy).await.name, "Newsletter (copy)");

    // Sent in a broadcast: kept.
    let mut conn = app.owner_conn().await;
    sqlx::query(
        "insert into email_deliveries (tenant_id, id, email_id, to_email, source, broadcast_id)
         values ($1, gen_random_uuid(), $2, 'x@example.com', 'broadcast', gen_random_uuid())",
    )
    .bind(acme.school.id)
    .bind(id_of(&path))
    .execute(&mut conn)
    .await
    .unwrap();
    let res = b.post_form(&format!("{path}/delete"), &[]).await;
    let (_, html) = b.page(&location(&res)).await;
    assert!(html.contains("sent in a broadcast") && html.contains("1 broadcast"), "{html}");
    assert_eq!(b.get(&path).await.status(), StatusCode::OK);
    b.post_form(&format!("{copy}/delete"), &[]).await;
    assert_eq!(b.get(&copy).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn another_schools_owner_gets_404_on_every_route() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let b = owner(&app, &acme).await;
    let path = new_email(&b, "blank").await;
    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let id = id_of(&path);
    let other = owner(&app, &globex).await;
    assert_eq!(other.get("/admin/emails").await.status(), StatusCode::OK);
    for p in [
        format!("/admin/emails/{id}"),
        format!("/admin/emails/{id}/preview"),
        format!("/admin/emails/{id}/text"),
        format!("/admin/emails/{id}/contacts?q=a"),
    ] {
        assert_eq!(other.get(&p).await.status(), StatusCode::NOT_FOUND, "{p}");
    }
    for p in ["test", "duplicate", "delete"] {
        let res = other.post_form(&format!("/admin/emails/{id}/{p}"), &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{p}");
    }
    let (status, _) =
        send_json(&other, &format!("/admin/emails/{id}/draft"), &json!({ "revision": 1, "doc": { "blocks": [] } }))
            .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Their own email previewed for our contact: not found either.
    let theirs = new_email(&other, "blank").await;
    assert_eq!(other.get(&format!("{theirs}/preview?contact={ana}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(load(&app, &acme, &path).await.revision, 1);
}
