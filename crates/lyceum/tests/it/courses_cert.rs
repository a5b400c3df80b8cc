//! Certificates: issued once on completion (with its email and event, however often the job
//! runs), a PDF whose text `pdftotext` reads back in any script, the public verification page
//! (valid, revoked, unknown, another school's) and who may download the PDF.

use identity::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    courses_support::{TestCourse, complete_course, enroll, events, exec, pdf_text, published_course},
    support::{PASSWORD, TestApp, TestSchool},
};

/// A published course of two lessons of 90 minutes each (titles in any script: its address
/// comes from a Latin stand-in, which scripts without one would share).
pub async fn course(app: &TestApp, school: &TestSchool, title: &str) -> TestCourse {
    let stand_in = format!("course {}", uuid::Uuid::now_v7().simple());
    let mut c =
        published_course(app, school, &stand_in, &[("Basics", &[("Welcome", "text"), ("Exposure", "text")])]).await;
    exec(
        app,
        school,
        "update lessons set duration_minutes = 90 where tenant_id = $1 and course_id = $2",
        c.course.id.0,
    )
    .await;
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query("update courses set title = $3 where tenant_id = $1 and id = $2")
        .bind(school.school.id)
        .bind(c.course.id)
        .bind(title)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    c.course.title = title.to_string();
    c
}

/// The certificates' codes the school issued, oldest first.
pub async fn codes(app: &TestApp, school: &TestSchool) -> Vec<String> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let codes = sqlx::query_scalar("select code from certificates where tenant_id = $1 order by issued_at, id")
        .bind(school.school.id)
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    codes
}

/// Enrols `name` in a new course, completes it and runs the jobs; returns the code.
pub async fn earn(app: &TestApp, school: &TestSchool, name: &str, email: &str, title: &str) -> String {
    let user = app.user(school, name, email, Role::Student).await;
    let c = course(app, school, title).await;
    enroll(app, school, user.id, &c.course).await;
    complete_course(app, school, user.id, &c).await;
    app.run_jobs().await;
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let code = sqlx::query_scalar("select code from certificates where tenant_id = $1 and user_id = $2")
        .bind(school.school.id)
        .bind(user.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    code
}

#[tokio::test]
async fn completing_a_course_issues_one_certificate_with_its_email_and_event_even_if_the_job_runs_twice() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let code = earn(&app, &acme, "José Müller-Łukasz", "jose@acme.test", "Light and Shadow").await;
    assert!(regex_lite::Regex::new(r"^LYC-[2-9A-Z]{4}-[2-9A-Z]{4}$").unwrap().is_match(&code), "{code}");
    assert_eq!(events(&app, &acme, "certificate.issued").await, 1);
    let mails: Vec<_> =
        app.mails(&acme).await.into_iter().filter(|m| m.subject == "Your certificate for Light and Shadow").collect();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].text.contains(&format!("/certificates/{code}/pdf")), "{}", mails[0].text);
    assert!(mails[0].html.replace("&#x2f;", "/").contains(&format!("/certificates/{code}")));

    // The subscriber runs again for the same event (a retry, a second delivery): nothing more.
    let event: serde_json::Value = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let row: (uuid::Uuid, serde_json::Value, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
            "select id, payload, created_at from events where tenant_id = $1 and kind = 'course.completed'",
        )
        .bind(acme.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        kernel::jobs::enqueue(
            &mut tx,
            kernel::jobs::NewJob::new(
                "courses.certificate_issue",
                json!({ "id": row.0, "kind": "course.completed", "payload": row.1, "occurred_at": row.2 }),
            ),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        row.1
    };
    assert!(app.run_jobs().await >= 1);
    assert_eq!(codes(&app, &acme).await, vec![code.clone()]);
    assert_eq!(events(&app, &acme, "certificate.issued").await, 1);
    assert_eq!(app.mails(&acme).await.iter().filter(|m| m.subject.starts_with("Your certificate")).count(), 1);
    assert!(event["course_id"].is_string());

    // The student downloads it; its text reads back.
    let jose = app.browser("acme");
    jose.login("jose@acme.test", PASSWORD).await;
    let res = jose.get(&format!("/certificates/{code}/pdf")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains(&format!("certificate-{code}.pdf")));
    let text = pdf_text(&res.bytes().await.unwrap());
    for expected in ["José Müller-Łukasz", "Light and Shadow", code.as_str(), "3 hours", "CERTIFICATE OF COMPLETION"]
    {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
    assert!(text.contains(&format!("acme.localhost:{}/certificates/{code}", app.addr.port())), "{text}");

    // Their list shows it with a LinkedIn link.
    let (status, list) = jose.page("/certificates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Light and Shadow") && list.contains(&code));
    assert!(
        list.contains(
            "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name=Light%20and%20Shadow"
        )
    );

    // So does their dashboard.
    let (status, board) = jose.page("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        board.contains("My certificates") && board.contains(&format!(r#"href="/certificates/{code}/pdf""#)),
        "{board}"
    );
}

#[tokio::test]
async fn names_in_any_script_come_out_of_the_pdf() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let names = [
        ("Анна Каренина", "anna@acme.test", "Русская литература"),
        ("محمد علي حسن", "mohammed@acme.test", "الخط العربي"),
        ("山田 太郎", "taro@acme.test", "日本語の基礎"),
        ("Ελένη Παπαδοπούλου", "eleni@acme.test", "Greek cooking"),
    ];
    for (name, email, title) in names {
        let code = earn(&app, &acme, name, email, title).await;
        let res = owner.get(&format!("/certificates/{code}/pdf")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let text = pdf_text(&res.bytes().await.unwrap());
        for expected in [name, title, code.as_str()] {
            assert!(text.contains(expected), "{expected} not in:\n{text}");
        }
    }
}

#[tokio::test]
async fn the_verification_page_says_valid_revoked_or_unknown_and_keeps_to_its_school() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let code = earn(&app, &acme, "Ada Byron", "ada@acme.test", "Analytical Engines").await;

    let visitor = app.browser("acme");
    let (status, page) = visitor.page(&format!("/certificates/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    for expected in ["Verified certificate", "Ada Byron", "Analytical Engines", "School acme", "3 hours"] {
        assert!(page.contains(expected), "{expected} not on the page");
    }
    assert!(page.contains(r#"<meta property="og:title" content="Ada Byron · Analytical Engines">"#));
    assert!(!page.contains("/pdf\""), "a visitor gets no download link");
    let (status, _) = visitor.page(&format!("/certificates/{}", code.to_lowercase())).await;
    assert_eq!(status, StatusCode::OK, "a code typed in lower case is found");

    let (status, page) = visitor.page("/certificates/LYC-2222-3333").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("No certificate with this code") && page.contains("LYC-2222-3333"));
    let (status, _) = app.browser("globex").page(&format!("/certificates/{code}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another school's code is unknown here");

    // Staff revoke it with a reason; the page then says so.
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let id: uuid::Uuid = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from certificates where tenant_id = $1 and code = $2")
            .bind(acme.school.id)
            .bind(&code)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let res = owner.post_form(&format!("/admin/certificates/{id}/revoke"), &[("reason", " ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Say why, in a few words"));
    let outsider = app.browser("globex");
    outsider.login(&globex.owner_email, PASSWORD).await;
    let res = outsider.post_form(&format!("/admin/certificates/{id}/revoke"), &[("reason", "Nope")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another school's certificate");
    let res = outsider.post_form(&format!("/admin/certificates/{id}/reissue"), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let res =
        owner.post_form(&format!("/admin/certificates/{id}/revoke"), &[("reason", "Plagiarised final project")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(events(&app, &acme, "certificate.revoked").await, 1);
    let (status, page) = visitor.page(&format!("/certificates/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This certificate was revoked") && page.contains("Plagiarised final project"));
    assert!(!page.contains("Verified certificate"));
    let (_, issued) = owner.page("/admin/certificates/issued").await;
    assert!(issued.contains("Revoked") && issued.contains("Issue again"));

    // Issued again: a new code that verifies, while the old one stays revoked.
    let res = owner.post_form(&format!("/admin/certificates/{id}/reissue"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let all = codes(&app, &acme).await;
    assert_eq!(all.len(), 2);
    assert_eq!(events(&app, &acme, "certificate.issued").await, 2);
    let (_, fresh) = visitor.page(&format!("/certificates/{}", all[1])).await;
    assert!(fresh.contains("Verified certificate"));
    let (_, old) = visitor.page(&format!("/certificates/{code}")).await;
    assert!(old.contains("This certificate was revoked"));
}

#[tokio::test]
async fn only_the_student_and_staff_download_the_pdf() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let code = earn(&app, &acme, "Grace Hopper", "grace@acme.test", "Compilers").await;
    let path = format!("/certificates/{code}/pdf");

    let anonymous = app.browser("acme");
    assert_ne!(anonymous.get(&path).await.status(), StatusCode::OK);
    app.user(&acme, "Other Student", "other@acme.test", Role::Student).await;
    let other = app.browser("acme");
    other.login("other@acme.test", PASSWORD).await;
    assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND);
    let (_, none) = other.page("/certificates").await;
    assert!(none.contains("No certificates yet"));
    let (_, board) = other.page("/dashboard").await;
    assert!(!board.contains(&code) && !board.contains("My certificates"), "another student's dashboard lists none");

    app.user(&acme, "Ian Instructor", "ian@acme.test", Role::Instructor).await;
    let ian = app.browser("acme");
    ian.login("ian@acme.test", PASSWORD).await;
    assert_eq!(ian.get(&path).await.status(), StatusCode::OK);

    let outsider = app.browser("globex");
    outsider.login(&globex.owner_email, PASSWORD).await;
    assert_eq!(outsider.get(&path).await.status(), StatusCode::NOT_FOUND);

    let grace = app.browser("acme");
    grace.login("grace@acme.test", PASSWORD).await;
    let (_, page) = grace.page(&format!("/certificates/{code}")).await;
    assert!(page.contains(&format!("/certificates/{code}/pdf")) && page.contains("Add to LinkedIn profile"));
    assert_eq!(grace.get(&path).await.status(), StatusCode::OK);

    // Once revoked, the student can no longer download it; staff still can.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let c = courses::certificates::store::by_code(&mut tx, &code).await.unwrap().unwrap();
    let owner = identity::store::find_by_email(&mut tx, &acme.owner_email).await.unwrap().unwrap().0;
    assert!(courses::certificates::revoke(&app.state, &mut tx, c.id, "Refunded", owner.id).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(grace.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ian.get(&path).await.status(), StatusCode::OK);
    let (_, list) = grace.page("/certificates").await;
    assert!(list.contains("Revoked"));
}
