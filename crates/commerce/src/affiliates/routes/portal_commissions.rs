//! `GET /affiliates/dashboard/commissions?page=N`: every commission of the affiliate, newest
//! first, with the offer, amount and state, 25 a page.

use axum::{
    extract::RawQuery,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::AppResult;
use minijinja::{context, value::Serde};

use super::portal_dashboard::{approved, layout};
use crate::affiliates::portal::stats;

const PER_PAGE: i64 = 25;

pub async fn list(ctx: Ctx, RawQuery(query): RawQuery) -> AppResult<Response> {
    let page = serde_urlencoded::from_str::<Vec<(String, String)>>(query.as_deref().unwrap_or(""))
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000);
    let mut tx = ctx.tx().await?;
    let affiliate = match approved(&ctx, &mut tx).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let (lines, total) = stats::commissions(&mut tx, affiliate.id, page, PER_PAGE).await?;
    tx.commit().await?;
    let now = ctx.state.clock.now();
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let commissions: Vec<_> = lines
        .iter()
        .map(|c| {
            let rate = crate::affiliates::commissions::rate_text(&c.commission.rate_label, ctx.shell.locale);
            context! { line => Serde(c), state => c.commission.state(now), rate }
        })
        .collect();
    let html = ctx.render(
        "commerce/affiliates/portal/commissions.html",
        context! { layout => layout(&ctx)?, affiliate => Serde(&affiliate), commissions, total, page, pages },
    )?;
    Ok(html.into_response())
}
