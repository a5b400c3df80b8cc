//! `GET /admin/pages/{id}/stats`: a page's funnel for a period — visitors, views, opt-ins,
//! checkout starts, sales and revenue, a daily chart, a table per UTM source and campaign, and
//! the A/B test's results when one runs.

use axum::{
    Router,
    extract::{Path, Query},
    response::{IntoResponse, Response},
    routing::get,
};
use identity::{Ctx, Permission};
use kernel::{AppResult, AppState};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    experiments, funnel_store,
    routes::admin_pages::load,
    stats::{self, Period},
};

/// The stats routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/pages/{id}/stats", get(show))
}

/// The period picker's fields.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    days: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The stats page.
pub async fn show(ctx: Ctx, Path(id): Path<String>, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    let period = Period::parse(&q.days, &q.from, &q.to, ctx.state.clock.now().date_naive());
    let currency = ctx.school.currency.clone();
    let mut tx = ctx.tx().await?;
    let (from, to) = (period.start(), period.end());
    let totals = funnel_store::totals(&mut tx, page.id, from, to, &currency).await?;
    let daily = funnel_store::daily(&mut tx, page.id, from, to, &currency).await?;
    let sources = funnel_store::by_source(&mut tx, page.id, from, to, &currency).await?;
    let test = funnel_store::latest(&mut tx, page.id).await?;
    let results = match &test {
        Some(t) => Some(experiments::results(&ctx.state, &mut tx, t).await?),
        None => None,
    };
    tx.commit().await?;
    let locale = ctx.shell.locale;
    let label =
        |d: chrono::NaiveDate| kernel::format::date(d.and_time(chrono::NaiveTime::MIN).and_utc(), "UTC", locale);
    let sources: Vec<_> = sources
        .into_iter()
        .map(|s| {
            let optin_rate = stats::rate(s.optins, s.visitors);
            let sales_rate = stats::rate(s.sales, s.visitors);
            context! { row => Serde(s), optin_rate, sales_rate }
        })
        .collect();
    let html = ctx.render(
        "marketing/admin/stats.html",
        context! {
            page => Serde(&page), period => Serde(period), totals => Serde(&totals), currency,
            optin_rate => stats::rate(totals.optins, totals.visitors),
            sales_rate => stats::rate(totals.sales, totals.visitors),
            chart => Serde(stats::chart(&period, &daily, label)), sources,
            from_label => label(period.from), to_label => label(period.to),
            test => Serde(&test), results => Serde(&results),
        },
    )?;
    Ok(html.into_response())
}
