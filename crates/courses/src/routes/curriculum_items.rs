//! Duplicating and deleting with undo: lessons and modules on the curriculum page, whole
//! courses from the list. A deletion answers with the page and a toast whose Undo restores it.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult};

use super::curriculum::{course_in, refused};
use crate::{
    curriculum::{self, Item, duplicate},
    model::{CourseId, LessonId, ModuleId},
    store,
};

fn parse<T: std::str::FromStr>(id: &str) -> AppResult<T> {
    id.parse().map_err(|_| AppError::NotFound)
}

fn copy_name(ctx: &Ctx) -> impl Fn(&str) -> String + Sync + '_ {
    |title: &str| ctx.t_args("curriculum-copy-title", &[("title", title.into())])
}

/// `POST /admin/courses/{id}/lessons/{lesson}/duplicate`.
pub async fn duplicate_lesson(ctx: Ctx, Path((id, lesson)): Path<(String, String)>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let lesson = LessonId(parse(&lesson)?);
    let copy = duplicate::lesson(&mut tx, course.id, lesson, &copy_name(&ctx)).await.map_err(|e| refused(&ctx, e))?;
    tx.commit().await?;
    let to = format!("/admin/courses/{id}#lesson-{copy}");
    Ok(ctx.redirect_with(&to, "success", ctx.t("curriculum-lesson-duplicated")).into_response())
}

/// `POST /admin/courses/{id}/modules/{module}/duplicate`.
pub async fn duplicate_module(ctx: Ctx, Path((id, module)): Path<(String, String)>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let module = ModuleId(parse(&module)?);
    let copy = duplicate::module(&mut tx, course.id, module, &copy_name(&ctx)).await.map_err(|e| refused(&ctx, e))?;
    tx.commit().await?;
    let to = format!("/admin/courses/{id}#module-{copy}");
    Ok(ctx.redirect_with(&to, "success", ctx.t("curriculum-module-duplicated")).into_response())
}

/// `POST /admin/courses/{id}/duplicate`: a draft copy of the whole course, opened at once.
pub async fn duplicate_course(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let by = ctx.user()?.id;
    let copy = duplicate::course(&mut tx, &course, &copy_name(&ctx), Some(by)).await.map_err(|e| refused(&ctx, e))?;
    tx.commit().await?;
    let to = format!("/admin/courses/{copy}");
    Ok(ctx.redirect_with(&to, "success", ctx.t("curriculum-course-duplicated")).into_response())
}

async fn set_deleted(ctx: &Ctx, course: &str, item: impl FnOnce(CourseId) -> Item, deleted: bool) -> AppResult<()> {
    let mut tx = ctx.tx().await?;
    let course = course_in(ctx, &mut tx, course).await?;
    curriculum::set_deleted(&mut tx, item(course.id), deleted, ctx.state.clock.now())
        .await
        .map_err(|e| refused(ctx, e))?;
    tx.commit().await?;
    Ok(())
}

/// `POST /admin/courses/{id}/lessons/{lesson}/delete`: back to the page, with Undo.
pub async fn delete_lesson(ctx: Ctx, Path((id, lesson)): Path<(String, String)>) -> AppResult<Response> {
    let lesson = LessonId(parse(&lesson)?);
    set_deleted(&ctx, &id, |c| Item::Lesson(c, lesson), true).await?;
    Ok(axum::response::Redirect::to(&format!("/admin/courses/{id}?undo=lesson:{lesson}")).into_response())
}

/// `POST /admin/courses/{id}/lessons/{lesson}/restore`: the Undo.
pub async fn restore_lesson(ctx: Ctx, Path((id, lesson)): Path<(String, String)>) -> AppResult<Response> {
    let lesson = LessonId(parse(&lesson)?);
    set_deleted(&ctx, &id, |c| Item::Lesson(c, lesson), false).await?;
    let to = format!("/admin/courses/{id}#lesson-{lesson}");
    Ok(ctx.redirect_with(&to, "success", ctx.t("curriculum-lesson-restored")).into_response())
}

/// `POST /admin/courses/{id}/modules/{module}/delete`: the module and its lessons, with Undo.
pub async fn delete_module(ctx: Ctx, Path((id, module)): Path<(String, String)>) -> AppResult<Response> {
    let module = ModuleId(parse(&module)?);
    set_deleted(&ctx, &id, |c| Item::Module(c, module), true).await?;
    Ok(axum::response::Redirect::to(&format!("/admin/courses/{id}?undo=module:{module}")).into_response())
}

/// `POST /admin/courses/{id}/modules/{module}/restore`: the Undo.
pub async fn restore_module(ctx: Ctx, Path((id, module)): Path<(String, String)>) -> AppResult<Response> {
    let module = ModuleId(parse(&module)?);
    set_deleted(&ctx, &id, |c| Item::Module(c, module), false).await?;
    let to = format!("/admin/courses/{id}#module-{module}");
    Ok(ctx.redirect_with(&to, "success", ctx.t("curriculum-module-restored")).into_response())
}

/// `POST /admin/courses/{id}/delete`: the course leaves the list, with Undo.
pub async fn delete_course(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_deleted(&ctx, &id, Item::Course, true).await?;
    Ok(axum::response::Redirect::to(&format!("/admin/courses?undo={id}")).into_response())
}

/// `POST /admin/courses/{id}/restore`: the Undo of a deleted course.
pub async fn restore_course(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let course = CourseId(parse(&id)?);
    let mut tx = ctx.tx().await?;
    store::course_with_deleted(&mut tx, course).await?.ok_or(AppError::NotFound)?;
    curriculum::set_deleted(&mut tx, Item::Course(course), false, ctx.state.clock.now())
        .await
        .map_err(|e| refused(&ctx, e))?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/courses", "success", ctx.t("curriculum-course-restored")).into_response())
}
