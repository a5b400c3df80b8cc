//! Enrolling students from a CSV: `GET/POST /admin/courses/{id}/students/import` (the upload),
//! `GET …/import/{import}` (column mapping and a preview of every row) and
//! `POST …/import/{import}/confirm` (the only step that enrols anyone).

use axum::{
    extract::{Multipart, Path, Query, multipart::MultipartRejection},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, web::Form};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use super::admin_students::course;
use crate::{
    import::{self, FileError, Mapping, Outcome},
    model::Course,
};

/// Rows shown in the preview (the counts cover them all).
const PREVIEW_ROWS: usize = 200;

/// The column choices, as in the address bar and the confirm form: column numbers, empty for
/// none; without `mapped` the columns are guessed from the header.
#[derive(Deserialize, Default)]
pub struct MappingForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    mapped: Option<String>,
}

impl MappingForm {
    fn mapping(&self, headers: &[String]) -> Mapping {
        if self.mapped.is_none() {
            return import::guess(headers);
        }
        let col = |s: &str| s.parse::<usize>().ok().filter(|i| *i < headers.len());
        Mapping { email: col(&self.email), name: col(&self.name), ends: col(&self.ends) }
    }
}

pub async fn form(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let course = course(&ctx, &id).await?;
    upload_page(&ctx, &course, None)
}

fn upload_page(ctx: &Ctx, course: &Course, error: Option<String>) -> AppResult<Response> {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let html = ctx.render("courses/admin/import.html", context! { course => Serde(course), error })?;
    Ok((status, html).into_response())
}

pub async fn upload(
    ctx: Ctx,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageCourses)?;
    let course = course(&ctx, &id).await?;
    let refuse = |e: FileError| {
        let line = e.line().unwrap_or(0) as i64;
        let message = ctx.t_args(e.key(), &[("line", line.into()), ("max", (import::MAX_ROWS as i64).into())]);
        upload_page(&ctx, &course, Some(message))
    };
    let Ok(mut multipart) = multipart else { return refuse(FileError::Empty) };
    let (mut bytes, mut file_name, mut too_large) = (Vec::new(), String::new(), false);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // A body over the server's limit ends here too.
            Err(_) => return refuse(FileError::TooLarge),
        };
        if field.name() != Some("file") {
            continue;
        }
        file_name = field.file_name().unwrap_or_default().chars().take(255).collect();
        let mut field = field;
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(_) => return refuse(FileError::TooLarge),
            };
            if bytes.len() + chunk.len() > import::MAX_BYTES {
                too_large = true;
            } else {
                bytes.extend_from_slice(&chunk);
            }
        }
    }
    if too_large {
        return refuse(FileError::TooLarge);
    }
    if bytes.is_empty() {
        return upload_page(&ctx, &course, Some(ctx.t("import-file-missing")));
    }
    let sheet = match import::parse(&bytes) {
        Ok(sheet) if sheet.rows.is_empty() => return upload_page(&ctx, &course, Some(ctx.t("import-file-no-rows"))),
        Ok(sheet) => sheet,
        Err(e) => return refuse(e),
    };
    let mut tx = ctx.tx().await?;
    let import_id = import::save(&mut tx, course.id, user.id, &file_name, &sheet, ctx.state.clock.now()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/courses/{}/students/import/{import_id}", course.id)).into_response())
}

pub async fn review(
    ctx: Ctx,
    Path((id, import_id)): Path<(String, String)>,
    Query(f): Query<MappingForm>,
) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let course = course(&ctx, &id).await?;
    let import_id: uuid::Uuid = import_id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let pending = import::find(&mut tx, course.id, import_id).await?.ok_or(AppError::NotFound)?;
    let students = format!("/admin/courses/{}/students", course.id);
    if pending.status != "pending" {
        tx.commit().await?;
        return Ok(ctx.redirect_with(&students, "info", ctx.t("import-already-done")).into_response());
    }
    let mapping = f.mapping(&pending.sheet.headers);
    let now = ctx.state.clock.now();
    let known = import::known(&mut tx, &course, &pending.sheet, mapping, now).await?;
    tx.commit().await?;
    let rows = import::check(&pending.sheet, mapping, &known, &ctx.school.time_zone, now);
    let count = |pred: &dyn Fn(Outcome) -> bool| rows.iter().filter(|r| pred(r.outcome)).count();
    let summary = context! {
        create => count(&|o| o == Outcome::Create), enrol => count(&|o| o == Outcome::Enrol),
        skip => count(&|o| o == Outcome::Skip), errors => count(&|o| !o.imports() && o != Outcome::Skip),
    };
    let importable = rows.iter().any(|r| r.outcome.imports());
    let shown: Vec<_> = rows.iter().take(PREVIEW_ROWS).collect();
    let html = ctx.render(
        "courses/admin/import_review.html",
        context! {
            course => Serde(&course), import_id => pending.id.to_string(), file_name => pending.file_name.clone(),
            headers => Serde(&pending.sheet.headers), mapping => Serde(mapping), rows => Serde(&shown),
            total => rows.len(), hidden => rows.len().saturating_sub(PREVIEW_ROWS), summary,
            importable => importable && mapping.email.is_some(),
        },
    )?;
    Ok(html.into_response())
}

pub async fn confirm(
    ctx: Ctx,
    Path((id, import_id)): Path<(String, String)>,
    Form(f): Form<MappingForm>,
) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageCourses)?;
    let course = course(&ctx, &id).await?;
    let import_id: uuid::Uuid = import_id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let pending = import::find(&mut tx, course.id, import_id).await?.ok_or(AppError::NotFound)?;
    let mapping = f.mapping(&pending.sheet.headers);
    if mapping.email.is_none() {
        tx.commit().await?;
        let back = format!("/admin/courses/{}/students/import/{}", course.id, pending.id);
        return Ok(ctx.redirect_with(&back, "error", ctx.t("import-map-email-required")).into_response());
    }
    let students = format!("/admin/courses/{}/students", course.id);
    let Some(counts) = import::run(&ctx.state, &mut tx, &course, &pending, mapping, &ctx.school.time_zone).await?
    else {
        tx.commit().await?;
        return Ok(ctx.redirect_with(&students, "info", ctx.t("import-already-done")).into_response());
    };
    let detail = serde_json::json!({ "course_id": course.id, "import_id": pending.id, "enrolled": counts.enrolled });
    identity::store::audit(&mut tx, user.id, "course.students_imported", detail).await?;
    tx.commit().await?;
    let message = ctx.t_args(
        "import-done",
        &[
            ("enrolled", counts.enrolled.into()),
            ("created", counts.created.into()),
            ("skipped", counts.skipped.into()),
            ("failed", counts.failed.into()),
        ],
    );
    Ok(ctx.redirect_with(&students, "success", message).into_response())
}
