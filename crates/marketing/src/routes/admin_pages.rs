//! `/admin/pages`: the school's built pages, a new page from a template, and publishing.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, web::Form};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    model::PageId,
    page_templates,
    pages::{self, PageError},
    sections::Problems,
    store,
};

/// The list.
pub async fn list(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    list_page(&ctx, &NewPage::default(), &Problems::new()).await
}

async fn list_page(ctx: &Ctx, form: &NewPage, problems: &Problems) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let pages = store::pages(&mut tx).await?;
    tx.commit().await?;
    let errors: std::collections::BTreeMap<&str, String> =
        problems.iter().map(|(k, v)| (k.as_str(), ctx.t(v))).collect();
    let status =
        if problems.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let html = ctx.render(
        "marketing/admin/pages.html",
        context! {
            pages => Serde(&pages), templates => Serde(page_templates::ALL), form => Serde(form), errors => Serde(errors),
        },
    )?;
    Ok((status, html).into_response())
}

/// The "new page" form.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct NewPage {
    #[serde(default)]
    title: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    template: String,
}

/// Makes a page and opens it.
pub async fn create(ctx: Ctx, Form(f): Form<NewPage>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let slug = if f.slug.trim().is_empty() { pages::slug_from(&f.title) } else { f.slug.trim().to_string() };
    let mut tx = ctx.tx().await?;
    match pages::create(&ctx.state, &mut tx, &f.title, &slug, &f.template, Some(user.0)).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(ctx.redirect_with(&format!("/admin/pages/{id}"), "success", ctx.t("page-created")).into_response())
        }
        Err(PageError::Invalid(p)) => {
            drop(tx);
            list_page(&ctx, &NewPage { slug, ..f }, &p).await
        }
        Err(e) => Err(page_error(e)),
    }
}

/// Maps a refused change that is not the user's to fix to the matching page.
pub(crate) fn page_error(e: PageError) -> AppError {
    match e {
        PageError::NotFound => AppError::NotFound,
        PageError::Db(e) => e.into(),
        other => AppError::Internal(anyhow::anyhow!("{other}")),
    }
}

pub(crate) async fn load(ctx: &Ctx, id: &str) -> AppResult<crate::Page> {
    let id: PageId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let page = store::page(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(page)
}

/// A page's overview.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    let html = ctx.render("marketing/admin/page.html", context! { page => Serde(&page), path => page.path() })?;
    Ok(html.into_response())
}

/// Publishes the draft.
pub async fn publish(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let page = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let n = pages::publish(&ctx.state, &mut tx, page.id, Some(user.0)).await.map_err(page_error)?;
    tx.commit().await?;
    let msg = ctx.t_args("page-published", &[("version", kernel::i18n::ArgValue::Num(n as f64))]);
    Ok(ctx.redirect_with(&format!("/admin/pages/{}", page.id), "success", msg).into_response())
}
