//! `GET|POST /affiliates/dashboard/payout`: where the affiliate is paid (PayPal or a bank
//! account). The details are sealed at rest; the page shows only their masked summary and
//! never fills the form back with what was saved.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{
    AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};

use super::portal_dashboard::{approved, layout};
use crate::{
    affiliates::{Affiliate, portal::details},
    countries,
};

fn render(ctx: &Ctx, affiliate: &Affiliate, form: &details::DetailsForm, errors: &FieldErrors) -> AppResult<Response> {
    let html = ctx.render(
        "commerce/affiliates/portal/payout.html",
        context! {
            layout => layout(ctx)?,
            affiliate => Serde(affiliate),
            form => Serde(form),
            errors => Serde(errors),
            countries => countries::options(ctx.shell.locale),
        },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let affiliate = match approved(&ctx, &mut tx).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    tx.commit().await?;
    let method = affiliate.payout_method.clone().unwrap_or_else(|| "paypal".into());
    let blank = details::DetailsForm { method, ..Default::default() };
    render(&ctx, &affiliate, &blank, &FieldErrors::default())
}

pub async fn submit(ctx: Ctx, Form(f): Form<details::DetailsForm>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let affiliate = match approved(&ctx, &mut tx).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let parsed = match f.parse(ctx.shell.locale) {
        Ok(d) => d,
        Err(errors) => return render(&ctx, &affiliate, &f, &errors),
    };
    details::save(&ctx.state, &mut tx, affiliate.id, &parsed, ctx.shell.locale).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/affiliates/dashboard/payout", "success", ctx.t("aff-portal-payout-saved")).into_response())
}
