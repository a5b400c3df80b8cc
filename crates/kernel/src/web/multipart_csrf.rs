//! The CSRF token of a `multipart/form-data` form (an upload), read from the form itself so it
//! never has to travel in the address bar.
//!
//! The token must be the form's first field, which is where `csrf_field()` puts it: browsers
//! send fields in document order. Only the start of the body is read and then handed on
//! unchanged in front of the rest, so a large upload is never held in memory here.

use axum::body::{Body, Bytes};
use futures::{StreamExt, stream};

/// How much of the body is read looking for the token before giving up.
const HEAD_MAX: usize = 8 * 1024;

/// What the start of a multipart body says about its first field.
#[derive(Debug, PartialEq, Eq)]
enum Scan<'a> {
    /// The first field is `_csrf`, with this value.
    Token(&'a [u8]),
    /// Not enough of the body yet.
    NeedMore,
    /// The first field is something else, or the body is not well formed.
    Missing,
}

/// The boundary of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Reads the body's first field; when it is `_csrf` and `valid` accepts it, returns the body
/// whole again. `None` means refuse.
pub async fn check(body: Body, boundary: &str, valid: impl Fn(&str) -> bool) -> Option<Body> {
    let mut rest = body.into_data_stream();
    let mut head = Vec::new();
    loop {
        match scan(&head, boundary) {
            Scan::Token(t) => {
                if !std::str::from_utf8(t).is_ok_and(&valid) {
                    return None;
                }
                break;
            }
            Scan::Missing => return None,
            Scan::NeedMore => match rest.next().await {
                Some(Ok(chunk)) => head.extend_from_slice(&chunk),
                _ => return None,
            },
        }
    }
    let head = stream::once(async move { Ok::<_, axum::Error>(Bytes::from(head)) });
    Some(Body::from_stream(head.chain(rest)))
}

fn scan<'a>(head: &'a [u8], boundary: &str) -> Scan<'a> {
    let open = format!("--{boundary}\r\n");
    let close = format!("\r\n--{boundary}");
    let more = || if head.len() < HEAD_MAX { Scan::NeedMore } else { Scan::Missing };
    if head.len() < open.len() {
        return if open.as_bytes().starts_with(head) { more() } else { Scan::Missing };
    }
    let Some(after_open) = head.strip_prefix(open.as_bytes()) else { return Scan::Missing };
    let Some(end_of_headers) = find(after_open, b"\r\n\r\n") else { return more() };
    let headers = String::from_utf8_lossy(&after_open[..end_of_headers]).to_ascii_lowercase();
    let names_csrf = headers.lines().any(|line| {
        line.starts_with("content-disposition:")
            && line.split(';').any(|p| p.trim() == "name=\"_csrf\"")
            && !line.contains("filename")
    });
    if !names_csrf {
        return Scan::Missing;
    }
    let value = &after_open[end_of_headers + 4..];
    match find(value, close.as_bytes()) {
        Some(end) => Scan::Token(&value[..end]),
        None => more(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: &str = "XyZ";

    fn body(first_name: &str, value: &str) -> Vec<u8> {
        format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"{first_name}\"\r\n\r\n{value}\r\n--XyZ\r\n\
             Content-Disposition: form-data; name=\"logo\"; filename=\"a.png\"\r\n\r\nPNG\r\n--XyZ--\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn the_token_is_the_first_field() {
        let b = body("_csrf", "tok");
        assert_eq!(scan(&b, B), Scan::Token(b"tok"));
        assert_eq!(scan(&b[..20], B), Scan::NeedMore, "cut inside the headers");
        assert_eq!(scan(&b[..52], B), Scan::NeedMore, "cut inside the value");
        assert_eq!(scan(&body("brand_color", "tok"), B), Scan::Missing, "another field first");
        assert_eq!(scan(&body("_csrf_x", "tok"), B), Scan::Missing);
        assert_eq!(scan(b"garbage that is not multipart", B), Scan::Missing);
        let endless =
            [b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n".as_slice(), &[b'a'; HEAD_MAX]];
        assert_eq!(scan(&endless.concat(), B), Scan::Missing, "gives up after HEAD_MAX");
    }

    #[test]
    fn boundaries_are_read_from_the_content_type() {
        assert_eq!(boundary("multipart/form-data; boundary=XyZ").as_deref(), Some("XyZ"));
        assert_eq!(boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"").as_deref(), Some("a b"));
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data"), None);
    }

    #[tokio::test]
    async fn the_body_is_handed_on_whole() {
        let b = body("_csrf", "tok");
        let chunks: Vec<Result<Bytes, std::io::Error>> = b.chunks(7).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        let passed = check(Body::from_stream(stream::iter(chunks)), B, |t| t == "tok").await.expect("accepted");
        let bytes = axum::body::to_bytes(passed, usize::MAX).await.unwrap();
        assert_eq!(bytes.as_ref(), b.as_slice());
        assert!(check(Body::from(body("_csrf", "tok")), B, |t| t == "other").await.is_none());
    }
}
