//! `/affiliates/join/{token}`: accepting an invitation. The person (logged in, or creating an
//! account here) becomes an approved affiliate at once, with the invitation's personal rate.
//! An unknown, used or expired link says so.

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{
    AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};

use super::apply::{chosen_code, person, welcome};
use crate::{
    affiliates::{
        program::{
            self, Joining,
            invites::{self, Invite, InviteProblem},
            rule_form,
        },
        settings, store,
    },
    catalog::Fields,
};

/// The page.
pub async fn page(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let found = invites::usable(&mut tx, &token, ctx.state.clock.now()).await?;
    let mut fields = Vec::new();
    if let Ok(invite) = &found {
        fields.push(("email".to_string(), invite.email.clone()));
        if let Some(user) = &ctx.user {
            fields.push(("code".into(), program::suggest_code(&mut tx, &user.name).await?));
        }
    }
    tx.commit().await?;
    render(&ctx, &token, found, &Fields(fields), &FieldErrors::default()).await
}

async fn render(
    ctx: &Ctx,
    token: &str,
    found: Result<Invite, InviteProblem>,
    f: &Fields,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let s = settings::load(&mut tx).await?;
    let mine = match &ctx.user {
        Some(u) => store::of_user(&mut tx, u.id).await?,
        None => None,
    };
    tx.commit().await?;
    let (status, problem) = match &found {
        Err(InviteProblem::Unknown) => (StatusCode::NOT_FOUND, Some(InviteProblem::Unknown.message())),
        Err(p) => (StatusCode::GONE, Some(p.message())),
        Ok(_) if !errors.is_empty() => (StatusCode::UNPROCESSABLE_ENTITY, None),
        Ok(_) => (StatusCode::OK, None),
    };
    let invite = found.ok();
    let html = ctx.render(
        "commerce/affiliates/join.html",
        context! {
            token, problem, terms => s.terms, mine => Serde(&mine),
            rate => invite.as_ref().and_then(|i| i.personal_percent_bp).map(|bp| rule_form::percent_label(bp, ctx.shell.locale)),
            form => super::form_values(f), errors => Serde(errors), logged_in => ctx.user.is_some(),
        },
    )?;
    Ok((status, html).into_response())
}

/// Accepts.
pub async fn submit(
    ctx: Ctx,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    ctx.ensure_open()?;
    let f = Fields(fields);
    let now = ctx.state.clock.now();
    let mut tx = ctx.tx().await?;
    let invite = match invites::usable(&mut tx, &token, now).await? {
        Ok(i) => i,
        Err(p) => {
            tx.commit().await?;
            return render(&ctx, &token, Err(p), &f, &FieldErrors::default()).await;
        }
    };
    if let Some(u) = &ctx.user
        && store::of_user(&mut tx, u.id).await?.is_some()
    {
        tx.commit().await?;
        return Ok(ctx.redirect_with("/affiliates", "info", ctx.t("program-aff-already-applied")).into_response());
    }
    let mut errors = FieldErrors::default();
    if !f.on("terms") {
        errors.add("terms", ctx.t("program-aff-error-terms"));
    }
    let name = ctx.user.as_ref().map(|u| u.name.clone()).unwrap_or_else(|| f.get("name").to_string());
    let code = chosen_code(&ctx, &mut tx, &f, &name, &mut errors).await?;
    let Some((user, new)) = person(&ctx, &mut tx, &f, &mut errors).await?.filter(|_| errors.is_empty()) else {
        drop(tx);
        return render(&ctx, &token, Ok(invite), &f, &errors).await;
    };
    if !invites::mark_used(&mut tx, invite.id, now).await? {
        drop(tx);
        return render(&ctx, &token, Err(InviteProblem::Used), &f, &FieldErrors::default()).await;
    }
    let joining = Joining { code, personal_percent_bp: invite.personal_percent_bp, ..Joining::default() };
    if let Err(e) = program::join(&ctx.state, &mut tx, &ctx.school, &user, &joining, true, None).await? {
        drop(tx);
        errors.add("code", ctx.t(e.message()));
        return render(&ctx, &token, Ok(invite), &f, &errors).await;
    }
    if new {
        welcome(&ctx, &mut tx, &user).await?;
    }
    tx.commit().await?;
    Ok(ctx.redirect_with("/affiliates", "success", ctx.t("program-aff-applied-approved")).into_response())
}
