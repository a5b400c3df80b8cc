//! The curriculum page: building a course's tree through its forms, reordering (the whole order
//! in one POST, and the up/down fallback), inline rename, and publishing.

use courses::{CourseId, curriculum::Tree, store};
use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_support::{TestCourse, published_course},
    support::{Browser, PASSWORD, TestApp, TestSchool, location},
};

/// The owner of `school`, logged in.
pub async fn owner(app: &TestApp, school: &TestSchool) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

/// Module titles, each with its lesson titles, as stored.
pub async fn outline(app: &TestApp, school: &TestSchool, course: CourseId) -> Vec<(String, Vec<String>)> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let tree = Tree::load(&mut tx, course).await.unwrap();
    tx.commit().await.unwrap();
    tree.modules
        .iter()
        .map(|m| {
            let lessons = tree.lessons.iter().filter(|l| l.module_id == m.id).map(|l| l.title.clone()).collect();
            (m.title.clone(), lessons)
        })
        .collect()
}

fn titles(o: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    o.iter().map(|(m, ls)| (m.to_string(), ls.iter().map(|l| l.to_string()).collect())).collect()
}

/// Two modules: Basics (Welcome, Light, Colour) and Practice (Portraits).
pub async fn sample(app: &TestApp, school: &TestSchool) -> TestCourse {
    published_course(
        app,
        school,
        "Portraits",
        &[
            ("Basics", &[("Welcome", "video"), ("Light", "text"), ("Colour", "quiz")]),
            ("Practice", &[("Portraits", "assignment")]),
        ],
    )
    .await
}

fn order_of(c: &TestCourse, modules: &[(usize, &[&str])]) -> String {
    modules
        .iter()
        .map(|(m, ls)| {
            let ids: Vec<String> = ls.iter().map(|l| c.lesson(l).id.0.to_string()).collect();
            format!("{}:{}", c.modules[*m].0, ids.join(","))
        })
        .collect::<Vec<_>>()
        .join(";")
}

#[tokio::test]
async fn the_owner_builds_a_course_from_an_empty_curriculum() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let res = b.post_form("/admin/courses", &[("title", "Sourdough at home")]).await;
    let page = location(&res);
    assert!(page.starts_with("/admin/courses/"), "creating opens the curriculum: {page}");
    let (status, html) = b.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Add your first module") && html.contains("curriculum."), "{html}");

    let res = b.post_form(&format!("{page}/modules"), &[("title", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Give it a title."));
    let res = b.post_form(&format!("{page}/modules"), &[("title", "Starter")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id: CourseId = page.trim_start_matches("/admin/courses/").parse().unwrap();
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let module = store::modules(&mut tx, id).await.unwrap()[0].id;
    tx.commit().await.unwrap();
    let add = format!("{page}/modules/{module}/lessons");
    assert_eq!(
        b.post_form(&add, &[("kind", "video"), ("title", "Feeding the starter")]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(b.post_form(&add, &[("kind", "quiz"), ("title", "")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        b.post_form(&add, &[("kind", "slides"), ("title", "x")]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        outline(&app, &acme, id).await,
        titles(&[("Starter", &["Feeding the starter", "Untitled Quiz lesson"])])
    );

    let (_, html) = b.page(&page).await;
    let html = html.replace("&#x2f;", "/");
    assert!(html.contains("Feeding the starter") && html.contains("Draft"), "{html}");
    assert!(html.contains(&format!("/admin/courses/{id}/lessons/")), "rows link to the lesson editor");
    assert!(html.contains("/learn/sourdough-at-home?preview=student"));
    let (_, list) = b.page("/admin/courses").await;
    assert!(list.contains("Sourdough at home") && list.contains("Students"), "{list}");
    let (_, found) = b.page("/admin/courses?q=sourd").await;
    assert!(found.contains("Sourdough at home"));
    let (_, none) = b.page("/admin/courses?q=knitting").await;
    assert!(none.contains("No course matches") && !none.contains("Sourdough at home"));
}

#[tokio::test]
async fn lessons_and_modules_reorder_in_one_post_and_across_modules() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = sample(&app, &acme).await;
    let b = owner(&app, &acme).await;
    let url = format!("/admin/courses/{}/order", c.course.id);

    // Within a module, and from one module into another, and the modules themselves.
    let order = order_of(&c, &[(1, &["Light", "Portraits"]), (0, &["Colour", "Welcome"])]);
    let res = b
        .client
        .post(b.url(&url))
        .header("hx-request", "true")
        .header("x-csrf-token", b.csrf().await)
        .form(&[("order", order.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        outline(&app, &acme, c.course.id).await,
        titles(&[("Practice", &["Light", "Portraits"]), ("Basics", &["Colour", "Welcome"])])
    );

    // A stale page (a lesson left out, or named twice) is refused and nothing changes.
    let before = outline(&app, &acme, c.course.id).await;
    let stale = order_of(&c, &[(1, &["Light"]), (0, &["Colour", "Welcome"])]);
    assert_eq!(b.post_form(&url, &[("order", &stale)]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let twice = order_of(&c, &[(1, &["Light", "Portraits"]), (0, &["Colour", "Welcome", "Light"])]);
    assert_eq!(b.post_form(&url, &[("order", &twice)]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b.post_form(&url, &[("order", "garbage")]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(outline(&app, &acme, c.course.id).await, before);

    // The no-script buttons: one place at a time, over module edges.
    let lesson = |t: &str| format!("/admin/courses/{}/lessons/{}/move", c.course.id, c.lesson(t).id);
    assert_eq!(b.post_form(&lesson("Colour"), &[("dir", "up")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.post_form(&lesson("Welcome"), &[("dir", "down")]).await.status(), StatusCode::SEE_OTHER);
    let module = format!("/admin/courses/{}/modules/{}/move", c.course.id, c.modules[0].0);
    assert_eq!(b.post_form(&module, &[("dir", "up")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        outline(&app, &acme, c.course.id).await,
        titles(&[("Basics", &["Welcome"]), ("Practice", &["Light", "Portraits", "Colour"])])
    );
}

#[tokio::test]
async fn a_reorder_naming_another_course_or_school_changes_nothing() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let c = sample(&app, &acme).await;
    let other = published_course(&app, &acme, "Other", &[("Elsewhere", &[("Stranger", "text")])]).await;
    let foreign = published_course(&app, &globex, "Foreign", &[("Abroad", &[("Visitor", "text")])]).await;
    let b = owner(&app, &acme).await;
    let url = format!("/admin/courses/{}/order", c.course.id);
    let before = outline(&app, &acme, c.course.id).await;
    let mine = order_of(&c, &[(0, &["Welcome", "Light", "Colour"]), (1, &["Portraits"])]);
    for intruder in [other.lessons[0].id.0, foreign.lessons[0].id.0] {
        let order = format!("{mine},{intruder}");
        assert_eq!(b.post_form(&url, &[("order", &order)]).await.status(), StatusCode::NOT_FOUND);
    }
    let with_module = format!("{mine};{}:", other.modules[0].0);
    assert_eq!(b.post_form(&url, &[("order", &with_module)]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(outline(&app, &acme, c.course.id).await, before);
    assert_eq!(outline(&app, &acme, other.course.id).await, titles(&[("Elsewhere", &["Stranger"])]));
}

#[tokio::test]
async fn inline_rename_saves_and_refuses_a_blank_title() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = sample(&app, &acme).await;
    let b = owner(&app, &acme).await;
    let url = format!("/admin/courses/{}/lessons/{}/rename", c.course.id, c.lesson("Light").id);
    let token = b.csrf().await;
    let send = |title: &'static str| {
        b.client
            .post(b.url(&url))
            .header("hx-request", "true")
            .header("x-csrf-token", &token)
            .header("accept", "application/json")
            .form(&[("title", title)])
            .send()
    };
    assert_eq!(send("Window light").await.unwrap().status(), StatusCode::NO_CONTENT);
    let blank = send("   ").await.unwrap();
    assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.text().await.unwrap().contains("Give it a title."));
    let module = format!("/admin/courses/{}/modules/{}/rename", c.course.id, c.modules[1].0);
    assert_eq!(b.post_form(&module, &[("title", "Practice time")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        outline(&app, &acme, c.course.id).await,
        titles(&[("Basics", &["Welcome", "Window light", "Colour"]), ("Practice time", &["Portraits"])])
    );
}

#[tokio::test]
async fn publishing_needs_a_published_lesson_and_remembers_the_first_time() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let page = location(&b.post_form("/admin/courses", &[("title", "Knife skills")]).await);
    b.post_form(&format!("{page}/modules"), &[("title", "Basics")]).await;
    let id: CourseId = page.trim_start_matches("/admin/courses/").parse().unwrap();
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let module = store::modules(&mut tx, id).await.unwrap()[0].id;
    tx.commit().await.unwrap();
    b.post_form(&format!("{page}/modules/{module}/lessons"), &[("kind", "text"), ("title", "Grip")]).await;

    let res = b.post_form(&format!("{page}/publish"), &[]).await;
    assert_eq!(location(&res), format!("{page}?refused=publish"));
    let (_, refused) = b.page(&location(&res)).await;
    assert!(refused.contains("Publish at least one lesson first"), "{refused}");

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let lesson = store::lessons(&mut tx, id).await.unwrap()[0].id;
    tx.commit().await.unwrap();
    let status = format!("{page}/lessons/{lesson}/status");
    assert_eq!(b.post_form(&status, &[("published", "1")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.post_form(&format!("{page}/publish"), &[]).await.status(), StatusCode::SEE_OTHER);
    let course = |app: &TestApp| {
        let acme = acme.school.id;
        let state = app.state.clone();
        async move {
            let mut tx = state.db.tenant(acme).await.unwrap();
            store::course(&mut tx, id).await.unwrap().unwrap()
        }
    };
    let first = course(&app).await;
    assert!(first.is_published() && first.published_at.is_some());
    let (_, html) = b.page(&page).await;
    assert!(html.contains("Your course is live.") && html.contains("Unpublish"), "{html}");

    app.state.clock.advance(chrono::Duration::days(3));
    b.post_form(&format!("{page}/unpublish"), &[]).await;
    assert!(!course(&app).await.is_published());
    b.post_form(&format!("{page}/publish"), &[]).await;
    assert_eq!(course(&app).await.published_at, first.published_at, "published_at is the first publication");

    let sam = app.browser("acme");
    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    sam.login("sam@acme.test", PASSWORD).await;
    assert_eq!(sam.get(&page).await.status(), StatusCode::FORBIDDEN);
}
