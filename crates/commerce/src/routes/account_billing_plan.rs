//! `GET/POST /account/billing/{sub}/plan`: the student moves their subscription to another
//! subscription offer of the same product. Each choice shows what happens: an upgrade's
//! charge today (the unused part of this period credited), or a downgrade's new price from
//! the next renewal. See [`crate::plan_change`].

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult, web::Form};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use super::account_billing::{internal, layout, owned};
use crate::{
    model::OfferId,
    plan_change::{self, ChangeError, Changed},
    store,
};

/// The chosen offer.
#[derive(Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    offer: String,
}

pub async fn page(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let sub = owned(&ctx, &mut tx, &id).await?;
    let current = store::offer(&mut tx, sub.offer_id).await?.ok_or(AppError::NotFound)?;
    let scheduled = plan_change::scheduled_offer(&mut tx, sub.id).await?;
    let now = ctx.state.clock.now();
    let mut options = Vec::new();
    for offer in plan_change::choices(&mut tx, &sub).await.map_err(|_| AppError::NotFound)? {
        if offer.id == sub.offer_id {
            continue;
        }
        let Ok(p) = plan_change::preview(&mut tx, &sub, &offer, now).await else { continue };
        options
            .push(context! { offer => Serde(&offer), proration => Serde(p), scheduled => scheduled == Some(offer.id) });
    }
    let product = store::product(&mut tx, current.product_id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let html = ctx.render(
        "commerce/account/plan.html",
        context! {
            layout => layout(&ctx)?, sub => Serde(&sub), current => Serde(&current), product => Serde(&product),
            options, scheduled => scheduled.is_some(),
            can_change => matches!(sub.status.as_str(), "active" | "trialing") && !sub.cancel_at_period_end,
        },
    )?;
    Ok(html.into_response())
}

pub async fn submit(ctx: Ctx, Path(id): Path<String>, Form(f): Form<PlanForm>) -> AppResult<Response> {
    ctx.ensure_open()?;
    let mut tx = ctx.tx().await?;
    let sub = owned(&ctx, &mut tx, &id).await?;
    let back = format!("/account/billing/{}/plan", sub.id);
    let Ok(target) = f.offer.parse::<OfferId>() else {
        return Ok(ctx.redirect_with(&back, "error", ctx.t("billing-plan-choose")).into_response());
    };
    let outcome = plan_change::change(&ctx.state, &mut tx, sub.id, target, Some(ctx.user()?.id)).await;
    let (kind, message, to) = match outcome {
        Ok(Changed::Upgraded { total }) => {
            let amount = kernel::format::money(total, &sub.currency, ctx.shell.locale);
            (
                "success",
                ctx.t_args("billing-plan-upgraded", &[("amount", amount.into())]),
                "/account/billing".to_string(),
            )
        }
        Ok(Changed::Scheduled { at }) => {
            let date = kernel::format::date(at, &ctx.shell.time_zone, ctx.shell.locale);
            ("success", ctx.t_args("billing-plan-scheduled", &[("date", date.into())]), "/account/billing".into())
        }
        Ok(Changed::Switched) => ("success", ctx.t("billing-plan-switched"), "/account/billing".into()),
        Ok(Changed::Unchanged) => ("info", ctx.t("billing-plan-already"), "/account/billing".into()),
        Ok(Changed::Withdrawn) => ("success", ctx.t("billing-plan-withdrawn"), "/account/billing".into()),
        Ok(Changed::Declined { code }) => ("error", ctx.t(&decline_key(&code)), back),
        Err(ChangeError::NotAllowed) => ("error", ctx.t("billing-plan-not-allowed"), back),
        Err(ChangeError::Ledger(e)) => return Err(internal(e)),
    };
    tx.commit().await?;
    Ok(ctx.redirect_with(&to, kind, message).into_response())
}

/// The message key for a refused charge.
pub(super) fn decline_key(code: &str) -> String {
    match code {
        "insufficient_funds" | "expired_card" | "authentication_required" | "no_card" => {
            format!("billing-decline-{}", code.replace('_', "-"))
        }
        _ => "billing-decline-card-declined".into(),
    }
}
