//! `GET /p/{slug}`: a published page as visitors see it. Only a published version is ever
//! shown; a draft, an unpublished or an archived page answers 404.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};

use crate::{pages, render, store};

/// The page.
pub async fn show(ctx: Ctx, Path(slug): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let page = store::page_by_slug(&mut tx, &slug).await?.ok_or(AppError::NotFound)?;
    let doc = pages::published(&mut tx, &page).await?.ok_or(AppError::NotFound)?;
    let live = render::live(&ctx.state, &mut tx, &doc, &page.slug, ctx.shell.locale).await?;
    tx.commit().await?;
    let html =
        ctx.render("marketing/page.html", context! { page => Serde(&page), ..render::document_context(&doc, live) })?;
    Ok(html.into_response())
}
