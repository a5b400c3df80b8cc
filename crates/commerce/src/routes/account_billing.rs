//! `GET /account/billing`: the student's subscriptions and payment plans (status in plain
//! words, the next payment and its card, payments so far) and saved cards; and the actions on
//! one of them: `POST /account/billing/{sub}/cancel` (at the period's end: access stays until
//! then) and `POST /account/billing/{sub}/keep` (withdraws that cancellation). Another
//! person's subscription, or another school's, is a 404.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};

use crate::{
    billing,
    model::{OfferKind, Subscription, SubscriptionId},
    store,
    subscriptions::{self, CancelAt},
};

/// The student's own subscription from the path, or 404.
pub(super) async fn owned(ctx: &Ctx, tx: &mut kernel::db::TenantTx, id: &str) -> AppResult<Subscription> {
    let user = ctx.user()?;
    let id: SubscriptionId = id.parse().map_err(|_| AppError::NotFound)?;
    billing::own(tx, user.id, id).await?.ok_or(AppError::NotFound)
}

/// The layout of a person's own pages: the admin's for the team, the school's site otherwise.
pub(super) fn layout(ctx: &Ctx) -> AppResult<&'static str> {
    Ok(if ctx.user()?.role().is_staff() { "kernel/admin.html" } else { "kernel/public.html" })
}

pub(super) fn internal(e: impl Into<anyhow::Error>) -> AppError {
    AppError::Internal(e.into())
}

pub async fn page(ctx: Ctx) -> AppResult<Response> {
    let user = ctx.user()?;
    let mut tx = ctx.tx().await?;
    let held = billing::held_by(&mut tx, user.id).await.map_err(internal)?;
    let cards = store::payment_methods_of(&mut tx, user.id).await?;
    tx.commit().await?;
    let html = ctx.render(
        "commerce/account/billing.html",
        context! {
            layout => layout(&ctx)?,
            security_tab => user.role().is_staff() || user.totp_enabled_at.is_some(),
            held => Serde(&held), cards => Serde(&cards), now => Serde(ctx.state.clock.now()),
        },
    )?;
    Ok(html.into_response())
}

pub async fn cancel(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.ensure_open()?;
    let mut tx = ctx.tx().await?;
    let sub = owned(&ctx, &mut tx, &id).await?;
    let offer = store::offer(&mut tx, sub.offer_id).await?.ok_or(AppError::NotFound)?;
    if offer.kind() != OfferKind::Subscription {
        return Ok(ctx.redirect_with("/account/billing", "error", ctx.t("billing-plan-cannot-cancel")).into_response());
    }
    let actor = Some(ctx.user()?.id);
    let ends_now = !matches!(sub.status.as_str(), "active" | "trialing");
    let changed = subscriptions::cancel(&ctx.state, &mut tx, sub.id, CancelAt::PeriodEnd, actor, "student")
        .await
        .map_err(internal)?;
    tx.commit().await?;
    let message = match (changed, ends_now) {
        (false, _) => ctx.t("billing-nothing-changed"),
        (true, true) => ctx.t("billing-canceled-now"),
        (true, false) => ctx.t_args(
            "billing-cancel-scheduled",
            &[("date", kernel::format::date(sub.current_period_end, &ctx.shell.time_zone, ctx.shell.locale).into())],
        ),
    };
    Ok(ctx.redirect_with("/account/billing", "success", message).into_response())
}

pub async fn keep(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.ensure_open()?;
    let mut tx = ctx.tx().await?;
    let sub = owned(&ctx, &mut tx, &id).await?;
    let changed =
        subscriptions::resume_renewals(&ctx.state, &mut tx, sub.id, Some(ctx.user()?.id)).await.map_err(internal)?;
    tx.commit().await?;
    let key = if changed { "billing-kept" } else { "billing-nothing-changed" };
    Ok(ctx.redirect_with("/account/billing", "success", ctx.t(key)).into_response())
}
