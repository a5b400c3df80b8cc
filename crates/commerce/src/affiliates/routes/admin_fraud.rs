//! `/admin/affiliates/fraud`: refused self-referrals, addresses behind many sign-ups for one
//! affiliate, and refund rates per affiliate (flagged from 20 % with at least 3 orders).

use axum::response::{IntoResponse, Response};
use identity::{Ctx, Permission};
use kernel::AppResult;
use minijinja::{context, value::Serde};

use crate::affiliates::program::fraud;

/// The page.
pub async fn page(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let mut tx = ctx.tx().await?;
    let selfs = fraud::self_referrals(&mut tx).await?;
    let bursts = fraud::bursts(&mut tx).await?;
    let rates = fraud::refund_rates(&mut tx).await?;
    tx.commit().await?;
    let html = ctx.render(
        "commerce/affiliates/fraud.html",
        context! {
            selfs => Serde(&selfs), bursts => Serde(&bursts), rates => Serde(&rates),
            flagged => rates.iter().filter(|r| r.flagged).count(),
            burst_min => fraud::SIGNUPS_FROM_ONE_ADDRESS, rate_flag => fraud::REFUND_RATE_FLAG,
            rate_min => fraud::REFUND_RATE_MIN_ORDERS,
        },
    )?;
    Ok(html.into_response())
}
