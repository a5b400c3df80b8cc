//! Building courses for tests without the builder's pages: a published course with modules and
//! lessons in the school's database, and enrolments through the courses service.

use courses::{
    Course, CourseId, Lesson, LessonId, ModuleId,
    enrollment::{self, Source},
    store,
};
use kernel::ids::UserId;

use crate::support::{TestApp, TestSchool};

/// A course made by [`published_course`].
pub struct TestCourse {
    pub course: Course,
    pub modules: Vec<ModuleId>,
    /// Lessons in order, module by module.
    pub lessons: Vec<Lesson>,
}

impl TestCourse {
    pub fn lesson(&self, title: &str) -> &Lesson {
        self.lessons.iter().find(|l| l.title == title).unwrap_or_else(|| panic!("no lesson {title}"))
    }
}

/// Creates a published course `title` with modules of published lessons: each module is a
/// title and its lessons as (title, kind).
pub async fn published_course(
    app: &TestApp,
    school: &TestSchool,
    title: &str,
    modules: &[(&str, &[(&str, &str)])],
) -> TestCourse {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id = CourseId::new();
    store::insert_course(&mut tx, id, &courses::slug::from_title(title), title, None).await.unwrap();
    let mut module_ids = vec![];
    for (module_title, lessons) in modules {
        let module = ModuleId::new();
        store::insert_module(&mut tx, module, id, module_title).await.unwrap();
        module_ids.push(module);
        for (lesson_title, kind) in lessons.iter() {
            store::insert_lesson(&mut tx, LessonId::new(), id, module, lesson_title, kind).await.unwrap();
        }
    }
    sqlx::query("update lessons set status = 'published' where tenant_id = $1 and course_id = $2")
        .bind(school.school.id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("update courses set status = 'published', published_at = now() where tenant_id = $1 and id = $2")
        .bind(school.school.id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    let course = store::course(&mut tx, id).await.unwrap().unwrap();
    let lessons = store::lessons(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    TestCourse { course, modules: module_ids, lessons }
}

/// Enrols a student by hand, as staff would.
pub async fn enroll(app: &TestApp, school: &TestSchool, user: UserId, course: &Course) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    enrollment::enroll(&app.state, &mut tx, user, course, Source::Staff, None, None).await.unwrap();
    tx.commit().await.unwrap();
}

/// Runs a statement on the school's rows (to set up drip rules, dates and the like).
pub async fn exec(app: &TestApp, school: &TestSchool, sql: &'static str, id: uuid::Uuid) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(sql).bind(school.school.id).bind(id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// How many events of `kind` the school recorded.
pub async fn events(app: &TestApp, school: &TestSchool, kind: &str) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let n = sqlx::query_scalar("select count(*) from events where tenant_id = $1 and kind = $2")
        .bind(school.school.id)
        .bind(kind)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

/// Adds a ready item to the school's media library, as if uploaded and processed: `kind` is
/// `video`, `audio` or `file`, `content_type` what processing detected.
pub async fn library_item(
    app: &TestApp,
    school: &TestSchool,
    title: &str,
    kind: &str,
    content_type: &str,
) -> media::MediaId {
    let id = media::MediaId::new();
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(
        "insert into media (tenant_id, id, title, kind, status, current_upload, file_name, content_type, source_bytes)
         values ($1, $2, $3, $4, 'ready', $5, $3, $6, 2048)",
    )
    .bind(school.school.id)
    .bind(id)
    .bind(title)
    .bind(kind)
    .bind(uuid::Uuid::now_v7())
    .bind(content_type)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Completes every lesson of `course` for `user`, as the player would (publishes
/// `lesson.completed` and `course.completed`); jobs are not run.
pub async fn complete_course(app: &TestApp, school: &TestSchool, user: UserId, course: &TestCourse) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    for lesson in &course.lessons {
        courses::progress::complete_lesson(&app.state, &mut tx, user, lesson, courses::progress::How::Marked)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Text that `pdftotext` (poppler-utils) extracts from a PDF, laid out as on the page.
pub fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let path = crate::support::scratch_dir("pdf").join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed: scripts/ensure-deps.sh");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    // pdftotext marks right-to-left runs with bidi embedding controls; the words are what count.
    String::from_utf8(out.stdout).unwrap().replace(['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}'], "")
}
