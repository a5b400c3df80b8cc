//! `POST /learn/{slug}/enroll`: a logged-in student joins a free course and lands on its home.
//! A visitor is sent to log in first and brought back to the course; a course that is not free
//! says so plainly (403) and points to where it can be bought.

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};

use crate::{
    enrollment::{self, Enrolled, Source},
    store,
};

pub async fn enroll(ctx: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let course = store::course_by_slug(&mut tx, &slug).await?.filter(|c| c.is_published()).ok_or(AppError::NotFound)?;
    let home = format!("/learn/{}", course.slug);
    let Some(user) = ctx.user.clone() else {
        tx.commit().await?;
        // Slugs are plain ASCII letters, digits and dashes: safe in a query string as they are.
        return Ok(Redirect::to(&format!("/login?next={home}")).into_response());
    };
    if !course.is_free {
        tx.commit().await?;
        let html = ctx.render("courses/not_free.html", context! { course => Serde(&course) })?;
        return Ok((StatusCode::FORBIDDEN, html).into_response());
    }
    let done = enrollment::enroll(&ctx.state, &mut tx, user.id, &course, Source::SelfServe, None, None).await?;
    tx.commit().await?;
    let key = match done {
        Enrolled::Granted(_) => "enrol-self-welcome",
        Enrolled::AlreadyActive(_) => "enrol-self-already",
    };
    Ok(ctx.redirect_with(&home, "success", ctx.t_args(key, &[("course", course.title.clone().into())])).into_response())
}
