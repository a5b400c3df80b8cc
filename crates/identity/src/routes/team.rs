//! `GET /admin/team` (members and open invitations), `POST /admin/team/invite` and
//! `POST /admin/team/invitations/{id}/revoke`.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    Ctx, Permission,
    model::{InvitationId, Role},
    service::team::{self, Invite},
    store,
};

/// The invitation form's fields.
#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn page(ctx: &Ctx, f: &InviteForm, errors: &FieldErrors) -> AppResult<Response> {
    let me = ctx.require(Permission::ViewPeople)?;
    let mut tx = ctx.tx().await?;
    let members = store::team::members(&mut tx).await?;
    let invitations = store::team::open_invitations(&mut tx).await?;
    tx.commit().await?;
    let roles: Vec<&str> = Role::ASSIGNABLE.iter().map(|r| r.as_str()).collect();
    let role_options: Vec<(&str, String)> = roles.iter().map(|r| (*r, ctx.t(&format!("role-{r}")))).collect();
    let html = ctx.render(
        "identity/team.html",
        context! {
            members => Serde(members),
            invitations => Serde(invitations),
            roles => Serde(roles),
            role_options => Serde(role_options),
            can_manage => ctx.can(Permission::ManageTeam),
            me_id => me.id.to_string(),
            form => context! { email => f.email.clone(), role => if f.role.is_empty() { "instructor" } else { &f.role } },
            errors => Serde(errors),
        },
    )?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn show(ctx: Ctx) -> AppResult<Response> {
    page(&ctx, &InviteForm::default(), &FieldErrors::default()).await
}

pub async fn invite(ctx: Ctx, Form(f): Form<InviteForm>) -> AppResult<Response> {
    let me = ctx.require(Permission::ManageTeam)?;
    let invite = match Invite::parse(&f.email, &f.role, ctx.shell.locale) {
        Ok(i) => i,
        Err(errors) => return page(&ctx, &f, &errors).await,
    };
    let mut tx = ctx.tx().await?;
    if let Err(errors) = team::invite(&ctx.state, &mut tx, &ctx.school, me, &invite, ctx.shell.locale).await? {
        drop(tx);
        return page(&ctx, &f, &errors).await;
    }
    tx.commit().await?;
    let msg = ctx.t_args("team-invite-sent", &[("email", invite.email.as_str().into())]);
    Ok(ctx.redirect_with("/admin/team", "success", msg).into_response())
}

pub async fn revoke(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let me = ctx.require(Permission::ManageTeam)?;
    let id: InvitationId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    team::revoke(&mut tx, me, id).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/team", "success", ctx.t("team-invite-revoked")).into_response())
}
