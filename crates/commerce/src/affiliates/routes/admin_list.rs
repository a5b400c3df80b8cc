//! `/admin/affiliates`: the school's affiliates by status, searchable, with their numbers in a
//! period and ranked by the revenue they brought (the top affiliates first).

use axum::{
    extract::Query,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::AppResult;
use minijinja::{Value, context, value::Serde};
use serde::Deserialize;

use crate::affiliates::{
    balance,
    program::numbers::{self, Period},
};

/// The list's filters.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    period: String,
}

/// The statuses a tab shows.
const TABS: [&str; 4] = ["pending", "approved", "suspended", "rejected"];

/// The list.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let status = TABS.iter().find(|s| **s == q.status).copied();
    let search: String = q.q.trim().chars().take(200).collect();
    let period = Period::parse(&q.period);
    let now = ctx.state.clock.now();
    let currency = ctx.school.currency.clone();
    let mut tx = ctx.tx().await?;
    let rows = numbers::list(&mut tx, status, &search, period.bounds(now, &ctx.school.time_zone), &currency).await?;
    let counts = numbers::counts(&mut tx).await?;
    let balances = balance::balances(&mut tx, None, now).await?;
    tx.commit().await?;
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    let tabs: Vec<Value> = TABS
        .iter()
        .map(|s| {
            let n = counts.iter().find(|(k, _)| k == s).map(|(_, n)| *n).unwrap_or(0);
            context! { status => *s, count => n }
        })
        .collect();
    let rows: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mine: Vec<&balance::Balance> = balances.iter().filter(|b| b.affiliate_id == r.id).collect();
            let main = mine.iter().find(|b| b.currency == currency).or(mine.first());
            context! {
                a => Serde(r), rank => i + 1,
                bal_currency => main.map(|b| b.currency.clone()).unwrap_or_else(|| currency.clone()),
                pending => main.map(|b| b.pending).unwrap_or(0),
                payable => main.map(|b| b.payable).unwrap_or(0),
                paid => main.map(|b| b.paid).unwrap_or(0),
                other_currencies => mine.len().saturating_sub(1),
            }
        })
        .collect();
    let periods: Vec<&str> = Period::ALL.iter().map(|p| p.as_str()).collect();
    let html = ctx.render(
        "commerce/affiliates/list.html",
        context! {
            rows, tabs, total, status => status.unwrap_or(""), q => search, period => period.as_str(), periods,
            currency,
        },
    )?;
    Ok(html.into_response())
}
