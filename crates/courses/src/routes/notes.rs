//! `POST /learn/{slug}/{lesson}/notes`: the student's private note on a lesson. htmx saves it
//! as they type (debounced) and on "Save", answering with the status line; without JS the form
//! posts and comes back to the lesson.

use axum::{
    extract::Path,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult, web::Form};
use minijinja::context;
use serde::Deserialize;

use super::lesson::place;
use crate::notes;

/// The note form.
#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

/// Saves the note.
pub async fn save(
    ctx: Ctx,
    Path((slug, lesson)): Path<(String, String)>,
    headers: HeaderMap,
    Form(f): Form<NoteForm>,
) -> AppResult<Response> {
    let user = ctx.user()?.clone();
    let place = place(&ctx, &slug, &lesson, false).await?;
    if !place.here.access.is_open() {
        return Err(AppError::Forbidden);
    }
    let htmx = headers.contains_key("hx-request");
    let back = format!("/learn/{}/{}#notes", place.outline.course.slug, place.here.lesson.id);
    let body = f.body.replace("\r\n", "\n");
    if body.chars().count() > notes::MAX_CHARS {
        let message =
            ctx.t_args("player-note-too-long", &[("max", kernel::i18n::ArgValue::Num(notes::MAX_CHARS as f64))]);
        if htmx {
            let html = ctx.render("courses/learn/_note_status.html", context! { error => message })?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
        return Ok(ctx.redirect_with(&back, "error", message).into_response());
    }
    let mut tx = ctx.tx().await?;
    notes::save(&mut tx, user.id, place.here.lesson.id, &body).await?;
    tx.commit().await?;
    if htmx {
        let html =
            ctx.render("courses/learn/_note_status.html", context! { saved => ctx.state.clock.now().to_rfc3339() })?;
        return Ok(html.into_response());
    }
    Ok(ctx.redirect_with(&back, "success", ctx.t("player-note-saved")).into_response())
}
