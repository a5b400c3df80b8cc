//! The discussion under a lesson: `POST /learn/{slug}/{lesson}/comments` (a comment, or a reply
//! with `parent`) and `POST /learn/{slug}/{lesson}/comments/{comment}/delete` (authors remove
//! their own, staff any). Only people who may open the lesson read or post; a few comments per
//! ten minutes each. htmx swaps the thread in place; without JS the form comes back to it.

use axum::{
    extract::Path,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, db::TenantTx, i18n::ArgValue, web::Form};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use super::lesson::{Place, place};
use crate::{
    comments::{self, CommentView},
    model::{CommentId, Lesson},
};

/// A comment as the template shows it, with its age in words.
#[derive(Serialize)]
pub(crate) struct Shown {
    #[serde(flatten)]
    comment: CommentView,
    ago: String,
    replies: Vec<Shown>,
}

/// "just now", "5 minutes ago", "3 days ago", or the date.
fn ago(ctx: &Ctx, now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    let minutes = (now - at).num_minutes().max(0);
    let n = |key: &str, v: i64| ctx.t_args(key, &[("n", ArgValue::Num(v as f64))]);
    match minutes {
        0 => ctx.t("player-ago-now"),
        1..60 => n("player-ago-minutes", minutes),
        60..1440 => n("player-ago-hours", minutes / 60),
        1440..43200 => n("player-ago-days", minutes / 1440),
        _ => kernel::format::date(at, &ctx.shell.time_zone, ctx.shell.locale),
    }
}

fn shown(ctx: &Ctx, now: DateTime<Utc>, mut c: CommentView) -> Shown {
    let replies = std::mem::take(&mut c.replies).into_iter().map(|r| shown(ctx, now, r)).collect();
    Shown { ago: ago(ctx, now, c.created_at), comment: c, replies }
}

/// The thread under a lesson as the viewer sees it.
pub(crate) async fn thread_for(ctx: &Ctx, tx: &mut TenantTx, lesson: &Lesson) -> AppResult<Vec<Shown>> {
    let viewer = ctx.user.as_deref().map(|u| (u.id, ctx.can(Permission::ManageCourses)));
    let thread = comments::thread(tx, lesson.id, lesson.course_id, viewer).await?;
    let now = ctx.state.clock.now();
    Ok(thread.into_iter().map(|c| shown(ctx, now, c)).collect())
}

/// The comment form.
#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    parent: Option<String>,
}

/// The lesson, if the viewer is logged in and may open it.
async fn open_place(ctx: &Ctx, slug: &str, lesson: &str) -> AppResult<Place> {
    ctx.user()?;
    let place = place(ctx, slug, lesson, false).await?;
    if !place.here.access.is_open() {
        return Err(AppError::Forbidden);
    }
    Ok(place)
}

async fn respond(ctx: &Ctx, place: &Place, htmx: bool, error: Option<String>, kept: &str) -> AppResult<Response> {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let back = format!("/learn/{}/{}#comments", place.outline.course.slug, place.here.lesson.id);
    if !htmx {
        return Ok(match error {
            Some(e) => ctx.redirect_with(&back, "error", e).into_response(),
            None => ctx.redirect_with(&back, "success", ctx.t("player-comment-posted")).into_response(),
        });
    }
    let mut tx = ctx.tx().await?;
    let thread = thread_for(ctx, &mut tx, &place.here.lesson).await?;
    tx.commit().await?;
    let html = ctx.render(
        "courses/learn/_comments.html",
        context! {
            outline => Serde(&place.outline), here => Serde(&place.here), comments => Serde(&thread),
            comment_max => comments::MAX_CHARS, comment_error => error, comment_body => kept,
        },
    )?;
    Ok((status, html).into_response())
}

/// Posts a comment or a reply.
pub async fn post(
    ctx: Ctx,
    Path((slug, lesson)): Path<(String, String)>,
    headers: HeaderMap,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let place = open_place(&ctx, &slug, &lesson).await?;
    let user = ctx.user()?.clone();
    let htmx = headers.contains_key("hx-request");
    let body = comments::clean(&f.body);
    let error = if body.is_empty() {
        Some(ctx.t("player-comment-empty"))
    } else if body.chars().count() > comments::MAX_CHARS {
        Some(ctx.t_args("player-comment-too-long", &[("max", ArgValue::Num(comments::MAX_CHARS as f64))]))
    } else if let Err(wait) = ctx.rate_check("lesson-comment", comments::LIMIT) {
        Some(ctx.t_args("player-comment-slow-down", &[("minutes", ArgValue::Num(wait.div_ceil(60) as f64))]))
    } else {
        None
    };
    if error.is_some() {
        return respond(&ctx, &place, htmx, error, &f.body).await;
    }
    let mut tx = ctx.tx().await?;
    let parent = match f.parent.as_deref().filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => {
            let id: CommentId = p.parse().map_err(|_| AppError::NotFound)?;
            let parent = comments::find(&mut tx, place.here.lesson.id, id).await?.ok_or(AppError::NotFound)?;
            // One level of replies: answering a reply answers its comment.
            Some(parent.parent_id.unwrap_or(parent.id))
        }
    };
    let staff = ctx.can(Permission::ManageCourses);
    let lesson = &place.here.lesson;
    comments::insert(&mut tx, CommentId::new(), lesson.id, lesson.course_id, user.id, parent, &body, staff).await?;
    tx.commit().await?;
    respond(&ctx, &place, htmx, None, "").await
}

/// Removes a comment.
pub async fn delete(
    ctx: Ctx,
    Path((slug, lesson, comment)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let place = open_place(&ctx, &slug, &lesson).await?;
    let user = ctx.user()?.clone();
    let id: CommentId = comment.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let found = comments::find(&mut tx, place.here.lesson.id, id).await?.ok_or(AppError::NotFound)?;
    if found.user_id != user.id && !ctx.can(Permission::ManageCourses) {
        return Err(AppError::Forbidden);
    }
    comments::delete(&mut tx, id).await?;
    tx.commit().await?;
    let htmx = headers.contains_key("hx-request");
    if !htmx {
        let back = format!("/learn/{}/{}#comments", place.outline.course.slug, place.here.lesson.id);
        return Ok(ctx.redirect_with(&back, "success", ctx.t("player-comment-deleted")).into_response());
    }
    respond(&ctx, &place, true, None, "").await
}
