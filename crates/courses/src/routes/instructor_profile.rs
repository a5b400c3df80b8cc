//! `GET/POST /admin/courses/{id}/instructors/{user}`: what the course page says about one of
//! its instructors — headline, bio and photo (their profile is shared by all their courses).

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission, User};
use kernel::{
    AppError, AppResult, html,
    ids::UserId,
    web::{FieldErrors, Form},
};
use media::picker::{self, PickKind};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    edit_store::{self, Profile},
    model::{Course, CourseId},
    store,
};

/// The profile form.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ProfileForm {
    #[serde(default)]
    headline: String,
    #[serde(default)]
    bio_html: String,
    #[serde(default)]
    photo_media_id: String,
}

async fn load(ctx: &Ctx, course: &str, user: &str) -> AppResult<(Course, User)> {
    let course: CourseId = course.parse().map_err(|_| AppError::NotFound)?;
    let user: UserId = user.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let course = store::course(&mut tx, course).await?.ok_or(AppError::NotFound)?;
    let teaches = edit_store::instructors(&mut tx, course.id).await?.contains(&user);
    let user = identity::store::find(&mut tx, user).await?.filter(|_| teaches).ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok((course, user))
}

async fn page(
    ctx: &Ctx,
    course: &Course,
    user: &User,
    form: &ProfileForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let chosen: Vec<_> = form.photo_media_id.parse().ok().into_iter().collect();
    let images = picker::options(&mut tx, PickKind::Image, &chosen).await?;
    tx.commit().await?;
    let html = ctx.render(
        "courses/admin/instructor_profile.html",
        context! { course => Serde(course), person => Serde(user), form => Serde(form), errors => Serde(errors), images => Serde(&images) },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

pub async fn show(ctx: Ctx, Path((course, user)): Path<(String, String)>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let (course, user) = load(&ctx, &course, &user).await?;
    let p = {
        let mut tx = ctx.tx().await?;
        edit_store::profile(&mut tx, user.id).await?
    };
    let form = ProfileForm {
        headline: p.headline,
        bio_html: html::sanitize(&p.bio_html),
        photo_media_id: p.photo_media_id.map(|m| m.to_string()).unwrap_or_default(),
    };
    page(&ctx, &course, &user, &form, &FieldErrors::default()).await
}

pub async fn save(
    ctx: Ctx,
    Path((course, user)): Path<(String, String)>,
    Form(f): Form<ProfileForm>,
) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let (course, user) = load(&ctx, &course, &user).await?;
    let mut errors = FieldErrors::default();
    let headline = f.headline.trim().to_string();
    if headline.chars().count() > 120 {
        errors.add("headline", ctx.t("content-profile-error-headline"));
    }
    let mut tx = ctx.tx().await?;
    let photo = match picker::chosen(&mut tx, PickKind::Image, &f.photo_media_id).await? {
        Ok(m) => m.map(|m| m.id),
        Err(()) => {
            errors.add("photo_media_id", ctx.t("content-profile-error-photo"));
            None
        }
    };
    if !errors.is_empty() {
        tx.commit().await?;
        return page(&ctx, &course, &user, &f, &errors).await;
    }
    let profile = Profile { headline, bio_html: html::sanitize(&f.bio_html), photo_media_id: photo };
    edit_store::save_profile(&mut tx, user.id, &profile).await?;
    media::uses::forget(&mut tx, "instructor", user.id.0).await?;
    let url = format!("/admin/courses/{}/instructors/{}", course.id, user.id);
    if let Some(photo) = photo {
        let label = ctx.t_args("content-profile-use", &[("name", user.name.clone().into())]);
        media::uses::record(&mut tx, photo, "instructor", user.id.0, &label, &url).await?;
    }
    tx.commit().await?;
    let back = format!("/admin/courses/{}/settings", course.id);
    let flash = ctx.t_args("content-profile-saved", &[("name", user.name.clone().into())]);
    Ok(ctx.redirect_with(&back, "success", flash).into_response())
}
