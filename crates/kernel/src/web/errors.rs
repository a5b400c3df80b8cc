//! Renders every error response: a branded HTML page or RFC 9457 `problem+json`, chosen by
//! the request's `Accept`. Covers our own [`AppError`]s and the framework's rejections alike
//! (unknown route, wrong method, oversized body).

use axum::{
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use minijinja::context;

use crate::{
    error::{ErrorInfo, title_key},
    i18n,
    state::AppState,
    web::{Shell, render::render_string, wants_json},
};

/// Put in a response's extensions to send an error response as it is: for protocols whose
/// clients read the status, headers and a short text body (tus uploads), not a page.
#[derive(Clone, Copy, Debug)]
pub struct Verbatim;

/// Middleware: replaces bare error responses with rendered ones.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let json = wants_json(req.headers(), req.uri().path());
    let path = req.uri().path().to_string();
    let shell = req.extensions().get::<Shell>().cloned();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let info = res.extensions().get::<ErrorInfo>().cloned();
    let already_rendered = res.extensions().get::<Verbatim>().is_some()
        || info.is_none()
            && res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("text/html") || ct.contains("json"));
    if already_rendered {
        return res;
    }
    // A browser that needs to log in on a school's site is sent to the login page.
    if status == StatusCode::UNAUTHORIZED && !json && shell.as_ref().is_some_and(|s| s.school.is_some()) {
        let next: String = url_encode(&path);
        return axum::response::Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let info = info.unwrap_or(ErrorInfo { status, title_key: title_key(status), detail: None });
    // Headers that belong to the status, not to the body being replaced: `Allow` on a 405
    // (RFC 9110 requires it) and `Retry-After` on a 429 or 503.
    let kept: Vec<_> = KEPT_HEADERS.iter().filter_map(|h| Some((h, res.headers().get(h)?.clone()))).collect();
    let locale = shell.as_ref().map(|s| s.locale).unwrap_or_default();
    let title = i18n::t(locale, info.title_key);
    let mut out = if json {
        problem(status, &title, info.detail.as_deref(), &path, shell.as_ref())
    } else {
        page(&state, status, &title, info.detail.as_deref(), info.title_key, shell)
    };
    for (name, value) in kept {
        out.headers_mut().insert(name, value);
    }
    out
}

/// What a re-rendered error response keeps of the original one.
const KEPT_HEADERS: [header::HeaderName; 2] = [header::ALLOW, header::RETRY_AFTER];

fn problem(status: StatusCode, title: &str, detail: Option<&str>, path: &str, shell: Option<&Shell>) -> Response {
    let mut body = serde_json::json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "instance": path,
    });
    if let Some(d) = detail.filter(|d| !d.is_empty()) {
        body["detail"] = d.into();
    }
    if let Some(id) = shell.map(|s| s.request_id.as_str()).filter(|s| !s.is_empty()) {
        body["request_id"] = id.into();
    }
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    res
}

fn page(
    state: &AppState,
    status: StatusCode,
    title: &str,
    detail: Option<&str>,
    key: &str,
    shell: Option<Shell>,
) -> Response {
    let Some(shell) = shell else {
        return (status, title.to_string()).into_response();
    };
    let message = i18n::t(shell.locale, &format!("{key}-body"));
    let html = render_string(
        state,
        &shell,
        "kernel/error.html",
        context! { status => status.as_u16(), title, message, detail },
    );
    match html {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "error page failed to render");
            (status, title.to_string()).into_response()
        }
    }
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
