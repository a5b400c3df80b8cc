//! `GET /admin/affiliates/payouts`: what is payable per affiliate and currency, who is paid in
//! the next batch and why the others carry forward, with the latest batches;
//! `POST /admin/affiliates/payouts`: creates a batch for one currency.

use axum::response::{IntoResponse, Response};
use identity::{Ctx, Permission};
use kernel::{AppResult, web::Form};
use minijinja::{Value, context, value::Serde};
use serde::Deserialize;

use crate::affiliates::payouts::{
    self,
    batch::{self, Created},
    eligible,
};

/// The page.
pub async fn page(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let now = ctx.state.clock.now();
    let mut tx = ctx.tx().await?;
    let lines = eligible::lines(&mut tx, now).await?;
    let batches = payouts::batches(&mut tx, 20).await?;
    tx.commit().await?;
    // One group per currency: the lines, and what a batch would pay.
    let mut currencies: Vec<String> = lines.iter().map(|l| l.currency.clone()).collect();
    currencies.dedup();
    let groups: Vec<Value> = currencies
        .iter()
        .map(|cur| {
            let of: Vec<_> = lines.iter().filter(|l| &l.currency == cur).collect();
            let ready: Vec<_> = of.iter().filter(|l| l.method.is_some()).collect();
            context! {
                currency => cur, lines => Serde(&of), count => ready.len(),
                total => ready.iter().map(|l| l.payable).sum::<i64>(),
            }
        })
        .collect();
    let html = ctx.render("commerce/affiliates/admin_payouts.html", context! { groups, batches => Serde(&batches) })?;
    Ok(html.into_response())
}

/// The create form.
#[derive(Deserialize)]
pub struct CreateForm {
    currency: String,
}

/// Creates a batch of everything payable in the chosen currency.
pub async fn create(ctx: Ctx, Form(f): Form<CreateForm>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageSales)?.id;
    let currency = f.currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        let message = ctx.t("affiliates-payouts-bad-currency");
        return Ok(ctx.redirect_with("/admin/affiliates/payouts", "error", message).into_response());
    }
    let mut tx = ctx.tx().await?;
    let created = batch::create(&mut tx, &currency, Some(actor), ctx.state.clock.now()).await?;
    tx.commit().await?;
    Ok(match created {
        Created::Batch { id, payouts, total } => {
            let total = kernel::format::money(total, &currency, ctx.shell.locale);
            let message = ctx
                .t_args("affiliates-payouts-created", &[("count", (payouts as i64).into()), ("total", total.into())]);
            ctx.redirect_with(&format!("/admin/affiliates/payouts/{id}"), "success", message).into_response()
        }
        Created::Nothing => {
            let message = ctx.t_args("affiliates-payouts-nothing", &[("currency", currency.into())]);
            ctx.redirect_with("/admin/affiliates/payouts", "info", message).into_response()
        }
    })
}
