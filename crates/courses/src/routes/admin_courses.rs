//! `GET/POST /admin/courses`: the school's courses as cards (cover, status, size, students,
//! last edit) with a search, and starting a new one, which opens its curriculum at once.

use axum::{
    extract::Query,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{curriculum::free_slug, model::CourseId, slug, store};

/// The new-course form.
#[derive(Deserialize, Default)]
pub struct NewCourse {
    #[serde(default)]
    title: String,
}

/// `?q=` searches titles; `?undo={id}` offers back a course just deleted.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    undo: Option<String>,
}

/// The list.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    page(&ctx, &q, &NewCourse::default(), &FieldErrors::default()).await
}

async fn page(ctx: &Ctx, q: &ListQuery, f: &NewCourse, errors: &FieldErrors) -> AppResult<Response> {
    let search =
        q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().take(200).collect::<String>());
    let mut tx = ctx.tx().await?;
    let courses = store::course_cards(&mut tx, search.as_deref()).await?;
    let total = if search.is_some() { store::course_cards(&mut tx, None).await?.len() } else { courses.len() };
    let undo = match q.undo.as_deref().and_then(|u| u.parse().ok()).map(CourseId) {
        Some(id) => store::course_with_deleted(&mut tx, id).await?.filter(|c| store_deleted(c, &courses)),
        None => None,
    };
    tx.commit().await?;
    let html = ctx.render(
        "courses/admin/courses.html",
        context! {
            courses => Serde(&courses),
            total,
            q => search.unwrap_or_default(),
            undo => undo.map(|c| context! { id => c.id.to_string(), title => c.title }),
            form => context! { title => f.title.clone() },
            errors => Serde(errors),
        },
    )?;
    let status =
        if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

/// Whether a course offered for undo is really gone from the list (not restored already).
fn store_deleted(course: &crate::Course, live: &[store::CourseCard]) -> bool {
    !live.iter().any(|c| c.course.id == course.id)
}

/// Creates a draft course and opens its curriculum.
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
        return page(&ctx, &ListQuery::default(), &f, &errors).await;
    }
    let mut tx = ctx.tx().await?;
    let address = free_slug(&mut tx, &slug::from_title(title)).await?;
    let id = CourseId::new();
    store::insert_course(&mut tx, id, &address, title, Some(user.id)).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(&format!("/admin/courses/{id}"), "success", ctx.t("courses-created-flash")).into_response())
}
