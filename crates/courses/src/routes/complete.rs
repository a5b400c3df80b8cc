//! `POST /learn/{slug}/{lesson}/complete`: the student marks a lesson complete. Only when they
//! are enrolled and the lesson is open; when the lesson has its own rule (watch, quiz,
//! assignment) and the creator does not allow marking before it, only once the rule is met.
//! With htmx the completion bar, the outline's tick and the progress update in place (and the
//! course's end is celebrated); without JS the browser goes on to the next lesson.
//!
//! There is no "mark incomplete": `lesson.completed` and `course.completed` are published once
//! per student, and certificates and analytics count on that.

use axum::{
    extract::{Path, Query},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};

use super::{
    learn::Preview,
    lesson::{Place, place},
};
use crate::{
    player::{self, Manual},
    progress::{self, How},
};

/// Marks the lesson complete.
pub async fn complete(
    ctx: Ctx,
    Path((slug, lesson)): Path<(String, String)>,
    Query(p): Query<Preview>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let Place { here, next, previous, outline } = place(&ctx, &slug, &lesson, p.as_student()).await?;
    let now = ctx.state.clock.now();
    if !player::may_progress(&outline, &here.access, now) {
        return Err(AppError::Forbidden);
    }
    let mut tx = ctx.tx().await?;
    let met = player::check_watched(&ctx.state, &mut tx, user.id, &here.lesson).await?;
    let manual = player::manual(&here.lesson, met || here.completed);
    if manual != Manual::Allowed {
        tx.commit().await?;
        return Err(AppError::Conflict(ctx.t("player-complete-not-yet")));
    }
    let done = progress::complete_lesson(&ctx.state, &mut tx, user.id, &here.lesson, How::Marked).await?;
    tx.commit().await?;
    // Whether this made the course complete, now or through an earlier path.
    let finished =
        done.course || (here.completed && outline.enrollment.as_ref().is_some_and(|e| e.completed_at.is_some()));
    let slug = &outline.course.slug;
    if !headers.contains_key("hx-request") {
        return Ok(match (done.course, next) {
            (true, _) | (false, None) => {
                let key = if finished { "player-course-finished-flash" } else { "player-lesson-done-flash" };
                ctx.redirect_with(&format!("/learn/{slug}"), "success", ctx.t(key)).into_response()
            }
            (false, Some(next)) => ctx
                .redirect_with(&format!("/learn/{slug}/{next}"), "success", ctx.t("player-lesson-done-flash"))
                .into_response(),
        });
    }
    let outline = super::learn::outline(&ctx, slug, p.as_student()).await?;
    let here = outline.find(here.lesson.id).cloned().unwrap_or(here);
    let progress = super::lesson::Progress { can: true, manual: Manual::Allowed, watched: 0 };
    let html = ctx.render(
        "courses/learn/_completed.html",
        context! {
            outline => Serde(&outline), here => Serde(&here), percent => outline.percent(), next => Serde(next), previous => Serde(previous),
            progress => Serde(&progress), celebrate => done.course, preview => p.as_student(),
        },
    )?;
    Ok((StatusCode::OK, html).into_response())
}

/// Sends a browser that asked for the action's address to the lesson itself.
pub async fn back(Path((slug, lesson)): Path<(String, String)>) -> Redirect {
    Redirect::to(&format!("/learn/{slug}/{lesson}"))
}
