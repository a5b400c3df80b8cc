//! `GET/POST /admin/courses/{id}/lessons/{lesson}`: the lesson editor — title, status, the
//! content of its kind (video or audio from the library, rich text, an embed link, quiz or
//! assignment introduction), attachments, and its settings (duration, preview, required, manual
//! completion, watch share, drip). A save names the version it was opened at; a stale one is
//! refused with who saved in between, keeping what was typed.

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, html, web::FieldErrors, web::Form};
use media::{
    MediaId,
    picker::{self, PickKind},
};
use minijinja::{context, value::Serde};
use serde::Serialize;

use super::fields::{Fields, reorder};
use crate::{
    drip_form::DripForm,
    edit_store::{self, LastSave, LessonChanges},
    embed,
    model::{Course, CourseId, Lesson, LessonId, LessonKind},
    store,
};

/// The editor's fields as typed (or as stored).
#[derive(Clone, Debug, Default, Serialize)]
struct LessonForm {
    title: String,
    status: String,
    version: i32,
    body_html: String,
    media_id: String,
    embed_url: String,
    duration_minutes: String,
    free_preview: bool,
    required: bool,
    allow_manual: bool,
    watch_percent: String,
    drip: DripForm,
    attachments: Vec<MediaId>,
}

impl LessonForm {
    fn from_lesson(l: &Lesson, attachments: Vec<MediaId>, zone: &str) -> Self {
        Self {
            title: l.title.clone(),
            status: l.status.clone(),
            version: l.version,
            body_html: html::sanitize(&l.body_html),
            media_id: l.media_id.map(|m| m.to_string()).unwrap_or_default(),
            embed_url: l.embed_url.clone().unwrap_or_default(),
            duration_minutes: l.duration_minutes.map(|d| d.to_string()).unwrap_or_default(),
            free_preview: l.free_preview,
            required: l.required,
            allow_manual: l.allow_manual,
            watch_percent: l.watch_percent.to_string(),
            drip: DripForm::from_drip(l.drip(), zone),
            attachments,
        }
    }

    fn from_fields(f: &Fields) -> Self {
        Self {
            title: f.get("title").trim().to_string(),
            status: f.get("status").to_string(),
            version: f.get("version").parse().unwrap_or(0),
            body_html: f.get("body_html").to_string(),
            media_id: f.get("media_id").to_string(),
            embed_url: f.get("embed_url").trim().to_string(),
            duration_minutes: f.get("duration_minutes").trim().to_string(),
            free_preview: f.on("free_preview"),
            required: f.on("required"),
            allow_manual: f.on("allow_manual"),
            watch_percent: f.get("watch_percent").trim().to_string(),
            drip: DripForm {
                drip: f.get("drip").into(),
                drip_days: f.get("drip_days").into(),
                drip_date: f.get("drip_date").into(),
                drip_lesson: f.get("drip_lesson").into(),
                drip_module: f.get("drip_module").into(),
            },
            attachments: f.all("attachment").iter().filter_map(|a| a.parse().ok()).collect(),
        }
    }
}

/// The course and lesson of the path, or not found (also for another school's ids).
async fn load(ctx: &Ctx, course: &str, lesson: &str) -> AppResult<(Course, Lesson)> {
    let course: CourseId = course.parse().map_err(|_| AppError::NotFound)?;
    let lesson: LessonId = lesson.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let course = store::course(&mut tx, course).await?.ok_or(AppError::NotFound)?;
    let lesson =
        store::lesson(&mut tx, lesson).await?.filter(|l| l.course_id == course.id).ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok((course, lesson))
}

/// Lessons and modules before this lesson (what its drip rule may wait for), as (id, title).
type Earlier = (Vec<(String, String)>, Vec<(String, String)>);

async fn earlier(tx: &mut kernel::db::TenantTx, lesson: &Lesson) -> sqlx::Result<Earlier> {
    let modules = store::modules(tx, lesson.course_id).await?;
    let lessons = store::lessons(tx, lesson.course_id).await?;
    let before: Vec<_> =
        lessons.iter().take_while(|l| l.id != lesson.id).map(|l| (l.id.to_string(), l.title.clone())).collect();
    let mods =
        modules.iter().take_while(|m| m.id != lesson.module_id).map(|m| (m.id.to_string(), m.title.clone())).collect();
    Ok((before, mods))
}

fn pick_kind(kind: LessonKind) -> PickKind {
    if kind == LessonKind::Audio { PickKind::Audio } else { PickKind::Video }
}

async fn page(
    ctx: &Ctx,
    course: &Course,
    lesson: &Lesson,
    form: &LessonForm,
    errors: &FieldErrors,
    conflict: Option<LastSave>,
) -> AppResult<Response> {
    let kind = lesson.kind();
    let mut tx = ctx.tx().await?;
    let chosen: Vec<MediaId> = form.media_id.parse().ok().into_iter().collect();
    let media_items =
        if kind.plays_media() { picker::options(&mut tx, pick_kind(kind), &chosen).await? } else { vec![] };
    let files = picker::options(&mut tx, PickKind::File, &form.attachments).await?;
    let attached: Vec<_> =
        form.attachments.iter().filter_map(|id| files.iter().find(|m| m.id == *id).cloned()).collect();
    let media_deleted = edit_store::lesson_media_deleted(&mut tx, lesson.id).await? && form.media_id.is_empty();
    let (drip_lessons, drip_modules) = earlier(&mut tx, lesson).await?;
    tx.commit().await?;
    let html = ctx.render(
        "courses/admin/lesson_editor.html",
        context! {
            course => Serde(course),
            lesson => Serde(lesson),
            kind => kind.as_str(),
            form => Serde(form),
            errors => Serde(errors),
            conflict => Serde(&conflict),
            media_items => Serde(&media_items),
            files => Serde(&files),
            attached => Serde(&attached),
            media_deleted,
            drip_lessons,
            drip_modules,
            zone => kernel::zones::label(&ctx.school.time_zone),
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

pub async fn show(ctx: Ctx, Path((course, lesson)): Path<(String, String)>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    let attachments = {
        let mut tx = ctx.tx().await?;
        edit_store::attachments(&mut tx, lesson.id).await?
    };
    let form = LessonForm::from_lesson(&lesson, attachments, &ctx.school.time_zone);
    page(&ctx, &course, &lesson, &form, &FieldErrors::default(), None).await
}

pub async fn save(
    ctx: Ctx,
    Path((course, lesson)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageCourses)?.clone();
    let (course, lesson) = load(&ctx, &course, &lesson).await?;
    let fields = Fields(fields);
    let mut form = LessonForm::from_fields(&fields);
    reorder(&mut form.attachments, fields.get("action"));
    if let Ok(added) = fields.get("add_attachment").parse::<MediaId>()
        && !form.attachments.contains(&added)
    {
        form.attachments.push(added);
    }
    let kind = lesson.kind();
    let zone = ctx.school.time_zone.clone();
    let mut errors = FieldErrors::default();
    let mut tx = ctx.tx().await?;

    if form.title.is_empty() {
        errors.add("title", ctx.t("content-lesson-error-title"));
    } else if form.title.chars().count() > 200 {
        errors.add("title", ctx.t("courses-error-title-long"));
    }
    let status = if form.status == "published" { "published" } else { "draft" };
    let duration = match form.duration_minutes.as_str() {
        "" => None,
        d => match d.parse::<i32>() {
            Ok(n) if (0..=10000).contains(&n) => Some(n),
            _ => {
                errors.add("duration_minutes", ctx.t("content-lesson-error-duration"));
                None
            }
        },
    };
    let watch_percent = match form.watch_percent.parse::<i32>() {
        Ok(n) if (1..=100).contains(&n) => n,
        _ if !kind.plays_media() => lesson.watch_percent,
        _ => {
            errors.add("watch_percent", ctx.t("content-lesson-error-watch"));
            90
        }
    };
    let media_id = if kind.plays_media() {
        match picker::chosen(&mut tx, pick_kind(kind), &form.media_id).await? {
            Ok(m) => m.map(|m| m.id),
            Err(()) => {
                errors.add("media_id", ctx.t(&format!("content-lesson-error-media-{}", kind.as_str())));
                None
            }
        }
    } else {
        None
    };
    let embed_url = if kind == LessonKind::Embed && !form.embed_url.is_empty() {
        let url = embed::normalize(&form.embed_url);
        if url.is_none() {
            errors.add("embed_url", ctx.t("content-lesson-error-embed"));
        }
        url
    } else {
        None
    };
    for id in &form.attachments {
        if picker::chosen(&mut tx, PickKind::File, &id.to_string()).await?.ok().flatten().is_none() {
            errors.add("add_attachment", ctx.t("content-lesson-error-attachment"));
        }
    }
    let (drip_lessons, drip_modules) = earlier(&mut tx, &lesson).await?;
    let lesson_ids: Vec<LessonId> = drip_lessons.iter().filter_map(|(id, _)| id.parse().ok()).collect();
    let module_ids: Vec<_> = drip_modules.iter().filter_map(|(id, _)| id.parse().ok()).collect();
    let drip = form.drip.parse(&zone, &lesson_ids, &module_ids).unwrap_or_else(|(field, key)| {
        errors.add(field, ctx.t(key));
        crate::model::Drip::Now
    });
    if !errors.is_empty() {
        tx.commit().await?;
        return page(&ctx, &course, &lesson, &form, &errors, None).await;
    }

    let changes = LessonChanges {
        title: form.title.clone(),
        status,
        body_html: html::sanitize(&form.body_html),
        media_id,
        embed_url,
        duration_minutes: duration,
        free_preview: form.free_preview,
        required: form.required,
        allow_manual: form.allow_manual,
        watch_percent,
        drip,
    };
    if !edit_store::save_lesson(&mut tx, lesson.id, form.version, &changes, user.id).await? {
        let last = edit_store::lesson_last_save(&mut tx, lesson.id).await?;
        tx.commit().await?;
        return page(&ctx, &course, &lesson, &form, &errors, last).await;
    }
    edit_store::set_attachments(&mut tx, lesson.id, &form.attachments).await?;
    media::uses::forget(&mut tx, "lesson", lesson.id.0).await?;
    let label = format!("{} › {}", course.title, changes.title);
    let url = format!("/admin/courses/{}/lessons/{}", course.id, lesson.id);
    for item in media_id.iter().chain(form.attachments.iter()) {
        media::uses::record(&mut tx, *item, "lesson", lesson.id.0, &label, &url).await?;
    }
    tx.commit().await?;
    let flash =
        if fields.get("action").is_empty() { "content-lesson-saved" } else { "content-lesson-attachments-saved" };
    Ok(ctx.redirect_with(&url, "success", ctx.t(flash)).into_response())
}
