//! The student's side of a course: `GET /learn/{slug}`, the course home (hero, instructors,
//! "continue where you left off", the curriculum, the description, and enrolment for a free
//! course). What is shown comes from [`Outline`]; the lesson page is in [`super::lesson`].

use axum::{
    extract::{Path, Query},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{access::Outline, model::LessonId, store};

/// `?preview=student`: staff see the course as a student would.
#[derive(Deserialize, Default)]
pub struct Preview {
    #[serde(default)]
    preview: Option<String>,
}

impl Preview {
    /// Whether staff asked to see the page as a student.
    pub(crate) fn as_student(&self) -> bool {
        self.preview.as_deref() == Some("student")
    }
}

/// The course as the viewer sees it; 404 for a course that does not exist or that students
/// cannot see yet (unless the viewer builds courses).
pub(crate) async fn outline(ctx: &Ctx, slug: &str, as_student: bool) -> AppResult<Outline> {
    let mut tx = ctx.tx().await?;
    let course = store::course_by_slug(&mut tx, slug).await?.ok_or(AppError::NotFound)?;
    if !course.is_published() && !ctx.can(Permission::ManageCourses) {
        return Err(AppError::NotFound);
    }
    let outline = Outline::load(&mut tx, course, ctx.user.as_deref(), ctx.state.clock.now(), as_student).await?;
    tx.commit().await?;
    Ok(outline)
}

/// Someone who teaches the course, as its home page introduces them.
#[derive(Serialize)]
struct Instructor {
    name: String,
    initials: String,
    headline: String,
}

async fn instructors(ctx: &Ctx, outline: &Outline) -> AppResult<Vec<Instructor>> {
    let mut tx = ctx.tx().await?;
    let mut out = vec![];
    for id in crate::comments::instructors(&mut tx, outline.course.id).await? {
        let Some(user) = identity::store::find(&mut tx, id).await? else { continue };
        let headline = crate::player::headline(&mut tx, id).await?;
        out.push(Instructor { initials: user.initials(), name: user.name, headline: headline.unwrap_or_default() });
    }
    tx.commit().await?;
    Ok(out)
}

/// `GET /learn/{slug}`: the course home.
pub async fn course(ctx: Ctx, Path(slug): Path<String>, Query(p): Query<Preview>) -> AppResult<Response> {
    let outline = outline(&ctx, &slug, p.as_student()).await?;
    // Continue where they left off: the lesson opened last if it is still there and open,
    // else the first open lesson not yet done.
    let last = outline.enrollment.as_ref().and_then(|e| e.last_lesson_id);
    let resume = last.and_then(|id| outline.find(id)).filter(|l| l.access.is_open() && !l.completed);
    let next: Option<LessonId> = resume.or_else(|| outline.next_up()).map(|l| l.lesson.id);
    let started = outline.lessons().any(|l| l.completed) || last.is_some();
    let minutes: i32 = outline.lessons().filter_map(|l| l.lesson.duration_minutes).sum();
    let lessons = outline.lessons().count();
    let previews = outline.lessons().filter(|l| l.lesson.free_preview).count();
    let instructors = instructors(&ctx, &outline).await?;
    let html = ctx.render(
        "courses/learn/course.html",
        context! {
            outline => Serde(&outline), percent => outline.percent(), next => Serde(next), started,
            preview => p.as_student(), minutes, lessons, previews, instructors => Serde(&instructors),
            staff => ctx.can(Permission::ManageCourses),
        },
    )?;
    Ok(html.into_response())
}
