//! Course content, part one: the course settings page (rich text sanitised, cover image, slug
//! clashes, instructors, the version check), instructor profiles, the media picker, and who
//! may open these pages.

use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_support::{library_item, published_course},
    support::{PASSWORD, TestApp, TestSchool},
};

async fn owner(app: &TestApp, school: &TestSchool) -> crate::support::Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

async fn scalar<T>(app: &TestApp, school: &TestSchool, sql: &'static str, id: uuid::Uuid) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v: T = sqlx::query_scalar(sql).bind(school.school.id).bind(id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    v
}

#[tokio::test]
async fn course_settings_save_sanitised_text_a_cover_and_instructors() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let ines = app.user(&acme, "Inés Instructor", "ines@acme.test", Role::Instructor).await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text")])]).await;
    published_course(&app, &acme, "Colour", &[]).await;
    let cover = library_item(&app, &acme, "Cover shot", "file", "image/png").await;
    let notes = library_item(&app, &acme, "Notes", "file", "application/pdf").await;
    let b = owner(&app, &acme).await;
    let url = format!("/admin/courses/{}/settings", c.course.id);
    let (status, page) = b.page(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Cover shot") && !page.contains(">Notes<"), "only images are offered as covers");
    assert!(page.contains("/assets/editor.") && page.contains("data-rich-text"));

    let ines_id = ines.id.to_string();
    let cover_id = cover.to_string();
    let base = vec![
        ("version", "1"),
        ("title", "Light and shadow"),
        ("subtitle", "See like a photographer"),
        ("description_html", "<p>Learn <strong>light</strong>.</p><script>alert(1)</script>"),
        ("cover_media_id", cover_id.as_str()),
        ("slug", "light-and-shadow"),
        ("category", "Photography"),
        ("is_free", "on"),
        ("add_instructor", ines_id.as_str()),
    ];
    let res = b.post_form(&url, &base).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let stored: String =
        scalar(&app, &acme, "select description_html from courses where tenant_id = $1 and id = $2", c.course.id.0)
            .await;
    assert_eq!(stored, "<p>Learn <strong>light</strong>.</p>");
    let (_, page) = b.page(&url).await;
    assert!(page.contains("Course settings saved."));
    assert!(page.contains("Inés Instructor") && page.contains(r#"value="light-and-shadow""#));
    assert!(page.contains(r#"<option value="Photography">"#), "the category is suggested");
    assert!(!page.contains("<script>alert(1)"));
    let uses: i64 = scalar(
        &app,
        &acme,
        "select count(*) from media_uses where tenant_id = $1 and owner_kind = 'course' and owner_id = $2",
        c.course.id.0,
    )
    .await;
    assert_eq!(uses, 1, "the cover is recorded as a use");

    // A PDF is not an image; a taken address names the course that has it.
    let notes_id = notes.to_string();
    let mut bad = base.clone();
    bad[0] = ("version", "2");
    bad[4] = ("cover_media_id", notes_id.as_str());
    bad[5] = ("slug", "colour");
    let res = b.post_form(&url, &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Choose an image from your library."));
    assert!(page.contains("&quot;Colour&quot; already uses this address") || page.contains("\"Colour\" already uses"));
    bad[4] = ("cover_media_id", cover_id.as_str());
    bad[5] = ("slug", "Not A Slug");
    let page = b.post_form(&url, &bad).await.text().await.unwrap();
    assert!(page.contains("Use lowercase letters, numbers and single hyphens"));

    // A second tab still at version 1 is refused and keeps what it typed.
    let mut stale = base.clone();
    stale[1] = ("title", "Typed in the other tab");
    let res = b.post_form(&url, &stale).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = res.text().await.unwrap();
    assert!(page.contains("These settings changed since you opened them (by Olivia Owner"), "{page}");
    assert!(page.contains("Typed in the other tab"));

    // The instructor's profile: headline, sanitised bio, photo.
    let profile = format!("/admin/courses/{}/instructors/{}", c.course.id, ines.id);
    let (status, _) = b.page(&profile).await;
    assert_eq!(status, StatusCode::OK);
    let res = b
        .post_form(
            &profile,
            &[
                ("headline", "Portrait photographer"),
                ("bio_html", "<p>Twenty years.</p><img src=x onerror=alert(1)>"),
                ("photo_media_id", cover_id.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let bio: String = scalar(
        &app,
        &acme,
        "select bio_html from instructor_profiles where tenant_id = $1 and user_id = $2",
        ines.id.0,
    )
    .await;
    assert!(bio.starts_with("<p>Twenty years.</p>") && !bio.contains("onerror"), "{bio}");
    let (_, page) = b.page(&profile).await;
    assert!(page.contains("Portrait photographer"));
}

#[tokio::test]
async fn the_picker_lists_only_this_schools_ready_items_of_the_kind() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    library_item(&app, &acme, "Acme clip", "video", "video/mp4").await;
    let cover = library_item(&app, &acme, "Acme cover", "file", "image/png").await;
    library_item(&app, &acme, "Acme notes", "file", "application/pdf").await;
    library_item(&app, &globex, "Globex clip", "video", "video/mp4").await;
    let b = owner(&app, &acme).await;
    let (status, videos) = b.page("/admin/media/picker?kind=video&name=media_id").await;
    assert_eq!(status, StatusCode::OK);
    assert!(videos.contains("Acme clip") && !videos.contains("Globex clip") && !videos.contains("Acme cover"));
    let (_, images) = b.page("/admin/media/picker?kind=image&name=cover").await;
    assert!(images.contains("Acme cover") && !images.contains("Acme notes"));
    assert!(images.contains(&format!("/admin/media/{cover}/image")));
    let (_, files) = b.page("/admin/media/picker?kind=file&q=notes").await;
    assert!(files.contains("Acme notes") && !files.contains("Acme cover"), "search narrows the list");
    let (_, none) = b.page("/admin/media/picker?kind=audio").await;
    assert!(none.contains("No audio in your library yet"));

    let other = owner(&app, &globex).await;
    assert_eq!(other.get(&format!("/admin/media/{cover}/image")).await.status(), StatusCode::NOT_FOUND);
    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let student = app.browser("acme");
    student.login("sam@acme.test", PASSWORD).await;
    assert_eq!(student.get("/admin/media/picker?kind=video").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn another_school_gets_not_found_and_a_student_forbidden() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("Welcome", "text")])]).await;
    let owner_id: uuid::Uuid = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from users where tenant_id = $1 and role = 'owner'")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        sqlx::query("insert into course_instructors (tenant_id, course_id, user_id) values ($1, $2, $3)")
            .bind(acme.school.id)
            .bind(c.course.id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let paths = [
        format!("/admin/courses/{}/settings", c.course.id),
        format!("/admin/courses/{}/lessons/{}", c.course.id, c.lessons[0].id),
        format!("/admin/courses/{}/modules/{}", c.course.id, c.modules[0]),
        format!("/admin/courses/{}/instructors/{owner_id}", c.course.id),
    ];
    let mine = owner(&app, &acme).await;
    for p in &paths {
        assert_eq!(mine.get(p).await.status(), StatusCode::OK, "{p}");
    }
    let other = owner(&app, &globex).await;
    for p in &paths {
        assert_eq!(other.get(p).await.status(), StatusCode::NOT_FOUND, "{p}");
        let res = other.post_form(p, &[("title", "Taken over"), ("version", "1")]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "POST {p}");
    }
    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let student = app.browser("acme");
    student.login("sam@acme.test", PASSWORD).await;
    for p in &paths {
        assert_eq!(student.get(p).await.status(), StatusCode::FORBIDDEN, "{p}");
    }
    let title: String =
        scalar(&app, &acme, "select title from courses where tenant_id = $1 and id = $2", c.course.id.0).await;
    assert_eq!(title, "Light");
}
