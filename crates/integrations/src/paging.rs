//! What every list endpoint shares: page size, opaque cursors and the search text, checked with
//! a message per field.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use kernel::{i18n, web::FieldErrors};
use utoipa::{
    PartialSchema, ToSchema,
    openapi::{
        RefOr,
        schema::{ObjectBuilder, Schema, Type},
    },
};
use uuid::Uuid;

/// Page size when none is asked for.
pub const DEFAULT_LIMIT: i64 = 25;
/// Largest page.
pub const MAX_LIMIT: i64 = 100;
/// Longest search text, in characters.
pub const MAX_SEARCH: usize = 200;

/// What a cursor looks like: the 16 bytes of an id in unpadded base64url, whose last
/// character carries 2 bits and 4 zero bits, or nothing (the first page). Every string
/// matching it is taken and every other one refused, so the document can say exactly this.
pub const CURSOR_PATTERN: &str = "^([A-Za-z0-9_-]{21}[AQgw])?$";

/// The `cursor` parameter's schema in the API document.
pub struct Cursor;

impl PartialSchema for Cursor {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(CURSOR_PATTERN))
            .description(Some(
                "The `next_cursor` of the previous page, as it was given. Leave it out (or empty) for the first page.",
            ))
            .examples([serde_json::json!("AZL3xIpOfMO31T8OHJp7IQ")])
            .into()
    }
}

impl ToSchema for Cursor {}

/// An opaque cursor: the last id of a page.
pub fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(id.as_bytes())
}

/// The id a cursor stands for, if it is one (strict base64url: no padding, no stray bits).
pub fn decode_cursor(cursor: &str) -> Option<Uuid> {
    Uuid::from_slice(&URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()
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
pub fn cursor(raw: Option<&str>, locale: i18n::Locale, errors: &mut FieldErrors) -> Option<Uuid> {
    let raw = raw.filter(|c| !c.is_empty())?;
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
        let id = Uuid::now_v7();
        let cursor = encode_cursor(id);
        assert_eq!((decode_cursor(&cursor), cursor.len()), (Some(id), 22));
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("hello")), None);
        assert_eq!(decode_cursor(&format!("{cursor}==")), None, "no padding");
        assert_eq!(decode_cursor("AZL3xIpOfMO31T8OHJp7IR"), None, "no stray bits in the last character");
    }

    #[test]
    fn limits_cursors_and_searches_are_checked() {
        let en = i18n::Locale::En;
        let mut e = FieldErrors::default();
        assert_eq!((limit(None, en, &mut e), limit(Some(" 100 "), en, &mut e)), (25, 100));
        assert_eq!(search(Some("  "), en, &mut e), None);
        assert_eq!(cursor(Some(""), en, &mut e), None);
        assert!(e.is_empty());
        limit(Some("0"), en, &mut e);
        cursor(Some("nonsense"), en, &mut e);
        search(Some(&"x".repeat(201)), en, &mut e);
        assert!(e.has("limit") && e.has("cursor") && e.has("q"));
    }
}
