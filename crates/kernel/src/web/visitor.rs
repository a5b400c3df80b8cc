//! The visitor: an anonymous id cookie that every browser gets, the CSRF token derived from
//! it, flash messages carried across a redirect, `Cache-Control: no-store` for logged-in people,
//! and the check that every state-changing request is same-origin and carries the token.

use std::sync::{Arc, Mutex};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::{
    error::AppError,
    i18n::Locale,
    secret::{Keys, constant_eq, random_token},
    state::AppState,
    web::{Shell, Site, cookie},
};

/// Name of the visitor cookie on school sites (the platform host uses its own).
pub const SID_COOKIE: &str = "lyceum_sid";
const FLASH_COOKIE: &str = "lyceum_flash";
/// Cookie holding a visitor's language choice.
pub const LANG_COOKIE: &str = "lyceum_lang";

/// A message shown once on the next page.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Flash {
    /// `success`, `info`, `warning` or `error`.
    pub kind: String,
    /// Already-translated text.
    pub text: String,
}

#[derive(Debug)]
struct Inner {
    sid: String,
    csrf: String,
    set_sid: bool,
    flash_out: Vec<Flash>,
    had_flash: bool,
    /// The language cookie the browser sent.
    lang_in: Option<Locale>,
    /// A language cookie to write: `Some(None)` removes it.
    lang: Option<Option<Locale>>,
    logged_in: bool,
    https: bool,
}

/// The browser making the request. Clone-cheap; changes are written back as cookies.
#[derive(Clone, Debug)]
pub struct Visitor(Arc<Mutex<Inner>>);

impl Visitor {
    /// The raw visitor id (the session key once logged in).
    pub fn sid(&self) -> String {
        self.0.lock().expect("visitor").sid.clone()
    }

    /// Whether the browser arrived without a visitor cookie (so it has no session).
    pub fn is_new(&self) -> bool {
        self.0.lock().expect("visitor").set_sid
    }

    /// The CSRF token forms must carry.
    pub fn csrf(&self) -> String {
        self.0.lock().expect("visitor").csrf.clone()
    }

    /// Issues a fresh id (at login and logout), so a fixed id cannot be carried into a session.
    pub fn rotate(&self, keys: &Keys) -> String {
        let mut inner = self.0.lock().expect("visitor");
        inner.sid = random_token(32);
        inner.csrf = keys.csrf().sign(&inner.sid);
        inner.set_sid = true;
        inner.sid.clone()
    }

    /// Shows `text` on the next page.
    pub fn flash(&self, kind: &str, text: impl Into<String>) {
        self.0.lock().expect("visitor").flash_out.push(Flash { kind: kind.into(), text: text.into() });
    }

    /// Marks the request as made by a logged-in person (whoever authenticates calls it): the
    /// response then carries `Cache-Control: no-store` unless the handler chose its own, so
    /// after logging out at a shared computer, Back shows nothing of theirs to the next person.
    pub fn logged_in(&self) {
        self.0.lock().expect("visitor").logged_in = true;
    }

    /// Whether the request came over https (directly or through a trusted proxy): cookies set
    /// for it carry `Secure`.
    pub fn is_https(&self) -> bool {
        self.0.lock().expect("visitor").https
    }

    /// Remembers a language choice in a cookie.
    pub fn set_language(&self, locale: Locale) {
        self.0.lock().expect("visitor").lang = Some(Some(locale));
    }

    /// Forgets this browser's language choice (the person now follows the school's default).
    pub fn clear_language(&self) {
        self.0.lock().expect("visitor").lang = Some(None);
    }

    /// The language this browser chose with the language picker, if any.
    pub fn chosen_language(&self) -> Option<Locale> {
        self.0.lock().expect("visitor").lang_in
    }
}

/// Middleware: attaches the [`Visitor`] and the [`Shell`], and writes cookies back.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let path = req.uri().path().to_string();
    let incoming = cookie(&headers, SID_COOKIE).filter(|v| v.len() >= 32 && v.len() <= 64).map(str::to_string);
    let (sid, set_sid) = match incoming {
        Some(s) => (s, false),
        None => (random_token(32), true),
    };
    let csrf = state.config.keys.csrf().sign(&sid);
    let flash_in: Vec<Flash> = cookie(&headers, FLASH_COOKIE)
        .and_then(|v| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(v).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let chosen = cookie(&headers, LANG_COOKIE).and_then(Locale::parse);
    let visitor = Visitor(Arc::new(Mutex::new(Inner {
        sid,
        csrf: csrf.clone(),
        set_sid,
        flash_out: vec![],
        had_flash: !flash_in.is_empty(),
        lang_in: chosen,
        lang: None,
        logged_in: false,
        https: crate::web::client_ip::is_https(
            &state.config.public_scheme,
            &headers,
            req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0),
            &state.config.trusted_proxies,
        ),
    })));

    let site = req.extensions().get::<Site>().cloned().unwrap_or(Site::Platform);
    let school = match &site {
        Site::School(s) => Some(s.clone()),
        Site::Platform => None,
    };
    let accept =
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language);
    let locale = chosen.or(school.as_ref().map(|s| s.default_locale)).or(accept).unwrap_or_default();
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let shell = Shell {
        school: school.clone(),
        user: None,
        operator: None,
        csrf,
        flash: flash_in,
        locale,
        time_zone: school.as_ref().map(|s| s.time_zone.clone()).unwrap_or_else(|| "UTC".into()),
        path: path.clone(),
        demo: state.config.demo,
        platform_url: state.config.platform_url(),
        request_id,
        client_ip: crate::web::client_ip(
            &headers,
            req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0),
            &state.config.trusted_proxies,
        ),
    };

    let mut req = req;
    req.extensions_mut().insert(visitor.clone());
    req.extensions_mut().insert(shell);
    let mut res = next.run(req).await;
    let redirect = res.status().is_redirection();
    let inner = visitor.0.lock().expect("visitor");
    let secure = if inner.https { "; Secure" } else { "" };
    let h = res.headers_mut();
    if inner.logged_in && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    // API callers authenticate with keys; they get no visitor cookie.
    if inner.set_sid && !path.starts_with("/api/") {
        let c = format!("{SID_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000{secure}", inner.sid);
        h.append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("cookie is ASCII"));
    }
    if !inner.flash_out.is_empty() {
        let v = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(&inner.flash_out).expect("flash serialises"));
        let c = format!("{FLASH_COOKIE}={v}; Path=/; HttpOnly; SameSite=Lax{secure}");
        h.append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("cookie is ASCII"));
    } else if inner.had_flash && !redirect {
        let c = format!("{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}");
        h.append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("cookie is ASCII"));
    }
    let lang_cookie = match inner.lang {
        Some(Some(lang)) => {
            Some(format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}", lang.code()))
        }
        Some(None) => Some(format!("{LANG_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0{secure}")),
        None => None,
    };
    if let Some(c) = lang_cookie {
        h.append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("cookie is ASCII"));
    }
    res
}

/// Middleware (inside the error renderer): every state-changing request outside the API and
/// payment webhooks (and the view beacon under `/t/`, which checks its origin, and the signed email
/// links under `/e/`) must be same-origin and carry the visitor's CSRF token.
pub async fn csrf_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    // `/t/` takes the page-view beacon, which carries no token (the page it comes from is
    // cached for everyone): its handler checks that the request is same-origin itself.
    // `/e/` takes an email's one-click unsubscribe (RFC 8058: a mail client posts it with no
    // cookie or token) and its preference centre: the signed token in the path is the credential.
    let exempt = path.starts_with("/api/")
        || path.starts_with("/hooks/")
        || path.starts_with("/t/")
        || path.starts_with("/e/")
        || checks_its_own_origin(path);
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method || exempt {
        return next.run(req).await;
    }
    let Some(visitor) = req.extensions().get::<Visitor>().cloned() else {
        return AppError::Forbidden.into_response();
    };
    match check_csrf(&state, req, &visitor).await {
        Ok(req) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// An opt-in form's post (`POST /f/{form_id}`): it arrives from cached built pages, which carry no
/// per-visitor token, and from embeds on other sites. Its handler checks instead that the post
/// is same-origin or carries the form's embed key, and that it carries a [`form_stamp`].
fn checks_its_own_origin(path: &str) -> bool {
    path.strip_prefix("/f/").is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// A signed render time for public forms that cannot carry a per-visitor token (cached pages,
/// embeds): `{unix seconds}.{hmac}`.
pub fn form_stamp(keys: &Keys, unix: i64) -> String {
    format!("{unix}.{}", keys.links().sign(&format!("form-stamp:{unix}")))
}

/// The time a [`form_stamp`] was made, when it is genuine.
pub fn form_stamp_time(keys: &Keys, stamp: &str) -> Option<i64> {
    let (unix, mac) = stamp.split_once('.')?;
    let unix: i64 = unix.parse().ok()?;
    constant_eq(mac, &keys.links().sign(&format!("form-stamp:{unix}"))).then_some(unix)
}

/// Same-origin check, then the token from the header, the query, the form body or, in a
/// multipart form, its first field.
async fn check_csrf(state: &AppState, req: Request, visitor: &Visitor) -> Result<Request, AppError> {
    let headers = req.headers();
    if headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site") {
        return Err(AppError::Forbidden);
    }
    if let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
        if origin != "null" && !origin_host.eq_ignore_ascii_case(host) {
            return Err(AppError::Forbidden);
        }
    }
    let expected = visitor.csrf();
    let ok = |t: &str| constant_eq(t, &expected);
    if headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).is_some_and(ok) {
        return Ok(req);
    }
    if let Some(q) = req.uri().query()
        && serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .unwrap_or_default()
            .iter()
            .any(|(k, v)| k == "_csrf" && ok(v))
    {
        return Ok(req);
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Some(boundary) = super::multipart_csrf::boundary(content_type) {
        let (parts, body) = req.into_parts();
        if let Some(body) = super::multipart_csrf::check(body, &boundary, ok).await {
            return Ok(Request::from_parts(parts, body));
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = req.into_parts();
        let bytes =
            axum::body::to_bytes(body, state.config.max_body_bytes).await.map_err(|_| AppError::PayloadTooLarge)?;
        let found = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .unwrap_or_default()
            .iter()
            .any(|(k, v)| k == "_csrf" && ok(v));
        if found {
            return Ok(Request::from_parts(parts, Body::from(bytes)));
        }
    }
    tracing::info!("CSRF token missing or wrong");
    Err(AppError::Forbidden)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_opt_in_post_checks_its_own_origin() {
        assert!(checks_its_own_origin("/f/0190a1b2-0000-7000-8000-000000000000"));
        for other in ["/f/", "/f/x/embed", "/f/confirm/abc", "/fx/1", "/admin/forms/1", "/signup"] {
            assert!(!checks_its_own_origin(other), "{other}");
        }
    }

    #[test]
    fn a_form_stamp_is_read_back_only_when_genuine() {
        let keys = Keys::derive(&"a test master key of enough length".into());
        let stamp = form_stamp(&keys, 1_800_000_000);
        assert_eq!(form_stamp_time(&keys, &stamp), Some(1_800_000_000));
        assert_eq!(form_stamp_time(&keys, &stamp.replacen("18", "17", 1)), None);
        assert_eq!(form_stamp_time(&keys, "1800000000.00"), None);
        assert_eq!(form_stamp_time(&keys, ""), None);
    }
}
