//! `/admin/affiliates/invite`: staff invite someone by email, optionally with a personal rate;
//! the link in the email makes them an approved affiliate at once.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission, model::Email};
use kernel::{
    AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};

use crate::{
    affiliates::program::{invites, rule_form},
    catalog::Fields,
};

/// The form, with the latest invitations.
pub async fn form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    page(&ctx, &Fields::default(), &FieldErrors::default()).await
}

async fn page(ctx: &Ctx, f: &Fields, errors: &FieldErrors) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let recent = invites::recent(&mut tx, 20).await?;
    tx.commit().await?;
    let now = ctx.state.clock.now();
    let recent: Vec<minijinja::Value> = recent
        .iter()
        .map(|i| {
            let state = if i.accepted_at.is_some() {
                "accepted"
            } else if i.expires_at <= now {
                "expired"
            } else {
                "waiting"
            };
            context! { i => Serde(i), state, rate => i.personal_percent_bp.map(|bp| rule_form::percent_label(bp, ctx.shell.locale)) }
        })
        .collect();
    let html = ctx.render(
        "commerce/affiliates/invite.html",
        context! { form => super::form_values(f), errors => Serde(errors), recent, days => invites::VALID_DAYS },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

/// Sends an invitation.
pub async fn send(ctx: Ctx, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let by = ctx.require(Permission::ManageSales)?.id;
    let f = Fields(fields);
    let mut errors = FieldErrors::default();
    let email = Email::parse(f.get("email"));
    if email.is_none() {
        errors.add("email", ctx.t("program-aff-error-email"));
    }
    let rate = match f.get("personal_percent") {
        "" => None,
        typed => {
            let bp = rule_form::parse_percent(typed, 10_000);
            if bp.is_none() {
                errors.add("personal_percent", ctx.t("program-aff-error-percent"));
            }
            bp
        }
    };
    let Some(email) = email.filter(|_| errors.is_empty()) else { return page(&ctx, &f, &errors).await };
    let mut tx = ctx.tx().await?;
    invites::invite(&ctx.state, &mut tx, &ctx.school, email.as_str(), rate, by, ctx.school.default_locale).await?;
    tx.commit().await?;
    let message = ctx.t_args("program-aff-invite-sent", &[("email", email.as_str().to_string().into())]);
    Ok(ctx.redirect_with("/admin/affiliates/invite", "success", message).into_response())
}
