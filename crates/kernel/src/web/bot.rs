//! Robots and prefetches: requests that are not a person looking at a page, so they count as
//! no view and no affiliate click.

use axum::http::{HeaderMap, header};

/// Whether a request is from a robot or a prefetch, which are not views nor clicks.
pub fn is_bot(headers: &HeaderMap) -> bool {
    const PATTERNS: &[&str] = &[
        "bot",
        "crawl",
        "spider",
        "slurp",
        "headless",
        "lighthouse",
        "pagespeed",
        "preview",
        "facebookexternalhit",
        "curl",
        "wget",
        "python",
        "httpclient",
        "java/",
        "go-http",
        "okhttp",
        "axios",
        "node-fetch",
        "phantom",
        "monitor",
        "uptime",
        "scan",
    ];
    let prefetch = ["purpose", "sec-purpose", "x-purpose", "x-moz"].iter().any(|h| {
        headers.get(*h).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("prefetch") || v.contains("preview"))
    });
    let ua = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
    prefetch || ua.trim().is_empty() || !ua.starts_with("mozilla/") || PATTERNS.iter().any(|p| ua.contains(p))
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
    fn robots_and_prefetches_are_not_views() {
        let chrome =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
        assert!(!is_bot(&ua(chrome)));
        assert!(is_bot(&ua("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")));
        assert!(is_bot(&ua("curl/8.5.0")));
        assert!(is_bot(&HeaderMap::new()));
        let mut h = ua(chrome);
        h.insert("sec-purpose", "prefetch;prerender".parse().unwrap());
        assert!(is_bot(&h));
    }
}
