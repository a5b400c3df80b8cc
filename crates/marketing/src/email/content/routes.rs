//! `/admin/emails`: the library (new from a starter, duplicate, delete), the editor (autosave
//! refused from a stale tab with 409), the preview for a chosen contact, the generated
//! plain-text part, and a test send to the staff member.

use std::collections::BTreeMap;

use axum::{
    Router,
    extract::{Path, Query},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult, AppState,
    web::{Form, Json, local_path},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;
use serde_json::json;

use super::{
    Email, Recipient, blocks,
    store::{self, Draft, SaveError},
};
use crate::email::{EmailId, deliveries};

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/emails", get(list).post(create))
        .route("/admin/emails/{id}", get(show))
        .route("/admin/emails/{id}/draft", post(save).put(save))
        .route("/admin/emails/{id}/preview", get(preview))
        .route("/admin/emails/{id}/text", get(text))
        .route("/admin/emails/{id}/contacts", get(contacts))
        .route("/admin/emails/{id}/test", post(test_send))
        .route("/admin/emails/{id}/duplicate", post(duplicate))
        .route("/admin/emails/{id}/delete", post(delete))
}

/// The preview may be framed by the editor (same origin) and shows images of the school.
const PREVIEW_CSP: &str = "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; \
                           frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

async fn load(ctx: &Ctx, id: &str) -> AppResult<Email> {
    let id: EmailId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let email = super::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(email)
}

/// The library.
async fn list(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let mut tx = ctx.tx().await?;
    let rows = store::list(&mut tx).await?;
    tx.commit().await?;
    let starters: Vec<_> = blocks::STARTERS
        .iter()
        .map(|k| context! { key => *k, name => ctx.t(&format!("email-editor-starter-{k}")), hint => ctx.t(&format!("email-editor-starter-{k}-hint")) })
        .collect();
    Ok(ctx
        .render(
            "marketing/email/library.html",
            context! { rows => Serde(rows), starters, tz => ctx.shell.time_zone.clone() },
        )?
        .into_response())
}

#[derive(Deserialize)]
struct NewEmail {
    #[serde(default)]
    starter: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    r#return: Option<String>,
}

/// A new email from a starter layout.
async fn create(ctx: Ctx, Form(f): Form<NewEmail>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let key = if blocks::STARTERS.contains(&f.starter.as_str()) { f.starter.as_str() } else { "blank" };
    let t = |k: &str| kernel::i18n::t(ctx.school.default_locale, k);
    let (subject, doc) = blocks::starter(key, &t);
    let name = if f.name.trim().is_empty() { ctx.t(&format!("email-editor-starter-{key}")) } else { f.name.clone() };
    let mut tx = ctx.tx().await?;
    let id = super::create(&mut tx, name.trim(), &subject, doc, Some(user.0)).await?;
    tx.commit().await?;
    let back = local_path(f.r#return.as_deref()).map(|r| format!("?return={}", urlencode(r))).unwrap_or_default();
    Ok(axum::response::Redirect::to(&format!("/admin/emails/{id}{back}")).into_response())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Deserialize)]
struct ShowQuery {
    r#return: Option<String>,
}

/// The island's labels.
const JS_LABELS: &[&str] = &[
    "saving",
    "saved",
    "unsaved",
    "conflict",
    "error",
    "move-up",
    "move-down",
    "delete",
    "duplicate",
    "drag",
    "settings",
    "text",
    "level",
    "level-1",
    "level-2",
    "html",
    "bold",
    "italic",
    "link",
    "link-prompt",
    "image",
    "choose-image",
    "alt",
    "image-link",
    "label",
    "url",
    "color",
    "color-brand",
    "course",
    "product",
    "none",
    "column-left",
    "column-right",
    "add-to-column",
    "footer-note",
    "undo",
    "redo",
    "empty",
];

/// The editor.
async fn show(ctx: Ctx, Path(id): Path<String>, Query(q): Query<ShowQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let email = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let courses: Vec<_> = courses::store::courses(&mut tx)
        .await?
        .into_iter()
        .map(|c| json!({ "id": c.id.to_string(), "label": c.title }))
        .collect();
    let offers: Vec<_> = commerce::catalog_store::offers(&mut tx)
        .await?
        .into_iter()
        .map(|o| json!({ "id": o.id.to_string(), "label": o.name }))
        .collect();
    let images: Vec<_> = media::picker::items(&mut tx, media::picker::PickKind::Image, "", 200)
        .await?
        .into_iter()
        .map(|m| json!({ "id": m.id.to_string(), "label": m.title }))
        .collect();
    let generated = super::generated_text(&ctx.state, &mut tx, &ctx.school, &email.doc).await.unwrap_or_default();
    tx.commit().await?;
    let problem = super::check(&email).err().map(|e| e.to_string());
    let back = local_path(q.r#return.as_deref()).unwrap_or("/admin/emails").to_string();
    let js: BTreeMap<&str, String> = JS_LABELS.iter().map(|k| (*k, ctx.t(&format!("email-editor-js-{k}")))).collect();
    let kinds: BTreeMap<&str, String> =
        blocks::KINDS.iter().map(|k| (*k, ctx.t(&format!("email-editor-block-{k}")))).collect();
    let setup = json!({
        "email": { "id": email.id, "name": email.name, "subject": email.subject, "preheader": email.preheader,
                   "revision": email.revision, "text_body": email.text_body },
        "doc": email.doc, "kinds": blocks::KINDS, "column_kinds": blocks::COLUMN_KINDS,
        "courses": courses, "offers": offers, "images": images, "generated_text": generated,
        "brand": ctx.school.brand_color,
    });
    let palette: Vec<_> = blocks::KINDS.iter().map(|k| context! { kind => *k, name => kinds[k].clone() }).collect();
    let html = ctx.render(
        "marketing/email/editor.html",
        context! {
            email => Serde(&email), back, palette, problem, generated,
            fields => Serde(super::merge::FIELDS),
            setup => setup.to_string(), labels => json!({ "js": js, "kind": kinds }).to_string(),
            me => ctx.user().map(|u| u.email.clone()).unwrap_or_default(),
        },
    )?;
    Ok(html.into_response())
}

/// Autosave: `{revision, name, subject, preheader, doc, text_body}` → `{revision, saved_at,
/// warning?}`; 409 from a stale tab, 422 when a block must be fixed (nothing saved then).
async fn save(ctx: Ctx, Path(id): Path<String>, Json(d): Json<Draft>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let email = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let doc = match blocks::clean(&mut tx, &d.doc).await? {
        Ok(doc) => doc,
        Err(problems) => {
            drop(tx);
            let problems: BTreeMap<String, String> = problems.into_iter().map(|(b, k)| (b, ctx.t(k))).collect();
            let message = problems.values().next().cloned().unwrap_or_default();
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "message": message, "problems": problems })))
                .into_response());
        }
    };
    match store::save(&mut tx, email.id, &d, &doc).await {
        Ok(revision) => {
            let saved = super::find(&mut tx, email.id).await?.ok_or(AppError::NotFound)?;
            tx.commit().await?;
            let warning = super::check(&saved).err().map(|e| e.to_string());
            Ok(Json(json!({ "revision": revision, "saved_at": ctx.state.clock.now(), "warning": warning, "doc": doc }))
                .into_response())
        }
        Err(SaveError::Conflict { revision, at }) => {
            drop(tx);
            let message = ctx.t("email-editor-conflict");
            Ok((StatusCode::CONFLICT, Json(json!({ "message": message, "revision": revision, "saved_at": at })))
                .into_response())
        }
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct PreviewQuery {
    contact: Option<String>,
}

/// The email as a contact (or a sample person) would get it.
async fn preview(ctx: Ctx, Path(id): Path<String>, Query(q): Query<PreviewQuery>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?;
    let base = ctx.school.base_url.trim_end_matches('/').to_string();
    let email = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let recipient = match q.contact.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => {
            let cid = c.parse().map_err(|_| AppError::NotFound)?;
            store::contact(&mut tx, cid).await?.ok_or(AppError::NotFound)?.recipient(&base)
        }
        None => Recipient {
            email: user.email.clone(),
            first_name: user.name.split_whitespace().next().unwrap_or_default().to_string(),
            unsubscribe_url: format!("{base}/e/u/preview"),
            preferences_url: format!("{base}/e/p/preview"),
            ..Recipient::default()
        },
    };
    let rendered = match super::prepare(&ctx.state, &mut tx, &ctx.school, &email, None).await {
        Ok(p) => p.personalise(&recipient),
        Err(e) => Err(e),
    };
    tx.commit().await?;
    let (status, html) = match rendered {
        Ok(r) => (StatusCode::OK, r.html),
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "<!doctype html><meta charset=utf-8><p style=\"font:15px system-ui;color:#b91c1c;padding:24px\">{}</p>",
                minijinja::HtmlEscape(&e.to_string())
            ),
        ),
    };
    let mut res = (status, axum::response::Html(html)).into_response();
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PREVIEW_CSP));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The plain-text part generated from the saved blocks: `{text}`.
async fn text(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let email = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let text = super::generated_text(&ctx.state, &mut tx, &ctx.school, &email.doc).await;
    tx.commit().await?;
    Ok(match text {
        Ok(text) => Json(json!({ "text": text })).into_response(),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "message": e.to_string() }))).into_response(),
    })
}

#[derive(Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

/// Contacts to preview for: `[{id, email, name}]`.
async fn contacts(ctx: Ctx, Path(id): Path<String>, Query(s): Query<Search>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let found = store::contacts(&mut tx, &s.q).await?;
    tx.commit().await?;
    let list: Vec<_> = found
        .iter()
        .map(|c| json!({ "id": c.id, "email": c.email, "name": format!("{} {}", c.first_name, c.last_name).trim() }))
        .collect();
    Ok(Json(json!(list)).into_response())
}

#[derive(Deserialize)]
struct Back {
    #[serde(default)]
    r#return: Option<String>,
}

fn editor_path(email: &Email, back: Option<&str>) -> String {
    match local_path(back) {
        Some(r) if r != "/admin/emails" => format!("/admin/emails/{}?return={}", email.id, urlencode(r)),
        _ => format!("/admin/emails/{}", email.id),
    }
}

/// Queues the saved email to the staff member's own address.
async fn test_send(ctx: Ctx, Path(id): Path<String>, Form(b): Form<Back>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?;
    let to = user.email.clone();
    let email = load(&ctx, &id).await?;
    let back = editor_path(&email, b.r#return.as_deref());
    if let Err(e) = super::check(&email) {
        return Ok(ctx.redirect_with(&back, "error", e.to_string()).into_response());
    }
    let mut tx = ctx.tx().await?;
    let delivery = deliveries::NewDelivery {
        email_id: email.id,
        contact_id: None,
        to_email: to.to_lowercase(),
        source: "test",
        broadcast_id: None,
        automation_id: None,
        step_id: None,
        subject: None,
        not_before: ctx.state.clock.now(),
    };
    deliveries::enqueue(&mut tx, &[delivery]).await?;
    tx.commit().await?;
    let msg = ctx.t_args("email-editor-test-sent", &[("email", to.into())]);
    Ok(ctx.redirect_with(&back, "success", msg).into_response())
}

/// A copy, opened in the editor.
async fn duplicate(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let email = load(&ctx, &id).await?;
    let name = ctx.t_args("email-editor-copy-name", &[("name", email.name.clone().into())]);
    let mut tx = ctx.tx().await?;
    let copy = store::duplicate(&mut tx, &email, &name, Some(user.0)).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(&format!("/admin/emails/{copy}"), "success", ctx.t("email-editor-duplicated")).into_response())
}

/// Deletes an email nothing uses.
async fn delete(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let email = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    if let Some(key) = store::in_use(&mut tx, email.id).await? {
        drop(tx);
        return Ok(ctx.redirect_with("/admin/emails", "error", ctx.t(key)).into_response());
    }
    store::delete(&mut tx, email.id).await?;
    tx.commit().await?;
    let msg = ctx.t_args("email-editor-deleted", &[("name", email.name.into())]);
    Ok(ctx.redirect_with("/admin/emails", "success", msg).into_response())
}
