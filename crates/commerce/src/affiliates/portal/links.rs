//! An affiliate's links: the school-wide one, the short one, one per offer's checkout, and the
//! link builder (any path of the school with UTM fields). A built link is always on the
//! school's own address: a path naming another host is refused.

use serde::{Deserialize, Serialize};

/// The link builder's fields, as typed (a GET form, so it works without a script).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct BuilderForm {
    /// A path of the school (`/p/launch`) or a full address on it.
    #[serde(default)]
    pub path: String,
    /// `utm_source`.
    #[serde(default)]
    pub utm_source: String,
    /// `utm_medium`.
    #[serde(default)]
    pub utm_medium: String,
    /// `utm_campaign`.
    #[serde(default)]
    pub utm_campaign: String,
    /// `utm_content`.
    #[serde(default)]
    pub utm_content: String,
}

/// Why a builder's path was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathError {
    /// It points at another site.
    OtherSite,
    /// It is too long.
    TooLong,
}

impl BuilderForm {
    /// Whether anything was typed (the builder shows a result only then).
    pub fn is_filled(&self) -> bool {
        [&self.path, &self.utm_source, &self.utm_medium, &self.utm_campaign, &self.utm_content]
            .iter()
            .any(|s| !s.trim().is_empty())
    }

    /// The full link on `base` (the school's address, no trailing slash) for `code`.
    pub fn build(&self, base: &str, code: &str) -> Result<String, PathError> {
        let raw = self.path.trim();
        if raw.chars().count() > 400 {
            return Err(PathError::TooLong);
        }
        let raw = raw.strip_prefix(base).unwrap_or(raw);
        if raw.contains("://") || raw.starts_with("//") || raw.starts_with('\\') {
            return Err(PathError::OtherSite);
        }
        let raw = raw.split('#').next().unwrap_or_default();
        let (path, query) = raw.split_once('?').unwrap_or((raw, ""));
        let path = path.trim_start_matches('/');
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k != "ref" && !k.starts_with("utm_"))
            .collect();
        pairs.push(("ref".into(), code.into()));
        for (name, value) in [
            ("utm_source", &self.utm_source),
            ("utm_medium", &self.utm_medium),
            ("utm_campaign", &self.utm_campaign),
            ("utm_content", &self.utm_content),
        ] {
            let value: String = value.trim().chars().take(100).collect();
            if !value.is_empty() {
                pairs.push((name.into(), value));
            }
        }
        let query = serde_urlencoded::to_string(&pairs).expect("pairs encode");
        Ok(format!("{base}/{}?{query}", encode_path(path)))
    }
}

/// Percent-encodes what may not stand in a URL path as typed.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/%!$()*,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://acme.example.com";

    fn form(path: &str) -> BuilderForm {
        BuilderForm { path: path.into(), ..Default::default() }
    }

    #[test]
    fn builds_a_link_on_the_school_with_utm_fields() {
        let mut f = form("/p/launch?x=1&ref=other");
        f.utm_source = "youtube".into();
        f.utm_campaign = "spring sale & more".into();
        assert_eq!(
            f.build(BASE, "ana").unwrap(),
            "https://acme.example.com/p/launch?x=1&ref=ana&utm_source=youtube&utm_campaign=spring+sale+%26+more"
        );
        assert_eq!(form("").build(BASE, "ana").unwrap(), "https://acme.example.com/?ref=ana");
        assert_eq!(
            form("https://acme.example.com/courses").build(BASE, "ana").unwrap(),
            "https://acme.example.com/courses?ref=ana"
        );
    }

    #[test]
    fn refuses_other_sites_and_encodes_markup() {
        assert_eq!(form("https://evil.test/x").build(BASE, "ana"), Err(PathError::OtherSite));
        assert_eq!(form("//evil.test/x").build(BASE, "ana"), Err(PathError::OtherSite));
        let built = form("/p/<script>\"").build(BASE, "ana").unwrap();
        assert_eq!(built, "https://acme.example.com/p/%3Cscript%3E%22?ref=ana");
    }
}
