//! Schools and their settings as tenancy stores them.

use kernel::{
    i18n::Locale,
    ids::TenantId,
    web::{FieldErrors, School},
};
use serde::Serialize;

/// Where a school's logo is served, followed by its id.
pub const LOGO_PATH: &str = "/brand/logo/";

/// A school's row joined with its settings.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct SchoolRow {
    /// Tenant id.
    pub id: TenantId,
    /// Subdomain label.
    pub slug: String,
    /// Name.
    pub name: String,
    /// active or suspended.
    pub status: String,
    /// Why the operator paused it (empty while active).
    pub status_reason: String,
    /// Plan.
    pub plan: String,
    /// Tagline.
    pub tagline: String,
    /// Logo asset id.
    pub logo_key: Option<String>,
    /// Brand colour.
    pub brand_color: String,
    /// Accent colour.
    pub accent_color: String,
    /// Heading font key.
    pub heading_font: String,
    /// Default locale code.
    pub default_locale: String,
    /// Currency.
    pub currency: String,
    /// Time zone.
    pub time_zone: String,
    /// Sender name.
    pub sender_name: String,
    /// Sender address.
    pub sender_email: String,
    /// Whether the sender address's domain is verified.
    pub sender_verified: bool,
}

impl SchoolRow {
    /// The request-facing school, with its URL and theme.
    pub fn into_school(self, config: &kernel::config::Config) -> School {
        let theme_css = School::compute_theme(&self.brand_color, &self.accent_color, &self.heading_font);
        School {
            base_url: config.school_url(&self.slug),
            logo_url: self.logo_key.map(|k| format!("{LOGO_PATH}{k}")),
            default_locale: Locale::parse(&self.default_locale).unwrap_or_default(),
            id: self.id,
            slug: self.slug,
            name: self.name,
            status: self.status,
            status_reason: self.status_reason,
            plan: self.plan,
            tagline: self.tagline,
            brand_color: self.brand_color,
            accent_color: self.accent_color,
            heading_font: self.heading_font,
            currency: self.currency,
            time_zone: self.time_zone,
            sender_name: self.sender_name,
            sender_email: self.sender_email,
            sender_verified: self.sender_verified,
            theme_css,
        }
    }
}

/// Subdomains no school may take.
pub const RESERVED_SLUGS: [&str; 16] = [
    "www", "app", "api", "admin", "operator", "mail", "smtp", "static", "assets", "cdn", "help", "support", "status",
    "docs", "blog", "lyceum",
];

/// A validated subdomain label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    /// 3–40 characters of a–z, 0–9 and inner hyphens, not reserved.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim().to_ascii_lowercase();
        if s.len() < 3 || s.len() > 40 {
            return Err("validation-slug-length");
        }
        if !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || s.starts_with('-')
            || s.ends_with('-')
            || s.contains("--")
        {
            return Err("validation-slug-chars");
        }
        if RESERVED_SLUGS.contains(&s.as_str()) {
            return Err("validation-slug-reserved");
        }
        Ok(Self(s))
    }

    /// The label.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A validated school name.
pub fn parse_school_name(input: &str, locale: Locale, errors: &mut FieldErrors, field: &str) -> String {
    let name = input.trim().to_string();
    if name.is_empty() {
        errors.add(field, kernel::i18n::t(locale, "validation-school-name-required"));
    } else if name.chars().count() > 80 {
        errors.add(field, kernel::i18n::t(locale, "validation-school-name-long"));
    }
    name
}

#[cfg(test)]
mod tests {
    use super::Slug;

    #[test]
    fn slugs() {
        assert_eq!(Slug::parse(" Yoga-With-Ana ").unwrap().as_str(), "yoga-with-ana");
        assert!(Slug::parse("ab").is_err());
        assert!(Slug::parse("admin").is_err());
        assert!(Slug::parse("bad_slug").is_err());
        assert!(Slug::parse("-edge").is_err());
    }
}
