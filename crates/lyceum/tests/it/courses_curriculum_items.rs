//! Duplicating lessons, modules and courses; deleting with undo and the daily purge; and every
//! curriculum route refused to another school (404) and to students (403).

use courses::{CourseId, curriculum::purge, store};
use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_curriculum::{outline, owner, sample},
    courses_support::{enroll, exec},
    support::{PASSWORD, TestApp, location},
};

#[tokio::test]
async fn lessons_modules_and_courses_duplicate_without_students() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = sample(&app, &acme).await;
    let sam = app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    enroll(&app, &acme, sam.id, &c.course).await;
    exec(
        &app,
        &acme,
        "update lessons set duration_minutes = 7, free_preview = true where tenant_id = $1 and id = $2",
        c.lesson("Light").id.0,
    )
    .await;
    exec(&app, &acme, "update lessons set drip = 'after_lesson', drip_after = (select id from lessons l where l.tenant_id = $1 and l.title = 'Light') where tenant_id = $1 and course_id = $2 and title = 'Colour'", c.course.id.0).await;
    let b = owner(&app, &acme).await;
    let base = format!("/admin/courses/{}", c.course.id);

    let res = b.post_form(&format!("{base}/lessons/{}/duplicate", c.lesson("Light").id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = b.post_form(&format!("{base}/modules/{}/duplicate", c.modules[1].0), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let tree = outline(&app, &acme, c.course.id).await;
    assert_eq!(tree[0].1, ["Welcome", "Light", "Light (copy)", "Colour"]);
    assert_eq!(tree.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>(), ["Basics", "Practice", "Practice (copy)"]);
    assert_eq!(tree[2].1, ["Portraits"]);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let lessons = store::lessons(&mut tx, c.course.id).await.unwrap();
    tx.commit().await.unwrap();
    let copy = lessons.iter().find(|l| l.title == "Light (copy)").unwrap();
    assert_eq!((copy.duration_minutes, copy.free_preview, copy.status.as_str()), (Some(7), true, "draft"));

    let res = b.post_form(&format!("{base}/duplicate"), &[]).await;
    let page = location(&res);
    let dup: CourseId = page.trim_start_matches("/admin/courses/").parse().unwrap();
    let (_, html) = b.page(&page).await;
    assert!(html.contains("Portraits (copy)") && html.contains("Here is your copy"), "{html}");
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let course = store::course(&mut tx, dup).await.unwrap().unwrap();
    let copied = store::lessons(&mut tx, dup).await.unwrap();
    let enrolled: i64 = sqlx::query_scalar("select count(*) from enrollments where tenant_id = $1 and course_id = $2")
        .bind(acme.school.id)
        .bind(dup)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((course.status.as_str(), course.slug.as_str()), ("draft", "portraits-copy"));
    assert_eq!(copied.len(), lessons.len());
    assert_eq!(enrolled, 0, "students are not copied");
    let colour = copied.iter().find(|l| l.title == "Colour").unwrap();
    let light = copied.iter().find(|l| l.title == "Light").unwrap();
    assert_eq!(colour.drip_after, Some(light.id.0), "drip rules point into the copy");
    let (_, list) = b.page("/admin/courses").await;
    assert!(list.contains("Portraits (copy)") && list.contains("/learn/portraits-copy"));
}

#[tokio::test]
async fn a_deleted_lesson_module_or_course_comes_back_with_undo() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = sample(&app, &acme).await;
    let b = owner(&app, &acme).await;
    let base = format!("/admin/courses/{}", c.course.id);
    let light = c.lesson("Light").id;

    let res = b.post_form(&format!("{base}/lessons/{light}/delete"), &[]).await;
    let back = location(&res);
    assert_eq!(back, format!("{base}?undo=lesson:{light}"));
    let (_, html) = b.page(&back).await;
    assert!(html.contains("“Light” deleted.") && html.contains(&format!("{base}/lessons/{light}/restore")), "{html}");
    assert_eq!(outline(&app, &acme, c.course.id).await[0].1, ["Welcome", "Colour"]);
    assert_eq!(b.post_form(&format!("{base}/lessons/{light}/restore"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(outline(&app, &acme, c.course.id).await[0].1, ["Welcome", "Light", "Colour"]);
    assert_eq!(
        b.post_form(&format!("{base}/lessons/{light}/restore"), &[]).await.status(),
        StatusCode::NOT_FOUND,
        "a live lesson has nothing to restore"
    );

    let module = c.modules[0].0;
    let back = location(&b.post_form(&format!("{base}/modules/{module}/delete"), &[]).await);
    let (_, html) = b.page(&back).await;
    assert!(html.contains("Module “Basics” deleted with its lessons."), "{html}");
    assert_eq!(outline(&app, &acme, c.course.id).await.len(), 1);
    b.post_form(&format!("{base}/modules/{module}/restore"), &[]).await;
    assert_eq!(outline(&app, &acme, c.course.id).await[0].1, ["Welcome", "Light", "Colour"]);

    let back = location(&b.post_form(&format!("{base}/delete"), &[]).await);
    assert_eq!(back, format!("/admin/courses?undo={}", c.course.id));
    let (_, list) = b.page(&back).await;
    assert!(list.contains("“Portraits” deleted.") && list.contains(&format!("{base}/restore")), "{list}");
    assert_eq!(b.get(&base).await.status(), StatusCode::NOT_FOUND);
    // Meanwhile a new course takes the address; the restored one gets another.
    b.post_form("/admin/courses", &[("title", "Portraits")]).await;
    assert_eq!(b.post_form(&format!("{base}/restore"), &[]).await.status(), StatusCode::SEE_OTHER);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let restored = store::course(&mut tx, c.course.id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(restored.slug, "portraits-2");
}

#[tokio::test]
async fn the_daily_purge_removes_what_was_deleted_over_thirty_days_ago() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = sample(&app, &acme).await;
    let b = owner(&app, &acme).await;
    let base = format!("/admin/courses/{}", c.course.id);
    b.post_form(&format!("{base}/lessons/{}/delete", c.lesson("Light").id), &[]).await;
    b.post_form(&format!("{base}/lessons/{}/delete", c.lesson("Colour").id), &[]).await;
    app.run_jobs().await;
    let count = || async {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let n: i64 = sqlx::query_scalar("select count(*) from lessons where tenant_id = $1")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let scheduled: i64 =
            sqlx::query_scalar("select count(*) from job_schedules where tenant_id = $1 and kind = $2")
                .bind(acme.school.id)
                .bind(purge::KIND)
                .fetch_one(&mut *tx)
                .await
                .unwrap();
        (n, scheduled)
    };
    assert_eq!(count().await, (4, 1), "the purge is scheduled once and keeps recent deletions");
    exec(
        &app,
        &acme,
        "update lessons set deleted_at = now() - interval '31 days' where tenant_id = $1 and id = $2",
        c.lesson("Light").id.0,
    )
    .await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    kernel::jobs::enqueue(&mut tx, kernel::jobs::NewJob::new(purge::KIND, serde_json::json!({}))).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    assert_eq!(count().await.0, 3, "only the lesson deleted over 30 days ago is gone");
    assert_eq!(
        b.post_form(&format!("{base}/lessons/{}/restore", c.lesson("Light").id), &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.post_form(&format!("{base}/lessons/{}/restore", c.lesson("Colour").id), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn every_curriculum_route_is_404_to_another_school_and_403_to_students() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let c = sample(&app, &acme).await;
    let (id, m, l) = (c.course.id, c.modules[0].0, c.lesson("Light").id);
    let stranger = owner(&app, &globex).await;
    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let student = app.browser("acme");
    student.login("sam@acme.test", PASSWORD).await;
    let posts = [
        (format!("/admin/courses/{id}/modules"), vec![("title", "X")]),
        (format!("/admin/courses/{id}/order"), vec![("order", "")]),
        (format!("/admin/courses/{id}/publish"), vec![]),
        (format!("/admin/courses/{id}/unpublish"), vec![]),
        (format!("/admin/courses/{id}/duplicate"), vec![]),
        (format!("/admin/courses/{id}/delete"), vec![]),
        (format!("/admin/courses/{id}/restore"), vec![]),
        (format!("/admin/courses/{id}/modules/{m}/lessons"), vec![("kind", "text"), ("title", "X")]),
        (format!("/admin/courses/{id}/modules/{m}/rename"), vec![("title", "X")]),
        (format!("/admin/courses/{id}/modules/{m}/move"), vec![("dir", "down")]),
        (format!("/admin/courses/{id}/modules/{m}/duplicate"), vec![]),
        (format!("/admin/courses/{id}/modules/{m}/delete"), vec![]),
        (format!("/admin/courses/{id}/modules/{m}/restore"), vec![]),
        (format!("/admin/courses/{id}/lessons/{l}/rename"), vec![("title", "X")]),
        (format!("/admin/courses/{id}/lessons/{l}/move"), vec![("dir", "up")]),
        (format!("/admin/courses/{id}/lessons/{l}/status"), vec![("published", "0")]),
        (format!("/admin/courses/{id}/lessons/{l}/duplicate"), vec![]),
        (format!("/admin/courses/{id}/lessons/{l}/delete"), vec![]),
        (format!("/admin/courses/{id}/lessons/{l}/restore"), vec![]),
    ];
    assert_eq!(stranger.get(&format!("/admin/courses/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(student.get(&format!("/admin/courses/{id}")).await.status(), StatusCode::FORBIDDEN);
    for (path, fields) in &posts {
        assert_eq!(stranger.post_form(path, fields).await.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(student.post_form(path, fields).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // A module or lesson of another school named under one's own course is not found either.
    let mine = sample(&app, &globex).await;
    let theirs = format!("/admin/courses/{}/lessons/{l}/delete", mine.course.id);
    assert_eq!(stranger.post_form(&theirs, &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(outline(&app, &acme, id).await[0].1, ["Welcome", "Light", "Colour"], "nothing changed");
}
