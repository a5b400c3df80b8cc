//! The actions on a student's page, each a POST that comes back with a message:
//! `/admin/people/{id}/resend-verification`, `/reset-password`, `/email`, `/suspend`,
//! `/restore` and `/delete`.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use kernel::{AppResult, web::Form};
use serde::Deserialize;

use super::student::{page, student_id};
use crate::{Ctx, Permission, model::User, service::people};

/// The address-correction form.
#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// The delete form: the student's address typed again.
#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// The viewer (with `permission`) and the student, or 403/404.
async fn load(ctx: &Ctx, id: &str, permission: Permission) -> AppResult<(User, User)> {
    let me = ctx.require(permission)?.clone();
    let id = student_id(id)?;
    let mut tx = ctx.tx().await?;
    let student = people::student(&mut tx, id).await?;
    tx.commit().await?;
    Ok((me, student))
}

fn back(ctx: &Ctx, student: &User, message: String) -> Response {
    ctx.redirect_with(&format!("/admin/people/{}", student.id), "success", message).into_response()
}

pub async fn resend_verification(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (me, student) = load(&ctx, &id, Permission::HelpStudents).await?;
    let mut tx = ctx.tx().await?;
    people::resend_verification(&ctx.state, &mut tx, &ctx.school, &me, &student, ctx.shell.locale).await?;
    tx.commit().await?;
    Ok(back(&ctx, &student, ctx.t_args("student-verification-sent", &[("email", student.email.clone().into())])))
}

pub async fn reset_password(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (me, student) = load(&ctx, &id, Permission::HelpStudents).await?;
    let mut tx = ctx.tx().await?;
    people::send_reset(&ctx.state, &mut tx, &ctx.school, &me, &student, ctx.shell.locale).await?;
    tx.commit().await?;
    Ok(back(&ctx, &student, ctx.t_args("student-reset-sent", &[("email", student.email.clone().into())])))
}

pub async fn correct_email(ctx: Ctx, Path(id): Path<String>, Form(f): Form<EmailForm>) -> AppResult<Response> {
    let (me, student) = load(&ctx, &id, Permission::ManageStudents).await?;
    let mut tx = ctx.tx().await?;
    let done =
        people::correct_email(&ctx.state, &mut tx, &ctx.school, &me, &student, &f.email, ctx.shell.locale).await?;
    tx.commit().await?;
    match done {
        Ok(email) => {
            Ok(back(&ctx, &student, ctx.t_args("student-email-corrected", &[("email", email.as_str().into())])))
        }
        Err(errors) => page(&ctx, &student, &f.email, &errors).await,
    }
}

pub async fn suspend(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (me, student) = load(&ctx, &id, Permission::ManageStudents).await?;
    let mut tx = ctx.tx().await?;
    people::suspend(&mut tx, &me, &student).await?;
    tx.commit().await?;
    Ok(back(&ctx, &student, ctx.t_args("student-suspended", &[("name", student.name.clone().into())])))
}

pub async fn restore(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (me, student) = load(&ctx, &id, Permission::ManageStudents).await?;
    let mut tx = ctx.tx().await?;
    people::restore(&mut tx, &me, &student).await?;
    tx.commit().await?;
    Ok(back(&ctx, &student, ctx.t_args("student-restored", &[("name", student.name.clone().into())])))
}

pub async fn delete(ctx: Ctx, Path(id): Path<String>, Form(f): Form<DeleteForm>) -> AppResult<Response> {
    let (me, student) = load(&ctx, &id, Permission::ManageStudents).await?;
    let mut tx = ctx.tx().await?;
    if !people::delete(&mut tx, &me, &student, &f.confirm).await? {
        drop(tx);
        let mut errors = kernel::web::FieldErrors::default();
        errors.add("confirm", ctx.t("student-delete-mismatch"));
        return page(&ctx, &student, "", &errors).await;
    }
    tx.commit().await?;
    let msg = ctx.t_args("student-deleted", &[("name", student.name.clone().into())]);
    Ok(ctx.redirect_with("/admin/people", "success", msg).into_response())
}
