//! The student player: every kind renders, closed states show nothing, "mark complete" with
//! its rules and events, notes, the course home, and cross-school 404s for every route.

use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_support::{TestCourse, enroll, events, exec, published_course},
    support::{Browser, PASSWORD, TestApp, TestSchool, location},
};

/// A lesson's address.
pub fn url(c: &TestCourse, title: &str) -> String {
    format!("/learn/{}/{}", c.course.slug, c.lesson(title).id)
}

/// A logged-in student of `school`.
pub async fn student(app: &TestApp, school: &TestSchool, name: &str, email: &str) -> (identity::User, Browser) {
    let user = app.user(school, name, email, Role::Student).await;
    let b = app.browser(&school.school.slug);
    b.login(email, PASSWORD).await;
    (user, b)
}

/// Posts a form as htmx does (the CSRF token in its header).
pub async fn htmx(b: &Browser, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = b.csrf().await;
    b.client
        .post(b.url(path))
        .header("hx-request", "true")
        .header("x-csrf-token", csrf)
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn kinds(app: &TestApp, acme: &TestSchool) -> TestCourse {
    let c = published_course(
        app,
        acme,
        "Light and colour",
        &[
            ("Seeing", &[("Reading", "text"), ("Watch", "video"), ("Listen", "audio")]),
            ("Doing", &[("Elsewhere", "embed"), ("Workbook", "files"), ("Check", "quiz"), ("Hand in", "assignment")]),
        ],
    )
    .await;
    exec(app, acme, "update lessons set body_html = '<p>The secret of light</p><script>alert(1)</script>', duration_minutes = 7 where tenant_id = $1 and id = $2", c.lesson("Reading").id.0).await;
    exec(app, acme, "update lessons set embed_url = 'https://www.youtube-nocookie.com/embed/abc123' where tenant_id = $1 and id = $2", c.lesson("Elsewhere").id.0).await;
    c
}

#[tokio::test]
async fn every_kind_renders_for_an_enrolled_student_and_staff_see_placeholders() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = kinds(&app, &acme).await;
    let (sam, b) = student(&app, &acme, "Sam Student", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;

    let (status, page) = b.page(&url(&c, "Reading")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("The secret of light") && !page.contains("<script>alert"), "rich text, sanitised");
    assert!(page.contains("Course outline") && page.contains("data-drawer-toggle=\"learn-outline\""));
    assert!(page.contains("Mark complete") && page.contains("My notes") && page.contains("Discussion"));
    assert!(page.contains("7 min"));
    let (_, page) = b.page(&url(&c, "Watch")).await;
    assert!(page.contains("This video is not available yet") && !page.contains("data-player"), "{page}");
    let (_, page) = b.page(&url(&c, "Listen")).await;
    assert!(page.contains("This audio is not available yet"));
    let (_, page) = b.page(&url(&c, "Elsewhere")).await;
    let page = page.replace("&#x2f;", "/");
    assert!(
        page.contains(
            r#"<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="Elsewhere" loading="lazy""#
        )
    );
    let (_, page) = b.page(&url(&c, "Workbook")).await;
    assert!(page.contains("There are no files in this lesson yet."));
    for title in ["Check", "Hand in"] {
        assert_eq!(b.get(&url(&c, title)).await.status(), StatusCode::OK);
    }

    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (_, page) = owner.page(&url(&c, "Watch")).await;
    assert!(page.contains("Edit the lesson") && page.contains("Preview as a student"), "{page}");
    assert!(page.contains("Students mark this lesson complete here."));
    exec(
        &app,
        &acme,
        "update lessons set embed_url = 'https://evil.test/x' where tenant_id = $1 and id = $2",
        c.lesson("Elsewhere").id.0,
    )
    .await;
    let (_, page) = owner.page(&url(&c, "Elsewhere")).await;
    assert!(!page.contains("evil.test") && page.contains("link is missing or not supported"));
}

#[tokio::test]
async fn closed_lessons_say_why_and_never_show_their_content() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = kinds(&app, &acme).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    let reading = url(&c, "Reading");

    let (status, page) = b.page(&reading).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Enrol in the course") && !page.contains("The secret of light"));
    let visitor = app.browser("acme");
    let (status, page) = visitor.page(&reading).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!page.contains("The secret of light"));

    enroll(&app, &acme, sam.id, &c.course).await;
    for (sql, says) in [
        ("update enrollments set paused_at = now() where tenant_id = $1 and course_id = $2", "paused"),
        (
            "update enrollments set paused_at = null, ends_at = now() - interval '1 day' where tenant_id = $1 and course_id = $2",
            "has ended",
        ),
        (
            "update enrollments set ends_at = null, revoked_at = now() where tenant_id = $1 and course_id = $2",
            "no longer have access",
        ),
    ] {
        exec(&app, &acme, sql, c.course.id.0).await;
        let (status, page) = b.page(&reading).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{says}");
        assert!(page.contains(says) && !page.contains("The secret of light"), "{says}: {page}");
        let res = b.post_form(&format!("{reading}/complete"), &[]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{says}");
    }
    exec(
        &app,
        &acme,
        "update enrollments set revoked_at = null where tenant_id = $1 and course_id = $2",
        c.course.id.0,
    )
    .await;
    exec(
        &app,
        &acme,
        "update lessons set drip = 'days', drip_days = 5 where tenant_id = $1 and id = $2",
        c.lesson("Reading").id.0,
    )
    .await;
    let (status, page) = b.page(&reading).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This lesson opens on") && !page.contains("The secret of light"));
    assert_eq!(b.post_form(&format!("{reading}/complete"), &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(b.post_form(&format!("{reading}/notes"), &[("body", "x")]).await.status(), StatusCode::FORBIDDEN);
    let (_, home) = b.page(&format!("/learn/{}", c.course.slug)).await;
    assert!(home.contains("Opens "), "the curriculum shows when a dripped lesson opens");

    // A free preview is open to visitors: text shows, a video asks them to sign up.
    exec(&app, &acme, "update lessons set free_preview = true where tenant_id = $1 and course_id = $2", c.course.id.0)
        .await;
    exec(&app, &acme, "update lessons set drip = 'now' where tenant_id = $1 and course_id = $2", c.course.id.0).await;
    let (status, page) = visitor.page(&reading).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("The secret of light") && page.contains("Log in to track your progress"));
    assert!(page.contains("to keep notes") && page.contains("to join the discussion"));
    let res = visitor.post_form(&format!("{reading}/complete"), &[]).await;
    assert!(!res.status().is_success() && events(&app, &acme, "lesson.completed").await == 0, "{}", res.status());
}

#[tokio::test]
async fn marking_complete_moves_on_publishes_once_and_celebrates_the_end() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c =
        published_course(&app, &acme, "Light", &[("Basics", &[("One", "text"), ("Two", "text"), ("Three", "video")])])
            .await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;

    let res = b.post_form(&format!("{}/complete", url(&c, "One")), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), url(&c, "Two"), "on to the next lesson");
    let (_, page) = b.page(&url(&c, "Two")).await;
    assert!(page.contains("Lesson complete. On to the next one!"));
    b.post_form(&format!("{}/complete", url(&c, "One")), &[]).await;
    assert_eq!(events(&app, &acme, "lesson.completed").await, 1);

    // A video lesson without its video yet has no rule to wait for.
    exec(
        &app,
        &acme,
        "update lessons set allow_manual = false where tenant_id = $1 and id = $2",
        c.lesson("Three").id.0,
    )
    .await;
    let res = htmx(&b, &format!("{}/complete", url(&c, "Two")), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let fragment = res.text().await.unwrap();
    assert!(fragment.contains("id=\"lesson-bar\"") && fragment.contains("Completed"), "{fragment}");
    assert!(fragment.contains("hx-swap-oob") && fragment.contains("66% complete"), "{fragment}");
    assert!(!fragment.contains("You finished the course!"));

    let res = htmx(&b, &format!("{}/complete", url(&c, "Three")), &[]).await;
    let fragment = res.text().await.unwrap();
    assert!(fragment.contains("You finished the course!") && fragment.contains("100% complete"), "{fragment}");
    assert_eq!(events(&app, &acme, "lesson.completed").await, 3);
    assert_eq!(events(&app, &acme, "course.completed").await, 1);
    let (_, home) = b.page(&format!("/learn/{}", c.course.slug)).await;
    assert!(home.contains("Course complete") && home.contains("100% complete"));
}

#[tokio::test]
async fn the_course_home_continues_where_the_student_left_off_and_offers_free_enrolment() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("One", "text"), ("Two", "text")])]).await;
    exec(
        &app,
        &acme,
        "update courses set is_free = true, subtitle = 'See better photos' where tenant_id = $1 and id = $2",
        c.course.id.0,
    )
    .await;
    let owner_id: uuid::Uuid = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let (owner, _) = identity::store::find_by_email(&mut tx, &acme.owner_email).await.unwrap().unwrap();
        sqlx::query("insert into course_instructors (tenant_id, course_id, user_id) values ($1, $2, $3)")
            .bind(acme.school.id)
            .bind(c.course.id)
            .bind(owner.id)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("insert into instructor_profiles (tenant_id, user_id, headline) values ($1, $2, 'Photographer for 20 years')")
            .bind(acme.school.id).bind(owner.id).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        owner.id.0
    };
    let home = format!("/learn/{}", c.course.slug);
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    let (status, page) = b.page(&home).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Enrol for free") && page.contains(&format!("action=\"{home}/enroll\"")), "{page}");
    assert!(
        page.contains("Olivia Owner")
            && page.contains("Photographer for 20 years")
            && page.contains("See better photos")
    );
    let (_, page) = app.browser("acme").page(&home).await;
    assert!(page.contains("Sign up to enrol for free"));
    exec(&app, &acme, "update courses set is_free = false where tenant_id = $1 and id = $2", c.course.id.0).await;
    let (_, page) = b.page(&home).await;
    assert!(page.contains("What’s inside") && !page.contains("Enrol for free"));

    enroll(&app, &acme, sam.id, &c.course).await;
    let (_, page) = b.page(&home).await;
    assert!(page.contains("Start the course") && page.contains(&url(&c, "One")));
    b.page(&url(&c, "Two")).await;
    let (_, page) = b.page(&home).await;
    assert!(
        page.contains("Continue where you left off") && page.contains(&format!("href=\"{}\"", url(&c, "Two"))),
        "{page}"
    );
    assert!(!owner_id.is_nil());
}

#[tokio::test]
async fn notes_save_as_the_student_types_and_without_javascript() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("One", "text")])]).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let notes = format!("{}/notes", url(&c, "One"));

    let res = b.post_form(&notes, &[("body", "f/8 and be there")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).ends_with("#notes"));
    let (_, page) = b.page(&url(&c, "One")).await;
    assert!(page.contains("f&#x2f;8 and be there</textarea>") && page.contains("Your note is saved."));

    let res = htmx(&b, &notes, &[("body", "Golden hour <b>matters</b>")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Saved"));
    let (_, page) = b.page(&url(&c, "One")).await;
    assert!(page.contains("Golden hour &lt;b&gt;matters&lt;&#x2f;b&gt;</textarea>"), "escaped");

    let long = "x".repeat(20_001);
    let res = htmx(&b, &notes, &[("body", &long)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text().await.unwrap();
    assert!(text.contains("up to 20000 characters") || text.contains("up to 20,000 characters"), "{text}");
    let (_, page) = b.page(&url(&c, "One")).await;
    assert!(page.contains("Golden hour"), "a refused note leaves the saved one");

    // Another student sees none of it.
    let (ola, b2) = student(&app, &acme, "Ola", "ola@acme.test").await;
    enroll(&app, &acme, ola.id, &c.course).await;
    let (_, page) = b2.page(&url(&c, "One")).await;
    assert!(!page.contains("Golden hour"));
}

#[tokio::test]
async fn another_schools_people_get_404_on_every_player_route() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("One", "text")])]).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let res = b.post_form(&format!("{}/comments", url(&c, "One")), &[("body", "Hello")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let comment: uuid::Uuid = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from lesson_comments").fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        id
    };
    let (_, g) = student(&app, &globex, "Gus", "gus@globex.test").await;
    let lesson = url(&c, "One");
    assert_eq!(g.get(&format!("/learn/{}", c.course.slug)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(g.get(&lesson).await.status(), StatusCode::NOT_FOUND);
    for path in [
        format!("{lesson}/complete"),
        format!("{lesson}/notes"),
        format!("{lesson}/comments"),
        format!("{lesson}/comments/{comment}/delete"),
    ] {
        assert_eq!(g.post_form(&path, &[("body", "x")]).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // A lesson id from another course of the same school is not found under this one either.
    let other = published_course(&app, &acme, "Other", &[("M", &[("Elsewhere", "text")])]).await;
    let wrong = format!("/learn/{}/{}", c.course.slug, other.lesson("Elsewhere").id);
    assert_eq!(b.get(&wrong).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(b.get(&format!("/learn/{}/not-an-id", c.course.slug)).await.status(), StatusCode::NOT_FOUND);
}
