//! `POST /t/pv`: the view beacon of published pages (`marketing/_beacon.html`). It carries no
//! CSRF token (the page it comes from is cached for everyone), so the kernel leaves `/t/` to
//! this handler, which accepts only same-origin requests (`Sec-Fetch-Site`, else `Origin`).
//! Robots and prefetches are answered like anyone else but not counted.

use axum::{
    Router,
    body::Bytes,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use identity::Ctx;
use kernel::{AppError, AppResult, AppState, rate::Limit};
use serde::Deserialize;

use crate::{
    funnel,
    funnel_store::{self, View},
    model::PageId,
};

/// Beacons one address may send to one school in ten minutes.
const LIMIT: Limit = Limit { max: 600, window: std::time::Duration::from_secs(600) };

/// The tracking routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/t/pv", post(page_view))
}

/// What the beacon sends.
#[derive(Debug, Deserialize)]
struct Beacon {
    /// The page's id.
    p: String,
    /// The variant shown.
    #[serde(default)]
    v: String,
    /// The page address's query string (its UTM parameters).
    #[serde(default)]
    s: String,
    /// The referring site's host.
    #[serde(default)]
    r: String,
}

#[derive(Debug, Default, Deserialize)]
struct Utm {
    #[serde(default)]
    utm_source: String,
    #[serde(default)]
    utm_medium: String,
    #[serde(default)]
    utm_campaign: String,
}

/// Whether the request comes from a page of this same site.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin";
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(o), Some(h)) => o.split_once("://").is_some_and(|(_, oh)| oh.eq_ignore_ascii_case(h)),
        _ => false,
    }
}

fn short(s: &str, n: usize) -> String {
    s.trim().chars().filter(|c| !c.is_control()).take(n).collect()
}

/// Counts a view.
pub async fn page_view(ctx: Ctx, headers: HeaderMap, body: Bytes) -> AppResult<Response> {
    if !same_origin(&headers) {
        return Err(AppError::Forbidden);
    }
    ctx.rate_limit("page-view", LIMIT)?;
    let beacon: Beacon = serde_json::from_slice(&body).map_err(|_| AppError::BadRequest("beacon".into()))?;
    let page: PageId = beacon.p.parse().map_err(|_| AppError::BadRequest("beacon".into()))?;
    if kernel::web::is_bot(&headers) {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let utm: Utm = serde_urlencoded::from_str(beacon.s.trim_start_matches('?')).unwrap_or_default();
    let now = ctx.state.clock.now();
    let view = View {
        page: Some(page),
        variant: if matches!(beacon.v.as_str(), "a" | "b") { beacon.v } else { String::new() },
        visitor_key: funnel::visitor_key(
            &ctx.state,
            &ctx.school.id.to_string(),
            &ctx.shell.client_ip,
            &ctx.user_agent,
            now,
        ),
        utm_source: short(&utm.utm_source, 100),
        utm_medium: short(&utm.utm_medium, 100),
        utm_campaign: short(&utm.utm_campaign, 100),
        referrer_host: short(&beacon.r, 200).to_ascii_lowercase(),
    };
    let mut tx = ctx.tx().await?;
    funnel_store::insert_view(&mut tx, &view, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
