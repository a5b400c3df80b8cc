//! `GET /admin/courses/{id}`: the course's curriculum, the tree of modules and lessons the
//! creator builds, reorders, publishes and previews.

use axum::{
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, db::TenantTx, web::FieldErrors};
use minijinja::{Value, context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    curriculum::{Refused, Tree},
    model::{Course, CourseId, LessonId, LessonKind, ModuleId},
    store,
};

/// `?undo=lesson:{id}`: the item just deleted, offered back in a toast; `?refused=publish`:
/// why the course could not be published.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    undo: Option<String>,
    #[serde(default)]
    refused: Option<String>,
}

/// A lesson row as the tree shows it.
#[derive(Serialize)]
struct Row {
    id: LessonId,
    title: String,
    kind: String,
    published: bool,
    free_preview: bool,
    duration_minutes: Option<i32>,
}

/// A module with its rows.
#[derive(Serialize)]
struct Section {
    id: ModuleId,
    title: String,
    lessons: Vec<Row>,
}

/// The course named in the path, if the viewer may build courses and it is this school's.
pub(crate) async fn course_in(ctx: &Ctx, tx: &mut TenantTx, id: &str) -> AppResult<Course> {
    ctx.require(Permission::ManageCourses)?;
    let id: CourseId = id.parse().map_err(|_| AppError::NotFound)?;
    store::course(tx, id).await?.ok_or(AppError::NotFound)
}

/// Maps the builder's refusals to what the creator sees.
pub(crate) fn refused(ctx: &Ctx, e: Refused) -> AppError {
    match e {
        Refused::NotFound => AppError::NotFound,
        Refused::Stale => AppError::Unprocessable(ctx.t("curriculum-error-stale")),
        Refused::NothingPublished => AppError::Unprocessable(ctx.t("curriculum-error-nothing-published")),
        Refused::Db(e) => e.into(),
    }
}

/// The curriculum page.
pub async fn page(ctx: Ctx, Path(id): Path<String>, Query(q): Query<PageQuery>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = course_in(&ctx, &mut tx, &id).await?;
    let mut errors = FieldErrors::default();
    if q.refused.as_deref() == Some("publish") && !course.is_published() {
        errors.add("publish", ctx.t("curriculum-error-nothing-published"));
    }
    render(&ctx, &mut tx, &course, q.undo.as_deref(), &errors, StatusCode::OK).await
}

/// Renders the page (also with an error beside the "add module" field).
pub(crate) async fn render(
    ctx: &Ctx,
    tx: &mut TenantTx,
    course: &Course,
    undo: Option<&str>,
    errors: &FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let tree = Tree::load(tx, course.id).await?;
    let sections: Vec<Section> = tree
        .modules
        .iter()
        .map(|m| Section {
            id: m.id,
            title: m.title.clone(),
            lessons: tree
                .lessons
                .iter()
                .filter(|l| l.module_id == m.id)
                .map(|l| Row {
                    id: l.id,
                    title: l.title.clone(),
                    kind: l.kind.clone(),
                    published: l.is_published(),
                    free_preview: l.free_preview,
                    duration_minutes: l.duration_minutes,
                })
                .collect(),
        })
        .collect();
    let undo = match undo.and_then(|u| u.split_once(':')) {
        Some(("lesson", id)) => match id.parse().ok().map(LessonId) {
            Some(l) => store::deleted_lesson(tx, course.id, l).await?.map(|l| ("lesson", l.id.0, l.title)),
            None => None,
        },
        Some(("module", id)) => match id.parse().ok().map(ModuleId) {
            Some(m) => store::deleted_module(tx, course.id, m).await?.map(|m| ("module", m.id.0, m.title)),
            None => None,
        },
        _ => None,
    };
    let published_lessons = tree.lessons.iter().filter(|l| l.is_published()).count();
    let minutes: i32 = tree.lessons.iter().filter_map(|l| l.duration_minutes).sum();
    let kinds: Vec<Value> = LessonKind::ALL
        .iter()
        .map(|k| context! { value => k.as_str(), label => ctx.t(&format!("curriculum-kind-{}", k.as_str())) })
        .collect();
    let html = ctx.render(
        "courses/admin/curriculum.html",
        context! {
            course => Serde(course),
            sections => Serde(&sections),
            order => tree.order().encode(),
            lesson_count => tree.lessons.len(),
            published_lessons,
            minutes,
            kinds,
            undo => undo.map(|(kind, id, title)| context! { kind, id => id.to_string(), title }),
            errors => Serde(errors),
        },
    )?;
    Ok((status, html).into_response())
}
