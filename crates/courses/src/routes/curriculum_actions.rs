//! The curriculum's changes: adding, renaming and reordering modules and lessons, and
//! publishing. Each works as a plain form (the page comes back with a message); the island's
//! requests (`HX-Request`) get `204` or a `422` whose body is the message to show.

use axum::{
    extract::Path,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use serde::Deserialize;

use super::curriculum::{course_in, refused, render};
use crate::{
    curriculum::{self, MAX_TITLE, Order},
    model::{LessonId, LessonKind, ModuleId},
};

/// A title to give.
#[derive(Deserialize)]
pub struct TitleForm {
    #[serde(default)]
    title: String,
}

/// A lesson to add.
#[derive(Deserialize)]
pub struct LessonForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
}

/// The whole new order (see [`Order::parse`]).
#[derive(Deserialize)]
pub struct OrderForm {
    #[serde(default)]
    order: String,
}

/// `up` or `down`.
#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    dir: String,
}

/// `published`: `1` publishes, anything else takes back to draft.
#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    published: String,
}

fn from_island(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

fn back(ctx: &Ctx, course: &str, anchor: &str, message: String) -> Response {
    ctx.redirect_with(&format!("/admin/courses/{course}{anchor}"), "success", message).into_response()
}

/// A trimmed title, or the message saying what is wrong with it.
fn title(ctx: &Ctx, raw: &str) -> Result<String, String> {
    let t = raw.trim();
    if t.is_empty() {
        Err(ctx.t("curriculum-error-title-required"))
    } else if t.chars().count() > MAX_TITLE {
        Err(ctx.t("curriculum-error-title-long"))
    } else {
        Ok(t.to_string())
    }
}

fn parse<T: std::str::FromStr>(id: &str) -> AppResult<T> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// `POST /admin/courses/{id}/modules`: adds a module at the end.
pub async fn add_module(ctx: Ctx, Path(id): Path<String>, Form(f): Form<TitleForm>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let name = match title(&ctx, &f.title) {
        Ok(t) => t,
        Err(message) => {
            let mut errors = FieldErrors::default();
            errors.add("title", message);
            return render(&ctx, &mut tx, &course, None, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let module = curriculum::add_module(&mut tx, course.id, &name).await?;
    tx.commit().await?;
    Ok(back(&ctx, &id, &format!("#module-{module}"), ctx.t("curriculum-module-added")))
}

/// `POST /admin/courses/{id}/modules/{module}/lessons`: adds a draft lesson of a kind at the end
/// of a module; with no title it is called after its kind.
pub async fn add_lesson(
    ctx: Ctx,
    Path((id, module)): Path<(String, String)>,
    Form(f): Form<LessonForm>,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let module = ModuleId(parse(&module)?);
    let kind = LessonKind::parse(&f.kind).ok_or_else(|| AppError::Unprocessable(ctx.t("curriculum-error-kind")))?;
    let name = if f.title.trim().is_empty() {
        ctx.t_args("curriculum-untitled", &[("kind", ctx.t(&format!("curriculum-kind-{}", kind.as_str())).into())])
    } else {
        title(&ctx, &f.title).map_err(AppError::Unprocessable)?
    };
    let lesson = curriculum::add_lesson(&mut tx, course.id, module, &name, kind).await.map_err(|e| refused(&ctx, e))?;
    tx.commit().await?;
    Ok(back(&ctx, &id, &format!("#lesson-{lesson}"), ctx.t("curriculum-lesson-added")))
}

/// `POST /admin/courses/{id}/modules/{module}/rename`.
pub async fn rename_module(
    ctx: Ctx,
    headers: HeaderMap,
    Path((id, module)): Path<(String, String)>,
    Form(f): Form<TitleForm>,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let module = ModuleId(parse(&module)?);
    let name = title(&ctx, &f.title).map_err(AppError::Unprocessable)?;
    curriculum::rename_module(&mut tx, course.id, module, &name).await.map_err(|e| refused(&ctx, e))?;
    tx.commit().await?;
    if from_island(&headers) {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(back(&ctx, &id, &format!("#module-{module}"), ctx.t("curriculum-renamed")))
}

/// `POST /admin/courses/{id}/lessons/{lesson}/rename`.
pub async fn rename_lesson(
    ctx: Ctx,
    headers: HeaderMap,
    Path((id, lesson)): Path<(String, String)>,
    Form(f): Form<TitleForm>,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let lesson = LessonId(parse(&lesson)?);
    let name = title(&ctx, &f.title).map_err(AppError::Unprocessable)?;
    curriculum::rename_lesson(&mut tx, course.id, lesson, &name).await.map_err(|e| refused(&ctx, e))?;
    tx.commit().await?;
    if from_island(&headers) {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(back(&ctx, &id, &format!("#lesson-{lesson}"), ctx.t("curriculum-renamed")))
}

/// `POST /admin/courses/{id}/order`: the whole outline in its new order, in one go.
pub async fn reorder(
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<OrderForm>,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let order = Order::parse(&f.order).ok_or(AppError::NotFound)?;
    curriculum::reorder(&mut tx, course.id, &order).await.map_err(|e| refused(&ctx, e))?;
    tx.commit().await?;
    if from_island(&headers) {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(back(&ctx, &id, "", ctx.t("curriculum-order-saved")))
}

/// `POST /admin/courses/{id}/modules/{module}/move`: one place up or down (the no-script way).
pub async fn move_module(
    ctx: Ctx,
    Path((id, module)): Path<(String, String)>,
    Form(f): Form<MoveForm>,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let module = ModuleId(parse(&module)?);
    let mut order = curriculum::Tree::load(&mut tx, course.id).await?.order();
    if !order.0.iter().any(|(m, _)| *m == module) {
        return Err(AppError::NotFound);
    }
    if order.move_module(module, f.dir == "up") {
        curriculum::reorder(&mut tx, course.id, &order).await.map_err(|e| refused(&ctx, e))?;
    }
    tx.commit().await?;
    Ok(back(&ctx, &id, &format!("#module-{module}"), ctx.t("curriculum-order-saved")))
}

/// `POST /admin/courses/{id}/lessons/{lesson}/move`: one place up or down, across modules at
/// their edges (the no-script way).
pub async fn move_lesson(
    ctx: Ctx,
    Path((id, lesson)): Path<(String, String)>,
    Form(f): Form<MoveForm>,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let lesson = LessonId(parse(&lesson)?);
    let mut order = curriculum::Tree::load(&mut tx, course.id).await?.order();
    if !order.0.iter().any(|(_, ls)| ls.contains(&lesson)) {
        return Err(AppError::NotFound);
    }
    if order.move_lesson(lesson, f.dir == "up") {
        curriculum::reorder(&mut tx, course.id, &order).await.map_err(|e| refused(&ctx, e))?;
    }
    tx.commit().await?;
    Ok(back(&ctx, &id, &format!("#lesson-{lesson}"), ctx.t("curriculum-order-saved")))
}

/// `POST /admin/courses/{id}/publish`: the course goes live (refused with no published lesson).
pub async fn publish(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    match curriculum::publish_course(&mut tx, &course, ctx.state.clock.now()).await {
        Ok(()) => {}
        // Back to the page, which says why (and a reload does not post again).
        Err(curriculum::Refused::NothingPublished) => {
            return Ok(axum::response::Redirect::to(&format!("/admin/courses/{id}?refused=publish")).into_response());
        }
        Err(e) => return Err(refused(&ctx, e)),
    }
    tx.commit().await?;
    Ok(back(&ctx, &id, "", ctx.t("curriculum-course-published")))
}

/// `POST /admin/courses/{id}/unpublish`: back to draft.
pub async fn unpublish(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    curriculum::unpublish_course(&mut tx, &course).await?;
    tx.commit().await?;
    Ok(back(&ctx, &id, "", ctx.t("curriculum-course-unpublished")))
}

/// `POST /admin/courses/{id}/lessons/{lesson}/status`: publishes or unpublishes one lesson.
pub async fn lesson_status(
    ctx: Ctx,
    Path((id, lesson)): Path<(String, String)>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let lesson = LessonId(parse(&lesson)?);
    let published = f.published == "1";
    curriculum::set_lesson_published(&mut tx, course.id, lesson, published).await.map_err(|e| refused(&ctx, e))?;
    tx.commit().await?;
    let message = ctx.t(if published { "curriculum-lesson-published" } else { "curriculum-lesson-unpublished" });
    Ok(back(&ctx, &id, &format!("#lesson-{lesson}"), message))
}
