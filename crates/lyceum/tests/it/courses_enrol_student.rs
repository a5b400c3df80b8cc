//! What students see of enrolment: joining a free course (and not a paid one, and not before
//! logging in), the dashboard (progress, the continue link, locks, replies, states), the
//! catalogue, and the enrolments panel on a student's page in the admin.

use chrono::Duration;
use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_support::{enroll, events, exec, published_course},
    support::{PASSWORD, TestApp, location},
};

#[tokio::test]
async fn a_student_joins_a_free_course_but_not_a_paid_one() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let free = published_course(&app, &acme, "Free intro", &[("Basics", &[("Welcome", "text")])]).await;
    let paid = published_course(&app, &acme, "Masterclass", &[("Basics", &[("Welcome", "text")])]).await;
    exec(&app, &acme, "update courses set is_free = true where tenant_id = $1 and id = $2", free.course.id.0).await;
    let join = format!("/learn/{}/enroll", free.course.slug);

    let visitor = app.browser("acme");
    let res = visitor.post_form(&join, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/login?next=/learn/{}", free.course.slug));

    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let sam = app.browser("acme");
    sam.login("sam@acme.test", PASSWORD).await;
    let res = sam.post_form(&join, &[]).await;
    assert_eq!(location(&res), format!("/learn/{}", free.course.slug));
    assert_eq!(events(&app, &acme, "enrollment.created").await, 1);
    sam.post_form(&join, &[]).await;
    assert_eq!(events(&app, &acme, "enrollment.created").await, 1, "joining twice is one enrolment");
    app.run_jobs().await;
    assert!(app.mails(&acme).await.iter().all(|m| !m.subject.contains("You're enrolled")), "no mail for joining");

    let res = sam.post_form(&format!("/learn/{}/enroll", paid.course.slug), &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("Masterclass isn&#x27;t free"));
    assert_eq!(sam.post_form("/learn/no-such-course/enroll", &[]).await.status(), StatusCode::NOT_FOUND);
    exec(&app, &acme, "update courses set status = 'draft' where tenant_id = $1 and id = $2", free.course.id.0).await;
    assert_eq!(sam.post_form(&join, &[]).await.status(), StatusCode::NOT_FOUND, "a draft cannot be joined");

    let globex = app.school("globex").await;
    app.user(&globex, "Gus", "gus@globex.test", Role::Student).await;
    let gus = app.browser("globex");
    gus.login("gus@globex.test", PASSWORD).await;
    let other = format!("/learn/{}/enroll", paid.course.slug);
    assert_eq!(gus.post_form(&other, &[]).await.status(), StatusCode::NOT_FOUND, "another school's course");
}

#[tokio::test]
async fn the_dashboard_shows_progress_the_next_lesson_locks_and_replies() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let sam = app.user(&acme, "Sam Student", "sam@acme.test", Role::Student).await;
    let b = app.browser("acme");
    b.login("sam@acme.test", PASSWORD).await;
    let (status, empty) = b.page("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty.contains("No courses yet") && empty.contains("Browse courses"));

    let light = published_course(
        &app,
        &acme,
        "Light",
        &[("Basics", &[("Welcome", "text"), ("Exposure", "text")]), ("Later", &[("Colour", "text")])],
    )
    .await;
    let paused = published_course(&app, &acme, "Sound", &[("One", &[("Mics", "text")])]).await;
    enroll(&app, &acme, sam.id, &light.course).await;
    enroll(&app, &acme, sam.id, &paused.course).await;
    exec(
        &app,
        &acme,
        "update enrollments set paused_at = now() where tenant_id = $1 and course_id = $2",
        paused.course.id.0,
    )
    .await;
    let in_a_week = (app.state.clock.now() + Duration::days(7)).to_rfc3339();
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update course_modules set drip = 'date', drip_at = $3::timestamptz where tenant_id = $1 and id = $2")
        .bind(acme.school.id)
        .bind(light.modules[1])
        .bind(in_a_week)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let (_, dash) = b.page("/dashboard").await;
    assert!(dash.contains("Start course"), "0% says Start: {dash}");
    assert!(
        dash.contains(&format!("{}&#x2f;{}", light.course.slug, light.lesson("Welcome").id)),
        "Start leads to the first lesson"
    );
    assert!(dash.contains("Colour") && dash.contains("Opens "), "the locked lesson and its date");
    assert!(dash.contains("Your access is paused"), "the paused course says so");

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    courses::progress::complete_lesson(
        &app.state,
        &mut tx,
        sam.id,
        light.lesson("Welcome"),
        courses::progress::How::Marked,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (_, dash) = b.page("/dashboard").await;
    assert!(dash.contains("33% complete") && dash.contains("Continue"), "{dash}");
    assert!(
        dash.contains(&format!("{}&#x2f;{}", light.course.slug, light.lesson("Exposure").id)),
        "Continue leads to the next lesson"
    );
    assert!(dash.contains("Next: Exposure"));

    let olivia = app.user(&acme, "Ivan Instructor", "ivan@acme.test", Role::Instructor).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (mine, reply) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    for (id, user, parent, body, staff) in [
        (mine, sam.id, None, "How do I meter for snow?", false),
        (reply, olivia.id, Some(mine), "Open up a stop or two from what the meter says.", true),
    ] {
        sqlx::query(
            "insert into lesson_comments (tenant_id, id, lesson_id, course_id, user_id, parent_id, body, by_staff)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(acme.school.id)
        .bind(id)
        .bind(light.lesson("Exposure").id)
        .bind(light.course.id)
        .bind(user)
        .bind(parent)
        .bind(body)
        .bind(staff)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let (_, dash) = b.page("/dashboard").await;
    assert!(dash.contains("Ivan Instructor") && dash.contains("Open up a stop or two"), "{dash}");
    assert!(!dash.contains("How do I meter for snow?"), "their own comment is not a reply");
}

#[tokio::test]
async fn the_catalogue_lists_published_courses_with_free_and_enrolled_badges() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let visitor = app.browser("acme");
    let (status, empty) = visitor.page("/courses").await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty.contains("No courses yet"));

    let light =
        published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text"), ("Exposure", "text")])]).await;
    let free = published_course(&app, &acme, "Free intro", &[("Basics", &[("Welcome", "text")])]).await;
    exec(
        &app,
        &acme,
        "update courses set is_free = true, subtitle = 'Start here' where tenant_id = $1 and id = $2",
        free.course.id.0,
    )
    .await;
    let draft = published_course(&app, &acme, "Secret draft", &[("Basics", &[("Welcome", "text")])]).await;
    exec(&app, &acme, "update courses set status = 'draft' where tenant_id = $1 and id = $2", draft.course.id.0).await;
    let ivan = app.user(&acme, "Ivan Instructor", "ivan@acme.test", Role::Instructor).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("insert into course_instructors (tenant_id, course_id, user_id) values ($1, $2, $3)")
        .bind(acme.school.id)
        .bind(light.course.id)
        .bind(ivan.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let (_, list) = visitor.page("/courses").await;
    assert!(list.contains("Light") && list.contains("Free intro") && list.contains("Start here"));
    assert!(!list.contains("Secret draft"));
    assert!(list.contains("By Ivan Instructor") && list.contains("2 lessons") && list.contains("Free"));
    assert!(!list.contains("Enrolled"));

    let sam = app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    enroll(&app, &acme, sam.id, &light.course).await;
    let b = app.browser("acme");
    b.login("sam@acme.test", PASSWORD).await;
    let (_, mine) = b.page("/courses").await;
    assert!(mine.contains("Enrolled"));
}

#[tokio::test]
async fn a_students_page_in_the_admin_lists_their_enrolments() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let light =
        published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text"), ("Exposure", "text")])]).await;
    let sam = app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (_, none) = owner.page(&format!("/admin/people/{}", sam.id)).await;
    assert!(none.contains("Not enrolled in any course yet."), "{none}");

    enroll(&app, &acme, sam.id, &light.course).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    courses::progress::complete_lesson(
        &app.state,
        &mut tx,
        sam.id,
        light.lesson("Welcome"),
        courses::progress::How::Marked,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (status, page) = owner.page(&format!("/admin/people/{}", sam.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Light") && page.contains("50%") && page.contains("Active"), "{page}");
    assert!(page.contains(&format!("/admin/courses/{}/students?q=sam%40acme.test", light.course.id)));
}
