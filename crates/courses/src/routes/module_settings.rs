//! `GET/POST /admin/courses/{id}/modules/{module}`: a module's title and drip rule.

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    drip_form::DripForm,
    edit_store,
    model::{Course, CourseId, Drip, LessonId, Module, ModuleId},
    store,
};

/// The module form.
#[derive(Debug, Default, Deserialize)]
pub struct ModuleForm {
    #[serde(default)]
    title: String,
    #[serde(flatten)]
    drip: DripForm,
}

async fn load(ctx: &Ctx, course: &str, module: &str) -> AppResult<(Course, Module)> {
    let course: CourseId = course.parse().map_err(|_| AppError::NotFound)?;
    let module: ModuleId = module.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let course = store::course(&mut tx, course).await?.ok_or(AppError::NotFound)?;
    let module =
        edit_store::module(&mut tx, module).await?.filter(|m| m.course_id == course.id).ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok((course, module))
}

/// Earlier modules and their lessons, as (id, title): what the module's drip may wait for.
async fn earlier(ctx: &Ctx, module: &Module) -> AppResult<(Vec<(String, String)>, Vec<(String, String)>)> {
    let mut tx = ctx.tx().await?;
    let modules = store::modules(&mut tx, module.course_id).await?;
    let lessons = store::lessons(&mut tx, module.course_id).await?;
    tx.commit().await?;
    let before: Vec<_> = modules.iter().take_while(|m| m.id != module.id).collect();
    let lessons = lessons
        .iter()
        .filter(|l| before.iter().any(|m| m.id == l.module_id))
        .map(|l| (l.id.to_string(), l.title.clone()))
        .collect();
    Ok((lessons, before.iter().map(|m| (m.id.to_string(), m.title.clone())).collect()))
}

async fn page(
    ctx: &Ctx,
    course: &Course,
    module: &Module,
    title: &str,
    drip: &DripForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let (drip_lessons, drip_modules) = earlier(ctx, module).await?;
    let html = ctx.render(
        "courses/admin/module_settings.html",
        context! {
            course => Serde(course), module => Serde(module), title, drip => Serde(drip), errors => Serde(errors),
            drip_lessons, drip_modules, zone => kernel::zones::label(&ctx.school.time_zone),
        },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

pub async fn show(ctx: Ctx, Path((course, module)): Path<(String, String)>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let (course, module) = load(&ctx, &course, &module).await?;
    let drip = DripForm::from_drip(module.drip(), &ctx.school.time_zone);
    page(&ctx, &course, &module, &module.title.clone(), &drip, &FieldErrors::default()).await
}

pub async fn save(
    ctx: Ctx,
    Path((course, module)): Path<(String, String)>,
    Form(f): Form<ModuleForm>,
) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let (course, module) = load(&ctx, &course, &module).await?;
    let title = f.title.trim();
    let mut errors = FieldErrors::default();
    if title.is_empty() {
        errors.add("title", ctx.t("content-module-error-title"));
    } else if title.chars().count() > 200 {
        errors.add("title", ctx.t("courses-error-title-long"));
    }
    let (lessons, modules) = earlier(&ctx, &module).await?;
    let lesson_ids: Vec<LessonId> = lessons.iter().filter_map(|(id, _)| id.parse().ok()).collect();
    let module_ids: Vec<ModuleId> = modules.iter().filter_map(|(id, _)| id.parse().ok()).collect();
    let drip = f.drip.parse(&ctx.school.time_zone, &lesson_ids, &module_ids).unwrap_or_else(|(field, key)| {
        errors.add(field, ctx.t(key));
        Drip::Now
    });
    if !errors.is_empty() {
        return page(&ctx, &course, &module, title, &f.drip, &errors).await;
    }
    let mut tx = ctx.tx().await?;
    edit_store::save_module(&mut tx, module.id, title, drip).await?;
    tx.commit().await?;
    let url = format!("/admin/courses/{}/modules/{}", course.id, module.id);
    Ok(ctx.redirect_with(&url, "success", ctx.t("content-module-saved")).into_response())
}
