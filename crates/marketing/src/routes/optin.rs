//! `POST /f/{form_id}`: a visitor opts in, from a built page, the form's own page (`GET
//! /f/{form_id}`), an embed's iframe, or another site's script with the form's key (CORS).
//! The kernel's CSRF check is replaced here (see `kernel::web::visitor`): the post must be
//! same-origin or carry the embed key, and a signed render time tells people from bots.
//! `GET /f/confirm/{token}` finishes a double opt-in.

use std::time::Duration;

use axum::{
    extract::{Path, Query},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult, rate::Limit, secret::constant_eq, web::Form as Body};
use minijinja::{context, value::Serde};
use serde_json::{Map, Value, json};

use crate::{
    model::{Form, FormId},
    optin::{self, Confirmation, Origin, Posted},
    store,
};

/// Opt-ins per visitor address and school.
pub const LIMIT: Limit = Limit { max: 8, window: Duration::from_secs(600) };
/// Opt-ins per email address and school: nobody's inbox is flooded from many addresses.
pub const EMAIL_LIMIT: Limit = Limit { max: 5, window: Duration::from_secs(3600) };
/// A form posted sooner than this after it was drawn is a bot's.
pub const MIN_SECONDS: i64 = 2;

/// How the answer is shaped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The form's own page (or a redirect).
    Page,
    /// The form alone, for htmx.
    Partial,
    /// The iframe's page.
    Embed,
    /// JSON for another site's script, with CORS headers.
    Json,
}

pub(crate) async fn open_form(ctx: &Ctx, id: &str) -> AppResult<Form> {
    let id: FormId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let form = store::form(&mut tx, id).await?.filter(|f| f.archived_at.is_none()).ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(form)
}

/// The context `_form.html` needs besides `form`.
pub(crate) fn form_context(
    form: &Form,
    values: &Map<String, Value>,
    errors: &std::collections::BTreeMap<String, String>,
    done: bool,
    embed: bool,
) -> minijinja::Value {
    let fields = crate::forms::fields_of(form);
    let form_json = json!({ "id": form.id, "name": form.name, "fields": fields, "consent_text": form.consent_text,
        "consent_required": form.consent_required, "button_label": form.button_label });
    let utm: Map<String, Value> =
        values.iter().filter(|(k, _)| k.starts_with("utm_")).map(|(k, v)| (k.clone(), v.clone())).collect();
    context! { form => Serde(form_json), values => Serde(values), errors => Serde(errors), done, embed, utm => Serde(utm),
    awaiting => values.get("_awaiting").is_some() }
}

/// `GET /f/{form_id}`: the form alone on a small page (UTM parameters carried along).
pub async fn show(ctx: Ctx, Path(id): Path<String>, Query(q): Query<Vec<(String, String)>>) -> AppResult<Response> {
    let form = open_form(&ctx, &id).await?;
    let values: Map<String, Value> =
        q.into_iter().filter(|(k, _)| optin::UTM.contains(&k.as_str())).map(|(k, v)| (k, Value::String(v))).collect();
    let c = form_context(&form, &values, &Default::default(), false, false);
    Ok(ctx.render("marketing/forms/page.html", c)?.into_response())
}

fn cross_origin(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(o) if o != "null" => {
            let h = o.split_once("://").map_or(o, |(_, h)| h);
            (!h.eq_ignore_ascii_case(host)).then(|| o.to_string())
        }
        Some(_) => Some("null".into()),
        None => headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site").then(String::new),
    }
}

fn cors(mut res: Response, origin: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(origin) {
        res.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("Origin"));
    res
}

fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = json!({ "type": "about:blank", "title": title, "status": status.as_u16(), "detail": detail });
    (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response()
}

/// `OPTIONS /f/{form_id}`: the CORS preflight for another site's script (no credentials).
pub async fn preflight(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap) -> AppResult<Response> {
    open_form(&ctx, &id).await?;
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or("*").to_string();
    let mut res = StatusCode::NO_CONTENT.into_response();
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type, accept"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    Ok(cors(res, &origin))
}

/// `POST /f/{form_id}`.
pub async fn submit(
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(pairs): Body<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = open_form(&ctx, &id).await?;
    let posted = Posted::from_pairs(&pairs);
    let foreign = cross_origin(&headers);
    let shape = if foreign.is_some() {
        Shape::Json
    } else if headers.contains_key("hx-request") {
        Shape::Partial
    } else if !posted.get("embed").is_empty() {
        Shape::Embed
    } else {
        Shape::Page
    };
    if let Some(origin) = &foreign
        && !constant_eq(posted.get("key"), &form.embed_key)
    {
        let res = problem(StatusCode::FORBIDDEN, &ctx.t("forms-key-title"), &ctx.t("forms-key-detail"));
        return Ok(if origin.is_empty() { res } else { cors(res, origin) });
    }
    let mut values: Map<String, Value> = posted
        .values
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let utm = posted.utm(headers.get(header::REFERER).and_then(|v| v.to_str().ok()));
    values.extend(utm.clone());
    if let Err(wait) = ctx.rate_check("optin", LIMIT) {
        let mut errors = std::collections::BTreeMap::new();
        errors.insert("email".to_string(), kernel::rate::wait_message(ctx.shell.locale, wait));
        let res = answer(&ctx, &form, shape, &values, &errors, false, None, foreign.as_deref()).await?;
        return Ok(kernel::rate::too_many_requests(res, wait));
    }
    // A bot: the hidden field filled in, or no genuine render time, or posted too fast. It
    // gets what a person would see, and nothing is kept.
    let now = ctx.state.clock.now().timestamp().max(unix_now());
    let drawn = kernel::web::visitor::form_stamp_time(&ctx.state.config.keys, posted.get("_stamp"));
    if !posted.get("website").is_empty() || drawn.is_none_or(|t| now - t < MIN_SECONDS) {
        tracing::info!(form_id = %form.id, "opt-in refused quietly as a bot's");
        return answer(&ctx, &form, shape, &values, &Default::default(), true, Some(&form), foreign.as_deref()).await;
    }
    let checked = match optin::check(&form, &posted) {
        Ok(c) => c,
        Err(keys) => {
            let errors = keys.into_iter().map(|(k, v)| (k, ctx.t(&v))).collect();
            return answer(&ctx, &form, shape, &values, &errors, false, None, foreign.as_deref()).await;
        }
    };
    let per_email = format!("optin-email:{}:{}", ctx.school.id, checked.email);
    if let Err(wait) = ctx.state.rate.check(&per_email, EMAIL_LIMIT) {
        let mut errors = std::collections::BTreeMap::new();
        errors.insert("email".to_string(), kernel::rate::wait_message(ctx.shell.locale, wait));
        let res = answer(&ctx, &form, shape, &values, &errors, false, None, foreign.as_deref()).await?;
        return Ok(kernel::rate::too_many_requests(res, wait));
    }
    let from = Origin {
        page_id: posted.get("page_id").parse().ok(),
        variant: posted.get("variant").chars().take(20).collect(),
        utm,
        ip: ctx.shell.client_ip.clone(),
        referral: kernel::web::cookie(&headers, "lyceum_ref").unwrap_or_default().chars().take(200).collect(),
    };
    let mut tx = ctx.tx().await?;
    let done = optin::accept(&ctx.state, &mut tx, &ctx.school, ctx.shell.locale, &form, checked, from).await?;
    tx.commit().await?;
    if done.awaiting_confirmation {
        values.insert("_awaiting".into(), Value::Bool(true));
    }
    answer(&ctx, &form, shape, &values, &Default::default(), true, Some(&form), foreign.as_deref()).await
}

fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Where a form sends people after it: its thank-you page or link.
async fn thank_you(ctx: &Ctx, form: &Form) -> AppResult<Option<String>> {
    if let Some(page) = form.thank_you_page_id {
        let mut tx = ctx.tx().await?;
        let p = store::page(&mut tx, crate::model::PageId(page)).await?;
        tx.commit().await?;
        return Ok(p.filter(|p| p.published_version.is_some()).map(|p| p.path()));
    }
    Ok(form.thank_you_url.clone())
}

#[expect(clippy::too_many_arguments, reason = "every shape of answer in one place")]
fn answer_sync(
    ctx: &Ctx,
    form: &Form,
    shape: Shape,
    values: &Map<String, Value>,
    errors: &std::collections::BTreeMap<String, String>,
    done: bool,
    next: Option<String>,
    origin: Option<&str>,
) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(match shape {
        Shape::Json => {
            let body = json!({ "ok": done, "errors": errors, "redirect": next });
            let res = (status, [(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response();
            match origin {
                Some(o) if !o.is_empty() => cors(res, o),
                _ => res,
            }
        }
        Shape::Page if done && next.is_some() => Redirect::to(next.as_deref().unwrap_or("/")).into_response(),
        Shape::Partial if done && next.is_some() => {
            let mut res = StatusCode::OK.into_response();
            if let Ok(v) = HeaderValue::from_str(next.as_deref().unwrap_or("/")) {
                res.headers_mut().insert("hx-redirect", v);
            }
            res
        }
        Shape::Partial => {
            (status, ctx.render("marketing/forms/_form.html", form_context(form, values, errors, done, false))?)
                .into_response()
        }
        Shape::Embed => {
            let mut res =
                (status, ctx.render("marketing/forms/embed.html", form_context(form, values, errors, done, true))?)
                    .into_response();
            super::embed::frameable(&mut res);
            res
        }
        Shape::Page => {
            (status, ctx.render("marketing/forms/page.html", form_context(form, values, errors, done, false))?)
                .into_response()
        }
    })
}

#[expect(clippy::too_many_arguments, reason = "every shape of answer in one place")]
async fn answer(
    ctx: &Ctx,
    form: &Form,
    shape: Shape,
    values: &Map<String, Value>,
    errors: &std::collections::BTreeMap<String, String>,
    done: bool,
    next_of: Option<&Form>,
    origin: Option<&str>,
) -> AppResult<Response> {
    // Inside an iframe the visitor stays on the other site: the thanks show in place.
    let next = match next_of {
        Some(f) if shape != Shape::Embed => thank_you(ctx, f).await?,
        _ => None,
    };
    answer_sync(ctx, form, shape, values, errors, done, next, origin)
}

/// `GET /f/confirm/{token}`: the confirmation link of a double opt-in.
pub async fn confirm(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let found = optin::confirm(&ctx.state, &mut tx, &ctx.school, ctx.shell.locale, &token).await?;
    tx.commit().await?;
    let (status, key, form) = match found {
        Confirmation::Done(f) => {
            if let Some(next) = thank_you(&ctx, &f).await? {
                return Ok(Redirect::to(&next).into_response());
            }
            (StatusCode::OK, "confirmed", Some(f))
        }
        Confirmation::Already(f) => (StatusCode::OK, "already", Some(f)),
        Confirmation::Expired(f) => (StatusCode::GONE, "expired", Some(f)),
        Confirmation::Unknown => (StatusCode::NOT_FOUND, "unknown", None),
    };
    let html = ctx.render(
        "marketing/forms/notice.html",
        context! {
            title => ctx.t(&format!("forms-confirm-{key}-title")), body => ctx.t(&format!("forms-confirm-{key}-body")),
            action_url => form.as_ref().filter(|_| key == "expired").map(|f| format!("/f/{}", f.id)),
            action_label => ctx.t("forms-confirm-again"),
        },
    )?;
    Ok((status, html).into_response())
}
