//! The one check for a place to return to (`next` after logging in, choosing a language, …).
//!
//! Such a value comes from the visitor, so it may point anywhere. Browsers are lenient when they
//! read a `Location`: they drop tabs and newlines, treat `\` as `/`, and take `//host` as another
//! site. Rather than list what is dangerous, we accept only what a same-origin path looks like
//! and send everything else to a safe default.

/// Longest return path accepted; ours are short, and a huge one only bloats headers.
const MAX_LEN: usize = 2048;

/// `next` when it is a path on this site, else `fallback`.
pub fn safe_redirect(next: Option<&str>, fallback: &str) -> String {
    local_path(next).unwrap_or(fallback).to_string()
}

/// `next` when it is a path on this site (`/…`, nothing that a browser could read as another
/// host), for carrying it along in a form; `None` otherwise.
pub fn local_path(next: Option<&str>) -> Option<&str> {
    let next = next?;
    (is_local_path(next.as_bytes())
        && next.len() <= MAX_LEN
        // Checked again decoded, in case a later hop (a proxy, a second redirect) decodes it.
        && decoded_forms(next).all(|d| is_harmless_decoded(&d)))
    .then_some(next)
}

/// A single `/` first, then only visible ASCII without `\`, and no empty segment in the path.
fn is_local_path(p: &[u8]) -> bool {
    p.first() == Some(&b'/')
        // Visible ASCII only: no space, tab, CR, LF or other control, nothing outside ASCII.
        && p.iter().all(|&b| (0x21..=0x7e).contains(&b) && b != b'\\')
        && !has_empty_segment(p)
}

/// A decoded form may hold spaces and UTF-8 (`%20`, `%C3%A9`), but no control character, no
/// `\` and no empty segment that a decoding hop could turn into `//host`.
fn is_harmless_decoded(p: &[u8]) -> bool {
    p.iter().all(|&b| b >= 0x20 && b != 0x7f && b != b'\\') && !has_empty_segment(p)
}

/// Whether the path (before any query or fragment) has `//` in it.
fn has_empty_segment(p: &[u8]) -> bool {
    let path = p.split(|&b| b == b'?' || b == b'#').next().unwrap_or_default();
    path.windows(2).any(|w| w == b"//")
}

/// The value percent-decoded once, twice and three times (each form that differs).
fn decoded_forms(s: &str) -> impl Iterator<Item = Vec<u8>> {
    let mut current = s.as_bytes().to_vec();
    std::iter::from_fn(move || {
        let next = percent_decode(&current);
        if next == current {
            return None;
        }
        current = next.clone();
        Some(next)
    })
    .take(3)
}

fn percent_decode(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%'
            && i + 2 < s.len()
            && let (Some(h), Some(l)) = (hex(s[i + 1]), hex(s[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_paths_are_kept() {
        for ok in [
            "/",
            "/admin",
            "/courses/rust-101/lessons/3?tab=notes#top",
            "/invitations/abc_DEF-123",
            "/search?q=a%20b",
            "/a/../b",
            "/.well-known/x",
            "/caf%C3%A9",
        ] {
            assert_eq!(safe_redirect(Some(ok), "/home"), ok, "{ok:?} is a local path");
        }
    }

    #[test]
    fn known_bypasses_fall_back() {
        for bad in [
            "",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "\t//evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/%09/evil.example",
            "/%0d%0aSet-Cookie:x=1",
            "/%0a/evil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "/%252F%252Fevil.example",
            "/%25252F/evil.example",
            "/ /evil.example",
            " /evil.example",
            "/.//evil.example",
            "/a//evil.example",
            "https://evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,hi",
            "evil.example",
            "@evil.example",
            "/\u{0}/evil",
            "/\u{7f}/evil",
            "/caf\u{e9}",
            "/\u{ff0f}evil.example",
        ] {
            assert_eq!(safe_redirect(Some(bad), "/home"), "/home", "{bad:?} must not be followed");
        }
        assert_eq!(safe_redirect(None, "/home"), "/home");
        assert_eq!(safe_redirect(Some(&format!("/{}", "a".repeat(MAX_LEN))), "/home"), "/home");
    }

    #[test]
    fn local_path_is_the_same_check() {
        assert_eq!(local_path(Some("/admin")), Some("/admin"));
        assert_eq!(local_path(Some("/%09/evil.example")), None);
        assert_eq!(local_path(None), None);
    }
}
