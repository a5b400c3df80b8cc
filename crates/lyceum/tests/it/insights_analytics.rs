//! A course's analytics page against a small hand-computed fixture: enrolled, active, completion
//! rate, average progress, lesson drop-off, video watch-through, quiz pass rates, the student
//! table and its CSV export, the period picker, and who may open it.

use chrono::Duration;
use courses::enrollment;
use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_support::{TestCourse, enroll, published_course},
    insights_support::{complete, quiz, stat, video, watched},
    support::{PASSWORD, TestApp, TestSchool},
};

/// Light: Welcome (video, 100 s), Exposure (text), Check (quiz) | Colour (video, 200 s).
/// Eve enrolled 40 days ago and lost access today. Today Ana finishes everything, Ben does two
/// lessons, Cy one, and "=Dee+1" none but watches a little of Colour.
///
/// Enrolled 4; completion 1/4 = 25%; average progress (100+50+25+0)/4 = 43.75 → 44%;
/// drop-off Welcome 3/4 = 75%, Exposure 50%, Check 25%, Colour 25%; watch-through Welcome
/// (1 + 0.5 + 0.2)/3 → 57%, Colour (0.5 + 0.1)/2 = 30%; quiz Check 1 pass in 3 attempts →
/// 33%, average score (40+60+90)/3 → 63; active this week 4 (Dee by watching).
async fn fixture(app: &TestApp) -> (TestSchool, TestCourse) {
    let acme = app.school("acme").await;
    let c = published_course(
        app,
        &acme,
        "Light",
        &[
            ("Basics", &[("Welcome", "video"), ("Exposure", "text"), ("Check", "quiz")]),
            ("More", &[("Colour", "video")]),
        ],
    )
    .await;
    let eve = app.user(&acme, "Eve", "eve@acme.test", Role::Student).await;
    enroll(app, &acme, eve.id, &c.course).await;
    app.run_jobs().await;
    app.state.clock.advance(Duration::days(40));

    let ana = app.user(&acme, "Ana", "ana@acme.test", Role::Student).await;
    let ben = app.user(&acme, "Ben", "ben@acme.test", Role::Student).await;
    let cy = app.user(&acme, "Cy", "cy@acme.test", Role::Student).await;
    let dee = app.user(&acme, "=Dee+1", "dee@acme.test", Role::Student).await;
    for s in [&ana, &ben, &cy, &dee] {
        enroll(app, &acme, s.id, &c.course).await;
    }
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    enrollment::revoke(&app.state, &mut tx, eve.id, &c.course).await.unwrap();
    tx.commit().await.unwrap();
    for (student, lessons) in
        [(&ana, &["Welcome", "Exposure", "Check", "Colour"][..]), (&ben, &["Welcome", "Exposure"]), (&cy, &["Welcome"])]
    {
        for lesson in lessons {
            complete(app, &acme, student.id, c.lesson(lesson)).await;
        }
    }
    quiz(app, &acme, ben.id, c.lesson("Check"), 40.0, false).await;
    quiz(app, &acme, ana.id, c.lesson("Check"), 60.0, false).await;
    quiz(app, &acme, ana.id, c.lesson("Check"), 90.0, true).await;
    let welcome = video(app, &acme, c.lesson("Welcome"), 100).await;
    let colour = video(app, &acme, c.lesson("Colour"), 200).await;
    for (student, media, seconds) in [
        (&ana, welcome, 150.0),
        (&ben, welcome, 50.0),
        (&cy, welcome, 20.0),
        (&ana, colour, 100.0),
        (&dee, colour, 20.0),
    ] {
        watched(app, &acme, media, student.id, seconds).await;
    }
    app.run_jobs().await;
    (acme, c)
}

fn position(page: &str, text: &str) -> usize {
    page.find(text).unwrap_or_else(|| panic!("{text} is not on the page"))
}

#[tokio::test]
async fn the_analytics_page_matches_a_hand_computed_course() {
    let app = TestApp::new().await;
    let (acme, c) = fixture(&app).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let url = format!("/admin/courses/{}/analytics", c.course.id);
    let (status, page) = owner.page(&url).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("aria-current=\"page\""), "the analytics tab is current");
    assert_eq!(stat(&page, "enrolled"), "4");
    assert!(page.contains("+4 new in this period"), "Eve enrolled before the last 30 days");
    assert_eq!(stat(&page, "active"), "4", "Dee counts by watching");
    assert_eq!(stat(&page, "completion-rate"), "25%");
    assert_eq!(stat(&page, "average-progress"), "44%");
    for (lesson, share) in [("Welcome", 75), ("Exposure", 50), ("Check", 25), ("Colour", 25)] {
        assert!(page.contains(&format!(r#"data-lesson="{lesson}" data-dropoff="{share}""#)), "{lesson} drop-off");
    }
    assert!(position(&page, r#"data-dropoff="75""#) < position(&page, r#"data-dropoff="50""#), "in course order");
    assert!(page.contains(r#"data-lesson="Welcome" data-watch="57""#), "{page}");
    assert!(page.contains(r#"data-lesson="Colour" data-watch="30""#));
    assert!(page.contains("3 viewers"));
    assert!(page.contains(r#"data-lesson="Check" data-pass="33""#));
    assert!(page.contains("3 attempts"));
    assert!(page.contains("average 63%"));

    // Students, most progress first, then least; Eve lost access and is not listed.
    let order = ["Ana", "Ben", "Cy", "=Dee+1"];
    let at: Vec<_> = order.iter().map(|n| position(&page, &format!(">{n}</p>"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert!(!page.contains("eve@acme.test"));
    let (_, least) = owner.page(&format!("{url}?sort=progress_asc")).await;
    assert!(position(&least, ">=Dee+1</p>") < position(&least, ">Ana</p>"));
    let (_, by_activity) = owner.page(&format!("{url}?sort=activity_asc")).await;
    assert!(position(&by_activity, ">=Dee+1</p>") < position(&by_activity, ">Ana</p>"), "never active comes first");
    assert!(by_activity.contains("Not yet"));
}

#[tokio::test]
async fn the_period_picker_changes_what_is_counted() {
    let app = TestApp::new().await;
    let (acme, c) = fixture(&app).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let url = format!("/admin/courses/{}/analytics", c.course.id);
    let (_, all) = owner.page(&format!("{url}?period=all")).await;
    assert!(all.contains("+5 new in this period"), "Eve counts over all time");
    assert!(all.contains("5 enrolments"));
    assert_eq!(stat(&all, "enrolled"), "4", "who is enrolled now does not depend on the period");
    let (_, week) = owner.page(&format!("{url}?period=7")).await;
    assert!(week.contains("+4 new in this period"));
    assert!(week.contains(r#"viewBox="0 0 70 100""#), "seven days of columns");

    // A week later the quiz attempts fall out of the 7-day window but not out of 30 days.
    app.state.clock.advance(Duration::days(8));
    let (_, week) = owner.page(&format!("{url}?period=7")).await;
    assert!(week.contains("+0 new in this period"));
    assert!(week.contains(r#"data-lesson="Check" data-pass="0""#));
    assert!(week.contains("0 attempts"));
    let (_, month) = owner.page(&format!("{url}?period=30")).await;
    assert!(month.contains(r#"data-lesson="Check" data-pass="33""#));
    assert!(month.contains(r#"data-lesson="Welcome" data-dropoff="75""#), "drop-off is where students stand now");
    let (_, odd) = owner.page(&format!("{url}?period=365&page=x&sort=nonsense")).await;
    assert!(odd.contains(r#"data-lesson="Check" data-pass="33""#), "an unknown period reads as 30 days");
}

#[tokio::test]
async fn the_student_export_is_a_safe_spreadsheet() {
    let app = TestApp::new().await;
    let (acme, c) = fixture(&app).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let res = owner.get(&format!("/admin/courses/{}/analytics/students.csv", c.course.id)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("light-students.csv"));
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "Name,Email,Progress (%),Lessons completed,Enrolled,Last active,Completed");
    assert_eq!(lines.len(), 5, "a header and the four enrolled students: {body}");
    let today = app.state.clock.now().format("%Y-%m-%d").to_string();
    assert_eq!(lines[1], format!("Ana,ana@acme.test,100,4,{today},{today},{today}"));
    assert_eq!(lines[2], format!("Ben,ben@acme.test,50,2,{today},{today},"));
    assert_eq!(lines[4], format!("'=Dee+1,dee@acme.test,0,0,{today},,"), "a formula stays text");
}

#[tokio::test]
async fn analytics_are_for_the_schools_course_builders_only() {
    let app = TestApp::new().await;
    let (acme, c) = fixture(&app).await;
    let globex = app.school("globex").await;
    let other = app.browser("globex");
    other.login(&globex.owner_email, PASSWORD).await;
    for path in ["", "/students.csv"] {
        let url = format!("/admin/courses/{}/analytics{path}", c.course.id);
        assert_eq!(other.get(&url).await.status(), StatusCode::NOT_FOUND, "another school's owner: {url}");
    }
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    assert_eq!(owner.get("/admin/courses/not-a-course/analytics").await.status(), StatusCode::NOT_FOUND);

    let student = app.browser("acme");
    student.login("ana@acme.test", PASSWORD).await;
    for path in ["", "/students.csv"] {
        let url = format!("/admin/courses/{}/analytics{path}", c.course.id);
        assert_eq!(student.get(&url).await.status(), StatusCode::FORBIDDEN, "a student: {url}");
    }

    // An instructor builds courses and may read them; a course with nobody in it says so.
    app.user(&acme, "Ivy", "ivy@acme.test", Role::Instructor).await;
    let ivy = app.browser("acme");
    ivy.login("ivy@acme.test", PASSWORD).await;
    let empty = published_course(&app, &acme, "Empty", &[("Basics", &[("Intro", "text")])]).await;
    let (status, page) = ivy.page(&format!("/admin/courses/{}/analytics", empty.course.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No students in this course yet"));
    assert!(page.contains("This course has no quizzes yet."));
    assert_eq!(stat(&page, "average-progress"), "0%");
}
