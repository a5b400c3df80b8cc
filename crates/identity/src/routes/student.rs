//! `GET /admin/people/{id}`: one student's profile, email status, logins, and what staff can
//! do for them.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use kernel::{AppError, AppResult, ids::UserId, web::FieldErrors};
use minijinja::{context, value::Serde};

use crate::{
    Ctx, Permission,
    model::User,
    service::{people, user_locale},
    store::logins,
};

/// Logins listed in the sign-in history.
const HISTORY: i64 = 20;

/// The student id in a path; anything else leads nowhere.
pub(super) fn student_id(raw: &str) -> AppResult<UserId> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// The page; `email_form` and `errors` bring back a refused address correction.
pub(super) async fn page(ctx: &Ctx, student: &User, email_form: &str, errors: &FieldErrors) -> AppResult<Response> {
    let can_help = ctx.can(Permission::HelpStudents);
    let mut tx = ctx.tx().await?;
    let history = if can_help { logins::recent(&mut tx, student.id, HISTORY).await? } else { Vec::new() };
    let panels: Vec<minijinja::Value> = crate::panel::render_all(ctx, &mut tx, student)
        .await?
        .into_iter()
        .map(minijinja::Value::from_safe_string)
        .collect();
    tx.commit().await?;
    let language = user_locale(student, &ctx.school).native_name();
    let html = ctx.render(
        "identity/student.html",
        context! {
            student => Serde(student), history => Serde(history), can_help,
            can_manage => ctx.can(Permission::ManageStudents),
            language, language_chosen => student.locale.is_some(),
            time_zone => student.time_zone.clone().unwrap_or_else(|| ctx.school.time_zone.clone()),
            email_form, errors => Serde(errors), initials => student.initials(), panels,
        },
    )?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ViewPeople)?;
    let id = student_id(&id)?;
    let mut tx = ctx.tx().await?;
    let student = people::student(&mut tx, id).await?;
    tx.commit().await?;
    page(&ctx, &student, "", &FieldErrors::default()).await
}
