//! The page builder at `/admin/pages/{id}`: the editor's shell (the island reads the draft,
//! the section spec and the school's courses, offers and forms from it), the canvas the editor
//! frames (`/canvas`: the draft rendered by the same section templates as the public page),
//! autosave (`/draft`: refused from a stale tab with 409, with the problems with 422) and the
//! preview of the draft in a tab of its own.

use std::collections::BTreeMap;

use axum::{
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppResult, i18n::ArgValue, web::Json};
use minijinja::{Value, context, value::Serde};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::admin_pages::{load, page_error, status_of};
use crate::{
    model::Page,
    pages::{self, PageError},
    render,
    sections::{self, Document, Field, Problems},
    store,
};

/// The global policy with one change: the editor (same origin) may frame the canvas.
const CANVAS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                          script-src 'self'; font-src 'self'; connect-src 'self'; media-src 'self' blob:; \
                          frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com https://www.loom.com; \
                          frame-ancestors 'self'; base-uri 'self'; object-src 'none'";

/// A palette entry: a section kind with its name and one-line description.
#[derive(Serialize)]
struct PaletteItem {
    kind: &'static str,
    icon: &'static str,
    name: String,
    hint: String,
}

/// A choice for a course, offer or form field.
#[derive(Serialize)]
struct Choice {
    id: String,
    label: String,
}

/// The island's short labels: `builder-js-{name}` in Fluent.
const JS_LABELS: &[&str] = &[
    "saving",
    "saved",
    "saved-seconds",
    "saved-minutes",
    "unsaved",
    "offline",
    "reload",
    "overwrite",
    "problems",
    "move-up",
    "move-down",
    "duplicate",
    "delete",
    "delete-confirm",
    "drag",
    "section-settings",
    "page-settings",
    "title",
    "slug",
    "seo",
    "seo-title",
    "seo-description",
    "seo-image",
    "noindex",
    "add-item",
    "remove-item",
    "item",
    "choose-media",
    "remove-media",
    "chosen-media",
    "none",
    "error",
    "close",
    "time-zone",
    "empty-outline",
    "moved",
    "select-section",
    "canvas-invalid",
];

/// Every field name and choice value of the spec (list items included).
fn spec_names() -> (std::collections::BTreeSet<&'static str>, std::collections::BTreeSet<&'static str>) {
    fn walk(
        fields: &'static [(&'static str, Field)],
        names: &mut std::collections::BTreeSet<&'static str>,
        options: &mut std::collections::BTreeSet<&'static str>,
    ) {
        for (name, field) in fields {
            names.insert(name);
            match field {
                Field::Choice { options: o } => options.extend(o.iter().copied()),
                Field::List { item, .. } => walk(item, names, options),
                _ => {}
            }
        }
    }
    let (mut names, mut options) = Default::default();
    for k in sections::SPEC {
        walk(k.fields, &mut names, &mut options);
    }
    (names, options)
}

/// The island's labels in the viewer's language: `{js: {…}, field: {…}, option: {…}, kind: {…}}`.
fn labels(ctx: &Ctx) -> serde_json::Value {
    let (names, options) = spec_names();
    let js: BTreeMap<&str, String> = JS_LABELS.iter().map(|k| (*k, ctx.t(&format!("builder-js-{k}")))).collect();
    let field: BTreeMap<&str, String> = names.iter().map(|k| (*k, ctx.t(&format!("builder-field-{k}")))).collect();
    let option: BTreeMap<&str, String> = options.iter().map(|k| (*k, ctx.t(&format!("builder-option-{k}")))).collect();
    let kind: BTreeMap<&str, String> =
        sections::SPEC.iter().map(|k| (k.kind, ctx.t(&format!("builder-section-{}", k.kind)))).collect();
    json!({ "js": js, "field": field, "option": option, "kind": kind })
}

/// The editor.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let courses: Vec<Choice> = courses::store::courses(&mut tx)
        .await?
        .into_iter()
        .map(|c| Choice { id: c.id.to_string(), label: c.title })
        .collect();
    let offers: Vec<Choice> = commerce::catalog_store::offers(&mut tx)
        .await?
        .into_iter()
        .map(|o| Choice { id: o.id.to_string(), label: o.name })
        .collect();
    let forms: Vec<Choice> = store::forms(&mut tx)
        .await?
        .into_iter()
        .filter(|f| f.archived_at.is_none())
        .map(|f| Choice { id: f.id.to_string(), label: f.name })
        .collect();
    let versions = super::versions::list_of(&mut tx, &page).await?;
    tx.commit().await?;
    let palette: Vec<PaletteItem> = sections::SPEC
        .iter()
        .map(|k| PaletteItem {
            kind: k.kind,
            icon: k.icon,
            name: ctx.t(&format!("builder-section-{}", k.kind)),
            hint: ctx.t(&format!("builder-section-{}-hint", k.kind)),
        })
        .collect();
    let setup = json!({
        "page": { "id": page.id, "title": page.title, "slug": page.slug, "revision": page.draft_revision,
                  "saved_at": page.draft_saved_at, "status": status_of(&page) },
        "document": page.draft,
        "spec": sections::SPEC,
        "palette": palette,
        "courses": courses, "offers": offers, "forms": forms,
        "time_zone": ctx.school.time_zone,
    });
    let html = ctx.render(
        "marketing/editor/editor.html",
        context! {
            page => Serde(&page), status => status_of(&page), path => page.path(), palette => Serde(&palette),
            versions => Serde(&versions), setup => serde_json::to_string(&setup).unwrap_or_default(),
            labels => labels(&ctx).to_string(),
        },
    )?;
    Ok(html.into_response())
}

/// For each section of `doc` whose course, offers, form or media is gone, what the canvas says
/// about it (visitors see nothing there).
fn missing(ctx: &Ctx, doc: &Document, live: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (section, key) in render::warnings(doc, live) {
        out.entry(section).or_default().push(ctx.t(key));
    }
    out
}

async fn canvas_html(ctx: &Ctx, page: &Page, doc: &Document, template: &str) -> AppResult<String> {
    let mut tx = ctx.tx().await?;
    let live = render::live(&ctx.state, &mut tx, doc, &page.slug, ctx.shell.locale).await?;
    tx.commit().await?;
    let missing = missing(ctx, doc, &live);
    let html = ctx.render(
        template,
        context! {
            page => Serde(page), editing => true, missing => Serde(missing),
            ..render::document_context(doc, live)
        },
    )?;
    Ok(html.0)
}

fn framed(html: String) -> Response {
    let mut res = axum::response::Html(html).into_response();
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CANVAS_CSP));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The draft as the editor frames it: a whole document with the school's theme.
pub async fn canvas(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    Ok(framed(canvas_html(&ctx, &page, &page.draft, "marketing/editor/canvas.html").await?))
}

/// The sections of an unsaved document, for the editor to put into its canvas; 422 with the
/// problems when it does not pass [`sections::clean`].
pub async fn canvas_fragment(ctx: Ctx, Path(id): Path<String>, Json(doc): Json<Document>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    let doc = match sections::clean(&doc) {
        Ok(doc) => doc,
        Err(p) => return Ok(problems_response(&ctx, &p)),
    };
    Ok(framed(canvas_html(&ctx, &page, &doc, "marketing/editor/_canvas_sections.html").await?))
}

/// The draft in a tab of its own, as visitors would see it once published.
pub async fn preview(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    preview_of(&ctx, &page, &page.draft, None).await
}

/// `doc` of `page` in the public layout under a "preview" bar (`version` when it is one).
pub(crate) async fn preview_of(ctx: &Ctx, page: &Page, doc: &Document, version: Option<i32>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let live = render::live(&ctx.state, &mut tx, doc, &page.slug, ctx.shell.locale).await?;
    tx.commit().await?;
    let html = ctx.render(
        "marketing/editor/preview.html",
        context! { page => Serde(page), version, ..render::document_context(doc, live) },
    )?;
    let mut res = html.into_response();
    res.headers_mut().insert("x-robots-tag", HeaderValue::from_static("noindex"));
    Ok(res)
}

/// What autosave sends.
#[derive(Debug, Deserialize)]
pub struct Draft {
    /// The revision the editor started from.
    revision: i32,
    /// The whole document.
    document: Document,
    /// A new title, when changed.
    #[serde(default)]
    title: Option<String>,
    /// A new address, when changed.
    #[serde(default)]
    slug: Option<String>,
}

/// 422 with `{problems: {place: message}}`.
pub(crate) fn problems_response(ctx: &Ctx, p: &Problems) -> Response {
    let problems: BTreeMap<&str, String> = p.iter().map(|(k, v)| (k.as_str(), ctx.t(v))).collect();
    let body = json!({ "message": ctx.t("builder-fix-problems"), "problems": problems });
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// Autosave: `{revision, document, title?, slug?}` → `{revision, saved_at}`.
pub async fn save(ctx: Ctx, Path(id): Path<String>, Json(d): Json<Draft>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let page = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let title = d.title.unwrap_or_else(|| page.title.clone());
    let slug = d.slug.map(|s| s.trim().to_string()).unwrap_or_else(|| page.slug.clone());
    let result = match pages::save_draft(&ctx.state, &mut tx, page.id, d.revision, &d.document, Some(user.0)).await {
        Ok(rev) => pages::rename(&ctx.state, &mut tx, page.id, &title, &slug).await.map(|()| rev),
        Err(e) => Err(e),
    };
    match result {
        Ok(revision) => {
            tx.commit().await?;
            Ok(Json(json!({ "revision": revision, "saved_at": ctx.state.clock.now() })).into_response())
        }
        Err(PageError::Conflict { revision, by, at }) => {
            drop(tx);
            let name = match by {
                Some(by) => {
                    let mut tx = ctx.tx().await?;
                    let user = identity::store::find(&mut tx, kernel::ids::UserId(by)).await?;
                    tx.commit().await?;
                    user.map(|u| u.name).unwrap_or_default()
                }
                None => String::new(),
            };
            let when = kernel::format::datetime(at, &ctx.shell.time_zone, ctx.shell.locale);
            let message =
                ctx.t_args("builder-conflict", &[("name", ArgValue::Str(name)), ("time", ArgValue::Str(when))]);
            let body = json!({ "message": message, "revision": revision, "saved_at": at });
            Ok((StatusCode::CONFLICT, Json(body)).into_response())
        }
        Err(PageError::Invalid(p)) => {
            drop(tx);
            Ok(problems_response(&ctx, &p))
        }
        Err(e) => Err(page_error(e)),
    }
}

#[cfg(test)]
mod tests {
    use kernel::i18n::{Locale, t};

    use super::*;

    #[test]
    fn every_label_the_editor_uses_is_translated() {
        let (names, options) = spec_names();
        let mut keys: Vec<String> = JS_LABELS.iter().map(|k| format!("builder-js-{k}")).collect();
        keys.extend(names.iter().map(|k| format!("builder-field-{k}")));
        keys.extend(options.iter().map(|k| format!("builder-option-{k}")));
        for k in sections::SPEC {
            keys.push(format!("builder-section-{}", k.kind));
            keys.push(format!("builder-section-{}-hint", k.kind));
        }
        for locale in [Locale::En, Locale::Es] {
            for key in &keys {
                let text = t(locale, key);
                assert!(!text.contains(key.as_str()) && !text.is_empty(), "{locale:?} lacks {key}");
            }
        }
    }
}
