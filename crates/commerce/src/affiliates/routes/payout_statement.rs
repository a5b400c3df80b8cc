//! `GET /affiliates/payouts/{payout}/statement.pdf`: a paid payout's statement, for the
//! affiliate it paid only (anyone else, and any other school, gets 404).

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};

use crate::affiliates::{
    model::PayoutId,
    payouts::statement::{self, Statement},
    store,
};

/// The affiliate's own statement.
pub async fn download(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.user()?.id;
    let id: PayoutId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let me = store::of_user(&mut tx, user).await?.ok_or(AppError::NotFound)?;
    let doc = statement::statement(&mut tx, &ctx.school, id, ctx.shell.locale).await?;
    tx.commit().await?;
    match doc {
        Some(doc) if doc.payout.affiliate_id == me.id => pdf(&doc),
        _ => Err(AppError::NotFound),
    }
}

/// The statement as an inline PDF, never cached by shared caches.
pub(super) fn pdf(doc: &Statement) -> AppResult<Response> {
    let mut res = doc.pdf()?.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{}\"", doc.filename())) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(res)
}
