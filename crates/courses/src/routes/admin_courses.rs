//! `GET/POST /admin/courses`: the school's courses, and starting a new one.

use axum::response::{IntoResponse, Response};
use identity::{Ctx, Permission};
use kernel::{
    AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{model::CourseId, slug, store};

/// The new-course form.
#[derive(Deserialize, Default)]
pub struct NewCourse {
    #[serde(default)]
    title: String,
}

pub async fn list(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    page(&ctx, &NewCourse::default(), &FieldErrors::default()).await
}

async fn page(ctx: &Ctx, f: &NewCourse, errors: &FieldErrors) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let courses = store::courses(&mut tx).await?;
    tx.commit().await?;
    let html = ctx.render(
        "courses/admin/courses.html",
        context! { courses => Serde(&courses), form => context! { title => f.title.clone() }, errors => Serde(errors) },
    )?;
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

pub async fn create(ctx: Ctx, Form(f): Form<NewCourse>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageCourses)?;
    let title = f.title.trim();
    let mut errors = FieldErrors::default();
    if title.is_empty() {
        errors.add("title", ctx.t("courses-error-title-required"));
    } else if title.chars().count() > 200 {
        errors.add("title", ctx.t("courses-error-title-long"));
    }
    if !errors.is_empty() {
        return page(&ctx, &f, &errors).await;
    }
    let mut tx = ctx.tx().await?;
    let base = slug::from_title(title);
    let mut candidate = base.clone();
    let mut n = 2;
    while store::slug_taken(&mut tx, &candidate, None).await? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    store::insert_course(&mut tx, CourseId::new(), &candidate, title, Some(user.id)).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/courses", "success", ctx.t("courses-created-flash")).into_response())
}
