//! The player with real media: lessons complete once enough was watched (heartbeats, and a
//! re-check when the page opens), "mark complete" waits for the rule when the creator says so,
//! the HLS key is refused once access ends mid-token; and the progress API.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    courses_player::{student, url},
    courses_support::{TestCourse, enroll, events, exec, published_course},
    media_support::{clip, media_of, pdf, player_src, upload},
    support::{Browser, PASSWORD, TestApp, TestSchool},
};

async fn with_video_lesson(app: &TestApp) -> (TestSchool, TestCourse, media::Media) {
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let location = upload(&owner, &clip(4), "Golden hour.mp4", "video/mp4", None).await;
    app.run_jobs().await;
    let item = media_of(app, &acme, &location).await;
    assert_eq!(item.status, "ready");
    let c = published_course(app, &acme, "Light", &[("Basics", &[("Watch", "video"), ("Read", "text")])]).await;
    exec(app, &acme, "update lessons set media_id = (select id from media where tenant_id = $1 limit 1), allow_manual = false where tenant_id = $1 and id = $2", c.lesson("Watch").id.0).await;
    (acme, c, item)
}

async fn beat(b: &Browser, item: media::MediaId, seconds: f64) -> StatusCode {
    let csrf = b.csrf().await;
    b.client
        .post(b.url(&format!("/media/{item}/heartbeat")))
        .header("x-csrf-token", csrf)
        .json(&json!({ "seconds": seconds, "position": seconds }))
        .send()
        .await
        .unwrap()
        .status()
}

async fn how(app: &TestApp, school: &TestSchool, user: kernel::ids::UserId) -> Option<String> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let how = sqlx::query_scalar("select how from lesson_progress where user_id = $1")
        .bind(user)
        .fetch_optional(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    how
}

#[tokio::test]
async fn watching_the_share_completes_the_lesson_once_and_marking_waits_for_it() {
    let app = TestApp::new().await;
    let (acme, c, item) = with_video_lesson(&app).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let watch = url(&c, "Watch");

    let src = player_src(&b, &watch).await;
    assert!(src.ends_with("/master.m3u8"), "{src}");
    assert_eq!(beat(&b, item.id, 2.0).await, StatusCode::NO_CONTENT);
    assert_eq!(how(&app, &acme, sam.id).await, None, "half is not enough");
    let (_, page) = b.page(&watch).await;
    assert!(page.contains("Watch at least 90% of the video to complete this lesson (so far 50%)."), "{page}");
    assert!(page.contains("disabled aria-describedby=\"complete-reason\""));
    let res = b.post_form(&format!("{watch}/complete"), &[]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(events(&app, &acme, "lesson.completed").await, 0);

    assert_eq!(beat(&b, item.id, 2.0).await, StatusCode::NO_CONTENT);
    assert_eq!(how(&app, &acme, sam.id).await.as_deref(), Some("watched"));
    assert_eq!(beat(&b, item.id, 1.0).await, StatusCode::NO_CONTENT);
    assert_eq!(events(&app, &acme, "lesson.completed").await, 1, "published once");
    let (_, page) = b.page(&watch).await;
    assert!(page.contains("lesson-done") && page.contains("50% complete"), "{page}");

    // A heartbeat that never arrived: the page re-checks what media recorded.
    let (ola, b2) = student(&app, &acme, "Ola", "ola@acme.test").await;
    enroll(&app, &acme, ola.id, &c.course).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("insert into media_views (tenant_id, media_id, user_id, seconds_watched) values ($1, $2, $3, 3.9)")
        .bind(acme.school.id)
        .bind(item.id)
        .bind(ola.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (_, page) = b2.page(&watch).await;
    assert!(page.contains("lesson-done"), "{page}");
    assert_eq!(how(&app, &acme, ola.id).await.as_deref(), Some("watched"));

    // Staff watching complete nothing; they are not enrolled.
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    assert_eq!(beat(&owner, item.id, 4.0).await, StatusCode::NO_CONTENT);
    assert_eq!(events(&app, &acme, "lesson.completed").await, 2);
}

#[tokio::test]
async fn the_key_is_refused_once_access_ends_and_visitors_are_asked_to_log_in() {
    let app = TestApp::new().await;
    let (acme, c, item) = with_video_lesson(&app).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    let (_, stranger) = student(&app, &acme, "Stranger", "stranger@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let src = player_src(&b, &url(&c, "Watch")).await;
    let key = format!("{}key", src.trim_end_matches("master.m3u8"));
    assert_eq!(b.get(&key).await.status(), StatusCode::OK);
    assert_eq!(stranger.get(&format!("/media/{}/play", item.id)).await.status(), StatusCode::FORBIDDEN);

    for sql in [
        "update enrollments set paused_at = now() where tenant_id = $1 and course_id = $2",
        "update enrollments set paused_at = null, revoked_at = now() where tenant_id = $1 and course_id = $2",
    ] {
        exec(&app, &acme, sql, c.course.id.0).await;
        assert_eq!(b.get(&key).await.status(), StatusCode::FORBIDDEN, "{sql}");
        assert_eq!(b.get(&format!("/media/{}/play", item.id)).await.status(), StatusCode::FORBIDDEN);
        let (status, page) = b.page(&url(&c, "Watch")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(!page.contains("data-player"));
    }

    exec(
        &app,
        &acme,
        "update lessons set free_preview = true where tenant_id = $1 and id = $2",
        c.lesson("Watch").id.0,
    )
    .await;
    let (status, page) = app.browser("acme").page(&url(&c, "Watch")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Watch this free preview") && !page.contains("data-player"), "{page}");
    // Deleted from the library: students are told it is not there, never shown a broken player.
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    owner.post_form(&format!("/admin/media/{}/delete", item.id), &[]).await;
    let (_, page) = stranger.page(&url(&c, "Watch")).await;
    assert!(page.contains("This video is not available yet"), "{page}");
    let (_, page) = owner.page(&url(&c, "Watch")).await;
    assert!(page.contains("Edit the lesson"));
}

#[tokio::test]
async fn attachments_are_listed_with_their_size_and_download_when_the_creator_allows() {
    let app = TestApp::new().await;
    let (acme, c, _) = with_video_lesson(&app).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let location = upload(&owner, &pdf(), "Light diary.pdf", "application/pdf", None).await;
    app.run_jobs().await;
    let file = media_of(&app, &acme, &location).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("insert into lesson_attachments (tenant_id, lesson_id, media_id) values ($1, $2, $3)")
        .bind(acme.school.id)
        .bind(c.lesson("Read").id)
        .bind(file.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    let (_, page) = b.page(&url(&c, "Read")).await;
    assert!(page.contains("Lesson files") && page.contains("Light diary.pdf"), "{page}");
    assert!(page.contains("Not available for download") && !page.contains("/download\""));
    let (_, staff) = owner.page(&url(&c, "Read")).await;
    assert!(staff.contains("allow downloads in the library"));
    owner.post_form(&format!("/admin/media/{}/downloadable", file.id), &[("downloadable", "on")]).await;
    let (_, page) = b.page(&url(&c, "Read")).await;
    let link = format!("/media/{}/download", file.id);
    assert!(page.replace("&#x2f;", "/").contains(&link), "{page}");
    let res = b.get(&link).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = b.get(&crate::support::location(&res)).await;
    assert_eq!(res.bytes().await.unwrap(), pdf());
}

#[tokio::test]
async fn the_progress_api_reports_each_enrolment_and_hides_other_schools() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("One", "text"), ("Two", "text")])]).await;
    let (sam, b) = student(&app, &acme, "Sam", "sam@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    b.post_form(&format!("{}/complete", url(&c, "One")), &[]).await;

    let key = app.api_key(&acme, "read").await;
    let api = |path: String, key: String| {
        let b = app.browser("acme");
        async move { b.client.get(b.url(&path)).bearer_auth(key).send().await.unwrap() }
    };
    let res = api(format!("/api/v1/progress?user={}", sam.id), key.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let p = &body["data"][0];
    assert_eq!(p["course_id"], json!(c.course.id));
    assert_eq!(p["percent"], json!(50));
    assert_eq!(p["state"], json!("active"));
    assert_eq!(p["lessons"][0]["title"], json!("One"));
    assert_eq!(p["lessons"][0]["how"], json!("marked"));
    let res = api(format!("/api/v1/progress?user={}&course={}", sam.id, c.course.id), key.clone()).await;
    assert_eq!(res.json::<Value>().await.unwrap()["data"].as_array().unwrap().len(), 1);
    assert_eq!(api("/api/v1/progress".into(), key.clone()).await.status(), StatusCode::BAD_REQUEST);
    let missing = uuid::Uuid::now_v7();
    assert_eq!(api(format!("/api/v1/progress?user={missing}"), key.clone()).await.status(), StatusCode::NOT_FOUND);
    let res = api(format!("/api/v1/progress?user={}&course={missing}", sam.id), key.clone()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let other = app.api_key(&globex, "read").await;
    let g = app.browser("globex");
    for path in [
        format!("/api/v1/progress?user={}", sam.id),
        format!("/api/v1/progress?user={}&course={}", sam.id, c.course.id),
    ] {
        let res = g.client.get(g.url(&path)).bearer_auth(&other).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
}
