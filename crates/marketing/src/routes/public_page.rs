//! `GET /p/{slug}`: a published page as visitors see it. Only a published version is ever
//! shown; a draft, an unpublished or an archived page answers 404.
//!
//! An anonymous visitor's page comes from [`crate::cache`] when it can: rendered once with a
//! placeholder for the CSRF token, the visitor's own token put in per response, with an ETag
//! for a cheap 304. A logged-in visitor (whose header shows their account) or one with a flash
//! message gets a fresh render, never stored.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::Path,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};

use crate::{
    cache::{self, Cached, PageCache},
    funnel, pages, render, seo, store,
};

/// The page.
pub async fn show(ctx: Ctx, headers: HeaderMap, Path(slug): Path<String>) -> AppResult<Response> {
    if !pages::slug_ok(&slug) {
        return Err(AppError::NotFound);
    }
    serve(&ctx, &headers, Some(&slug)).await?.ok_or(AppError::NotFound)
}

/// The published page `slug` (the home page for `None`), or `None` when there is none.
pub(crate) async fn serve(ctx: &Ctx, headers: &HeaderMap, slug: Option<&str>) -> AppResult<Option<Response>> {
    let anonymous = ctx.user.is_none() && ctx.shell.flash.is_empty();
    let cache = if anonymous { cache::of(&ctx.state) } else { None };
    let tenant = ctx.school.id;
    let look = cache::look(&ctx.school);
    let locale = ctx.shell.locale.code();
    let name = slug.unwrap_or_default();
    if let Some(c) = &cache
        && let Some(hit) = c.get(tenant, &cache::key(name, "", locale), look)
        && !hit.ab_test
    {
        return Ok(Some(respond(ctx, headers, &hit)));
    }
    let generation = cache.as_ref().map(|c| c.generation(tenant)).unwrap_or_default();

    let mut tx = ctx.tx().await?;
    let page = match slug {
        Some(s) => store::page_by_slug(&mut tx, s).await?,
        None => store::home_page(&mut tx).await?,
    };
    let Some(page) = page else { return Ok(None) };
    let (variant, doc) = match funnel::variant(&mut tx, &page, headers).await? {
        Some((v, doc)) => (Some(v), doc),
        None => match pages::published(&mut tx, &page).await? {
            Some(doc) => (None, doc),
            None => return Ok(None),
        },
    };
    let variant_key = cache::key(name, variant.as_deref().unwrap_or_default(), locale);
    if let (Some(c), Some(_)) = (&cache, &variant) {
        mark_ab_test(c, tenant, cache::key(name, "", locale), generation, look);
        if let Some(hit) = c.get(tenant, &variant_key, look) {
            tx.commit().await?;
            return Ok(Some(split(respond(ctx, headers, &hit), &page, variant.as_deref(), headers)));
        }
    }
    let live = render::live(&ctx.state, &mut tx, &doc, &page.slug, ctx.shell.locale).await?;
    let path = slug.map(|s| format!("/p/{s}")).unwrap_or_else(|| "/".into());
    let head = seo::head(&ctx.state, &mut tx, &ctx.school, &page, &doc, &live, &path).await?;
    tx.commit().await?;

    let data = context! {
        page => Serde(&page), variant => variant.clone(), head => Serde(&head),
        ..render::document_context(&doc, live)
    };
    let Some(c) = cache else {
        let html = ctx.render("marketing/page.html", data)?;
        return Ok(Some(split(private(html.into_response()), &page, variant.as_deref(), headers)));
    };
    let mut shell = ctx.shell.clone();
    shell.csrf = cache::CSRF_PLACEHOLDER.into();
    shell.path = path;
    let html = kernel::web::render::render_string(&ctx.state, &shell, "marketing/page.html", data)?;
    let cached = Cached { etag: cache::fingerprint(&html), html: Arc::from(html), ab_test: false };
    c.put(tenant, variant_key, generation, look, cached.clone());
    Ok(Some(split(respond(ctx, headers, &cached), &page, variant.as_deref(), headers)))
}

/// Keeps a visitor of an A/B test on their side with the split cookie, the first time.
fn split(mut res: Response, page: &crate::Page, variant: Option<&str>, headers: &HeaderMap) -> Response {
    if let Some(v) = variant
        && funnel::needs_cookie(page.id, headers)
        && let Ok(cookie) = HeaderValue::from_str(&funnel::split_cookie(page.id, v))
    {
        res.headers_mut().append(header::SET_COOKIE, cookie);
    }
    res
}

/// Notes that the page behind `key` runs an A/B test, so the next visitor asks which variant.
fn mark_ab_test(c: &PageCache, tenant: kernel::TenantId, key: String, generation: u64, look: u64) {
    c.put(tenant, key, generation, look, Cached { html: Arc::from(""), etag: 0, ab_test: true });
}

/// A cached page for this visitor: their CSRF token in, an ETag that changes with it, and
/// 304 when their browser already has it.
fn respond(ctx: &Ctx, headers: &HeaderMap, page: &Cached) -> Response {
    let csrf = &ctx.shell.csrf;
    let etag = format!("\"{:016x}\"", page.etag ^ cache::fingerprint(csrf));
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let body = page.html.replace(cache::CSRF_PLACEHOLDER, csrf);
        let mut res = Response::new(Body::from(body));
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        res
    };
    let h = res.headers_mut();
    // Private: the page carries the visitor's token. Revalidated each time, answered by the ETag.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    res
}

/// A page made for one logged-in visitor: never stored anywhere.
pub(crate) fn private(mut res: Response) -> Response {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
