//! The web shell: the resolved school, the visitor (cookie, CSRF, flash), the per-request view
//! data every layout needs, template rendering, error pages, assets and metrics.

pub mod assets;
pub mod bot;
pub mod client_ip;
pub mod errors;
pub mod form;
pub mod metrics;
pub mod multipart;
pub mod multipart_csrf;
pub mod redirect;
pub mod render;
pub mod school;
pub mod shell;
pub mod visitor;

pub use bot::is_bot;
pub use client_ip::{client_ip, ip_hash};
pub use form::{FieldErrors, Form, Json};
pub use redirect::{local_path, safe_redirect};
pub use render::render;
pub use school::{School, Site};
pub use shell::{Shell, ShellUser};
pub use visitor::{Flash, Visitor};

use axum::http::{HeaderMap, header};

/// Whether the caller wants JSON (an API path or an `Accept` that prefers JSON).
pub fn wants_json(headers: &HeaderMap, path: &str) -> bool {
    if path.starts_with("/api/") {
        return true;
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let json = accept.find("json");
    let html = accept.find("text/html");
    match (json, html) {
        (Some(j), Some(h)) => j < h,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Reads one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}
