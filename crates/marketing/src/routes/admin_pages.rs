//! `/admin/pages`: the school's built pages (searchable), a new page from the template gallery,
//! and the list's actions: duplicate, archive and restore, make home, publish, unpublish.

use axum::{
    extract::{Path, Query},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, i18n::ArgValue, web::Form};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    model::{Page, PageId},
    page_templates,
    pages::{self, PageError},
    sections::{self, Problems},
    store,
};

/// The list's search.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    new: Option<String>,
}

/// One template card in the gallery: its name, icon, and the icons of its sections.
#[derive(Serialize)]
struct Card {
    name: &'static str,
    icon: &'static str,
    sections: Vec<(&'static str, &'static str)>,
}

/// A row of the list.
#[derive(Serialize)]
struct Row<'a> {
    page: &'a Page,
    status: &'static str,
    path: String,
}

/// The list.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let open = q.new.is_some();
    list_page(&ctx, &q.q, &NewPage::default(), &Problems::new(), open).await
}

/// Whether `page` matches the search `q` (title or address, any case).
fn matches(page: &Page, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    q.is_empty() || page.title.to_lowercase().contains(&q) || page.slug.contains(&q)
}

/// `"live"`, `"draft"` or `"archived"`.
pub(crate) fn status_of(page: &Page) -> &'static str {
    if page.archived_at.is_some() {
        "archived"
    } else if page.published_version.is_some() {
        "live"
    } else {
        "draft"
    }
}

async fn list_page(ctx: &Ctx, q: &str, form: &NewPage, problems: &Problems, open: bool) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let pages = store::pages(&mut tx).await?;
    tx.commit().await?;
    let total = pages.len();
    let rows: Vec<Row> =
        pages.iter().filter(|p| matches(p, q)).map(|p| Row { page: p, status: status_of(p), path: p.path() }).collect();
    let cards: Vec<Card> = page_templates::ALL
        .iter()
        .map(|t| Card {
            name: t.name,
            icon: t.icon,
            sections: page_templates::document(t.name, "")
                .sections
                .iter()
                .filter_map(|s| sections::kind(&s.kind))
                .map(|k| (k.kind, k.icon))
                .collect(),
        })
        .collect();
    let errors: std::collections::BTreeMap<&str, String> =
        problems.iter().map(|(k, v)| (k.as_str(), ctx.t(v))).collect();
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = ctx.render(
        "marketing/admin/pages.html",
        context! {
            rows => Serde(&rows), total, q, templates => Serde(&cards), form => Serde(form), errors => Serde(errors),
            open => open || !problems.is_empty(),
        },
    )?;
    Ok((status, html).into_response())
}

/// The "new page" form.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct NewPage {
    #[serde(default)]
    title: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    template: String,
}

/// Makes a page and opens it in the editor.
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
            list_page(&ctx, "", &NewPage { slug, ..f }, &p, true).await
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

/// The page `id` of this school (404 for a malformed id or another school's page).
pub(crate) async fn load(ctx: &Ctx, id: &str) -> AppResult<Page> {
    let id: PageId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let page = store::page(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(page)
}

/// Whether the caller (the editor island) asked for JSON.
pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/json"))
}

/// Publishes the draft; the editor gets `{version, message}`, a form a redirect.
pub async fn publish(ctx: Ctx, headers: HeaderMap, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let page = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let n = match pages::publish(&ctx.state, &mut tx, page.id, Some(user.0)).await {
        Ok(n) => n,
        Err(PageError::Invalid(p)) if wants_json(&headers) => {
            return Ok(super::editor::problems_response(&ctx, &p));
        }
        Err(e) => return Err(page_error(e)),
    };
    tx.commit().await?;
    let msg = ctx.t_args("page-published", &[("version", ArgValue::Num(n as f64))]);
    if wants_json(&headers) {
        return Ok(kernel::web::Json(serde_json::json!({ "version": n, "message": msg })).into_response());
    }
    Ok(ctx.redirect_with(&format!("/admin/pages/{}", page.id), "success", msg).into_response())
}

/// Takes the page off the site (its versions stay).
pub async fn unpublish(ctx: Ctx, headers: HeaderMap, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    pages::unpublish(&ctx.state, &mut tx, page.id).await.map_err(page_error)?;
    tx.commit().await?;
    let msg = ctx.t("builder-unpublished");
    if wants_json(&headers) {
        return Ok(kernel::web::Json(serde_json::json!({ "message": msg })).into_response());
    }
    Ok(ctx.redirect_with(&format!("/admin/pages/{}", page.id), "success", msg).into_response())
}

/// Copies a page into a new draft and opens the copy.
pub async fn duplicate(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let page = load(&ctx, &id).await?;
    let title = ctx.t_args("builder-copy-title", &[("title", ArgValue::Str(page.title.clone()))]);
    let mut tx = ctx.tx().await?;
    let new = pages::duplicate(&ctx.state, &mut tx, page.id, &title, Some(user.0)).await.map_err(page_error)?;
    tx.commit().await?;
    Ok(ctx.redirect_with(&format!("/admin/pages/{new}"), "success", ctx.t("builder-duplicated")).into_response())
}

async fn set_archived(ctx: Ctx, id: String, archived: bool) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    pages::archive(&ctx.state, &mut tx, page.id, archived).await.map_err(page_error)?;
    tx.commit().await?;
    let key = if archived { "builder-archived" } else { "builder-restored" };
    Ok(ctx.redirect_with("/admin/pages", "success", ctx.t(key)).into_response())
}

/// Puts a page away: off the site and to the bottom of the list.
pub async fn archive(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_archived(ctx, id, true).await
}

/// Brings an archived page back as a draft.
pub async fn unarchive(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_archived(ctx, id, false).await
}

/// Makes a page the school's home page.
pub async fn make_home(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    if page.archived_at.is_some() {
        return Ok(ctx.redirect_with("/admin/pages", "error", ctx.t("builder-home-archived")).into_response());
    }
    let mut tx = ctx.tx().await?;
    pages::make_home(&ctx.state, &mut tx, page.id).await.map_err(page_error)?;
    tx.commit().await?;
    let msg = ctx.t_args("builder-home-set", &[("title", ArgValue::Str(page.title.clone()))]);
    Ok(ctx.redirect_with("/admin/pages", "success", msg).into_response())
}
