//! Assignments: a student hands in text and files (with the media library's guards), hands in
//! again, staff review in the queue (approve or ask for changes), emails, events, completion
//! exactly once, who may download the files, and the other school's 404s.

use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_support::{TestCourse, enroll, events, published_course},
    support::{Browser, PASSWORD, TestApp, TestSchool, location},
};

struct Setup {
    app: TestApp,
    acme: TestSchool,
    course: TestCourse,
    student: Browser,
    owner: Browser,
}

impl Setup {
    fn submit_path(&self) -> String {
        format!("/learn/{}/{}/assignment", self.course.course.slug, self.course.lesson("Your portrait").id)
    }
    fn lesson_path(&self) -> String {
        format!("/learn/{}/{}", self.course.course.slug, self.course.lesson("Your portrait").id)
    }
    async fn submission_id(&self) -> String {
        let mut tx = self.app.state.db.tenant(self.acme.school.id).await.unwrap();
        let id: uuid::Uuid = sqlx::query_scalar("select id from assignment_submissions where tenant_id = $1")
            .bind(self.acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id.to_string()
    }
}

async fn setup() -> Setup {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let sam = app.user(&acme, "Sam Student", "sam@acme.test", Role::Student).await;
    let course = published_course(
        &app,
        &acme,
        "Portraits",
        &[("Light", &[("Welcome", "text"), ("Your portrait", "assignment")])],
    )
    .await;
    enroll(&app, &acme, sam.id, &course.course).await;
    app.run_jobs().await;
    let student = app.browser("acme");
    student.login("sam@acme.test", PASSWORD).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    Setup { app, acme, course, student, owner }
}

#[tokio::test]
async fn a_student_hands_in_text_and_files_and_bad_files_are_refused_with_the_text_kept() {
    let s = setup().await;
    let (status, page) = s.student.page(&s.lesson_path()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Your work") && page.contains("Hand in"), "{page}");

    let res = s.student.post_multipart(&s.submit_path(), &[("text", "   ")], vec![]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Write an answer or attach a file."));

    let exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    let res = s
        .student
        .post_multipart(&s.submit_path(), &[("text", "My <b>essay</b>")], vec![("files", "notes.pdf", exe)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("notes.pdf is a program"), "{body}");
    assert!(body.contains(">My &lt;b&gt;essay&lt;"), "the text is kept: {body}");

    let big = vec![b'a'; courses::assignments::files::FILE_MAX_BYTES + 1];
    let res = s.student.post_multipart(&s.submit_path(), &[("text", "Essay")], vec![("files", "big.txt", big)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("big.txt is larger than 20 MB"));

    let video = b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41".to_vec();
    let res = s.student.post_multipart(&s.submit_path(), &[("text", "")], vec![("files", "clip.mp4", video)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("clip.mp4 is not a type we accept"));
    assert_eq!(events(&s.app, &s.acme, "assignment.submitted").await, 0, "nothing was handed in");

    let pdf = b"%PDF-1.4\n% my essay\n".to_vec();
    let res = s
        .student
        .post_multipart(
            &s.submit_path(),
            &[("text", "Line one\nLine <two>\n\nSecond paragraph")],
            vec![("files", "essay.pdf", pdf.clone()), ("files", "notes.txt", "Plain notes".as_bytes().to_vec())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), s.lesson_path());
    let (_, page) = s.student.page(&s.lesson_path()).await;
    assert!(page.contains("Your work is handed in."), "{page}");
    assert!(page.contains("Waiting for review"));
    assert!(page.contains("<p>Line one<br>Line &lt;two&gt;</p><p>Second paragraph</p>"), "{page}");
    assert!(page.contains("essay.pdf") && page.contains("notes.txt"));
    assert_eq!(events(&s.app, &s.acme, "assignment.submitted").await, 1);

    // Staff hear of it.
    s.app.run_jobs().await;
    let mails = s.app.mails(&s.acme).await;
    let to_owner = mails.iter().find(|m| m.to_email == s.acme.owner_email).expect("the owner is told");
    assert_eq!(to_owner.subject, "New work to review: Your portrait");
    assert!(to_owner.text.contains("Sam Student handed in \"Your portrait\" in Portraits."), "{}", to_owner.text);

    // The author downloads their file; the bytes and type are what was handed in.
    let file_link = page.split("/assignments/files/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let res = s.student.get(&format!("/assignments/files/{file_link}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("essay.pdf"));
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(s.owner.get(&format!("/assignments/files/{file_link}")).await.status(), StatusCode::OK);
    // Another student of the school is told it does not exist.
    s.app.user(&s.acme, "Ana", "ana@acme.test", Role::Student).await;
    let ana = s.app.browser("acme");
    ana.login("ana@acme.test", PASSWORD).await;
    assert_eq!(ana.get(&format!("/assignments/files/{file_link}")).await.status(), StatusCode::NOT_FOUND);
    // Ana is not enrolled: she may not hand anything in.
    let res = ana.post_multipart(&s.submit_path(), &[("text", "Mine")], vec![]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A stranger is sent to log in.
    let stranger = s.app.browser("acme");
    assert_ne!(stranger.get(&format!("/assignments/files/{file_link}")).await.status(), StatusCode::OK);

    // While pending, handing in again replaces the version; the files stay when none are chosen.
    let res = s.student.post_multipart(&s.submit_path(), &[("text", "Better essay")], vec![]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = s.student.page(&s.lesson_path()).await;
    assert!(page.contains("Your work is updated."));
    assert!(page.contains("Better essay") && page.contains("essay.pdf"));
    assert!(!page.contains("Version 2"), "a replacement, not a new version");
    assert!(!page.contains("Second paragraph"));
}

#[tokio::test]
async fn staff_ask_for_changes_then_approve_and_the_lesson_completes_once() {
    let s = setup().await;
    let res = s.student.post_multipart(&s.submit_path(), &[("text", "First try")], vec![]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = s.submission_id().await;

    let (status, queue) = s.owner.page("/admin/assignments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(queue.contains(r#"hx-get="/admin/assignments/badge""#), "the sidebar asks for its badge");
    let (_, badge) = s.owner.page("/admin/assignments/badge").await;
    assert!(badge.contains(">1<"), "{badge}");
    assert!(queue.contains("Sam Student") && queue.contains("Your portrait") && queue.contains("Portraits"), "{queue}");
    assert!(queue.contains(&format!("/admin/assignments/{id}")));
    let (_, approved_tab) = s.owner.page("/admin/assignments?status=approved").await;
    assert!(approved_tab.contains("Nothing to review"), "{approved_tab}");

    let (status, review) = s.owner.page(&format!("/admin/assignments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(review.contains("First try") && review.contains("Ask for changes"));

    // Asking for changes needs feedback; what was typed is kept.
    let path = format!("/admin/assignments/{id}/review");
    let res = s.owner.post_form(&path, &[("decision", "changes"), ("feedback", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Tell the student what to change."));
    let res = s.owner.post_form(&path, &[("decision", "changes"), ("feedback", "Show the light on the face.")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(events(&s.app, &s.acme, "assignment.changes_requested").await, 1);
    // A second decision on the same version changes nothing.
    let res = s.owner.post_form(&path, &[("decision", "approve"), ("feedback", "")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(events(&s.app, &s.acme, "assignment.approved").await, 0);

    let mails = s.app.mails(&s.acme).await;
    let mail = mails.iter().find(|m| m.to_email == "sam@acme.test").expect("the student is told");
    assert_eq!(mail.subject, "A few changes for \"Your portrait\"");
    assert!(mail.text.contains("Show the light on the face.") && mail.text.contains(&s.lesson_path()), "{}", mail.text);

    let (_, page) = s.student.page(&s.lesson_path()).await;
    assert!(page.contains("Your instructor asked for a few changes") && page.contains("Show the light on the face."));
    assert!(page.contains("Hand in again"));

    let res = s.student.post_multipart(&s.submit_path(), &[("text", "Second try")], vec![]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = s.student.page(&s.lesson_path()).await;
    assert!(page.contains("Version 2") && page.contains("Version 1") && page.contains("First try"), "history kept");
    let (_, queue) = s.owner.page("/admin/assignments").await;
    assert!(queue.contains("Version 2"));

    let res = s.owner.post_form(&path, &[("decision", "approve"), ("feedback", "Lovely work.")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = s.owner.post_form(&path, &[("decision", "approve"), ("feedback", "Again")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(events(&s.app, &s.acme, "assignment.approved").await, 1);
    assert_eq!(events(&s.app, &s.acme, "lesson.completed").await, 1, "approval completes the lesson once");

    let mails = s.app.mails(&s.acme).await;
    let mail = mails.iter().find(|m| m.to_email == "sam@acme.test" && m.subject.contains("approved")).unwrap();
    assert!(mail.text.contains("Lovely work."));
    let (_, page) = s.student.page(&s.lesson_path()).await;
    assert!(page.contains("Your work is approved") && !page.contains("Hand in again"));
    let res = s.student.post_multipart(&s.submit_path(), &[("text", "Third")], vec![]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "nothing more to hand in");
    assert_eq!(events(&s.app, &s.acme, "assignment.submitted").await, 2);

    let (_, badge) = s.owner.page("/admin/assignments/badge").await;
    assert!(!badge.contains("badge-warning"), "nothing waits: {badge}");
    let (_, approved) = s.owner.page("/admin/assignments?status=approved").await;
    assert!(approved.contains("Sam Student"));
    let (_, review) = s.owner.page(&format!("/admin/assignments/{id}")).await;
    assert!(review.contains("This work is approved."));
}

#[tokio::test]
async fn the_queue_filters_by_course_and_students_and_other_schools_are_kept_out() {
    let s = setup().await;
    let other = published_course(&s.app, &s.acme, "Landscapes", &[("Hills", &[("Your hill", "assignment")])]).await;
    let sam = {
        let mut tx = s.app.state.db.tenant(s.acme.school.id).await.unwrap();
        let u = identity::store::find_by_email(&mut tx, "sam@acme.test").await.unwrap().unwrap().0;
        tx.commit().await.unwrap();
        u
    };
    enroll(&s.app, &s.acme, sam.id, &other.course).await;
    let pdf = vec![("files", "a.pdf", b"%PDF-1.4".to_vec())];
    s.student.post_multipart(&s.submit_path(), &[("text", "Portrait work")], pdf).await;
    let hill = format!("/learn/{}/{}/assignment", other.course.slug, other.lesson("Your hill").id);
    assert_eq!(s.student.post_multipart(&hill, &[("text", "Hill work")], vec![]).await.status(), StatusCode::SEE_OTHER);

    let (_, all) = s.owner.page("/admin/assignments").await;
    assert!(all.contains("Your portrait") && all.contains("Your hill"));
    let (_, one) = s.owner.page(&format!("/admin/assignments?course={}", other.course.id)).await;
    assert!(one.contains("Your hill") && !one.contains("Your portrait"), "{one}");

    // Students may not see staff pages.
    assert_eq!(s.student.get("/admin/assignments").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(s.student.get("/admin/assignments/badge").await.status(), StatusCode::FORBIDDEN);
    let id = s.submission_id_of("Portrait work").await;
    assert_eq!(s.student.get(&format!("/admin/assignments/{id}")).await.status(), StatusCode::FORBIDDEN);
    let res = s.student.post_form(&format!("/admin/assignments/{id}/review"), &[("decision", "approve")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Another school's owner gets 404 for every id.
    let globex = s.app.school("globex").await;
    let g = s.app.browser("globex");
    g.login(&globex.owner_email, PASSWORD).await;
    assert_eq!(g.get(&format!("/admin/assignments/{id}")).await.status(), StatusCode::NOT_FOUND);
    let res = g.post_form(&format!("/admin/assignments/{id}/review"), &[("decision", "approve")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let file = s.file_id().await.expect("a file was handed in");
    assert_eq!(g.get(&format!("/assignments/files/{file}")).await.status(), StatusCode::NOT_FOUND);
    let (_, gq) = g.page("/admin/assignments").await;
    assert!(!gq.contains("Sam Student"));
    let res = g.post_multipart(&s.submit_path(), &[("text", "x")], vec![]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "the course is not in globex");
}

impl Setup {
    async fn submission_id_of(&self, text: &str) -> String {
        let mut tx = self.app.state.db.tenant(self.acme.school.id).await.unwrap();
        let id: uuid::Uuid = sqlx::query_scalar(
            "select s.id from assignment_submissions s join assignment_versions v
               on v.tenant_id = s.tenant_id and v.submission_id = s.id
             where s.tenant_id = $1 and v.body_html like '%' || $2 || '%'",
        )
        .bind(self.acme.school.id)
        .bind(text)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id.to_string()
    }

    async fn file_id(&self) -> Option<String> {
        let mut tx = self.app.state.db.tenant(self.acme.school.id).await.unwrap();
        let id: Option<uuid::Uuid> = sqlx::query_scalar("select id from assignment_files where tenant_id = $1 limit 1")
            .bind(self.acme.school.id)
            .fetch_optional(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id.map(|i| i.to_string())
    }
}

#[tokio::test]
async fn files_are_refused_when_the_school_storage_is_full() {
    let s = setup().await;
    let mut tx = s.app.state.db.tenant(s.acme.school.id).await.unwrap();
    let id = media::MediaId::new();
    media::store::insert_media(&mut tx, id, "Huge", "file", "huge.zip", None).await.unwrap();
    sqlx::query("update media set status = 'ready', storage_bytes = $3 where tenant_id = $1 and id = $2")
        .bind(s.acme.school.id)
        .bind(id)
        .bind(kernel::plan::Plan::named(&s.acme.school.plan).storage_bytes as i64)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let pdf = vec![("files", "essay.pdf", b"%PDF-1.4".to_vec())];
    let res = s.student.post_multipart(&s.submit_path(), &[("text", "Essay")], pdf).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("The school&#x27;s storage is full"));
    let res = s.student.post_multipart(&s.submit_path(), &[("text", "Essay as text")], vec![]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "text alone still goes in");
}
