//! `POST /admin/team/{user_id}/role` and `POST /admin/team/{user_id}/remove`.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use kernel::{AppError, AppResult, ids::UserId, web::Form};
use serde::Deserialize;

use crate::{Ctx, Permission, model::Role, service::team};

/// The role form's field.
#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

fn member_id(raw: &str) -> AppResult<UserId> {
    raw.parse().map_err(|_| AppError::NotFound)
}

pub async fn role(ctx: Ctx, Path(id): Path<String>, Form(f): Form<RoleForm>) -> AppResult<Response> {
    let me = ctx.require(Permission::ManageTeam)?;
    let id = member_id(&id)?;
    let role = Role::parse_assignable(&f.role).ok_or_else(|| AppError::BadRequest(ctx.t("validation-role-unknown")))?;
    let mut tx = ctx.tx().await?;
    let member = team::change_role(&mut tx, me, id, role).await?;
    tx.commit().await?;
    let role_name = ctx.t(&format!("role-{}", role.as_str()));
    let msg = ctx.t_args("team-role-changed", &[("name", member.name.into()), ("role", role_name.into())]);
    Ok(ctx.redirect_with("/admin/team", "success", msg).into_response())
}

pub async fn remove(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let me = ctx.require(Permission::ManageTeam)?;
    let id = member_id(&id)?;
    let mut tx = ctx.tx().await?;
    let member = team::remove(&mut tx, me, id).await?;
    tx.commit().await?;
    let msg = ctx.t_args("team-removed", &[("name", member.name.into())]);
    Ok(ctx.redirect_with("/admin/team", "success", msg).into_response())
}
