//! Funnel tracking: page views counted without cookies, opt-ins, checkout starts and purchases
//! per page and per UTM source, and A/B tests of a page.
//!
//! A view is counted under a visitor key: a hash of a salt that changes every UTC day (derived
//! from the deployment's key and the date, never stored), the school, the address and the
//! browser. Nothing personal is stored and no cookie is needed; one person is one key for one
//! day, so unique visitors over a period are the distinct keys per day, summed.
//!
//! Opt-ins, checkout starts and purchases arrive as events (`form.submitted`,
//! `checkout.started`, `order.paid`) and are recorded once per event id in `funnel_events`.

use axum::http::{HeaderMap, header};
use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx, events::Event};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    funnel_store::{self, FunnelEvent, text},
    model::{Page, PageId},
    sections::Document,
};

/// Name of the cookie that keeps a visitor on one side of a page's A/B test (for the split
/// only; views are counted without it).
pub fn split_cookie_name(page: PageId) -> String {
    format!("lyceum_ab_{}", page.0.simple())
}

/// The `Set-Cookie` value that keeps this visitor on `variant` of `page` for 90 days.
pub fn split_cookie(page: PageId, variant: &str) -> String {
    format!("{}={variant}; Path=/; SameSite=Lax; Max-Age=7776000", split_cookie_name(page))
}

/// The variant of `page` this visitor sees when the page runs an A/B test: its name (`"a"` or
/// `"b"`) and document, sticky per visitor. `None` when no test runs (visitors see the
/// published version). The `lyceum_ab_{page}` cookie decides when present; otherwise the
/// browser's headers do (see [`assign`]), and the caller sets [`split_cookie`] on the response
/// when the request had none (see [`needs_cookie`]).
pub async fn variant(tx: &mut TenantTx, page: &Page, headers: &HeaderMap) -> sqlx::Result<Option<(String, Document)>> {
    let Some(test) = funnel_store::running(tx, page.id).await? else { return Ok(None) };
    let name = assign(page.id, headers);
    if name == "b" {
        return Ok(Some((name.into(), test.variant_b)));
    }
    let Some(a) = crate::pages::published(tx, page).await? else { return Ok(None) };
    Ok(Some((name.into(), a)))
}

/// Whether the response should set [`split_cookie`] (a test runs and the browser has none).
pub fn needs_cookie(page: PageId, headers: &HeaderMap) -> bool {
    cookie(headers, &split_cookie_name(page)).is_none()
}

/// The side of `page`'s test for this browser: its cookie when set, else a hash of the page and
/// the browser's stable headers (so a visitor who blocks cookies still stays on one side).
pub fn assign(page: PageId, headers: &HeaderMap) -> &'static str {
    match cookie(headers, &split_cookie_name(page)).as_deref() {
        Some("a") => "a",
        Some("b") => "b",
        _ => {
            let h = |n: header::HeaderName| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or_default();
            let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).unwrap_or_default();
            split(&format!("{}|{}|{}|{forwarded}", page.0, h(header::USER_AGENT), h(header::ACCEPT_LANGUAGE)))
        }
    }
}

/// 50/50 by the hash of `key`.
pub fn split(key: &str) -> &'static str {
    if Sha256::digest(key.as_bytes())[0] & 1 == 0 { "a" } else { "b" }
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The visitor key of a view: a hash of the day's salt, the school, the address and the browser.
pub fn visitor_key(state: &AppState, school: &str, ip: &str, user_agent: &str, at: DateTime<Utc>) -> String {
    let salt = state.config.keys.links().sign(&format!("page-view salt {}", at.date_naive()));
    let digest = Sha256::digest(format!("{salt}|{school}|{ip}|{user_agent}").as_bytes());
    hex::encode(&digest[..16])
}

/// Marketing's funnel subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.events.subscribe(&mut w.jobs, "form.submitted", "marketing.funnel_optin", on_optin);
    w.events.subscribe(&mut w.jobs, "checkout.started", "marketing.funnel_checkout", on_checkout);
    w.events.subscribe(&mut w.jobs, "order.paid", "marketing.funnel_purchase", on_purchase);
}

async fn on_optin(state: AppState, event: Event) -> anyhow::Result<()> {
    let p = &event.payload;
    let Some(page) = p.get("page_id").and_then(|v| serde_json::from_value::<PageId>(v.clone()).ok()) else {
        return Ok(());
    };
    let utm = p.get("utm").cloned().unwrap_or(Value::Null);
    store_step(&state, &event, "optin", Some(page), None, text(p, "variant"), &utm, None).await
}

async fn on_checkout(state: AppState, event: Event) -> anyhow::Result<()> {
    let a = event.payload.get("attribution").cloned().unwrap_or(Value::Null);
    store_step(&state, &event, "checkout", None, Some(text(&a, "lp")), text(&a, "lpv"), &a, None).await
}

async fn on_purchase(state: AppState, event: Event) -> anyhow::Result<()> {
    let p = &event.payload;
    let a = p.get("attribution").cloned().unwrap_or(Value::Null);
    let amount = p.get("total").and_then(Value::as_i64).map(|t| (t, text(p, "currency")));
    store_step(&state, &event, "purchase", None, Some(text(&a, "lp")), text(&a, "lpv"), &a, amount).await
}

/// Records one step credited to `page` (or to the page whose slug is `slug`); events that came
/// from no built page are not the funnel's.
#[expect(clippy::too_many_arguments, reason = "one call per event kind, each field named at the call")]
async fn store_step(
    state: &AppState,
    event: &Event,
    kind: &'static str,
    page: Option<PageId>,
    slug: Option<String>,
    variant: String,
    utm: &Value,
    amount: Option<(i64, String)>,
) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(event.tenant).await?;
    let page = match (page, slug) {
        (Some(p), _) => crate::store::page(&mut tx, p).await?.map(|p| p.id),
        (None, Some(s)) if !s.is_empty() => funnel_store::page_id_by_slug(&mut tx, &s).await?,
        _ => None,
    };
    let Some(page) = page else { return Ok(()) };
    let variant = if matches!(variant.as_str(), "a" | "b") { variant } else { String::new() };
    let step = FunnelEvent {
        id: event.id.0,
        kind,
        page,
        variant,
        utm_source: text(utm, "utm_source"),
        utm_campaign: text(utm, "utm_campaign"),
        amount,
        at: event.occurred_at,
    };
    funnel_store::record(&mut tx, &step).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ua(s: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::USER_AGENT, s.parse().unwrap());
        h
    }

    #[test]
    fn the_split_is_even_and_the_cookie_wins() {
        let b = (0..4000).filter(|i| split(&format!("visitor {i}")) == "b").count();
        assert!((1800..2200).contains(&b), "{b} of 4000 on b");
        let page = PageId::new();
        let mut h = ua("Mozilla/5.0 Firefox");
        let first = assign(page, &h);
        assert_eq!(assign(page, &h), first);
        h.insert(header::COOKIE, format!("x=1; {}=b", split_cookie_name(page)).parse().unwrap());
        assert_eq!(assign(page, &h), "b");
        assert!(!needs_cookie(page, &h));
    }
}
