//! `GET /account/receipts`: the student's receipts and credit notes, newest first, each with
//! its PDF; `GET /account/receipts/{payment}` and `GET /account/credit-notes/{refund}`: the
//! PDFs, for the buyer only (anyone else, and any other school, gets 404).

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};

use crate::{
    model::{PaymentId, RefundId},
    receipts::{self, Document},
};

pub async fn list(ctx: Ctx) -> AppResult<Response> {
    let user = ctx.user()?.id;
    let mut tx = ctx.tx().await?;
    let documents = receipts::for_user(&mut tx, user).await?;
    tx.commit().await?;
    Ok(ctx.render("commerce/receipts/mine.html", context! { documents => Serde(&documents) })?.into_response())
}

pub async fn receipt(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.user()?.id;
    let id: PaymentId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let doc = receipts::receipt(&mut tx, &ctx.school, id, ctx.shell.locale).await?;
    tx.commit().await?;
    own(doc, user)
}

pub async fn credit_note(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.user()?.id;
    let id: RefundId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let doc = receipts::credit_note(&mut tx, &ctx.school, id, ctx.shell.locale).await?;
    tx.commit().await?;
    own(doc, user)
}

fn own(doc: Option<Document>, user: kernel::ids::UserId) -> AppResult<Response> {
    match doc {
        Some(doc) if doc.user_id == user => pdf(&doc),
        _ => Err(AppError::NotFound),
    }
}

/// The document as an inline PDF, never cached by shared caches.
pub(super) fn pdf(doc: &Document) -> AppResult<Response> {
    let bytes = doc.pdf()?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{}\"", doc.filename())) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(res)
}
