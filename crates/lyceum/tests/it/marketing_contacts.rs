//! `/admin/contacts`: the list searched, filtered, tagged in bulk and exported; a contact's page
//! (details, tags, unsubscribe, erase); nothing of another school's.

use marketing::contacts::{self, Incoming};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    marketing_support::owner,
    support::{TestApp, TestSchool},
};

/// Makes a contact the way a form or import would; returns its id.
pub async fn contact(
    app: &TestApp,
    school: &TestSchool,
    email: &str,
    first: &str,
    source: &str,
    status: &'static str,
) -> String {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let who = Incoming {
        email: email.into(),
        first_name: Some(first.into()),
        source: json!({ "kind": source, "utm_source": "newsletter" }),
        status: Some(status),
        ..Default::default()
    };
    let (id, _) = contacts::upsert(&app.state, &mut tx, who).await.unwrap();
    tx.commit().await.unwrap();
    id.to_string()
}

#[tokio::test]
async fn the_list_searches_filters_tags_in_bulk_and_exports() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;

    let (_, empty) = b.page("/admin/contacts").await;
    assert!(empty.contains("Your contacts will appear here"), "{empty}");

    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let bob = contact(&app, &acme, "bob@example.com", "Bob", "import", "subscribed").await;
    contact(&app, &acme, "cleo@example.com", "Cleo", "form", "unsubscribed").await;

    let (status, html) = b.page("/admin/contacts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("ana@example.com") && html.contains("cleo@example.com"), "{html}");
    assert!(html.contains("3 contacts · 2 subscribed · 0 customers"), "{html}");

    let (_, html) = b.page("/admin/contacts?q=AN").await;
    assert!(html.contains("ana@example.com") && !html.contains("bob@example.com"), "{html}");
    let (_, html) = b.page("/admin/contacts?q=bo").await;
    assert!(html.contains("bob@example.com") && !html.contains("ana@example.com"));
    let (_, html) = b.page("/admin/contacts?status=unsubscribed").await;
    assert!(html.contains("cleo@example.com") && !html.contains("ana@example.com"));
    let (_, html) = b.page("/admin/contacts?source=import").await;
    assert!(html.contains("bob@example.com") && !html.contains("cleo@example.com"));
    let (_, html) = b.page("/admin/contacts?q=nobody").await;
    assert!(html.contains("No contacts match"), "{html}");
    let (_, html) = b.page("/admin/contacts?sort=email&status=bogus").await;
    let (a, c) = (html.find("ana@example.com").unwrap(), html.find("cleo@example.com").unwrap());
    assert!(a < c);

    // Tag the two ticked contacts, then filter by the tag.
    let res = b
        .post_form(
            "/admin/contacts/bulk",
            &[("bulk_tag", "VIP"), ("scope", "selected"), ("action", "add"), ("id", &ana), ("id", &bob)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page("/admin/contacts?tag=vip").await;
    assert!(html.contains("ana@example.com") && html.contains("bob@example.com") && !html.contains("cleo@example.com"));
    assert!(html.contains("Tag “VIP” added to 2 contacts."), "{html}");

    // Take it off every contact matching a search.
    let res = b
        .post_form("/admin/contacts/bulk", &[("bulk_tag", "VIP"), ("scope", "all"), ("action", "remove"), ("q", "ana")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page("/admin/contacts?tag=VIP").await;
    assert!(!html.contains("ana@example.com") && html.contains("bob@example.com"));
    let res = b.post_form("/admin/contacts/bulk", &[("bulk_tag", ""), ("scope", "all"), ("action", "add")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page("/admin/contacts").await;
    assert!(html.contains("Type the tag to add or remove."));

    // Export what a filter shows, formulas kept as text.
    contact(&app, &acme, "eve@example.com", "=HYPERLINK(1)", "form", "subscribed").await;
    let res = b.get("/admin/contacts.csv?source=form").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("email,first_name,last_name,status,customer,tags,source,fields,created_at\r\n"));
    assert!(csv.contains("ana@example.com,Ana,,subscribed,no,,form"), "{csv}");
    assert!(csv.contains("'=HYPERLINK(1)") && !csv.contains("bob@example.com"), "{csv}");

    // Another school sees none of it.
    let globex = app.school("globex").await;
    let g = owner(&app, &globex).await;
    let (_, html) = g.page("/admin/contacts").await;
    assert!(!html.contains("ana@example.com"));
    let res = g.post_form("/admin/contacts/bulk", &[("bulk_tag", "X"), ("scope", "selected"), ("id", &ana)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page(&format!("/admin/contacts/{ana}")).await;
    assert!(!html.contains(">X<"));
}

#[tokio::test]
async fn a_contact_is_edited_tagged_unsubscribed_and_erased() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let b = owner(&app, &acme).await;
    let id = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let path = format!("/admin/contacts/{id}");

    let (status, html) = b.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("ana@example.com") && html.contains("Subscribed") && html.contains("newsletter"), "{html}");
    assert!(html.contains("No consent recorded") && html.contains("Became a contact"));

    let res = b
        .post_form(
            &path,
            &[("first_name", "Ana"), ("last_name", "García"), ("new_key", "Company"), ("new_value", "Acme <b>")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page(&path).await;
    assert!(
        html.contains("García") && html.contains("Acme &lt;b&gt;") && html.contains("name=\"field.company\""),
        "{html}"
    );
    let long = "x".repeat(101);
    let res = b.post_form(&path, &[("first_name", &long)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Tags with htmx: the fragment comes back.
    let token = b.csrf().await;
    let res = b
        .client
        .post(b.url(&format!("{path}/tags")))
        .header("hx-request", "true")
        .form(&[("_csrf", token.as_str()), ("tag", "Webinar")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let fragment = res.text().await.unwrap();
    assert!(fragment.contains("id=\"contact-tags\"") && fragment.contains("Webinar"), "{fragment}");
    let res = b.post_form(&format!("{path}/tags/remove"), &[("tag", "webinar")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page(&path).await;
    assert!(html.contains("No tags yet."));

    let res = b.post_form(&format!("{path}/unsubscribe"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page(&path).await;
    assert!(
        html.contains("Not subscribed") && html.contains("Unsubscribed by your team") && html.contains("Resubscribe")
    );
    b.post_form(&format!("{path}/resubscribe"), &[]).await;
    let (_, html) = b.page(&path).await;
    assert!(html.contains("Resubscribed by your team"));

    // Another school's owner gets 404 on every address of the contact.
    let g = owner(&app, &globex).await;
    assert_eq!(g.page(&path).await.0, StatusCode::NOT_FOUND);
    for action in ["tags", "unsubscribe", "erase"] {
        let res = g.post_form(&format!("{path}/{action}"), &[("tag", "x")]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(g.page("/admin/contacts/not-an-id").await.0, StatusCode::NOT_FOUND);

    // Erase: the row, tags and activity are gone, and the event says so.
    b.post_form(&format!("{path}/tags"), &[("tag", "Gone")]).await;
    let res = b.post_form(&format!("{path}/erase"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.page(&path).await.0, StatusCode::NOT_FOUND);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    for table in ["contacts", "contact_tags", "contact_activity"] {
        let sql = format!("select count(*) from {table} where tenant_id = $1");
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(acme.school.id).fetch_one(&mut *tx).await.unwrap();
        assert_eq!(n, 0, "{table}");
    }
    let erased: i64 =
        sqlx::query_scalar("select count(*) from events where tenant_id = $1 and kind = 'contact.erased'")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    assert_eq!(erased, 1);
}
