//! Building learning histories for insights' tests: completions through the courses service,
//! quiz events as the quiz engine publishes them, and videos with watch records.

use courses::{
    Lesson,
    progress::{self, How},
};
use kernel::ids::UserId;
use serde_json::json;

use crate::support::{TestApp, TestSchool};

/// Completes a lesson for a student, as the player would.
pub async fn complete(app: &TestApp, school: &TestSchool, user: UserId, lesson: &Lesson) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    progress::complete_lesson(&app.state, &mut tx, user, lesson, How::Marked).await.unwrap();
    tx.commit().await.unwrap();
}

/// Publishes a quiz attempt's event with the quiz engine's payload.
pub async fn quiz(app: &TestApp, school: &TestSchool, user: UserId, lesson: &Lesson, score: f64, passed: bool) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let kind = if passed { "quiz.passed" } else { "quiz.failed" };
    let payload = json!({ "user_id": user, "lesson_id": lesson.id, "course_id": lesson.course_id,
                          "score": score, "passed": passed });
    app.state.events.publish(&mut tx, kind, payload).await.unwrap();
    tx.commit().await.unwrap();
}

/// Gives a lesson a ready video of `seconds`; returns the item's id.
pub async fn video(app: &TestApp, school: &TestSchool, lesson: &Lesson, seconds: i64) -> uuid::Uuid {
    let id = uuid::Uuid::now_v7();
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(
        "insert into media (tenant_id, id, title, kind, status, duration_ms) values ($1, $2, $3, 'video', 'ready', $4)",
    )
    .bind(school.school.id)
    .bind(id)
    .bind(&lesson.title)
    .bind(seconds * 1000)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("update lessons set media_id = $3 where tenant_id = $1 and id = $2")
        .bind(school.school.id)
        .bind(lesson.id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Records that a student watched `seconds` of an item, last at the application's now.
pub async fn watched(app: &TestApp, school: &TestSchool, media: uuid::Uuid, user: UserId, seconds: f64) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(
        "insert into media_views (tenant_id, media_id, user_id, seconds_watched, position, heartbeats, last_beat_at)
         values ($1, $2, $3, $4, $4, 1, $5)",
    )
    .bind(school.school.id)
    .bind(media)
    .bind(user)
    .bind(seconds)
    .bind(app.state.clock.now())
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The value of the stat tile `key` on a page.
pub fn stat(page: &str, key: &str) -> String {
    let at = page.find(&format!(r#"data-stat="{key}""#)).unwrap_or_else(|| panic!("no stat {key}"));
    let rest = &page[at..];
    let start = rest.find("data-value>").expect("a value") + "data-value>".len();
    rest[start..start + rest[start..].find("</p>").unwrap()].trim().to_string()
}

/// One number of a school's rollups, summed over its days.
pub async fn rollup(app: &TestApp, school: &TestSchool, column: &str) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let sql = format!("select coalesce(sum({column}), 0)::int8 from insights_course_days where tenant_id = $1");
    let n = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(school.school.id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}
