//! Every user-facing string goes through Fluent. The `.ftl` files live in `locales/{lang}/`
//! at the workspace root, one file per domain; a test fails when the languages disagree.

use std::{borrow::Cow, collections::HashMap};

use fluent_templates::{Loader, fluent_bundle::FluentValue};
use serde::Serialize;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "../../locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the interface is available in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Locale {
    /// Every supported locale, in the order shown in pickers.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Es];

    /// The BCP 47 tag.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Es => "es",
        }
    }

    /// The language's own name for itself.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Es => "Español",
        }
    }

    /// Parses a tag such as `es`, `es-MX` or `EN_us`.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "es" => Some(Locale::Es),
            _ => None,
        }
    }

    /// The best match for an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut choices: Vec<(f32, Locale)> = header
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let tag = bits.next()?;
                let q = bits.find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse().ok())).unwrap_or(1.0);
                Some((q, Locale::parse(tag)?))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0));
        choices.first().map(|c| c.1)
    }

    fn langid(self) -> fluent_templates::LanguageIdentifier {
        self.code().parse().expect("static tags parse")
    }
}

/// Looks up a message without arguments.
pub fn t(locale: Locale, key: &str) -> String {
    LOCALES.try_lookup(&locale.langid(), key).unwrap_or_else(|| missing(key))
}

/// Looks up a message with named arguments.
pub fn t_args(locale: Locale, key: &str, args: &[(&str, ArgValue)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| {
            let value = match v {
                ArgValue::Str(s) => FluentValue::from(s.clone()),
                ArgValue::Num(n) => FluentValue::from(*n),
            };
            (Cow::Owned(k.to_string()), value)
        })
        .collect();
    LOCALES.try_lookup_with_args(&locale.langid(), key, &map).unwrap_or_else(|| missing(key))
}

/// An argument to a Fluent message.
#[derive(Clone, Debug)]
pub enum ArgValue {
    /// Text.
    Str(String),
    /// A number (selects plural forms).
    Num(f64),
}

impl From<&str> for ArgValue {
    fn from(v: &str) -> Self {
        Self::Str(v.to_string())
    }
}
impl From<String> for ArgValue {
    fn from(v: String) -> Self {
        Self::Str(v)
    }
}
impl From<i64> for ArgValue {
    fn from(v: i64) -> Self {
        Self::Num(v as f64)
    }
}

fn missing(key: &str) -> String {
    tracing::warn!(key, "missing translation");
    key.to_string()
}

/// The message ids defined for each locale, read from the `.ftl` sources (for the parity test).
pub fn message_ids(dir: &std::path::Path) -> std::io::Result<std::collections::BTreeSet<String>> {
    let mut ids = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "ftl") {
            for line in std::fs::read_to_string(&path)?.lines() {
                if let Some((id, _)) = line.split_once('=') {
                    let id = id.trim_end();
                    if !id.is_empty()
                        && id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    {
                        ids.insert(id.to_string());
                    }
                }
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_q() {
        assert_eq!(Locale::from_accept_language("fr;q=1, es-MX;q=0.9, en;q=0.5"), Some(Locale::Es));
        assert_eq!(Locale::from_accept_language("de"), None);
    }

    #[test]
    fn spanish_and_english_define_the_same_keys() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
        let en = message_ids(&root.join("en")).unwrap();
        let es = message_ids(&root.join("es")).unwrap();
        let only_en: Vec<_> = en.difference(&es).collect();
        let only_es: Vec<_> = es.difference(&en).collect();
        assert!(only_en.is_empty() && only_es.is_empty(), "only in en: {only_en:?}; only in es: {only_es:?}");
        assert!(en.len() > 20);
    }
}
