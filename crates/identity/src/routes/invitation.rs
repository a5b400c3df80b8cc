//! `GET/POST /invitations/{token}`: joining a school's team from an invitation link.
//! A new person chooses a name and password; someone who already has an account here (a
//! student, say) logs in and accepts, and their role is upgraded.

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use kernel::{
    AppResult,
    secret::hash_token,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    Ctx,
    model::Role,
    service::{
        self, NewAccount,
        team::{self, Joined},
    },
    store::{self, team::Invitation},
};

/// The accept form's fields (name and password only for a new account).
#[derive(Deserialize, Default)]
pub struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// Where a person with `role` lands after joining.
fn landing(role: Role) -> &'static str {
    if role.is_staff() { "/admin" } else { "/dashboard" }
}

/// The login page, coming back to the invitation afterwards.
fn login_url(token: &str) -> String {
    let next = serde_urlencoded::to_string([("next", format!("/invitations/{token}"))]).unwrap_or_default();
    format!("/login?{next}")
}

/// The live invitation behind a link and whether its address already has an account here.
async fn load(ctx: &Ctx, token: &str) -> AppResult<Option<(Invitation, bool)>> {
    if !super::plausible_token(token) {
        return Ok(None);
    }
    let mut tx = ctx.tx().await?;
    let Some(inv) = store::team::live_by_token(&mut tx, &hash_token(token)).await? else { return Ok(None) };
    let exists = store::email_in_use(&mut tx, &inv.email).await?;
    tx.commit().await?;
    Ok(Some((inv, exists)))
}

fn page(
    ctx: &Ctx,
    token: &str,
    inv: &Invitation,
    exists: bool,
    f: &AcceptForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let mode = match &ctx.user {
        Some(u) if u.email.eq_ignore_ascii_case(&inv.email) => "accept",
        Some(_) => "other",
        None if exists => "login",
        None => "new",
    };
    let status = match mode {
        "other" if !errors.is_empty() => StatusCode::FORBIDDEN,
        _ => super::form_status(errors),
    };
    let html = ctx.render(
        "identity/invitation.html",
        context! {
            invitation => Serde(inv), mode, token, login_url => login_url(token),
            form => context! { name => f.name.clone() }, errors => Serde(errors),
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn show(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    let Some((inv, exists)) = load(&ctx, &token).await? else { return super::dead_link(&ctx, "invite") };
    page(&ctx, &token, &inv, exists, &AcceptForm::default(), &FieldErrors::default())
}

pub async fn accept(ctx: Ctx, Path(token): Path<String>, Form(f): Form<AcceptForm>) -> AppResult<Response> {
    let Some((inv, exists)) = load(&ctx, &token).await? else { return super::dead_link(&ctx, "invite") };
    let role = Role::parse_assignable(&inv.role).unwrap_or(Role::Affiliate);
    if let Some(user) = &ctx.user {
        if !user.email.eq_ignore_ascii_case(&inv.email) {
            let mut errors = FieldErrors::default();
            errors.add("account", ctx.t("invitation-other-account"));
            return page(&ctx, &token, &inv, exists, &f, &errors);
        }
        let mut tx = ctx.tx().await?;
        if !team::accept_as_existing(&mut tx, &inv, user).await? {
            drop(tx);
            return super::dead_link(&ctx, "invite");
        }
        tx.commit().await?;
        let to = if user.role() == Role::Owner { "/admin" } else { landing(role) };
        return Ok(ctx.redirect_with(to, "success", ctx.t("invitation-joined")).into_response());
    }
    if exists {
        return Ok(ctx.redirect_with(&login_url(&token), "info", ctx.t("invitation-log-in")).into_response());
    }
    if let Err(wait) = ctx.rate_check("invitation", super::SIGNUP_LIMIT) {
        let errors = super::wait_errors(&ctx, "name", wait);
        return Ok(kernel::rate::too_many_requests(page(&ctx, &token, &inv, exists, &f, &errors)?, wait));
    }
    let account = match NewAccount::parse(&f.name, &inv.email, &f.password, ctx.shell.locale) {
        Ok(a) => a,
        Err(errors) => return page(&ctx, &token, &inv, exists, &f, &errors),
    };
    let mut tx = ctx.tx().await?;
    match team::accept_as_new(&ctx.state, &mut tx, &inv, &account).await? {
        Joined::Created(user) => {
            service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, false, &ctx.device()).await?;
            tx.commit().await?;
            Ok(ctx.redirect_with(landing(role), "success", ctx.t("invitation-joined")).into_response())
        }
        Joined::AddressTaken => {
            drop(tx);
            Ok(ctx.redirect_with(&login_url(&token), "info", ctx.t("invitation-log-in")).into_response())
        }
        Joined::Gone => {
            drop(tx);
            super::dead_link(&ctx, "invite")
        }
    }
}
