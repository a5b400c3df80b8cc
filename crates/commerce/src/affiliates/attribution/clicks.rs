//! Clicks on affiliate links: `?ref=code` on any page of a school's site (a middleware layer the
//! app puts in front of the school's routes) and the short links `/a/{code}` and
//! `/a/{code}/{*path}`. A person's click on an approved affiliate's code, with the program on,
//! is recorded (the landing path, the referring host, UTM parameters and a keyed hash of the
//! address, never the address) and sets the referral cookie. Robots and prefetches, unknown or
//! unapproved codes and another school's codes record nothing and set nothing.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Utc};
use identity::Ctx;
use kernel::{
    AppState,
    ids::TenantId,
    web::{Shell, Site, Visitor},
};
use serde_json::{Map, Value};

use super::cookie::{self, RefCookie};
use crate::affiliates::{model::ClickId, settings, store};

/// What a click says about itself.
struct Click<'a> {
    code: &'a str,
    landing: &'a str,
    query: &'a [(String, String)],
    headers: &'a HeaderMap,
    client_ip: &'a str,
}

/// The `ref` of a query string, when there is one.
fn ref_param(query: &[(String, String)]) -> Option<&str> {
    query.iter().find(|(k, _)| k == "ref").map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

fn capped(s: &str, n: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(n).collect()
}

/// The host of a `Referer` (no scheme, port, path or credentials).
fn referrer_host(headers: &HeaderMap) -> String {
    let Some(r) = headers.get(header::REFERER).and_then(|v| v.to_str().ok()) else { return String::new() };
    let rest = r.split_once("://").map_or(r, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = if host.starts_with('[') { host } else { host.split(':').next().unwrap_or_default() };
    capped(&host.to_ascii_lowercase(), 300)
}

fn utm(query: &[(String, String)]) -> Value {
    let map: Map<String, Value> = query
        .iter()
        .filter(|(k, v)| k.starts_with("utm_") && k.len() <= 40 && !v.trim().is_empty())
        .take(10)
        .map(|(k, v)| (k.clone(), Value::String(capped(v.trim(), 200))))
        .collect();
    Value::Object(map)
}

/// Records a click and returns the cookie value to set, if any. `None` when the program is off,
/// the code is not an approved affiliate's, or (first-click) a valid cookie is already there.
async fn track(state: &AppState, tenant: TenantId, click: Click<'_>) -> anyhow::Result<Option<(String, i32)>> {
    if !cookie::code_is_plausible(click.code) {
        tracing::debug!(code = click.code, "referral code not recognised");
        return Ok(None);
    }
    let mut tx = state.db.tenant(tenant).await?;
    let settings = settings::load(&mut tx).await?;
    if !settings.enabled {
        return Ok(None);
    }
    let Some(affiliate) = store::by_code(&mut tx, click.code).await?.filter(|a| a.approved()) else {
        tracing::debug!(code = click.code, "referral code of no approved affiliate");
        return Ok(None);
    };
    let now = state.clock.now();
    let id = ClickId::new();
    sqlx::query(
        "insert into affiliate_clicks (tenant_id, id, affiliate_id, landing, referrer, utm, ip_hash, at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tenant)
    .bind(id)
    .bind(affiliate.id)
    .bind(capped(click.landing, 500))
    .bind(referrer_host(click.headers))
    .bind(utm(click.query))
    .bind(kernel::web::ip_hash(&state.config.keys, tenant, click.client_ip))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let existing = kernel::web::cookie(click.headers, cookie::NAME)
        .and_then(|raw| cookie::verify(&state.config.keys, tenant, raw, now, settings.cookie_days));
    if settings.attribution == "first_click" && existing.is_some() {
        return Ok(None);
    }
    let value = cookie::encode(
        &state.config.keys,
        tenant,
        &RefCookie { code: affiliate.code, click: id, issued: whole_seconds(now) },
    );
    Ok(Some((value, settings.cookie_days)))
}

fn whole_seconds(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// Tracks a click and turns the outcome into a `Set-Cookie`, logging (not failing) on error:
/// a page must render even when the click cannot be recorded.
async fn set_cookie_for(
    state: &AppState,
    tenant: TenantId,
    click: Click<'_>,
    https: bool,
) -> Option<axum::http::HeaderValue> {
    if kernel::web::is_bot(click.headers) {
        return None;
    }
    match track(state, tenant, click).await {
        Ok(c) => c.map(|(value, days)| cookie::header(&value, days, https)),
        Err(e) => {
            tracing::warn!(error = ?e, "affiliate click not recorded");
            None
        }
    }
}

/// The `?ref=` layer on a school's pages: does nothing (and touches no database) unless a GET
/// carries `ref`; then records the click and sets the cookie on whatever the page answers.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let wanted = req.method() == Method::GET && req.uri().query().is_some_and(|q| q.contains("ref="));
    if !wanted {
        return next.run(req).await;
    }
    let Some(Site::School(school)) = req.extensions().get::<Site>().cloned() else { return next.run(req).await };
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.uri().query().unwrap_or_default()).unwrap_or_default();
    let Some(code) = ref_param(&query) else { return next.run(req).await };
    let client_ip = req.extensions().get::<Shell>().map(|s| s.client_ip.clone()).unwrap_or_default();
    let https = req.extensions().get::<Visitor>().is_some_and(Visitor::is_https);
    let click = Click { code, landing: req.uri().path(), query: &query, headers: req.headers(), client_ip: &client_ip };
    let set = set_cookie_for(&state, school.id, click, https).await;
    let mut res = next.run(req).await;
    if let Some(set) = set {
        res.headers_mut().append(header::SET_COOKIE, set);
    }
    res
}

/// `/a/{code}` and `/a/{code}/{*path}`: records the click, sets the cookie and sends the visitor
/// to `/` or to that path of this site (anything that could leave the site goes to `/`).
pub async fn short_link(ctx: Ctx, req: Request) -> Response {
    let path = req.uri().path();
    let rest = path.strip_prefix("/a/").unwrap_or_default();
    let (code, target) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.uri().query().unwrap_or_default()).unwrap_or_default();
    let target = match (target, req.uri().query()) {
        ("", _) | ("/", _) => "/".to_string(),
        (t, Some(q)) => format!("{t}?{q}"),
        (t, None) => t.to_string(),
    };
    let to = kernel::web::safe_redirect(Some(&target), "/");
    let landing = to.split('?').next().unwrap_or("/");
    let code = code.to_ascii_lowercase();
    let click = Click { code: &code, landing, query: &query, headers: req.headers(), client_ip: &ctx.shell.client_ip };
    let set = set_cookie_for(&ctx.state, ctx.school.id, click, ctx.visitor.is_https()).await;
    let mut res = Redirect::to(&to).into_response();
    *res.status_mut() = axum::http::StatusCode::FOUND;
    if let Some(set) = set {
        res.headers_mut().append(header::SET_COOKIE, set);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referrer_is_its_host_only() {
        let h = |r: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::REFERER, r.parse().unwrap());
            referrer_host(&h)
        };
        assert_eq!(h("https://User:pw@News.Example.com:8443/a/b?c=d"), "news.example.com");
        assert_eq!(h("http://blog.test"), "blog.test");
        assert_eq!(referrer_host(&HeaderMap::new()), "");
    }

    #[test]
    fn utm_keeps_only_utm_parameters() {
        let q = vec![
            ("utm_source".to_string(), " pod ".to_string()),
            ("ref".to_string(), "ana".to_string()),
            ("utm_medium".to_string(), String::new()),
        ];
        assert_eq!(utm(&q), serde_json::json!({ "utm_source": "pod" }));
        assert_eq!(ref_param(&q), Some("ana"));
    }
}
