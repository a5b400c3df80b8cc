//! Contacts from a CSV import (mapping, preview, confirm, job) and each refused file; buyers and
//! students becoming contacts through events, once per event.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    commerce_support::{buy, offer},
    courses_support::published_course,
    marketing_support::owner,
    support::{TestApp, location},
};

#[tokio::test]
async fn a_csv_is_mapped_previewed_confirmed_and_imported_by_a_job() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (status, html) = b.page("/admin/contacts/import").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Import contacts"));

    let csv = "Email,First name,Last name,Tags,Company\n\
               ana@example.com,Ana,García,vip;2026,Acme\n\
               not-an-address,Bob,,,\n\
               ,Nobody,,,\n\
               ANA@example.com,Ana,Again,,\n\
               cleo@example.com,Cleo,,,Globex\n";
    let res =
        b.post_multipart("/admin/contacts/import", &[], vec![("file", "list.csv", csv.as_bytes().to_vec())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    let review = location(&res);
    let (status, html) = b.page(&review).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2 rows are ready to import; 3 will be skipped"), "{html}");
    assert!(html.contains("Not a valid email address") && html.contains("No email address"));
    assert!(html.contains("Same address as an earlier row") && html.contains("Line 5"));
    // Changing the mapping updates the preview.
    let (status, html) = b.page(&format!("{review}?col0=skip&col2=skip&tag=Later")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Choose exactly one column that holds the email address.") && html.contains("value=\"Later\"")
    );
    // Nothing imported before confirming.
    let (_, list) = b.page("/admin/contacts").await;
    assert!(!list.contains("ana@example.com"));

    // A mapping without an email column is refused beside the mapping.
    let res = b.post_form(&review, &[("col0", "skip")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Choose exactly one column that holds the email address."));

    let res = b.post_form(&review, &[("col0", "email"), ("col4", "field"), ("tag", "Imported")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page(&review).await;
    assert!(html.contains("Importing…"), "{html}");
    app.run_jobs().await;
    let (_, html) = b.page(&review).await;
    assert!(html.contains("Import finished") && html.contains("5 of 5 rows handled: 2 imported, 3 skipped."), "{html}");
    // Confirming again queues nothing.
    let res = b.post_form(&review, &[("col0", "email")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let (_, list) = b.page("/admin/contacts?tag=Imported&source=import").await;
    assert!(list.contains("ana@example.com") && list.contains("cleo@example.com"), "{list}");
    let (_, list) = b.page("/admin/contacts?tag=vip").await;
    assert!(list.contains("ana@example.com") && !list.contains("cleo@example.com"));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let ana = marketing::store::contact_by_email(&mut tx, "ana@example.com").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!((ana.last_name.as_str(), ana.fields["company"].as_str()), ("García", Some("Acme")));
    assert_eq!(ana.status, "subscribed");

    // Another school cannot open the import.
    let globex = app.school("globex").await;
    let g = owner(&app, &globex).await;
    assert_eq!(g.page(&review).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_bad_file_gets_its_own_message() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let big = format!("email\n{}", "a@example.com\n".repeat(200_000));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n\0\0".to_vec(),
            "t a CSV file. Save your spreadsheet as CSV (UTF-8) and upload that.",
        ),
        ("list.csv", Vec::new(), "Choose a CSV file to upload."),
        ("list.csv", b"email,name\n".to_vec(), "This file has a header but no contacts in it."),
        ("list.csv", b"name,city\nAna,Madrid\n".to_vec(), "No column in this file holds email addresses."),
        ("list.csv", big.into_bytes(), "larger than 2 MB"),
        ("list.csv", b"email,name\na@example.com,Ana,extra\n".to_vec(), "has a different number of columns"),
        ("list.csv", b"\xff\xfe\xfd,x\n1,2\n".to_vec(), "t look like a CSV file"),
    ];
    for (name, bytes, message) in cases {
        let res = b.post_multipart("/admin/contacts/import", &[], vec![("file", name, bytes)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name} {message}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{message}: {html}");
    }
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let n: i64 = sqlx::query_scalar("select count(*) from contact_imports where tenant_id = $1")
        .bind(acme.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

async fn count(app: &TestApp, school: kernel::ids::TenantId, sql: &'static str) -> i64 {
    let mut tx = app.state.db.tenant(school).await.unwrap();
    let n = sqlx::query_scalar(sql).bind(school).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn a_purchase_makes_a_customer_contact_once_even_when_delivered_twice() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    buy(&app.browser("acme"), "watercolor", "ana@example.com", &[]).await;
    app.run_jobs().await;

    // Deliver the order.paid event to the contacts subscriber a second time.
    let school = acme.school.id;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let payload: Value = sqlx::query_scalar(
        "select payload from jobs where tenant_id = $1 and kind = 'marketing.contact_purchase' limit 1",
    )
    .bind(acme.school.id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    kernel::jobs::enqueue(&mut tx, kernel::jobs::NewJob::new("marketing.contact_purchase", payload)).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;

    assert_eq!(count(&app, school, "select count(*) from contacts where tenant_id = $1").await, 1);
    let purchases = "select count(*) from contact_activity where tenant_id = $1 and kind = 'purchase'";
    assert_eq!(count(&app, school, purchases).await, 1);
    let created = "select count(*) from events where tenant_id = $1 and kind = 'contact.created'";
    assert_eq!(count(&app, school, created).await, 1);
    let enrolled = "select count(*) from contact_activity where tenant_id = $1 and kind = 'enrolled'";
    assert_eq!(count(&app, school, enrolled).await, 1);

    let b = owner(&app, &acme).await;
    let (_, list) = b.page("/admin/contacts?kind=customer&tag=customer").await;
    assert!(list.contains("ana@example.com") && list.contains("Not subscribed"), "{list}");
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let ana = marketing::store::contact_by_email(&mut tx, "ana@example.com").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert!(ana.is_customer && ana.user_id.is_some());
    let (_, page) = b.page(&format!("/admin/contacts/{}", ana.id)).await;
    assert!(page.contains("199") && page.contains("Watercolor") && page.contains("0%"), "{page}");
    let (_, leads) = b.page("/admin/contacts?kind=lead").await;
    assert!(!leads.contains("ana@example.com"));
}
