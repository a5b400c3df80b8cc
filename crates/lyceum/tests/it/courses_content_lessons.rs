//! Course content, part two: the lesson editor for each kind (media, rich text, embeds,
//! attachments), the two-tabs version check, drip dates in the school's time zone, a deleted
//! video, and module settings.

use reqwest::StatusCode;

use crate::{
    courses_support::{library_item, published_course},
    support::{Browser, PASSWORD, TestApp, TestSchool},
};

async fn owner(app: &TestApp, school: &TestSchool) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

async fn lesson_row(app: &TestApp, school: &TestSchool, id: uuid::Uuid) -> LessonRow {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let row = sqlx::query_as(
        "select title, body_html, media_id, embed_url, drip, drip_days, drip_at, version, watch_percent
         from lessons where tenant_id = $1 and id = $2",
    )
    .bind(school.school.id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    row
}

#[derive(sqlx::FromRow)]
struct LessonRow {
    title: String,
    body_html: String,
    media_id: Option<uuid::Uuid>,
    embed_url: Option<String>,
    drip: String,
    drip_days: Option<i32>,
    drip_at: Option<chrono::DateTime<chrono::Utc>>,
    version: i32,
    watch_percent: i32,
}

fn form<'a>(version: &'a str, title: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    // The first value of a field wins: what a test adds comes before the defaults.
    let mut f = extra.to_vec();
    f.extend([("version", version), ("title", title), ("status", "published"), ("drip", "now"), ("required", "on")]);
    f
}

#[tokio::test]
async fn each_kind_saves_its_content() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(
        &app,
        &acme,
        "Light",
        &[(
            "Basics",
            &[
                ("Welcome", "video"),
                ("Reading", "text"),
                ("Elsewhere", "embed"),
                ("Check", "quiz"),
                ("Handouts", "files"),
                ("Breathe", "audio"),
                ("Your turn", "assignment"),
            ],
        )],
    )
    .await;
    let clip = library_item(&app, &acme, "Welcome clip", "video", "video/mp4").await;
    let tone = library_item(&app, &acme, "A tone", "audio", "audio/mpeg").await;
    let pdf = library_item(&app, &acme, "Worksheet", "file", "application/pdf").await;
    let zip = library_item(&app, &acme, "Presets", "file", "application/zip").await;
    let b = owner(&app, &acme).await;
    let url = |title: &str| format!("/admin/courses/{}/lessons/{}", c.course.id, c.lesson(title).id);

    // Video: a video of the library, recorded as a use; audio is refused for a video lesson.
    let (status, page) = b.page(&url("Welcome")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Welcome clip") && !page.contains("A tone"));
    let tone_id = tone.to_string();
    let res = b.post_form(&url("Welcome"), &form("1", "Welcome", &[("media_id", &tone_id)])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Choose a video from your library"));
    let clip_id = clip.to_string();
    let res =
        b.post_form(&url("Welcome"), &form("1", "Welcome!", &[("media_id", &clip_id), ("watch_percent", "75")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row = lesson_row(&app, &acme, c.lesson("Welcome").id.0).await;
    assert_eq!((row.media_id, row.watch_percent, row.version), (Some(clip.0), 75, 2));
    let (_, library) = b.page(&format!("/admin/media/{clip}")).await;
    assert!(library.contains("Light › Welcome!"), "the library shows where the video is used");

    // Text: script is stripped on save and never shown.
    let body = "<h2>Exposure</h2><p>Open <em>wide</em>.</p><script>alert('x')</script>";
    let res = b.post_form(&url("Reading"), &form("1", "Reading", &[("body_html", body)])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row = lesson_row(&app, &acme, c.lesson("Reading").id.0).await;
    assert_eq!(row.body_html, "<h2>Exposure</h2><p>Open <em>wide</em>.</p>");
    let (_, page) = b.page(&url("Reading")).await;
    assert!(page.contains("Lesson saved.") && page.contains("&lt;h2&gt;Exposure"));
    assert!(!page.contains("alert("));

    // Embed: normalised to the privacy-enhanced player; anything else refused with the typing kept.
    let res = b
        .post_form(
            &url("Elsewhere"),
            &form("1", "Elsewhere", &[("embed_url", "https://evil.test/watch?v=dQw4w9WgXcQ")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("isn&#x27;t a YouTube, Vimeo or Loom video link") || page.contains("isn't a YouTube"));
    assert!(page.contains("evil.test"), "what was typed is kept");
    let res =
        b.post_form(&url("Elsewhere"), &form("1", "Elsewhere", &[("embed_url", "https://youtu.be/dQw4w9WgXcQ")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row = lesson_row(&app, &acme, c.lesson("Elsewhere").id.0).await;
    assert_eq!(row.embed_url.as_deref(), Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"));
    let res = b.get(&url("Elsewhere")).await;
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-src 'self' https://www.youtube-nocookie.com"), "{csp}");
    let page = res.text().await.unwrap();
    assert!(
        page.contains("<iframe src=\"https:&#x2f;&#x2f;www.youtube-nocookie.com&#x2f;embed&#x2f;dQw4w9WgXcQ\""),
        "{page}"
    );

    // Audio: audio of the library only.
    let (_, page) = b.page(&url("Breathe")).await;
    assert!(page.contains("A tone") && !page.contains("Welcome clip"));
    let res =
        b.post_form(&url("Breathe"), &form("1", "Breathe", &[("media_id", &clip_id), ("watch_percent", "90")])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res =
        b.post_form(&url("Breathe"), &form("1", "Breathe", &[("media_id", &tone_id), ("watch_percent", "100")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(lesson_row(&app, &acme, c.lesson("Breathe").id.0).await.media_id, Some(tone.0));

    // Assignment: its instructions are rich text.
    let (_, page) = b.page(&url("Your turn")).await;
    assert!(page.contains("Instructions"));
    let res = b
        .post_form(
            &url("Your turn"),
            &form(
                "1",
                "Your turn",
                &[("body_html", "<p>Shoot <a href=\"javascript:alert(1)\">three</a> portraits.</p>")],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row = lesson_row(&app, &acme, c.lesson("Your turn").id.0).await;
    assert!(row.body_html.starts_with("<p>Shoot <a") && !row.body_html.contains("javascript"), "{}", row.body_html);

    // Quiz: links to the question editor.
    let (_, page) = b.page(&url("Check")).await;
    assert!(page.contains(&format!("{}/quiz", url("Check"))));

    // Files: attachments added, reordered, removed; each recorded as a use.
    let (pdf_id, zip_id) = (pdf.to_string(), zip.to_string());
    let h = url("Handouts");
    assert_eq!(
        b.post_form(&h, &form("1", "Handouts", &[("add_attachment", &pdf_id)])).await.status(),
        StatusCode::SEE_OTHER
    );
    let res = b
        .post_form(
            &h,
            &form("2", "Handouts", &[("attachment", &pdf_id), ("add_attachment", &zip_id), ("action", "add")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let up = format!("up:{zip}");
    let res = b
        .post_form(&h, &form("3", "Handouts", &[("attachment", &pdf_id), ("attachment", &zip_id), ("action", &up)]))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let order: Vec<uuid::Uuid> = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let v = sqlx::query_scalar(
            "select media_id from lesson_attachments where tenant_id = $1 and lesson_id = $2 order by position",
        )
        .bind(acme.school.id)
        .bind(c.lesson("Handouts").id)
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        v
    };
    assert_eq!(order, vec![zip.0, pdf.0]);
    let remove = format!("remove:{zip}");
    b.post_form(&h, &form("4", "Handouts", &[("attachment", &zip_id), ("attachment", &pdf_id), ("action", &remove)]))
        .await;
    let (_, page) = b.page(&h).await;
    assert!(page.contains("Worksheet") && page.contains(r#"name="attachment" value=""#));
    assert_eq!(page.matches(r#"name="attachment""#).count(), 1);
}

#[tokio::test]
async fn a_second_tab_is_told_the_lesson_changed_and_keeps_its_typing() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Reading", "text")])]).await;
    let url = format!("/admin/courses/{}/lessons/{}", c.course.id, c.lesson("Reading").id);
    let first = owner(&app, &acme).await;
    let second = owner(&app, &acme).await;
    let (_, a) = first.page(&url).await;
    let (_, b) = second.page(&url).await;
    assert!(a.contains(r#"name="version" value="1""#) && b.contains(r#"name="version" value="1""#));
    let res = first.post_form(&url, &form("1", "From tab one", &[("body_html", "<p>One</p>")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = second.post_form(&url, &form("1", "From tab two", &[("body_html", "<p>Two, carefully typed</p>")])).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = res.text().await.unwrap();
    assert!(page.contains("This lesson changed since you opened it (by Olivia Owner at"), "{page}");
    assert!(page.contains("Copy your changes, reload, and apply them again."));
    assert!(page.contains("From tab two") && page.contains("Two, carefully typed"));
    let row = lesson_row(&app, &acme, c.lesson("Reading").id.0).await;
    assert_eq!((row.title.as_str(), row.version), ("From tab one", 2), "never silently overwritten");
}

#[tokio::test]
async fn drip_dates_are_typed_in_the_school_zone_and_stored_in_utc() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let res = b
        .post_form(
            "/admin/settings",
            &[
                ("name", "Acme"),
                ("tagline", ""),
                ("default_locale", "en"),
                ("currency", "USD"),
                ("time_zone", "America/Mexico_City"),
                ("sender_name", "Acme"),
                ("sender_email", "hello@acme.test"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let c = published_course(
        &app,
        &acme,
        "Light",
        &[("One", &[("First", "text"), ("Second", "text")]), ("Two", &[("Third", "text")])],
    )
    .await;
    let url = format!("/admin/courses/{}/lessons/{}", c.course.id, c.lesson("Second").id);
    let (_, page) = b.page(&url).await;
    assert!(page.contains("First") && !page.contains(r#"value="Third""#), "only earlier lessons are offered");
    let res = b.post_form(&url, &form("1", "Second", &[("drip", "date"), ("drip_date", "2027-03-01T09:30")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row = lesson_row(&app, &acme, c.lesson("Second").id.0).await;
    assert_eq!(row.drip, "date");
    assert_eq!(row.drip_at.unwrap().to_rfc3339(), "2027-03-01T15:30:00+00:00");
    let (_, page) = b.page(&url).await;
    assert!(page.contains(r#"value="2027-03-01T09:30""#), "shown again in the school's zone");

    let third = c.lesson("Third").id.to_string();
    let res = b.post_form(&url, &form("2", "Second", &[("drip", "after_lesson"), ("drip_lesson", &third)])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a later lesson cannot gate an earlier one");
    let res = b.post_form(&url, &form("2", "Second", &[("drip", "days"), ("drip_days", "7")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row = lesson_row(&app, &acme, c.lesson("Second").id.0).await;
    assert_eq!((row.drip.as_str(), row.drip_days, row.drip_at), ("days", Some(7), None));

    // Module settings: the same drip fields.
    let m = format!("/admin/courses/{}/modules/{}", c.course.id, c.modules[1]);
    let (status, page) = b.page(&m).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Module settings"));
    let res = b.post_form(&m, &[("title", ""), ("drip", "days"), ("drip_days", "x")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Give the module a title.") && page.contains("Enter a number of days"));
    let first_module = c.modules[0].to_string();
    let res =
        b.post_form(&m, &[("title", "Going further"), ("drip", "after_module"), ("drip_module", &first_module)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (title, drip, after): (String, String, Option<uuid::Uuid>) =
        sqlx::query_as("select title, drip, drip_after from course_modules where tenant_id = $1 and id = $2")
            .bind(acme.school.id)
            .bind(c.modules[1])
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((title.as_str(), drip.as_str(), after), ("Going further", "after_module", Some(c.modules[0].0)));
}

#[tokio::test]
async fn a_deleted_video_shows_staff_a_placeholder() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "video")])]).await;
    let clip = library_item(&app, &acme, "Welcome clip", "video", "video/mp4").await;
    let b = owner(&app, &acme).await;
    let url = format!("/admin/courses/{}/lessons/{}", c.course.id, c.lesson("Welcome").id);
    let clip_id = clip.to_string();
    let res = b.post_form(&url, &form("1", "Welcome", &[("media_id", &clip_id), ("watch_percent", "90")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(lesson_row(&app, &acme, c.lesson("Welcome").id.0).await.media_id, Some(clip.0));
    let (_, page) = b.page(&url).await;
    assert!(!page.contains("was deleted from the library"));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("delete from media where tenant_id = $1 and id = $2")
        .bind(acme.school.id)
        .bind(clip)
        .execute(&mut *tx)
        .await
        .unwrap();
    let (media, deleted): (Option<uuid::Uuid>, bool) =
        sqlx::query_as("select media_id, media_deleted from lessons where tenant_id = $1 and id = $2")
            .bind(acme.school.id)
            .bind(c.lesson("Welcome").id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((media, deleted), (None, true));
    let (_, page) = b.page(&url).await;
    assert!(page.contains("The video was deleted from the library — choose another."), "{page}");
}
