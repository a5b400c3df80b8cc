//! Enrolling students from a CSV: the column mapping is guessed and can be changed, the preview
//! says what happens to each row, nothing is imported before the creator confirms, confirming
//! imports once, and files that are not a readable CSV get a clear message.

use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_support::{enroll, events, published_course},
    support::{PASSWORD, TestApp, location},
};

async fn count(app: &TestApp, school: &crate::support::TestSchool, sql: &str) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let n = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(school.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn a_csv_is_mapped_previewed_and_imported_only_on_confirm() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text")])]).await;
    let dee = app.user(&acme, "Dee", "dee@acme.test", Role::Student).await;
    enroll(&app, &acme, dee.id, &c.course).await;
    app.user(&acme, "Eve", "eve@acme.test", Role::Student).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let upload = format!("/admin/courses/{}/students/import", c.course.id);
    let (status, form) = owner.page(&upload).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Import students"));

    let csv = "Full name;E-mail;Access until\nAna López;ana@x.test;2099-06-30\nBad;not-an-email;\nAna again;ANA@x.test;\n\
               Bo;bo@x.test;someday\nDee;dee@acme.test;\nEve;eve@acme.test;\n";
    let res = owner.post_multipart(&upload, &[], vec![("file", "class.csv", csv.as_bytes().to_vec())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let review = location(&res);
    assert!(review.starts_with(&upload), "{review}");

    let (status, preview) = owner.page(&review).await;
    assert_eq!(status, StatusCode::OK);
    assert!(preview.contains("class.csv"));
    assert!(
        preview.contains(r#"<option value="1" selected>E-mail</option>"#),
        "the email column is guessed: {preview}"
    );
    assert!(preview.contains("Not a valid email"));
    assert!(preview.contains("Same email as an earlier row"));
    assert!(preview.contains("Date not understood"));
    assert!(preview.contains("Already enrolled, will be skipped"));
    assert!(preview.contains("New account, enrol"));
    assert!(preview.contains("Enrol 2 students"), "Ana (new) and Eve (existing)");
    assert_eq!(count(&app, &acme, "select count(*) from enrollments where tenant_id = $1").await, 1, "nothing yet");
    assert_eq!(count(&app, &acme, "select count(*) from users where tenant_id = $1 and email = 'ana@x.test'").await, 0);

    let (_, unmapped) = owner.page(&format!("{review}?mapped=1&email=&name=0&ends=2")).await;
    assert!(unmapped.contains("Choose which column holds the email addresses."));
    let res = owner.post_form(&format!("{review}/confirm"), &[("mapped", "1"), ("email", ""), ("name", "0")]).await;
    assert_eq!(location(&res), review, "confirming without an email column goes back");
    assert_eq!(count(&app, &acme, "select count(*) from enrollments where tenant_id = $1").await, 1);

    let res = owner
        .post_form(&format!("{review}/confirm"), &[("mapped", "1"), ("email", "1"), ("name", "0"), ("ends", "2")])
        .await;
    assert_eq!(location(&res), format!("/admin/courses/{}/students", c.course.id));
    let (_, list) = owner.page(&location(&res)).await;
    assert!(list.contains("2 enrolled (1 new accounts), 1 skipped, 3 left out"), "{list}");
    assert!(list.contains("Ana López") && list.contains("Eve"));
    assert_eq!(count(&app, &acme, "select count(*) from enrollments where tenant_id = $1").await, 3);
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from enrollments where tenant_id = $1 and source = 'import' and ends_at is not null"
        )
        .await,
        1,
        "Ana's end date came from the file"
    );
    assert_eq!(events(&app, &acme, "enrollment.created").await, 3);

    let res = owner.post_form(&format!("{review}/confirm"), &[("mapped", "1"), ("email", "1")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(events(&app, &acme, "enrollment.created").await, 3, "a second confirm imports nothing");
    let res = owner.get(&review).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "a done import is not reviewed again");

    app.run_jobs().await;
    assert!(app.link_in_mail(&acme, "ana@x.test", "/reset-password/").await.contains("/reset-password/"));

    assert_eq!(courses::import_sweep::sweep(&app.state, acme.school.id).await.unwrap(), 0, "a fresh upload is kept");
    app.state.clock.advance(chrono::Duration::days(8));
    assert_eq!(courses::import_sweep::sweep(&app.state, acme.school.id).await.unwrap(), 1, "a week later it is gone");
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let scheduled: i64 = sqlx::query_scalar("select count(*) from job_schedules where tenant_id = $1 and kind = $2")
        .bind(acme.school.id)
        .bind(courses::import_sweep::KIND)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(scheduled, 1, "the first upload scheduled the daily sweep");
}

#[tokio::test]
async fn malformed_files_get_a_clear_message() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text")])]).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let upload = format!("/admin/courses/{}/students/import", c.course.id);
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![0xff, 0xfe, 0x00, 0x41], "look like a CSV file"),
        (b"".to_vec(), "Choose a CSV file"),
        (b"email,name\n".to_vec(), "header but no students"),
        (b"email,name\na@x.test,A\nb@x.test\n".to_vec(), "Line 3 has a different number of columns"),
        (format!("email\n{}", "a@x.test\n".repeat(10_001)).into_bytes(), "more than 10"),
        (vec![b'a'; 2 * 1024 * 1024 + 10], "larger than 2 MB"),
    ];
    for (bytes, message) in cases {
        let res = owner.post_multipart(&upload, &[], vec![("file", "bad.csv", bytes)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "{message}: {body}");
    }
    assert_eq!(count(&app, &acme, "select count(*) from course_imports where tenant_id = $1").await, 0);
}
