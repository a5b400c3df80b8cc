//! A course's students page: enrolling by hand (existing and new accounts, with their email),
//! pausing, resuming, extending, revoking and re-enrolling, each with its event; search and
//! filters; students get 403 and another school 404.

use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_support::{enroll, events, published_course},
    support::{PASSWORD, TestApp, location},
};

async fn enrollment_id(app: &TestApp, school: &crate::support::TestSchool, email: &str) -> String {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id: uuid::Uuid = sqlx::query_scalar(
        "select e.id from enrollments e join users u on u.tenant_id = e.tenant_id and u.id = e.user_id
         where e.tenant_id = $1 and u.email = $2",
    )
    .bind(school.school.id)
    .bind(email)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id.to_string()
}

#[tokio::test]
async fn staff_enrol_by_hand_and_a_new_student_is_invited_to_choose_a_password() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text"), ("Exposure", "text")])]).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let page = format!("/admin/courses/{}/students", c.course.id);
    let (status, empty) = owner.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty.contains("No students yet"), "{empty}");

    let res = owner.post_form(&page, &[("email", "not an address"), ("name", "Nia"), ("ends_on", "someday")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("not an address"), "what was typed is kept");
    assert!(body.contains("Pick a date like 2027-06-30."));

    let res = owner.post_form(&page, &[("email", "Nia@Example.test"), ("name", "Nia Novak"), ("ends_on", "")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(events(&app, &acme, "enrollment.created").await, 1);
    app.run_jobs().await;
    let link = app.link_in_mail(&acme, "nia@example.test", "/reset-password/").await;
    let mails = app.mails(&acme).await;
    assert!(mails.iter().any(|m| m.subject == "You're enrolled in Light"));

    let nia = app.browser("acme");
    let path = &link[link.find("/reset-password/").unwrap()..];
    let res = nia.post_form(path, &[("password", "a brand new password")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the new student chooses a password from the email");
    nia.login("nia@example.test", "a brand new password").await;
    let (_, dash) = nia.page("/dashboard").await;
    assert!(dash.contains("Light") && dash.contains("Start course"), "{dash}");

    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let res = owner.post_form(&page, &[("email", "sam@acme.test"), ("ends_on", "2099-12-31")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.run_jobs().await;
    let to_course = app.link_in_mail(&acme, "sam@acme.test", "/learn/").await;
    assert!(to_course.ends_with(&format!("/learn/{}", c.course.slug)), "an existing account goes to the course");

    let (_, list) = owner.page(&page).await;
    assert!(list.contains("Nia Novak") && list.contains("sam@acme.test"), "{list}");
    assert!(list.contains("Until "), "the end date is shown");
    let (_, found) = owner.page(&format!("{page}?q=nia")).await;
    assert!(found.contains("Nia Novak") && !found.contains("sam@acme.test"));
    let (_, none) = owner.page(&format!("{page}?q=zzz")).await;
    assert!(none.contains("No students match"));

    let res = owner.post_form(&page, &[("email", "sam@acme.test")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(events(&app, &acme, "enrollment.created").await, 2, "enrolling again grants nothing new");
}

#[tokio::test]
async fn pause_resume_extend_revoke_and_re_enrol_each_publish_their_event() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text")])]).await;
    let sam = app.user(&acme, "Sam Student", "sam@acme.test", Role::Student).await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let base = format!("/admin/courses/{}/students/{}", c.course.id, enrollment_id(&app, &acme, "sam@acme.test").await);
    let list = format!("/admin/courses/{}/students", c.course.id);

    let res = owner.post_form(&format!("{base}/pause"), &[]).await;
    assert_eq!(location(&res), list);
    assert_eq!(events(&app, &acme, "enrollment.paused").await, 1);
    owner.post_form(&format!("{base}/pause"), &[]).await;
    assert_eq!(events(&app, &acme, "enrollment.paused").await, 1, "pausing twice changes nothing");
    let (_, paused) = owner.page(&format!("{list}?state=paused")).await;
    assert!(paused.contains("Sam Student") && paused.contains("Resume"), "{paused}");
    let (_, active) = owner.page(&format!("{list}?state=active")).await;
    assert!(!active.contains("Sam Student"));

    owner.post_form(&format!("{base}/resume"), &[]).await;
    assert_eq!(events(&app, &acme, "enrollment.resumed").await, 1);

    let res = owner.post_form(&format!("{base}/extend"), &[("ends_on", "2001-01-01")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(events(&app, &acme, "enrollment.extended").await, 0, "a day in the past is refused");
    owner.post_form(&format!("{base}/extend"), &[("ends_on", "2099-06-30")]).await;
    assert_eq!(events(&app, &acme, "enrollment.extended").await, 1);
    let (_, dated) = owner.page(&list).await;
    assert!(dated.contains("value=\"2099-06-30\""), "the form shows the last day: {dated}");
    owner.post_form(&format!("{base}/extend"), &[("no_end", "1")]).await;
    assert_eq!(events(&app, &acme, "enrollment.extended").await, 2);

    owner.post_form(&format!("{base}/revoke"), &[]).await;
    assert_eq!(events(&app, &acme, "enrollment.revoked").await, 1);
    let (_, revoked) = owner.page(&list).await;
    assert!(revoked.contains("Revoked") && revoked.contains("Re-enrol"));
    owner.post_form(&format!("{base}/reenroll"), &[]).await;
    assert_eq!(events(&app, &acme, "enrollment.created").await, 2);
    let (_, back) = owner.page(&list).await;
    assert!(back.contains("Active"));

    assert_eq!(owner.post_form(&format!("{base}/explode"), &[]).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn students_get_403_and_another_school_gets_404_on_every_staff_route() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text")])]).await;
    let sam = app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let e = enrollment_id(&app, &acme, "sam@acme.test").await;
    let course = c.course.id;
    let gets = [
        format!("/admin/courses/{course}/students"),
        format!("/admin/courses/{course}/students/import"),
        format!("/admin/courses/{course}/students/import/{}", uuid::Uuid::now_v7()),
    ];
    let posts = [
        format!("/admin/courses/{course}/students"),
        format!("/admin/courses/{course}/students/{e}/pause"),
        format!("/admin/courses/{course}/students/{e}/revoke"),
        format!("/admin/courses/{course}/students/import/{}/confirm", uuid::Uuid::now_v7()),
    ];

    let student = app.browser("acme");
    student.login("sam@acme.test", PASSWORD).await;
    for path in &gets {
        assert_eq!(student.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for path in &posts {
        assert_eq!(student.post_form(path, &[("email", "x@y.test")]).await.status(), StatusCode::FORBIDDEN, "{path}");
    }

    let other = app.browser("globex");
    other.login(&globex.owner_email, PASSWORD).await;
    for path in &gets {
        assert_eq!(other.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for path in &posts {
        assert_eq!(other.post_form(path, &[("email", "x@y.test")]).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(events(&app, &acme, "enrollment.paused").await, 0);
    assert_eq!(events(&app, &acme, "enrollment.revoked").await, 0);
}
