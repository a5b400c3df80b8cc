//! The dev mailbox's message view, shared by the operator's and a school admin's mailbox: the
//! HTML part as its recipient would see it (in a sandboxed frame) and the text part with its
//! links made clickable. Outside demo mode only the metadata is shown: the bodies carry
//! one-time links (password resets, invitations) meant for their recipient alone.

use kernel::{AppState, mail::StoredMail};
use minijinja::{Value, context, value::Serde};

/// The template context for one message; its bodies only in demo mode.
pub fn view(state: &AppState, mail: StoredMail) -> Value {
    let bodies = state.config.demo && mail.purged_at.is_none();
    let mail = if bodies { mail } else { mail.metadata_only() };
    context! {
        text_html => bodies.then(|| Value::from_safe_string(linkify(&mail.text))),
        mail => Serde(mail),
        retention_days => state.config.mail_retention_days,
    }
}

/// Escapes `text` for HTML and turns each `http(s)://` URL into a link.
pub fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = find_url(rest) {
        out.push_str(&escape(&rest[..start]));
        let tail = &rest[start..];
        let end = tail.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"')).unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ')', ';', ':', '!', '?']);
        let url = if url.is_empty() { &tail[..end] } else { url };
        let e = escape(url);
        out.push_str(&format!(
            r#"<a href="{e}" class="link break-all" target="_blank" rel="noopener noreferrer">{e}</a>"#
        ));
        rest = &tail[url.len()..];
    }
    out.push_str(&escape(rest));
    out
}

fn find_url(s: &str) -> Option<usize> {
    match (s.find("http://"), s.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn links_become_anchors_and_the_rest_is_escaped() {
        let html = linkify("Confirm: https://acme.example/verify/abc?x=1&y=2.\n<b>hi</b>");
        assert!(html.contains(r#"<a href="https://acme.example/verify/abc?x=1&amp;y=2""#), "{html}");
        assert!(html.contains(">https://acme.example/verify/abc?x=1&amp;y=2</a>."));
        assert!(html.contains("&lt;b&gt;hi&lt;/b&gt;"));
        assert_eq!(linkify("no links"), "no links");
    }
}
