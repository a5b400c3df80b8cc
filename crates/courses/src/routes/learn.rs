//! The student's side of a course: `GET /learn/{slug}` (the course home) and
//! `GET /learn/{slug}/{lesson}` (the player). What is shown comes from [`Outline`]: a lesson
//! that is not open says why and what to do, and never shows its content.

use axum::{
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult};
use minijinja::{Value, context, value::Serde};
use serde::Deserialize;

use crate::{
    access::{Access, Outline},
    model::LessonId,
    store,
};

/// `?preview=student`: staff see the course as a student would.
#[derive(Deserialize, Default)]
pub struct Preview {
    #[serde(default)]
    preview: Option<String>,
}

impl Preview {
    fn as_student(&self) -> bool {
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

pub async fn course(ctx: Ctx, Path(slug): Path<String>, Query(p): Query<Preview>) -> AppResult<Response> {
    let outline = outline(&ctx, &slug, p.as_student()).await?;
    let next = outline.next_up().map(|l| l.lesson.id);
    let html = ctx.render(
        "courses/learn/course.html",
        context! { outline => Serde(&outline), percent => outline.percent(), next => Serde(next), preview => p.as_student() },
    )?;
    Ok(html.into_response())
}

pub async fn lesson(
    ctx: Ctx,
    Path((slug, lesson)): Path<(String, String)>,
    Query(p): Query<Preview>,
) -> AppResult<Response> {
    let lesson: LessonId = lesson.parse().map_err(|_| AppError::NotFound)?;
    let outline = outline(&ctx, &slug, p.as_student()).await?;
    let here = outline.find(lesson).ok_or(AppError::NotFound)?.clone();
    let all: Vec<_> = outline.lessons().collect();
    let index = all.iter().position(|l| l.lesson.id == lesson).unwrap_or(0);
    let previous = index.checked_sub(1).and_then(|i| all.get(i)).map(|l| l.lesson.id);
    let next = all.get(index + 1).map(|l| l.lesson.id);
    if !here.access.is_open() {
        let status = match here.access {
            Access::NotEnrolled | Access::Enrollment { .. } => StatusCode::FORBIDDEN,
            _ => StatusCode::OK,
        };
        let html = ctx.render(
            "courses/learn/closed.html",
            context! { outline => Serde(&outline), here => Serde(&here), preview => p.as_student() },
        )?;
        return Ok((status, html).into_response());
    }
    let content = kind_context(&ctx, &here.lesson).await?;
    if let (Some(user), Some(_)) = (ctx.user.as_deref(), outline.enrollment.as_ref()) {
        let mut tx = ctx.tx().await?;
        store::touch_enrollment(&mut tx, user.id, outline.course.id, lesson, ctx.state.clock.now()).await?;
        tx.commit().await?;
    }
    let html = ctx.render(
        "courses/learn/lesson.html",
        context! {
            outline => Serde(&outline), here => Serde(&here), percent => outline.percent(),
            previous => Serde(previous), next => Serde(next), content, preview => p.as_student(),
        },
    )?;
    Ok(html.into_response())
}

/// What a lesson's kind adds to its page (a quiz's attempts, an assignment's submission).
async fn kind_context(ctx: &Ctx, lesson: &crate::model::Lesson) -> AppResult<Value> {
    Ok(match lesson.kind() {
        crate::LessonKind::Quiz => crate::quiz::lesson_context(ctx, lesson).await?,
        crate::LessonKind::Assignment => crate::assignments::lesson_context(ctx, lesson).await?,
        _ => Value::UNDEFINED,
    })
}
