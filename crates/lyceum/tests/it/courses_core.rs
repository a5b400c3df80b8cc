//! The courses foundation: creating a course, enrolment, who may open which lesson (drip,
//! pauses, end dates, previews), completion published exactly once, and the media rule.

use chrono::Duration;
use courses::{
    access::{Access, Lock, Outline},
    enrollment::{self, Source},
    model::EnrollmentState,
    progress::{self, How},
};
use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_support::{enroll, events, exec, published_course},
    support::{PASSWORD, TestApp},
};

#[tokio::test]
async fn the_owner_creates_a_course_and_a_blank_title_is_refused() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (_, empty) = owner.page("/admin/courses").await;
    assert!(empty.contains("No courses yet"), "{empty}");

    let res = owner.post_form("/admin/courses", &[("title", "   ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Give your course a title."));

    for _ in 0..2 {
        let res = owner.post_form("/admin/courses", &[("title", "Fotografía básica")]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let (_, list) = owner.page("/admin/courses").await;
    assert!(list.contains("Fotografía básica"));
    assert!(list.contains("/learn/fotografia-basica-2"), "a second course with the same title gets its own address");

    let student = app.browser("acme");
    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    student.login("sam@acme.test", PASSWORD).await;
    assert_eq!(student.get("/admin/courses").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn access_follows_enrolment_state_and_drip_rules() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let sam = app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let c = published_course(
        &app,
        &acme,
        "Light",
        &[("Basics", &[("Welcome", "video"), ("Exposure", "text")]), ("Later", &[("Colour", "text")])],
    )
    .await;
    let outline = |now| {
        let app = &app;
        let acme = &acme;
        let sam = &sam;
        let course = c.course.clone();
        async move {
            let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
            Outline::load(&mut tx, course, Some(sam), now, false).await.unwrap()
        }
    };
    let now = app.state.clock.now();
    let welcome = c.lesson("Welcome").id;
    let exposure = c.lesson("Exposure").id;
    let colour = c.lesson("Colour").id;

    assert_eq!(outline(now).await.find(welcome).unwrap().access, Access::NotEnrolled);
    exec(&app, &acme, "update lessons set free_preview = true where tenant_id = $1 and id = $2", welcome.0).await;
    assert_eq!(outline(now).await.find(welcome).unwrap().access, Access::Preview);

    enroll(&app, &acme, sam.id, &c.course).await;
    exec(&app, &acme, "update lessons set drip = 'after_lesson', drip_after = (select id from lessons l2 where l2.tenant_id = $1 and l2.title = 'Exposure') where tenant_id = $1 and id = $2", colour.0).await;
    exec(
        &app,
        &acme,
        "update course_modules set drip = 'days', drip_days = 3 where tenant_id = $1 and id = $2",
        c.modules[1].0,
    )
    .await;
    let o = outline(now).await;
    assert_eq!(o.find(exposure).unwrap().access, Access::Open);
    assert!(matches!(o.find(colour).unwrap().access, Access::Locked { lock: Lock::Until { .. } }));
    let later = now + Duration::days(3) + Duration::minutes(1);
    assert!(matches!(
        outline(later).await.find(colour).unwrap().access,
        Access::Locked { lock: Lock::AfterLesson { ref title, .. } } if title == "Exposure"
    ));

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    progress::complete_lesson(&app.state, &mut tx, sam.id, c.lesson("Exposure"), How::Marked).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(outline(later).await.find(colour).unwrap().access, Access::Open);

    exec(
        &app,
        &acme,
        "update enrollments set paused_at = now() where tenant_id = $1 and course_id = $2",
        c.course.id.0,
    )
    .await;
    assert_eq!(
        outline(later).await.find(exposure).unwrap().access,
        Access::Enrollment { enrollment: EnrollmentState::Paused }
    );
    assert_eq!(outline(later).await.find(welcome).unwrap().access, Access::Preview, "a preview stays open");
    exec(
        &app,
        &acme,
        "update enrollments set paused_at = null, ends_at = now() + interval '1 day' where tenant_id = $1 and course_id = $2",
        c.course.id.0,
    )
    .await;
    assert_eq!(outline(now).await.find(exposure).unwrap().access, Access::Open);
    assert_eq!(
        outline(later).await.find(exposure).unwrap().access,
        Access::Enrollment { enrollment: EnrollmentState::Expired }
    );
}

#[tokio::test]
async fn lessons_and_courses_complete_once_however_often_they_are_completed() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let sam = app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("One", "text"), ("Two", "text")])]).await;
    enroll(&app, &acme, sam.id, &c.course).await;
    enroll(&app, &acme, sam.id, &c.course).await;
    assert_eq!(events(&app, &acme, "enrollment.created").await, 1, "enrolling twice grants once");

    for how in [How::Marked, How::Watched, How::Marked] {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        progress::complete_lesson(&app.state, &mut tx, sam.id, c.lesson("One"), how).await.unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(events(&app, &acme, "lesson.completed").await, 1);
    assert_eq!(events(&app, &acme, "course.completed").await, 0);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let done = progress::complete_lesson(&app.state, &mut tx, sam.id, c.lesson("Two"), How::Quiz).await.unwrap();
    let again = progress::complete_lesson(&app.state, &mut tx, sam.id, c.lesson("Two"), How::Quiz).await.unwrap();
    tx.commit().await.unwrap();
    assert!(done.lesson && done.course);
    assert!(!again.lesson && !again.course);
    assert_eq!(events(&app, &acme, "course.completed").await, 1);

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(enrollment::revoke(&app.state, &mut tx, sam.id, &c.course).await.unwrap());
    assert!(!enrollment::revoke(&app.state, &mut tx, sam.id, &c.course).await.unwrap());
    let back = enrollment::enroll(&app.state, &mut tx, sam.id, &c.course, Source::Import, None, None).await.unwrap();
    let outline = Outline::load(&mut tx, c.course.clone(), Some(&sam), app.state.clock.now(), false).await.unwrap();
    tx.commit().await.unwrap();
    assert!(matches!(back, enrollment::Enrolled::Granted(_)));
    assert_eq!(outline.percent(), 100, "progress survives a revoke and a new enrolment");
    assert_eq!(events(&app, &acme, "enrollment.revoked").await, 1);
    assert_eq!(events(&app, &acme, "enrollment.created").await, 2);
}

#[tokio::test]
async fn another_school_sees_none_of_a_schools_courses() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    published_course(&app, &acme, "Acme secrets", &[("M", &[("L", "text")])]).await;
    let b = app.browser("globex");
    b.login(&globex.owner_email, PASSWORD).await;
    let (_, list) = b.page("/admin/courses").await;
    assert!(!list.contains("Acme secrets"));
    assert!(list.contains("No courses yet"));
}

#[tokio::test]
async fn a_lesson_opens_to_enrolled_students_and_says_why_it_is_closed_to_others() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let sam = app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    app.user(&acme, "Nia", "nia@acme.test", Role::Student).await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text"), ("Later", "text")])]).await;
    let welcome = c.lesson("Welcome").id;
    let later = c.lesson("Later").id;
    exec(&app, &acme, "update lessons set body_html = '<p>Secret <b>content</b><script>x()</script></p>' where tenant_id = $1 and id = $2", welcome.0).await;
    exec(&app, &acme, "update lessons set drip = 'days', drip_days = 2 where tenant_id = $1 and id = $2", later.0)
        .await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let url = |l: courses::LessonId| format!("/learn/{}/{}", c.course.slug, l);

    let sam_b = app.browser("acme");
    sam_b.login("sam@acme.test", PASSWORD).await;
    let (status, page) = sam_b.page(&url(welcome)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Secret <b>content</b>") && !page.contains("x()"), "{page}");
    let (status, page) = sam_b.page(&url(later)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This lesson opens on") && !page.contains("Secret"));
    app.state.clock.advance(Duration::days(2) + Duration::minutes(1));
    assert!(!sam_b.page(&url(later)).await.1.contains("This lesson opens on"));

    let nia = app.browser("acme");
    nia.login("nia@acme.test", PASSWORD).await;
    let (status, page) = nia.page(&url(welcome)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Enrol in the course") && !page.contains("Secret"));
    let (status, home) = nia.page(&format!("/learn/{}", c.course.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Welcome") && home.contains("Light"));

    let globex = app.school("globex").await;
    let other = app.browser("globex");
    other.login(&globex.owner_email, PASSWORD).await;
    assert_eq!(other.get(&url(welcome)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.get(&format!("/learn/{}", c.course.slug)).await.status(), StatusCode::NOT_FOUND);
}
