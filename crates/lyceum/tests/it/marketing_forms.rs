//! Opt-in forms in the admin: made and edited with mistakes shown beside the fields, reordered,
//! archived and restored, with the embed panel; embeds on other sites (iframe, script, CORS with
//! the form's key); and another school's form id answering 404 everywhere.

use reqwest::StatusCode;

use crate::{
    marketing_forms_support::{new_form, stamp},
    marketing_support::owner,
    support::TestApp,
};

#[tokio::test]
async fn an_owner_makes_and_edits_a_form_and_mistakes_are_shown_beside_the_fields() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;

    let (status, html) = b.page("/admin/forms").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Capture your first leads"), "{html}");
    let (status, html) = b.page("/admin/forms/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("always asked, always first") && html.contains("Save the form to get its embed code"));

    // No name, a reserved key, a dropdown without choices, a script link: each refused beside its field.
    let bad = [
        ("name", ""),
        ("button_label", "Join <b>now</b>"),
        ("field_position", "1"),
        ("field_kind", "select"),
        ("field_label", "Level"),
        ("field_key", "email"),
        ("field_state", "required"),
        ("field_options", ""),
        ("after", "url"),
        ("thank_you_url", "javascript:alert(1)"),
        ("magnet", "file"),
        ("magnet_media_id", "not-an-item"),
    ];
    let res = b.post_form("/admin/forms", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    for msg in [
        "Give the form a name.",
        "Use lower-case letters, digits and underscores",
        "List the choices, separated by commas.",
        "Enter a full address starting with https:",
        "Choose a file from your library.",
    ] {
        assert!(html.contains(msg), "{msg}: {html}");
    }
    assert!(html.contains("value=\"Join &lt;b&gt;now&lt;&#x2f;b&gt;\"") && html.contains("value=\"Level\""), "{html}");

    let id = new_form(
        &b,
        &[
            ("field_position", "2"),
            ("field_kind", "text"),
            ("field_label", "Company"),
            ("field_key", ""),
            ("field_state", "required"),
            ("field_options", ""),
        ],
    )
    .await;
    let (status, html) = b.page(&format!("/admin/forms/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let html = html.replace("&#x2f;", "/");
    assert!(html.contains("value=\"company\"") && html.contains("Spring guide"), "{html}");
    assert!(
        html.contains(&format!("/f/{id}/embed.js?key=")) && html.contains(&format!("/f/{id}/embed&quot;")),
        "{html}"
    );

    // Reorder (company first), remove the first name, add a dropdown.
    let edit = [
        ("name", "Spring guide"),
        ("field_position", "2"),
        ("field_kind", "first_name"),
        ("field_label", ""),
        ("field_key", ""),
        ("field_state", "remove"),
        ("field_options", ""),
        ("field_position", "1"),
        ("field_kind", "text"),
        ("field_label", "Company"),
        ("field_key", "company"),
        ("field_state", "optional"),
        ("field_options", ""),
        ("field_position", "3"),
        ("field_kind", "select"),
        ("field_label", "Level"),
        ("field_key", ""),
        ("field_state", "required"),
        ("field_options", "Beginner, Advanced"),
        ("magnet", "sequence"),
        ("magnet_sequence", "Five days of Rust"),
        ("after", "none"),
    ];
    let res = b.post_form(&format!("/admin/forms/{id}"), &edit).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let form = marketing::store::form(&mut tx, id.parse().unwrap()).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let keys: Vec<&str> = form.fields.as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["email", "company", "level"]);
    assert_eq!(form.lead_magnet, serde_json::json!({ "kind": "sequence", "name": "Five days of Rust" }));
    let (_, html) = b.page(&format!("/admin/forms/{id}")).await;
    assert!(html.contains("Sequences arrive with email automation"), "{html}");

    // The visitor's page shows the fields in that order.
    let (status, html) = app.browser("acme").page(&format!("/f/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (c, l) = (html.find("Company").unwrap(), html.find("Level").unwrap());
    assert!(html.find("Email").unwrap() < c && c < l, "{html}");
    assert!(html.contains("name=\"website\"") && html.contains("aria-hidden=\"true\""));

    // Archived: listed as such, the public page is gone; restored: back.
    let res = b.post_form(&format!("/admin/forms/{id}/archive"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page("/admin/forms").await;
    assert!(html.contains("Archived") && html.contains("Spring guide"), "{html}");
    assert_eq!(app.browser("acme").get(&format!("/f/{id}")).await.status(), StatusCode::NOT_FOUND);
    let res = b.post_form(&format!("/admin/forms/{id}/restore"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.browser("acme").get(&format!("/f/{id}")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn another_schools_form_id_is_not_found_everywhere() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let id = new_form(&owner(&app, &acme).await, &[]).await;
    let other = owner(&app, &globex).await;
    assert_eq!(other.get(&format!("/admin/forms/{id}")).await.status(), StatusCode::NOT_FOUND);
    for action in ["", "/archive", "/restore"] {
        let res = other.post_form(&format!("/admin/forms/{id}{action}"), &[("name", "Mine")]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{action}");
    }
    let visitor = app.browser("globex");
    for path in [format!("/f/{id}"), format!("/f/{id}/embed"), format!("/f/{id}/embed.js?key=x")] {
        assert_eq!(visitor.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let s = stamp(&app);
    let res = visitor
        .client
        .post(visitor.url(&format!("/f/{id}")))
        .form(&[("email", "ana@example.com"), ("_stamp", &s)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        crate::marketing_forms_support::count(&app, &acme, "select count(*) from contacts where tenant_id = $1").await,
        0
    );
}

#[tokio::test]
async fn embeds_work_from_other_sites_only_with_the_forms_key() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let id = new_form(&b, &[("consent_required", "")]).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let key = marketing::store::form(&mut tx, id.parse().unwrap()).await.unwrap().unwrap().embed_key;
    tx.commit().await.unwrap();
    let visitor = app.browser("acme");

    // The iframe page may be framed anywhere; the script injects it.
    let res = visitor.get(&format!("/f/{id}/embed")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors *"));
    let html = res.text().await.unwrap();
    assert!(html.contains("name=\"embed\" value=\"1\"") && html.contains("Get the guide"), "{html}");
    let res = visitor.get(&format!("/f/{id}/embed.js?key={key}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let js = res.text().await.unwrap();
    assert!(js.contains("createElement('iframe')") && js.contains(&format!("/f/{id}/embed")), "{js}");
    assert_eq!(visitor.get(&format!("/f/{id}/embed.js?key=wrong")).await.status(), StatusCode::NOT_FOUND);

    // The iframe's own post is same-origin: no key needed, the thanks show in place.
    let s = stamp(&app);
    let res = visitor
        .client
        .post(visitor.url(&format!("/f/{id}")))
        .header("origin", &visitor.base)
        .form(&[("email", "frame@example.com"), ("embed", "1"), ("_stamp", &s)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors *"));
    assert!(res.text().await.unwrap().contains("You’re in!"));

    // Another site: the preflight is answered, a post without the key is refused clearly.
    let origin = "https://blog.example.org";
    let res = visitor
        .client
        .request(reqwest::Method::OPTIONS, visitor.url(&format!("/f/{id}")))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()["access-control-allow-origin"], origin);
    assert!(res.headers().get("access-control-allow-credentials").is_none());
    let post = |fields: Vec<(&'static str, String)>| {
        visitor
            .client
            .post(visitor.url(&format!("/f/{id}")))
            .header("origin", origin)
            .header("sec-fetch-site", "cross-site")
            .form(&fields)
            .send()
    };
    let res = post(vec![("email", "cross@example.com".into()), ("_stamp", stamp(&app))]).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert!(res.text().await.unwrap().contains("embed key"));
    let res = post(vec![("email", "cross@example.com".into()), ("_stamp", stamp(&app)), ("key", "wrong".into())])
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res =
        post(vec![("email", "cross@example.com".into()), ("_stamp", stamp(&app)), ("key", key.clone())]).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["access-control-allow-origin"], origin);
    assert!(res.headers().get("access-control-allow-credentials").is_none());
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true);
    let n = crate::marketing_forms_support::count(
        &app,
        &acme,
        "select count(*) from contacts where tenant_id = $1 and email in ('cross@example.com', 'frame@example.com')",
    )
    .await;
    assert_eq!(n, 2);

    // Any other page keeps refusing cross-site posts.
    let res = visitor
        .client
        .post(visitor.url("/signup"))
        .header("origin", origin)
        .form(&[("email", "x@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
