//! API keys: what a key may do, how it looks, and the settings form that creates one.

use chrono::{DateTime, Utc};
use kernel::{
    i18n::{self, Locale},
    web::FieldErrors,
};
use serde::{Deserialize, Serialize};

kernel::id_type!(
    /// An API key of one school.
    ApiKeyId
);

/// What every key starts with, so a leaked key is easy to recognise (and to scan for).
pub const KEY_PREFIX: &str = "lyc_";
/// Random characters after the prefix (letters and digits: about 238 bits).
pub const KEY_RANDOM_LEN: usize = 40;
/// Characters of the key kept in clear, to tell keys apart in the list.
pub const SHOWN_PREFIX_LEN: usize = 12;
/// Longest key name.
pub const NAME_MAX: usize = 80;
/// Active keys a school may hold at once.
pub const MAX_ACTIVE_KEYS: i64 = 25;

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Read only: `GET` requests.
    Read,
    /// Read and write: also creates records.
    ReadWrite,
}

impl Scope {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::ReadWrite => "read_write",
        }
    }

    /// Parses a stored or submitted name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "read" => Some(Scope::Read),
            "read_write" => Some(Scope::ReadWrite),
            _ => None,
        }
    }

    /// Whether the key may change data.
    pub fn can_write(self) -> bool {
        self == Scope::ReadWrite
    }
}

/// A stored key, as the settings page lists it (the secret itself is never stored).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ApiKey {
    /// Key id.
    pub id: ApiKeyId,
    /// What the creator called it ("Zapier", "CRM sync").
    pub name: String,
    /// The first characters of the key, shown to tell keys apart.
    pub prefix: String,
    /// Stored scope name; see [`ApiKey::scope`].
    #[sqlx(rename = "scope")]
    pub scope_name: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last authenticated a request (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// What the key may do.
    pub fn scope(&self) -> Scope {
        Scope::parse(&self.scope_name).unwrap_or(Scope::Read)
    }
}

/// The create-key form as submitted.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct KeyForm {
    /// Name typed by the owner.
    #[serde(default)]
    pub name: String,
    /// `read` or `read_write`.
    #[serde(default)]
    pub scope: String,
}

/// A validated request for a new key.
#[derive(Clone, Debug)]
pub struct NewKey {
    /// Trimmed name.
    pub name: String,
    /// Chosen scope.
    pub scope: Scope,
}

impl NewKey {
    /// Checks the form; messages are in `locale`.
    pub fn parse(form: &KeyForm, locale: Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = form.name.trim();
        if name.is_empty() {
            errors.add("name", i18n::t(locale, "api-keys-name-required"));
        } else if name.chars().count() > NAME_MAX {
            errors.add("name", i18n::t_args(locale, "api-keys-name-too-long", &[("max", (NAME_MAX as i64).into())]));
        }
        let scope = Scope::parse(&form.scope);
        if scope.is_none() {
            errors.add("scope", i18n::t(locale, "api-keys-scope-required"));
        }
        match (errors.is_empty(), scope) {
            (true, Some(scope)) => Ok(Self { name: name.to_string(), scope }),
            _ => Err(errors),
        }
    }
}

/// A new secret key: the prefix + random letters and digits.
pub fn generate_key() -> String {
    use rand::{Rng, distr::Alphanumeric};
    let random: String = rand::rng().sample_iter(&Alphanumeric).take(KEY_RANDOM_LEN).map(char::from).collect();
    format!("{KEY_PREFIX}{random}")
}

/// Whether a presented token could be one of our keys at all (saves a database look-up).
pub fn looks_like_key(token: &str) -> bool {
    token.len() == KEY_PREFIX.len() + KEY_RANDOM_LEN
        && token.starts_with(KEY_PREFIX)
        && token[KEY_PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_have_the_prefix_and_are_unique() {
        let (a, b) = (generate_key(), generate_key());
        assert!(a.starts_with("lyc_") && looks_like_key(&a));
        assert_ne!(a, b);
        assert!(!looks_like_key("lyc_short"));
        assert!(!looks_like_key(&a.replace("lyc_", "abc_")));
    }

    #[test]
    fn the_form_needs_a_name_and_a_scope() {
        let bad = NewKey::parse(&KeyForm { name: "  ".into(), scope: "admin".into() }, Locale::En).unwrap_err();
        assert!(bad.has("name") && bad.has("scope"));
        let ok = NewKey::parse(&KeyForm { name: " Zapier ".into(), scope: "read".into() }, Locale::En).unwrap();
        assert_eq!((ok.name.as_str(), ok.scope), ("Zapier", Scope::Read));
    }
}
