//! `/admin/affiliates/payouts/{batch}`: a batch's payouts; its PayPal and Wise CSV files;
//! marking the batch or one payout paid; paying one by Stripe transfer; a payout's statement.
//! Another school's ids are 404.

use axum::{
    extract::Path,
    http::header,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, db::TenantTx};
use minijinja::{context, value::Serde};

use super::payout_statement::pdf;
use crate::affiliates::{
    model::{PayoutBatchId, PayoutId},
    payouts::{self, Batch, Payout, eligible, export, paid, statement, transfer},
    portal::{self, PayoutDetails},
};

async fn load(tx: &mut TenantTx, id: &str) -> AppResult<Batch> {
    let id: PayoutBatchId = id.parse().map_err(|_| AppError::NotFound)?;
    payouts::batch(tx, id).await?.ok_or(AppError::NotFound)
}

async fn load_payout(tx: &mut TenantTx, batch: &Batch, id: &str) -> AppResult<Payout> {
    let id: PayoutId = id.parse().map_err(|_| AppError::NotFound)?;
    payouts::payout(tx, id).await?.filter(|p| p.batch_id == batch.id).ok_or(AppError::NotFound)
}

fn back(batch: &Batch) -> String {
    format!("/admin/affiliates/payouts/{}", batch.id)
}

/// The batch page.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let mut tx = ctx.tx().await?;
    let batch = load(&mut tx, &id).await?;
    let rows = payouts::payouts_of(&mut tx, batch.id).await?;
    let stripe = eligible::stripe_school(&mut tx).await? && ctx.state.config.stripe_secret_key.is_some();
    tx.commit().await?;
    let count = |m: &str| rows.iter().filter(|p| p.method == m).count();
    let html = ctx.render(
        "commerce/affiliates/admin_payout_batch.html",
        context! {
            batch => Serde(&batch), payouts => Serde(&rows), stripe,
            paypal => count("paypal"), bank => count("bank"),
        },
    )?;
    Ok(html.into_response())
}

async fn with_details(ctx: &Ctx, id: &str) -> AppResult<(Batch, Vec<(Payout, Option<PayoutDetails>)>)> {
    ctx.require(Permission::ManageSales)?;
    let mut tx = ctx.tx().await?;
    let batch = load(&mut tx, id).await?;
    let mut rows = Vec::new();
    for p in payouts::payouts_of(&mut tx, batch.id).await? {
        let d = portal::payout_details(&ctx.state, &mut tx, p.affiliate_id).await?;
        rows.push((p, d));
    }
    tx.commit().await?;
    Ok((batch, rows))
}

fn csv(body: String, name: String) -> Response {
    let file = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, file)], body)
        .into_response()
}

fn day(ctx: &Ctx, batch: &Batch) -> String {
    batch.created_at.with_timezone(&kernel::format::tz(&ctx.school.time_zone)).format("%Y-%m-%d").to_string()
}

/// The PayPal Payouts file.
pub async fn paypal_csv(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (batch, rows) = with_details(&ctx, &id).await?;
    let note = ctx.t_args("affiliates-payouts-paypal-note", &[("school", ctx.school.name.clone().into())]);
    Ok(csv(export::paypal(&rows, &note), format!("paypal-payouts-{}-{}.csv", batch.currency, day(&ctx, &batch))))
}

/// The Wise batch file.
pub async fn wise_csv(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let (batch, rows) = with_details(&ctx, &id).await?;
    Ok(csv(export::wise(&rows, &batch.currency), format!("wise-batch-{}-{}.csv", batch.currency, day(&ctx, &batch))))
}

/// Marks every open payout of the batch paid.
pub async fn mark_batch(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageSales)?.id;
    let mut tx = ctx.tx().await?;
    let batch = load(&mut tx, &id).await?;
    let n = paid::mark_batch_paid(&ctx.state, &mut tx, &ctx.school, batch.id, Some(actor)).await?;
    tx.commit().await?;
    let (kind, message) = if n == 0 {
        ("info", ctx.t("affiliates-payouts-already-paid"))
    } else {
        ("success", ctx.t_args("affiliates-payouts-batch-paid", &[("count", (n as i64).into())]))
    };
    Ok(ctx.redirect_with(&back(&batch), kind, message).into_response())
}

/// Marks one payout paid.
pub async fn mark_one(ctx: Ctx, Path((id, payout)): Path<(String, String)>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageSales)?.id;
    let mut tx = ctx.tx().await?;
    let batch = load(&mut tx, &id).await?;
    let p = load_payout(&mut tx, &batch, &payout).await?;
    let number = paid::mark_paid(&ctx.state, &mut tx, &ctx.school, p.id, None, Some(actor)).await?;
    tx.commit().await?;
    let (kind, message) = match number {
        Some(number) => (
            "success",
            ctx.t_args("affiliates-payouts-one-paid", &[("name", p.name.into()), ("number", number.into())]),
        ),
        None => ("info", ctx.t("affiliates-payouts-already-paid")),
    };
    Ok(ctx.redirect_with(&back(&batch), kind, message).into_response())
}

/// Pays one payout by Stripe transfer.
pub async fn stripe(ctx: Ctx, Path((id, payout)): Path<(String, String)>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageSales)?.id;
    let mut tx = ctx.tx().await?;
    let batch = load(&mut tx, &id).await?;
    let p = load_payout(&mut tx, &batch, &payout).await?;
    tx.commit().await?;
    let (kind, message) = match transfer::pay_by_transfer(&ctx.state, &ctx.school, p.id, Some(actor)).await {
        Ok(number) => (
            "success",
            ctx.t_args("affiliates-payouts-one-paid", &[("name", p.name.into()), ("number", number.into())]),
        ),
        Err(transfer::TransferError::AlreadyPaid) => ("info", ctx.t("affiliates-payouts-already-paid")),
        Err(transfer::TransferError::NotAvailable) => ("error", ctx.t("affiliates-payouts-stripe-unavailable")),
        Err(transfer::TransferError::NotFound) => return Err(AppError::NotFound),
        Err(transfer::TransferError::Stripe(e)) => {
            tracing::warn!(error = %e, "affiliate transfer refused");
            ("error", ctx.t("affiliates-payouts-stripe-failed"))
        }
        Err(transfer::TransferError::Other(e)) => return Err(e.into()),
    };
    Ok(ctx.redirect_with(&back(&batch), kind, message).into_response())
}

/// A paid payout's statement, for staff.
pub async fn statement(ctx: Ctx, Path((id, payout)): Path<(String, String)>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let mut tx = ctx.tx().await?;
    let batch = load(&mut tx, &id).await?;
    let p = load_payout(&mut tx, &batch, &payout).await?;
    let doc = statement::statement(&mut tx, &ctx.school, p.id, ctx.shell.locale).await?;
    tx.commit().await?;
    pdf(&doc.ok_or(AppError::NotFound)?)
}
