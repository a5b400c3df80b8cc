//! What every list endpoint shares: page size, opaque cursors and the search text, checked with
//! a message per field.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use kernel::{i18n, web::FieldErrors};

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: i64 = 25;
/// Largest page.
pub const MAX_LIMIT: i64 = 100;
/// Longest search text, in characters.
pub const MAX_SEARCH: usize = 200;

/// An opaque cursor: the last id of a page.
pub fn encode_cursor(id: impl std::fmt::Display) -> String {
    URL_SAFE_NO_PAD.encode(id.to_string())
}

/// The id a cursor stands for, if it is one.
pub fn decode_cursor<T: std::str::FromStr>(cursor: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).ok()?;
    String::from_utf8(bytes).ok()?.parse().ok()
}

/// `limit`: absent or empty is the default; anything but 1..=MAX_LIMIT is an error.
pub fn limit(raw: Option<&str>, locale: i18n::Locale, errors: &mut FieldErrors) -> i64 {
    match raw.map(str::trim) {
        None | Some("") => DEFAULT_LIMIT,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                errors.add("limit", i18n::t_args(locale, "api-error-limit", &[("max", MAX_LIMIT.into())]));
                DEFAULT_LIMIT
            }
        },
    }
}

/// `cursor`: absent or empty is the first page; one that does not decode is an error.
pub fn cursor<T: std::str::FromStr>(raw: Option<&str>, locale: i18n::Locale, errors: &mut FieldErrors) -> Option<T> {
    let raw = raw.map(str::trim).filter(|c| !c.is_empty())?;
    let id = decode_cursor(raw);
    if id.is_none() {
        errors.add("cursor", i18n::t(locale, "api-error-cursor"));
    }
    id
}

/// `q`: trimmed, empty is none, longer than MAX_SEARCH is an error.
pub fn search(raw: Option<&str>, locale: i18n::Locale, errors: &mut FieldErrors) -> Option<String> {
    let q = raw.map(str::trim).filter(|q| !q.is_empty())?;
    if q.chars().count() > MAX_SEARCH {
        errors.add("q", i18n::t(locale, "api-error-search-long"));
    }
    Some(q.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let id = uuid::Uuid::now_v7();
        assert_eq!(decode_cursor::<uuid::Uuid>(&encode_cursor(id)), Some(id));
        assert_eq!(decode_cursor::<uuid::Uuid>("not a cursor"), None);
        assert_eq!(decode_cursor::<uuid::Uuid>(&URL_SAFE_NO_PAD.encode("hello")), None);
    }

    #[test]
    fn limits_cursors_and_searches_are_checked() {
        let en = i18n::Locale::En;
        let mut e = FieldErrors::default();
        assert_eq!((limit(None, en, &mut e), limit(Some(" 100 "), en, &mut e)), (25, 100));
        assert_eq!(search(Some("  "), en, &mut e), None);
        assert_eq!(cursor::<uuid::Uuid>(Some(""), en, &mut e), None);
        assert!(e.is_empty());
        limit(Some("0"), en, &mut e);
        cursor::<uuid::Uuid>(Some("nonsense"), en, &mut e);
        search(Some(&"x".repeat(201)), en, &mut e);
        assert!(e.has("limit") && e.has("cursor") && e.has("q"));
    }
}
