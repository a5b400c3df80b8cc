//! Taking a quiz through the lesson page: the page never holds an answer before submit, grading
//! happens on the server, a pool draws N, the time limit, answers outside the attempt, double
//! submits, the attempts limit, and passing completing the lesson once with its events.

use chrono::Duration;
use courses::{
    Lesson,
    quiz::{
        model::{Attempt, Choice, Item, Pair, Question, QuestionId, Settings, Spec},
        store as quiz_store,
    },
};
use identity::{Role, User};
use reqwest::StatusCode;

use crate::{
    courses_support::{TestCourse, enroll, events, published_course},
    support::{Browser, PASSWORD, TestApp, TestSchool, location},
};

/// A published course whose lesson "Check" is a quiz with these settings and questions.
pub async fn quiz_course(
    app: &TestApp,
    school: &TestSchool,
    settings: Settings,
    questions: Vec<(&str, Spec)>,
) -> (TestCourse, Lesson, Vec<Question>) {
    let c = published_course(app, school, "Light", &[("Basics", &[("Intro", "text"), ("Check", "quiz")])]).await;
    let lesson = c.lesson("Check").clone();
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    quiz_store::save_settings(&mut tx, lesson.id, &settings).await.unwrap();
    for (prompt, spec) in questions {
        let q = Question {
            id: QuestionId::new(),
            lesson_id: lesson.id,
            position: 0,
            prompt: prompt.into(),
            points: 1,
            explanation_html: "<p>Because light bends.</p>".into(),
            spec,
        };
        quiz_store::save_question(&mut tx, &q).await.unwrap();
    }
    let questions = quiz_store::questions(&mut tx, lesson.id).await.unwrap();
    tx.commit().await.unwrap();
    (c, lesson, questions)
}

fn choice(id: &str, text: &str, correct: bool) -> Choice {
    Choice { id: id.into(), text: text.into(), correct }
}

/// One question of each kind.
pub fn every_kind() -> Vec<(&'static str, Spec)> {
    vec![
        (
            "Which lens is widest?",
            Spec::Single {
                choices: vec![
                    choice("c1a9", "14 mm", true),
                    choice("c2b8", "50 mm", false),
                    choice("c3c7", "85 mm", false),
                ],
            },
        ),
        (
            "Which are primary colours of light?",
            Spec::Multiple {
                choices: vec![choice("m1", "Red", true), choice("m2", "Green", true), choice("m3", "Yellow", false)],
                partial: true,
            },
        ),
        ("A smaller f-number means a wider aperture.", Spec::TrueFalse { answer: true }),
        (
            "Which capital hosts the camera museum?",
            Spec::Short { accepted: vec!["Ljubljana".into()], case_sensitive: false },
        ),
        ("How many km/s does light travel?", Spec::Numeric { answer: 299792.0, tolerance: 10.0 }),
        (
            "Match the mode",
            Spec::Matching {
                pairs: vec![
                    Pair {
                        id: "l1".into(),
                        left: "Av".into(),
                        right_id: "r9".into(),
                        right: "Aperture priority".into(),
                    },
                    Pair {
                        id: "l2".into(),
                        left: "Tv".into(),
                        right_id: "r8".into(),
                        right: "Shutter priority".into(),
                    },
                ],
            },
        ),
        (
            "Order the workflow",
            Spec::Ordering {
                items: vec![
                    Item { id: "o1".into(), text: "Shoot".into() },
                    Item { id: "o2".into(), text: "Cull".into() },
                    Item { id: "o3".into(), text: "Edit".into() },
                ],
            },
        ),
    ]
}

/// The fields that answer `q` right (`right`) or wrong.
pub fn answer(q: &Question, right: bool) -> Vec<(String, String)> {
    let name = format!("q.{}", q.id);
    let one = |v: &str| vec![(name.clone(), v.to_string())];
    match (&q.spec, right) {
        (Spec::Single { .. }, true) => one("c1a9"),
        (Spec::Single { .. }, false) => one("c2b8"),
        (Spec::Multiple { .. }, true) => vec![(name.clone(), "m1".into()), (name.clone(), "m2".into())],
        (Spec::Multiple { .. }, false) => one("m3"),
        (Spec::TrueFalse { .. }, r) => one(if r { "true" } else { "false" }),
        (Spec::Short { .. }, r) => one(if r { " ljubljana " } else { "Vienna" }),
        (Spec::Numeric { .. }, r) => one(if r { "299 800" } else { "300000" }),
        (Spec::Matching { .. }, r) => vec![
            (format!("{name}.l1"), if r { "r9" } else { "r8" }.into()),
            (format!("{name}.l2"), if r { "r8" } else { "r9" }.into()),
        ],
        (Spec::Ordering { .. }, r) => vec![
            (format!("{name}.o1"), if r { "1" } else { "2" }.into()),
            (format!("{name}.o2"), if r { "2" } else { "1" }.into()),
            (format!("{name}.o3"), "3".into()),
        ],
    }
}

pub async fn student(app: &TestApp, school: &TestSchool, name: &str, email: &str) -> (User, Browser) {
    let user = app.user(school, name, email, Role::Student).await;
    let browser = app.browser(&school.school.slug);
    browser.login(email, PASSWORD).await;
    (user, browser)
}

pub async fn attempts(app: &TestApp, school: &TestSchool, lesson: &Lesson, user: &User) -> Vec<Attempt> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let a = quiz_store::attempts(&mut tx, lesson.id, user.id).await.unwrap();
    tx.commit().await.unwrap();
    a
}

/// Submits `fields` for the student's open attempt; returns the redirect.
pub async fn submit(b: &Browser, page: &str, attempt: &Attempt, fields: &[(String, String)]) -> reqwest::Response {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post_form(&format!("{page}/quiz/{}/submit", attempt.id), &refs).await
}

fn page_of(c: &TestCourse, lesson: &Lesson) -> String {
    format!("/learn/{}/{}", c.course.slug, lesson.id)
}

#[tokio::test]
async fn every_kind_is_graded_on_the_server_and_the_page_never_holds_an_answer() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (c, lesson, questions) = quiz_course(&app, &acme, Settings::default(), every_kind()).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let page = page_of(&c, &lesson);

    let (status, before) = b.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(before.contains("Ready when you are") && before.contains("7 questions"), "{before}");
    let res = b.post_form(&format!("{page}/quiz/start"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with(&page));
    let (_, html) = b.page(&page).await;
    for q in &questions {
        assert!(html.contains(&format!("name=\"q.{}", q.id)), "question {} is asked", q.prompt);
    }
    for secret in ["Ljubljana", "299792", "Because light", "data-correct", "\"correct\"", "data-answer"] {
        assert!(!html.contains(secret), "the page before submit holds {secret:?}");
    }
    assert!(html.contains("14 mm") && html.contains("Aperture priority"), "options are shown");

    let attempt = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    assert_eq!(attempt.question_ids.len(), 7);
    let fields: Vec<(String, String)> = questions.iter().flat_map(|q| answer(q, true)).collect();
    let res = submit(&b, &page, &attempt, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, after) = b.page(&page).await;
    assert!(after.contains("You passed with 100%"), "{after}");
    assert!(
        after.contains("You passed!") && after.contains("Because light bends."),
        "answers are shown after each attempt"
    );
    let done = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    assert_eq!((done.score, done.passed), (Some(100), Some(true)));
}

#[tokio::test]
async fn wrong_answers_fail_and_passing_later_completes_the_lesson_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let settings = Settings { attempts_allowed: Some(3), ..Settings::default() };
    let (c, lesson, questions) = quiz_course(&app, &acme, settings, every_kind()).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let page = page_of(&c, &lesson);

    // Four of seven right: 57%, below 70%.
    b.post_form(&format!("{page}/quiz/start"), &[]).await;
    let first = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    let fields: Vec<_> = questions.iter().enumerate().flat_map(|(i, q)| answer(q, i < 4)).collect();
    submit(&b, &page, &first, &fields).await;
    let (_, html) = b.page(&page).await;
    assert!(
        html.contains("You scored 57%") && html.contains("Try again") && html.contains("2 attempts left"),
        "{html}"
    );
    assert_eq!(events(&app, &acme, "quiz.failed").await, 1);
    assert_eq!(events(&app, &acme, "lesson.completed").await, 0);

    // A second submit of the same attempt, now all right, changes nothing.
    let all_right: Vec<_> = questions.iter().flat_map(|q| answer(q, true)).collect();
    submit(&b, &page, &first, &all_right).await;
    let again = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    assert_eq!((again.score, again.passed), (Some(57), Some(false)));
    assert_eq!(events(&app, &acme, "quiz.failed").await, 1);

    for n in 2..=3 {
        b.post_form(&format!("{page}/quiz/start"), &[]).await;
        let attempt = attempts(&app, &acme, &lesson, &sam).await.pop().unwrap();
        assert_eq!(attempt.number, n);
        submit(&b, &page, &attempt, &all_right).await;
    }
    assert_eq!(events(&app, &acme, "quiz.passed").await, 2);
    assert_eq!(events(&app, &acme, "lesson.completed").await, 1, "the lesson completes on the first pass only");
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let payload: serde_json::Value = sqlx::query_scalar(
        "select payload from events where tenant_id = $1 and kind = 'quiz.passed' order by created_at limit 1",
    )
    .bind(acme.school.id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let how: String = sqlx::query_scalar("select how from lesson_progress where tenant_id = $1 and lesson_id = $2")
        .bind(acme.school.id)
        .bind(lesson.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(how, "quiz");
    assert_eq!(payload["score"], 100);
    assert_eq!(payload["passed"], true);
    assert_eq!(payload["lesson_id"], lesson.id.to_string());
    assert_eq!(payload["course_id"], c.course.id.to_string());
    assert_eq!(payload["user_id"], sam.id.to_string());
    assert!(payload["quiz_attempt_id"].is_string());

    // Three attempts were allowed: a fourth is refused.
    let res = b.post_form(&format!("{page}/quiz/start"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(attempts(&app, &acme, &lesson, &sam).await.len(), 3);
    let (_, html) = b.page(&page).await;
    assert!(html.contains("You have used every attempt at this quiz."), "{html}");
    assert!(!html.contains("Try again"));
}

#[tokio::test]
async fn a_pool_draws_n_questions_and_answers_outside_the_attempt_are_ignored() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let settings =
        Settings { pool_size: Some(3), shuffle_questions: true, shuffle_answers: true, ..Settings::default() };
    let (c, lesson, questions) = quiz_course(&app, &acme, settings, every_kind()).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let page = page_of(&c, &lesson);
    b.post_form(&format!("{page}/quiz/start"), &[]).await;
    let attempt = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    assert_eq!(attempt.question_ids.len(), 3);
    let (_, html) = b.page(&page).await;
    let asked: Vec<_> = questions.iter().filter(|q| html.contains(&format!("name=\"q.{}", q.id))).collect();
    assert_eq!(asked.len(), 3, "only the drawn questions are on the page");
    assert!(html.contains("3 questions"));

    // Every question answered wrongly where drawn, rightly where not: still 0%.
    let fields: Vec<_> = questions.iter().flat_map(|q| answer(q, !attempt.question_ids.contains(&q.id.0))).collect();
    submit(&b, &page, &attempt, &fields).await;
    let done = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    assert_eq!(done.score, Some(0));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let answers = quiz_store::answers(&mut tx, attempt.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(answers.len(), 3, "answers for questions outside the attempt are not kept");
}

#[tokio::test]
async fn the_server_keeps_the_time_limit() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let settings = Settings { time_limit_minutes: Some(5), ..Settings::default() };
    let (c, lesson, questions) = quiz_course(&app, &acme, settings, every_kind()).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let page = page_of(&c, &lesson);
    let right: Vec<_> = questions.iter().flat_map(|q| answer(q, true)).collect();

    b.post_form(&format!("{page}/quiz/start"), &[]).await;
    let (_, html) = b.page(&page).await;
    assert!(html.contains("data-quiz-timer") && (html.contains(">4:59<") || html.contains(">5:00<")), "{html}");
    let first = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    assert!(first.deadline.is_some());
    app.state.clock.advance(Duration::minutes(6));
    let res = submit(&b, &page, &first, &right).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let late = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    assert_eq!((late.score, late.passed, late.timed_out), (Some(0), Some(false), true), "a late submit is not graded");
    assert_eq!(events(&app, &acme, "quiz.failed").await, 1);
    let (_, html) = b.page(&page).await;
    assert!(html.contains("Time ran out"), "{html}");

    // Within the limit (the grace covers the round trip) the answers count.
    b.post_form(&format!("{page}/quiz/start"), &[]).await;
    let second = attempts(&app, &acme, &lesson, &sam).await.pop().unwrap();
    app.state.clock.advance(Duration::minutes(5));
    submit(&b, &page, &second, &right).await;
    let on_time = attempts(&app, &acme, &lesson, &sam).await.pop().unwrap();
    assert_eq!((on_time.score, on_time.timed_out), (Some(100), false));

    // An attempt left open past its deadline closes when the student comes back.
    b.post_form(&format!("{page}/quiz/start"), &[]).await;
    app.state.clock.advance(Duration::minutes(30));
    let (_, html) = b.page(&page).await;
    assert!(html.contains("Time ran out") && !html.contains("data-quiz-timer"));
    let third = attempts(&app, &acme, &lesson, &sam).await.pop().unwrap();
    assert!(third.timed_out && third.submitted_at.is_some());
}

#[tokio::test]
async fn only_enrolled_students_with_the_lesson_open_can_start() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (c, lesson, _) = quiz_course(&app, &acme, Settings::default(), every_kind()).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    let page = page_of(&c, &lesson);
    assert_eq!(b.post_form(&format!("{page}/quiz/start"), &[]).await.status(), StatusCode::FORBIDDEN);
    assert!(attempts(&app, &acme, &lesson, &sam).await.is_empty());

    // A free preview shows the quiz's introduction, not the quiz.
    crate::courses_support::exec(
        &app,
        &acme,
        "update lessons set free_preview = true where tenant_id = $1 and id = $2",
        lesson.id.0,
    )
    .await;
    let (status, html) = b.page(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Enrol in the course to take this quiz."), "{html}");
    assert_eq!(b.post_form(&format!("{page}/quiz/start"), &[]).await.status(), StatusCode::FORBIDDEN);

    enroll(&app, &acme, sam.id, &c.course).await;
    crate::courses_support::exec(
        &app,
        &acme,
        "update enrollments set paused_at = now() where tenant_id = $1 and course_id = $2",
        c.course.id.0,
    )
    .await;
    assert_eq!(b.post_form(&format!("{page}/quiz/start"), &[]).await.status(), StatusCode::FORBIDDEN);

    // Staff see a note with the editor's links, and cannot start an attempt as a student.
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (_, html) = owner.page(&page).await;
    assert!(html.contains("You are seeing this as staff") && html.contains("/quiz/stats"), "{html}");
    assert_eq!(owner.post_form(&format!("{page}/quiz/start"), &[]).await.status(), StatusCode::FORBIDDEN);

    // Another school's student cannot reach this quiz at all.
    let globex = app.school("globex").await;
    let (_, other) = student(&app, &globex, "Gil", "gil@globex.test").await;
    assert_eq!(other.post_form(&format!("{page}/quiz/start"), &[]).await.status(), StatusCode::NOT_FOUND);
    let fake = format!("{page}/quiz/{}/submit", uuid::Uuid::now_v7());
    assert_eq!(other.post_form(&fake, &[]).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn one_students_attempt_cannot_be_submitted_by_another() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (c, lesson, questions) = quiz_course(&app, &acme, Settings::default(), every_kind()).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    let (ann, a) = student(&app, &acme, "Ann", "ann@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    enroll(&app, &acme, ann.id, &c.course).await;
    let page = page_of(&c, &lesson);
    b.post_form(&format!("{page}/quiz/start"), &[]).await;
    let sams = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    let right: Vec<_> = questions.iter().flat_map(|q| answer(q, true)).collect();
    assert_eq!(submit(&a, &page, &sams, &right).await.status(), StatusCode::NOT_FOUND);
    assert!(attempts(&app, &acme, &lesson, &sam).await[0].is_open());
}
