//! `GET /admin/subscriptions`: subscriptions and payment plans, filtered by status and
//! searched, with the next payment and a monthly figure per row; `GET /admin/subscriptions/{id}`
//! shows one with its change history and payments; `POST /admin/subscriptions/{id}/{action}`
//! cancels it now or at the period's end, or resumes its renewals.

use axum::{
    extract::{Path, Query},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, web::Form};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    model::SubscriptionId,
    sales_store::{self, SubscriptionFilter},
    store,
    subscriptions::{self, CancelAt},
};

const PAGE: i64 = 50;

/// The statuses a subscription can have, in the filter's order.
pub const STATUSES: [&str; 6] = ["trialing", "active", "past_due", "paused", "canceled", "completed"];

/// Search, status and page.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct SubscriptionsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<i64>,
}

/// The cancel form's reason.
#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    reason: String,
}

pub async fn list(ctx: Ctx, Query(q): Query<SubscriptionsQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let filter = SubscriptionFilter {
        q: q.q.trim().chars().take(200).collect(),
        status: if STATUSES.contains(&q.status.as_str()) { q.status.clone() } else { String::new() },
        ..Default::default()
    };
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let mut tx = ctx.tx().await?;
    let (rows, matched) = sales_store::subscriptions(&mut tx, &filter, (page - 1) * PAGE, PAGE).await?;
    let mrr = sales_store::monthly_recurring(&mut tx).await?;
    let counts: std::collections::BTreeMap<String, i64> =
        sales_store::status_counts(&mut tx).await?.into_iter().collect();
    tx.commit().await?;
    let any = counts.values().sum::<i64>() > 0;
    let html = ctx.render(
        "commerce/admin/subscriptions.html",
        context! {
            rows => Serde(&rows), matched, any, query => Serde(&q), page, pages => ((matched + PAGE - 1) / PAGE).max(1),
            mrr => Serde(&mrr), counts => Serde(&counts), statuses => STATUSES,
            filtered => !(q.q.trim().is_empty() && q.status.is_empty()),
        },
    )?;
    Ok(html.into_response())
}

fn parse(raw: &str) -> AppResult<SubscriptionId> {
    raw.parse().map_err(|_| AppError::NotFound)
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let id = parse(&id)?;
    let mut tx = ctx.tx().await?;
    let row = sales_store::subscription_row(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let sub = store::subscription(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let changes = sales_store::changes(&mut tx, id).await?;
    let payments: Vec<_> = sales_store::payments(&mut tx, row.order_id)
        .await?
        .into_iter()
        .filter(|p| p.subscription_id == Some(id.0))
        .collect();
    let card = match sub.payment_method_id {
        Some(m) => store::payment_method(&mut tx, m).await?,
        None => None,
    };
    let mut actors: Vec<_> = changes.iter().filter_map(|c| c.actor_id).collect();
    actors.sort();
    actors.dedup();
    let names: std::collections::BTreeMap<String, String> =
        identity::store::find_many(&mut tx, &actors).await?.into_iter().map(|u| (u.id.to_string(), u.name)).collect();
    tx.commit().await?;
    let html = ctx.render(
        "commerce/admin/subscription.html",
        context! {
            row => Serde(&row), sub => Serde(&sub), changes => Serde(&changes), payments => Serde(&payments),
            card => Serde(&card), names => Serde(&names),
            can_cancel => !matches!(sub.status.as_str(), "canceled" | "completed"),
            can_schedule => matches!(sub.status.as_str(), "active" | "trialing") && !sub.cancel_at_period_end,
            can_resume => matches!(sub.status.as_str(), "active" | "trialing") && sub.cancel_at_period_end,
        },
    )?;
    Ok(html.into_response())
}

pub async fn act(
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageSales)?.id;
    let id = parse(&id)?;
    let back = format!("/admin/subscriptions/{id}");
    let reason: String = f.reason.trim().chars().take(300).collect();
    let mut tx = ctx.tx().await?;
    store::subscription(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let result = match action.as_str() {
        "cancel" => subscriptions::cancel(&ctx.state, &mut tx, id, CancelAt::Now, Some(actor), &reason).await,
        "cancel-at-period-end" => {
            subscriptions::cancel(&ctx.state, &mut tx, id, CancelAt::PeriodEnd, Some(actor), &reason).await
        }
        "resume" => subscriptions::resume_renewals(&ctx.state, &mut tx, id, Some(actor)).await,
        _ => return Err(AppError::NotFound),
    };
    let changed = result.map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    if changed {
        identity::store::audit(
            &mut tx,
            actor,
            &format!("subscription.{}", action.replace('-', "_")),
            serde_json::json!({ "subscription_id": id }),
        )
        .await?;
    }
    tx.commit().await?;
    let (kind, key) = if changed {
        ("success", format!("subs-flash-{action}"))
    } else {
        ("info", "subs-flash-unchanged".to_string())
    };
    Ok(ctx.redirect_with(&back, kind, ctx.t(&key)).into_response())
}
