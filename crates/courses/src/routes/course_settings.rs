//! `GET/POST /admin/courses/{id}/settings`: a course's title, subtitle, description, cover,
//! address, category, free enrolment and instructors (staff of the school, in order). A save
//! names the version it was opened at; a stale one is refused, keeping what was typed.

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission, User};
use kernel::{AppError, AppResult, html, ids::UserId, web::FieldErrors, web::Form};
use media::picker::{self, PickKind};
use minijinja::{context, value::Serde};
use serde::Serialize;

use super::fields::{Fields, reorder};
use crate::{
    edit_store::{self, CourseChanges, LastSave},
    model::{Course, CourseId},
    slug, store,
};

/// The settings as typed (or as stored).
#[derive(Clone, Debug, Default, Serialize)]
struct SettingsForm {
    title: String,
    subtitle: String,
    description_html: String,
    cover_media_id: String,
    slug: String,
    category: String,
    is_free: bool,
    version: i32,
    instructors: Vec<UserId>,
}

/// Roles that may teach a course.
const TEACHING: [&str; 3] = ["owner", "admin", "instructor"];

async fn load(ctx: &Ctx, id: &str) -> AppResult<Course> {
    let id: CourseId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let course = store::course(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(course)
}

async fn page(
    ctx: &Ctx,
    course: &Course,
    form: &SettingsForm,
    errors: &FieldErrors,
    conflict: Option<LastSave>,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let chosen: Vec<_> = form.cover_media_id.parse().ok().into_iter().collect();
    let images = picker::options(&mut tx, PickKind::Image, &chosen).await?;
    let categories = edit_store::categories(&mut tx).await?;
    let staff: Vec<User> = identity::store::list(&mut tx, &TEACHING, None, None, 500).await?;
    tx.commit().await?;
    let teaching: Vec<&User> = form.instructors.iter().filter_map(|id| staff.iter().find(|u| u.id == *id)).collect();
    let others: Vec<&User> = staff.iter().filter(|u| !form.instructors.contains(&u.id)).collect();
    let html = ctx.render(
        "courses/admin/course_settings.html",
        context! {
            course => Serde(course), form => Serde(form), errors => Serde(errors), conflict => Serde(&conflict),
            images => Serde(&images), categories, teaching => Serde(&teaching), others => Serde(&others),
        },
    )?;
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html).into_response())
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let course = load(&ctx, &id).await?;
    let instructors = {
        let mut tx = ctx.tx().await?;
        edit_store::instructors(&mut tx, course.id).await?
    };
    let form = SettingsForm {
        title: course.title.clone(),
        subtitle: course.subtitle.clone(),
        description_html: html::sanitize(&course.description_html),
        cover_media_id: course.cover_media_id.map(|m| m.to_string()).unwrap_or_default(),
        slug: course.slug.clone(),
        category: course.category.clone(),
        is_free: course.is_free,
        version: course.version,
        instructors,
    };
    page(&ctx, &course, &form, &FieldErrors::default(), None).await
}

pub async fn save(ctx: Ctx, Path(id): Path<String>, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageCourses)?.clone();
    let course = load(&ctx, &id).await?;
    let f = Fields(fields);
    let mut form = SettingsForm {
        title: f.get("title").trim().to_string(),
        subtitle: f.get("subtitle").trim().to_string(),
        description_html: f.get("description_html").to_string(),
        cover_media_id: f.get("cover_media_id").to_string(),
        slug: f.get("slug").trim().to_string(),
        category: f.get("category").trim().to_string(),
        is_free: f.on("is_free"),
        version: f.get("version").parse().unwrap_or(0),
        instructors: f.all("instructor").iter().filter_map(|u| u.parse().ok()).collect(),
    };
    reorder(&mut form.instructors, f.get("action"));
    if let Ok(added) = f.get("add_instructor").parse::<UserId>()
        && !form.instructors.contains(&added)
    {
        form.instructors.push(added);
    }
    let mut errors = FieldErrors::default();
    let mut tx = ctx.tx().await?;
    if form.title.is_empty() {
        errors.add("title", ctx.t("courses-error-title-required"));
    } else if form.title.chars().count() > 200 {
        errors.add("title", ctx.t("courses-error-title-long"));
    }
    if form.subtitle.chars().count() > 300 {
        errors.add("subtitle", ctx.t("content-settings-error-subtitle"));
    }
    if form.category.chars().count() > 80 {
        errors.add("category", ctx.t("content-settings-error-category"));
    }
    if !slug::is_valid(&form.slug) {
        errors.add("slug", ctx.t("content-settings-error-slug"));
    } else if store::slug_taken(&mut tx, &form.slug, Some(course.id)).await? {
        let other = store::course_by_slug(&mut tx, &form.slug).await?.map(|c| c.title).unwrap_or_default();
        errors.add("slug", ctx.t_args("content-settings-error-slug-taken", &[("title", other.into())]));
    }
    let cover = match picker::chosen(&mut tx, PickKind::Image, &form.cover_media_id).await? {
        Ok(m) => m.map(|m| m.id),
        Err(()) => {
            errors.add("cover_media_id", ctx.t("content-settings-error-cover"));
            None
        }
    };
    let staff = identity::store::list(&mut tx, &TEACHING, None, None, 500).await?;
    form.instructors.retain(|id| staff.iter().any(|u| u.id == *id));
    if !errors.is_empty() {
        tx.commit().await?;
        return page(&ctx, &course, &form, &errors, None).await;
    }
    let changes = CourseChanges {
        title: form.title.clone(),
        subtitle: form.subtitle.clone(),
        description_html: html::sanitize(&form.description_html),
        cover_media_id: cover,
        slug: form.slug.clone(),
        category: form.category.clone(),
        is_free: form.is_free,
    };
    if !edit_store::save_course(&mut tx, course.id, form.version, &changes, user.id).await? {
        let last = edit_store::course_last_save(&mut tx, course.id).await?;
        tx.commit().await?;
        return page(&ctx, &course, &form, &errors, last).await;
    }
    edit_store::set_instructors(&mut tx, course.id, &form.instructors).await?;
    media::uses::forget(&mut tx, "course", course.id.0).await?;
    let url = format!("/admin/courses/{}/settings", course.id);
    if let Some(cover) = cover {
        let label = format!("{} › {}", changes.title, ctx.t("content-settings-cover"));
        media::uses::record(&mut tx, cover, "course", course.id.0, &label, &url).await?;
    }
    tx.commit().await?;
    let flash =
        if f.get("action").is_empty() { "content-settings-saved" } else { "content-settings-instructors-saved" };
    Ok(ctx.redirect_with(&url, "success", ctx.t(flash)).into_response())
}
