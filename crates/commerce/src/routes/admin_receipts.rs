//! `GET /admin/receipts/{payment}` and `GET /admin/credit-notes/{refund}`: any receipt or
//! credit note of the school as a PDF, for staff who manage sales (the orders pages link here).

use axum::{extract::Path, response::Response};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult};

use crate::{
    model::{PaymentId, RefundId},
    receipts,
};

pub async fn receipt(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let id: PaymentId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let doc = receipts::receipt(&mut tx, &ctx.school, id, ctx.shell.locale).await?;
    tx.commit().await?;
    super::account_receipts::pdf(&doc.ok_or(AppError::NotFound)?)
}

pub async fn credit_note(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let id: RefundId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let doc = receipts::credit_note(&mut tx, &ctx.school, id, ctx.shell.locale).await?;
    tx.commit().await?;
    super::account_receipts::pdf(&doc.ok_or(AppError::NotFound)?)
}
