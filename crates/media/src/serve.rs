//! Sends a stored object over HTTP with `Range` support (players and download managers ask for
//! parts), without holding whole files in memory.

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use kernel::{
    AppError, AppResult, TenantId,
    storage::{Storage, StorageError, StorageKey},
};

/// How the response may be cached and presented.
#[derive(Clone, Copy, Debug)]
pub struct Delivery<'a> {
    /// `Content-Type`.
    pub content_type: &'a str,
    /// `Cache-Control`.
    pub cache: &'a str,
    /// Sent as an attachment with this file name (downloads).
    pub attachment: Option<&'a str>,
}

/// One byte range asked for, resolved against the object's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// The whole object.
    All,
    /// Bytes `start..end` (end exclusive).
    Part(u64, u64),
    /// A range that cannot be satisfied.
    Unsatisfiable,
}

/// Reads a single `bytes=` range (the form players use); several ranges get the whole object.
pub fn wanted(headers: &HeaderMap, size: u64) -> Wanted {
    let Some(spec) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else { return Wanted::All };
    let Some(spec) = spec.trim().strip_prefix("bytes=") else { return Wanted::All };
    if spec.contains(',') {
        return Wanted::All;
    }
    let Some((a, b)) = spec.split_once('-') else { return Wanted::Unsatisfiable };
    let (a, b) = (a.trim(), b.trim());
    let range = match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(start), Ok(last)) if start <= last => Some((start, last.saturating_add(1).min(size))),
        (Ok(start), Err(_)) if b.is_empty() => Some((start, size)),
        (Err(_), Ok(suffix)) if a.is_empty() && suffix > 0 => Some((size.saturating_sub(suffix), size)),
        _ => None,
    };
    match range {
        Some((start, end)) if start < size && start < end => Wanted::Part(start, end),
        _ => Wanted::Unsatisfiable,
    }
}

/// Sends `key` of `tenant`: 200 with the whole object, or 206 with the asked range.
pub async fn object(
    storage: &Storage,
    tenant: TenantId,
    key: &StorageKey,
    headers: &HeaderMap,
    how: Delivery<'_>,
) -> AppResult<Response> {
    let meta = storage.head(tenant, key).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    let mut res = match wanted(headers, meta.size) {
        Wanted::Unsatisfiable => {
            let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            res.headers_mut().insert(header::CONTENT_RANGE, value(&format!("bytes */{}", meta.size)));
            return Ok(res);
        }
        Wanted::Part(start, end) if !(start == 0 && end == meta.size) => {
            let part = storage.read_range(tenant, key, start..end).await.map_err(internal)?;
            let mut res = (StatusCode::PARTIAL_CONTENT, Body::from(part.bytes)).into_response();
            let content_range = format!("bytes {}-{}/{}", part.range.start, part.range.end - 1, meta.size);
            res.headers_mut().insert(header::CONTENT_RANGE, value(&content_range));
            res.headers_mut().insert(header::CONTENT_LENGTH, value(&(part.range.end - part.range.start).to_string()));
            res
        }
        _ => {
            let (_, stream) = storage.get_stream(tenant, key).await.map_err(internal)?;
            let mut res = (StatusCode::OK, Body::from_stream(stream)).into_response();
            res.headers_mut().insert(header::CONTENT_LENGTH, value(&meta.size.to_string()));
            res
        }
    };
    let h = res.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_TYPE, value(how.content_type));
    h.insert(header::CACHE_CONTROL, value(how.cache));
    h.insert(header::LAST_MODIFIED, value(&meta.last_modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string()));
    if let Some(name) = how.attachment {
        h.insert(header::CONTENT_DISPOSITION, value(&content_disposition(name)));
    }
    Ok(res)
}

/// Sends a small in-memory body (the HLS key) with the same `Range` handling as [`object`].
pub fn bytes(body: Vec<u8>, headers: &HeaderMap, cache: &str) -> Response {
    let size = body.len() as u64;
    let mut res = match wanted(headers, size) {
        Wanted::Unsatisfiable => {
            let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            res.headers_mut().insert(header::CONTENT_RANGE, value(&format!("bytes */{size}")));
            return res;
        }
        Wanted::Part(start, end) if !(start == 0 && end == size) => {
            let mut res = (StatusCode::PARTIAL_CONTENT, body[start as usize..end as usize].to_vec()).into_response();
            res.headers_mut().insert(header::CONTENT_RANGE, value(&format!("bytes {start}-{}/{size}", end - 1)));
            res
        }
        _ => body.into_response(),
    };
    let h = res.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CACHE_CONTROL, value(cache));
    res
}

/// `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987).
pub fn content_disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

fn value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}

fn internal(e: StorageError) -> AppError {
    AppError::Internal(anyhow::Error::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::RANGE, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn ranges_are_read_like_browsers_send_them() {
        assert_eq!(wanted(&HeaderMap::new(), 100), Wanted::All);
        assert_eq!(wanted(&range("bytes=0-9"), 100), Wanted::Part(0, 10));
        assert_eq!(wanted(&range("bytes=90-"), 100), Wanted::Part(90, 100));
        assert_eq!(wanted(&range("bytes=-10"), 100), Wanted::Part(90, 100));
        assert_eq!(wanted(&range("bytes=50-500"), 100), Wanted::Part(50, 100));
        assert_eq!(wanted(&range("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(&range("bytes=9-1"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(&range("bytes=0-1,5-6"), 100), Wanted::All);
        assert_eq!(wanted(&range("items=0-1"), 100), Wanted::All);
    }

    #[test]
    fn attachment_names_survive_any_characters() {
        assert_eq!(
            content_disposition("Lección 1 \"final\".mp4"),
            "attachment; filename=\"Lecci_n 1 _final_.mp4\"; filename*=UTF-8''Lecci%C3%B3n%201%20%22final%22.mp4"
        );
    }
}
