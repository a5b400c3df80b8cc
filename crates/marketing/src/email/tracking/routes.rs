//! The public addresses a delivery carries, all under `/e/` and all behind the delivery's
//! signed token (a forged or altered one is a 404 and records nothing):
//! - `GET /e/o/{token}.gif`: the open pixel;
//! - `GET /e/c/{token}/{n}?u=…&s=…`: a click, redirected only when `s` signs `u`;
//! - `GET|POST /e/u/{token}`: unsubscribe (the POST is RFC 8058 one-click, so the kernel's CSRF
//!   check leaves `/e/` alone: the token is the credential; a GET only asks);
//! - `GET|POST /e/p/{token}`: the preference centre.

use axum::{
    Router,
    extract::{Path, Query},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use identity::Ctx;
use kernel::{AppError, AppResult, rate::Limit, secret::constant_eq, web::Form};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use super::{
    admin, click_sig, preferences,
    record::{self, Delivery},
    verify,
};
use crate::{email::deliverability, store};

/// The transparent 1 × 1 GIF.
const GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
    0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
    0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// Unsubscribe and preference posts per address and school.
const LIMIT: Limit = Limit { max: 60, window: std::time::Duration::from_secs(600) };

/// The routes.
pub fn router() -> axum::Router<kernel::AppState> {
    Router::new()
        .route("/e/o/{file}", get(pixel))
        .route("/e/c/{token}/{n}", get(click))
        .route("/e/u/{token}", get(unsubscribe_page).post(unsubscribe))
        .route("/e/p/{token}", get(preferences_page).post(save_preferences))
        .merge(admin::router())
}

/// The delivery a token names in this school, or a 404.
async fn delivery_of(ctx: &Ctx, token: &str) -> AppResult<(Delivery, bool)> {
    let id = verify(&ctx.state, token).ok_or(AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let d = record::delivery(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let tracking = deliverability::settings(&mut tx).await?.tracking_enabled;
    tx.commit().await?;
    Ok((d, tracking))
}

/// The open pixel.
pub async fn pixel(ctx: Ctx, Path(file): Path<String>) -> AppResult<Response> {
    let token = file.strip_suffix(".gif").ok_or(AppError::NotFound)?;
    let (d, tracking) = delivery_of(&ctx, token).await?;
    if tracking {
        let now = ctx.state.clock.now();
        let machine = record::is_machine(&ctx.shell.client_ip, &ctx.user_agent, d.sent_at, now);
        let mut tx = ctx.tx().await?;
        record::open(&ctx.state, &mut tx, &d, machine).await?;
        tx.commit().await?;
    }
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("image/gif")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store, no-cache, must-revalidate, max-age=0")),
    ];
    Ok((headers, GIF).into_response())
}

/// A click link's query.
#[derive(Debug, Deserialize)]
pub struct ClickQuery {
    /// The target.
    #[serde(default)]
    u: String,
    /// Its signature.
    #[serde(default)]
    s: String,
}

/// A click: recorded, then redirected to the signed target.
pub async fn click(
    ctx: Ctx,
    Path((token, n)): Path<(String, usize)>,
    Query(q): Query<ClickQuery>,
) -> AppResult<Response> {
    let id = verify(&ctx.state, &token).ok_or(AppError::NotFound)?;
    if q.u.is_empty() || !constant_eq(&q.s, &click_sig(&ctx.state, id, n, &q.u)) {
        return Err(AppError::NotFound);
    }
    let location = HeaderValue::from_str(&q.u).map_err(|_| AppError::NotFound)?;
    let (d, tracking) = delivery_of(&ctx, &token).await?;
    if tracking {
        let mut tx = ctx.tx().await?;
        record::click(&ctx.state, &mut tx, &d, &q.u).await?;
        tx.commit().await?;
    }
    let headers = [(header::LOCATION, location), (header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];
    Ok((StatusCode::FOUND, headers).into_response())
}

/// Whether the recipient is off the list already.
async fn is_out(ctx: &Ctx, d: &Delivery) -> AppResult<bool> {
    let mut tx = ctx.tx().await?;
    let suppressed = crate::email::suppression::is_suppressed(&mut tx, &d.to_email).await?;
    tx.commit().await?;
    Ok(suppressed || d.unsubscribed_at.is_some())
}

fn unsubscribe_html(ctx: &Ctx, token: &str, d: &Delivery, done: bool) -> AppResult<Response> {
    let html = ctx.render(
        "marketing/email/unsubscribe.html",
        context! { done, email => d.to_email.clone(), action => format!("/e/u/{token}"), preferences => format!("/e/p/{token}") },
    )?;
    Ok(html.into_response())
}

/// Asks to confirm (link scanners fetch pages; only the button unsubscribes).
pub async fn unsubscribe_page(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    let (d, _) = delivery_of(&ctx, &token).await?;
    let done = is_out(&ctx, &d).await?;
    unsubscribe_html(&ctx, &token, &d, done)
}

/// Unsubscribes: the one-click POST of a mail client (`List-Unsubscribe=One-Click`) or the
/// page's button. Again is fine.
pub async fn unsubscribe(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    let (d, _) = delivery_of(&ctx, &token).await?;
    ctx.rate_limit("email-unsubscribe", LIMIT)?;
    let mut tx = ctx.tx().await?;
    record::unsubscribe(&ctx.state, &mut tx, &d, "one-click").await?;
    tx.commit().await?;
    unsubscribe_html(&ctx, &token, &d, true)
}

async fn preferences_html(ctx: &Ctx, token: &str, d: &Delivery, saved: Option<&str>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let contact = match d.contact_id {
        Some(id) => store::contact(&mut tx, id).await?,
        None => store::contact_by_email(&mut tx, &d.to_email).await?,
    };
    let topics = preferences::topics(&mut tx).await?;
    let optouts = match &contact {
        Some(c) => preferences::optouts(&mut tx, c.id).await?,
        None => Vec::new(),
    };
    let suppressed = crate::email::suppression::is_suppressed(&mut tx, &d.to_email).await?;
    tx.commit().await?;
    let out = suppressed || contact.as_ref().is_some_and(|c| c.status == "unsubscribed");
    let can_resubscribe = out && contact.as_ref().is_some_and(|c| c.suppressed_at.is_none());
    let rows: Vec<_> = topics.iter().map(|t| context! { topic => Serde(t), on => !optouts.contains(&t.key) }).collect();
    let html = ctx.render(
        "marketing/email/preferences.html",
        context! {
            email => d.to_email.clone(), rows, out, can_resubscribe, saved, has_contact => contact.is_some(),
            action => format!("/e/p/{token}"),
        },
    )?;
    Ok(html.into_response())
}

/// The preference centre.
pub async fn preferences_page(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    let (d, _) = delivery_of(&ctx, &token).await?;
    preferences_html(&ctx, &token, &d, None).await
}

/// Saves the topics, unsubscribes from everything, or resubscribes.
pub async fn save_preferences(
    ctx: Ctx,
    Path(token): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (d, _) = delivery_of(&ctx, &token).await?;
    ctx.rate_limit("email-preferences", LIMIT)?;
    let action = pairs.iter().find(|(k, _)| k == "action").map_or("save", |(_, v)| v.as_str());
    let wanted: Vec<String> = pairs.iter().filter(|(k, _)| k == "topic").map(|(_, v)| v.clone()).collect();
    let mut tx = ctx.tx().await?;
    let saved = match action {
        "unsubscribe" => {
            record::unsubscribe(&ctx.state, &mut tx, &d, "preferences").await?;
            "unsubscribed"
        }
        "resubscribe" => {
            record::resubscribe(&ctx.state, &mut tx, &d).await?;
            "resubscribed"
        }
        _ => {
            let contact = match d.contact_id {
                Some(id) => store::contact(&mut tx, id).await?,
                None => store::contact_by_email(&mut tx, &d.to_email).await?,
            };
            if let Some(c) = contact {
                preferences::set_wanted(&mut tx, c.id, &wanted).await?;
            }
            "saved"
        }
    };
    tx.commit().await?;
    preferences_html(&ctx, &token, &d, Some(saved)).await
}
