//! `POST /learn/{slug}/{lesson}/quiz/start` and `POST /learn/{slug}/{lesson}/quiz/{attempt}/submit`:
//! a student starts and submits a quiz attempt. Only an enrolled student to whom the lesson is
//! open may; both answer with a redirect back to the lesson page and a message.
//! `POST …/quiz/{attempt}/save` keeps the answers so far (htmx, as the student goes) and
//! answers with a short status line.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult, i18n::ArgValue, web::Form};

use super::learn::outline;
use crate::{
    LessonKind,
    access::Access,
    model::Lesson,
    quiz::{
        attempt::{self, Outcome, Refusal},
        model::AttemptId,
    },
};

/// The quiz lesson, if the logged-in student may take it now; 403 when they are not enrolled
/// (or their access is paused, ended or not yet dripped), 404 when there is no such quiz.
async fn takeable(ctx: &Ctx, slug: &str, lesson: &str) -> AppResult<(String, Lesson)> {
    ctx.user()?;
    let lesson: crate::LessonId = lesson.parse().map_err(|_| AppError::NotFound)?;
    let outline = outline(ctx, slug, true).await?;
    let here = outline.find(lesson).ok_or(AppError::NotFound)?;
    if here.lesson.kind() != LessonKind::Quiz {
        return Err(AppError::NotFound);
    }
    if here.access != Access::Open {
        return Err(AppError::Forbidden);
    }
    let back = format!("/learn/{}/{}", outline.course.slug, lesson);
    Ok((back, here.lesson.clone()))
}

/// Starts (or resumes) the student's attempt and goes back to the quiz.
pub async fn start(ctx: Ctx, Path((slug, lesson)): Path<(String, String)>) -> AppResult<Response> {
    let (back, lesson) = takeable(&ctx, &slug, &lesson).await?;
    let user = ctx.user()?;
    let mut tx = ctx.tx().await?;
    let started = attempt::start(&ctx.state, &mut tx, &lesson, user.id).await?;
    tx.commit().await?;
    Ok(match started {
        Ok(_) => axum::response::Redirect::to(&format!("{back}#quiz")).into_response(),
        Err(Refusal::NoAttemptsLeft) => {
            ctx.redirect_with(&back, "error", ctx.t("quiz-no-attempts-left")).into_response()
        }
        Err(Refusal::NoQuestions) => ctx.redirect_with(&back, "error", ctx.t("quiz-no-questions")).into_response(),
    })
}

/// Grades the attempt once and goes back to the quiz with the result.
pub async fn submit(
    ctx: Ctx,
    Path((slug, lesson, id)): Path<(String, String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (back, lesson) = takeable(&ctx, &slug, &lesson).await?;
    let id: AttemptId = id.parse().map_err(|_| AppError::NotFound)?;
    let user = ctx.user()?;
    let mut tx = ctx.tx().await?;
    let outcome = attempt::submit(&ctx.state, &mut tx, &lesson, user.id, id, &fields).await?;
    tx.commit().await?;
    let back = format!("{back}#quiz");
    Ok(match outcome.ok_or(AppError::NotFound)? {
        Outcome::Graded { score, passed } => {
            let key = if passed { "quiz-passed-flash" } else { "quiz-failed-flash" };
            let kind = if passed { "success" } else { "info" };
            ctx.redirect_with(&back, kind, ctx.t_args(key, &[("score", ArgValue::from(i64::from(score)))]))
                .into_response()
        }
        Outcome::TimedOut => ctx.redirect_with(&back, "warning", ctx.t("quiz-timed-out-flash")).into_response(),
        Outcome::AlreadySubmitted => ctx.redirect_with(&back, "info", ctx.t("quiz-already-submitted")).into_response(),
    })
}

/// Keeps the answers so far; answers htmx with the status line's words.
pub async fn save(
    ctx: Ctx,
    Path((slug, lesson, id)): Path<(String, String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, lesson) = takeable(&ctx, &slug, &lesson).await?;
    let id: AttemptId = id.parse().map_err(|_| AppError::NotFound)?;
    let user = ctx.user()?;
    let mut tx = ctx.tx().await?;
    let saved = attempt::save(&ctx.state, &mut tx, &lesson, user.id, id, &fields).await?;
    tx.commit().await?;
    let key = if saved.ok_or(AppError::NotFound)? { "quiz-saved" } else { "quiz-save-closed" };
    Ok(axum::response::Html(ctx.t(key)).into_response())
}
