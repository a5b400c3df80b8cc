//! The discussion under a lesson: post, reply (one level), staff badges, escaping, deleting
//! (own; staff any), limits, and only for people who may open the lesson.

use reqwest::StatusCode;

use crate::{
    courses_player::{htmx, student, url},
    courses_support::{enroll, published_course},
    support::{PASSWORD, TestApp, location},
};

#[tokio::test]
async fn students_and_staff_talk_under_a_lesson() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let c = published_course(&app, &acme, "Light", &[("Basics", &[("One", "text")])]).await;
    let (sam, b) = student(&app, &acme, "Sam Student", "sam@acme.test").await;
    let (ola, b2) = student(&app, &acme, "Ola", "ola@acme.test").await;
    let (_, outsider) = student(&app, &acme, "Out", "out@acme.test").await;
    enroll(&app, &acme, sam.id, &c.course).await;
    enroll(&app, &acme, ola.id, &c.course).await;
    let lesson = url(&c, "One");
    let comments = format!("{lesson}/comments");

    let res = b.post_form(&comments, &[("body", "Why f/8?\n<script>alert(1)</script>")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).ends_with("#comments"));
    let (_, page) = b2.page(&lesson).await;
    assert!(page.contains("Why f&#x2f;8?\n&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"), "escaped, line break kept");
    assert!(page.contains(">SS</span>") && page.contains("just now"));
    let id: String = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let r: uuid::Uuid = sqlx::query_scalar("select id from lesson_comments").fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        r.to_string()
    };
    assert!(page.contains(&format!("id=\"comment-{id}\"")));

    // The owner answers: marked as team; a reply to a reply lands under the comment.
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let res = htmx(&owner, &comments, &[("body", "Sharpness across the frame."), ("parent", &id)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let thread = res.text().await.unwrap();
    assert!(
        thread.contains("id=\"comments\"")
            && thread.contains("Sharpness across the frame.")
            && thread.contains(">Team<"),
        "{thread}"
    );
    let reply_id: String = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let r: uuid::Uuid = sqlx::query_scalar("select id from lesson_comments where parent_id is not null")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        r.to_string()
    };
    htmx(&b2, &comments, &[("body", "Thanks!"), ("parent", &reply_id)]).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let parents: Vec<Option<uuid::Uuid>> =
        sqlx::query_scalar("select parent_id from lesson_comments order by created_at")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(parents[2].map(|p| p.to_string()), Some(id.clone()), "one level of replies");

    // Bad input: kept in the form with a message.
    let res = htmx(&b, &comments, &[("body", "   ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Write something before posting."));
    let long = "y".repeat(5_001);
    let res = htmx(&b, &comments, &[("body", &long)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains(&long), "what was typed is kept");

    // Deleting: not someone else's; one's own yes; staff any.
    let delete = format!("{comments}/{id}/delete");
    assert_eq!(b2.post_form(&delete, &[]).await.status(), StatusCode::FORBIDDEN);
    let res = htmx(&b, &delete, &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let thread = res.text().await.unwrap();
    assert!(thread.contains("This comment was removed.") && thread.contains("Sharpness"), "replies stay: {thread}");
    let res = owner.post_form(&format!("{comments}/{reply_id}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = b.page(&lesson).await;
    assert!(!page.contains("Sharpness") && !page.contains("Why f&#x2f;8"), "{page}");
    assert_eq!(
        b.post_form(&format!("{comments}/{}/delete", uuid::Uuid::now_v7()), &[]).await.status(),
        StatusCode::NOT_FOUND
    );

    // People who cannot open the lesson neither read nor post.
    let (status, page) = outsider.page(&lesson).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!page.contains("Thanks!"));
    assert_eq!(outsider.post_form(&comments, &[("body", "Let me in")]).await.status(), StatusCode::FORBIDDEN);

    // A burst is slowed down.
    let mut last = StatusCode::OK;
    for n in 0..12 {
        last = htmx(&b2, &comments, &[("body", &format!("Note {n}"))]).await.status();
    }
    assert_eq!(last, StatusCode::UNPROCESSABLE_ENTITY);
}
