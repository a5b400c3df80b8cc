//! Rewriting a rendered body for tracking: every web link becomes a signed click link, and the
//! open pixel goes before `</body>`.

use kernel::AppState;

use super::{click_sig, token};
use crate::email::DeliveryId;

/// Rewrites the links of a rendered HTML body into signed click-tracking links and adds the
/// open pixel, when the school tracks (`enabled`). `mailto:`, `#` anchors, and the
/// unsubscribe and preference-centre links are left as they are.
pub fn decorate(state: &AppState, base_url: &str, delivery: DeliveryId, html: &str, enabled: bool) -> String {
    if !enabled {
        return html.to_string();
    }
    let t = token(state, delivery);
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    let mut index = 0;
    while let Some(at) = find_href(rest) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        // `after` starts with `href=` and a quote.
        let quote = after.as_bytes()[5] as char;
        let value_start = 6;
        let Some(len) = after[value_start..].find(quote) else {
            out.push_str(after);
            rest = "";
            break;
        };
        let raw = &after[value_start..value_start + len];
        let url = unescape(raw);
        out.push_str(&after[..value_start]);
        if tracked(&url, base_url) {
            let sig = click_sig(state, delivery, index, &url);
            let query = serde_urlencoded::to_string([("u", url.as_str()), ("s", sig.as_str())]).unwrap_or_default();
            out.push_str(&format!("{base_url}/e/c/{t}/{index}?{}", query.replace('&', "&amp;")));
            index += 1;
        } else {
            out.push_str(raw);
        }
        rest = &after[value_start + len..];
    }
    out.push_str(rest);
    let pixel = format!(
        r#"<img src="{base_url}/e/o/{t}.gif" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;opacity:0" />"#
    );
    match out.rfind("</body>") {
        Some(end) => out.insert_str(end, &pixel),
        None => out.push_str(&pixel),
    }
    out
}

/// Where the next ` href="` or ` href='` attribute starts (at the `h`).
fn find_href(s: &str) -> Option<usize> {
    let lower = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find("href=").map(|i| i + from) {
        let quoted = lower.get(i + 5).is_some_and(|&c| c == b'"' || c == b'\'');
        let boundary = i > 0 && lower[i - 1].is_ascii_whitespace();
        if quoted && boundary {
            return Some(i);
        }
        from = i + 5;
    }
    None
}

/// Whether a link is followed through the click redirect: web links, but not the school's
/// own tracking, unsubscribe and preference links.
fn tracked(url: &str, base_url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let own = lower.strip_prefix(&base_url.to_ascii_lowercase()).is_some_and(|rest| rest.starts_with("/e/"));
    (lower.starts_with("http://") || lower.starts_with("https://")) && !own
}

/// The URL an attribute value holds (the entities MJML and minijinja write undone).
fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_tracked() {
        let base = "https://acme.test";
        assert!(tracked("https://example.com/a?b=c", base));
        assert!(tracked("https://example.com/e/u/x", base));
        assert!(!tracked("mailto:a@b.c", base));
        assert!(!tracked("#top", base));
        assert!(!tracked("https://acme.test/e/u/abc.def", base));
        assert!(!tracked("https://acme.test/e/p/abc.def", base));
    }

    #[test]
    fn href_needs_a_boundary_and_a_quote() {
        assert_eq!(find_href(r#"<a data-href="x" href="y">"#), Some(17));
        assert_eq!(find_href("<a href=y>"), None);
        assert_eq!(unescape("https://a.test/?x=1&amp;y=2"), "https://a.test/?x=1&y=2");
    }
}
