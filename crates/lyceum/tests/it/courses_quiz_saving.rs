//! Answers saved as the student goes: kept across a reload, only for the attempt's questions,
//! refused once time is up, and graded when the attempt times out.

use chrono::Duration;
use courses::quiz::model::Settings;
use reqwest::StatusCode;

use crate::{
    courses_quiz::{answer, attempts, every_kind, quiz_course, student},
    courses_support::{enroll, events},
};

#[tokio::test]
async fn saved_answers_survive_a_reload_and_are_graded_when_time_runs_out() {
    let app = crate::support::TestApp::new().await;
    let acme = app.school("acme").await;
    let settings = Settings { time_limit_minutes: Some(5), ..Settings::default() };
    let (c, lesson, questions) = quiz_course(&app, &acme, settings, every_kind()).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    let (ann, a) = student(&app, &acme, "Ann", "ann@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    enroll(&app, &acme, ann.id, &c.course).await;
    let page = format!("/learn/{}/{}", c.course.slug, lesson.id);
    b.post_form(&format!("{page}/quiz/start"), &[]).await;
    let attempt = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    let save = format!("{page}/quiz/{}/save", attempt.id);

    let stranger = format!("q.{}", uuid::Uuid::now_v7());
    let mut fields: Vec<(String, String)> = questions.iter().flat_map(|q| answer(q, true)).collect();
    fields.push((stranger.clone(), "anything".into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = b.post_form(&save, &refs).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "Answers saved.");
    assert_eq!(a.post_form(&save, &refs).await.status(), StatusCode::NOT_FOUND, "not Ann's attempt");

    let kept = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    assert_eq!(kept.saved.0.len(), 7, "only the attempt's questions are kept");
    assert!(kept.saved.0.keys().all(|k| !stranger.ends_with(k.as_str())));
    assert!(kept.is_open() && kept.score.is_none(), "saving grades nothing");
    let (_, html) = b.page(&page).await;
    assert!(
        html.contains("value=\"c1a9\" class=\"mt-0.5 h-4 w-4 shrink-0\" checked"),
        "the saved choice is ticked again"
    );
    assert!(html.contains("value=\" ljubljana \""), "the saved text is filled in again");

    app.state.clock.advance(Duration::minutes(6));
    let res = b.post_form(&save, &[]).await;
    assert!(res.text().await.unwrap().contains("This attempt is closed"));
    let (_, html) = b.page(&page).await;
    assert!(html.contains("Time ran out before you submitted"), "{html}");
    let done = attempts(&app, &acme, &lesson, &sam).await.remove(0);
    assert_eq!((done.score, done.passed, done.timed_out), (Some(100), Some(true), true));
    assert_eq!(events(&app, &acme, "quiz.passed").await, 1);
    assert_eq!(events(&app, &acme, "lesson.completed").await, 1);
}
