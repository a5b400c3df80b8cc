//! `make demo`'s school teaches: two published courses, students at different stages.

use reqwest::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn the_demo_school_has_two_courses_and_students_at_different_stages() {
    let app = TestApp::new().await;
    lyceum::demo::seed(&app.state).await.unwrap();
    app.run_jobs().await;
    let mut conn = app.owner_conn().await;
    let rows: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "select c.title, c.status, count(l.id), (select count(*) from enrollments e where e.course_id = c.id
                                                 and e.completed_at is not null)
         from courses c join tenants t on t.id = c.tenant_id join lessons l on l.course_id = c.id
         where t.slug = 'bloom' group by c.tenant_id, c.id order by c.title",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            ("Color Mixing Cheat Sheet".into(), "published".into(), 4, Some(0)),
            ("Loose Florals in 7 Days".into(), "published".into(), 7, Some(0)),
            ("Watercolor Foundations".into(), "published".into(), 8, Some(1)),
        ]
    );
    let kinds: Vec<String> =
        sqlx::query_scalar("select distinct kind from lessons order by kind").fetch_all(&mut conn).await.unwrap();
    assert_eq!(kinds, ["assignment", "audio", "quiz", "text", "video"]);
    let questions: i64 = sqlx::query_scalar("select count(*) from quiz_questions").fetch_one(&mut conn).await.unwrap();
    assert_eq!(questions, 5, "the foundations quiz has its questions");
    let certificates: Vec<String> =
        sqlx::query_scalar("select student_name from certificates").fetch_all(&mut conn).await.unwrap();
    assert_eq!(certificates, ["Priya Raman"], "the student who finished has her certificate");

    let tom = app.browser("bloom");
    tom.login("tom@example.test", lyceum::demo::DEMO_PASSWORD).await;
    let (status, home) = tom.page("/learn/watercolor-foundations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("37% complete"), "three of eight lessons: {home}");
    let lucia = app.browser("bloom");
    lucia.login("lucia@example.test", lyceum::demo::DEMO_PASSWORD).await;
    let (_, florals) = lucia.page("/learn/loose-florals-in-7-days").await;
    assert!(florals.contains("Day 7: Your bouquet"));

    let priya = app.browser("bloom");
    priya.login("priya@example.test", lyceum::demo::DEMO_PASSWORD).await;
    let (_, dashboard) = priya.page("/dashboard").await;
    assert!(dashboard.contains("My certificates") && dashboard.contains("Watercolor Foundations"), "{dashboard}");
}
