//! A school's general settings and branding: the forms as typed, their validation, and saving
//! them in one transaction.

use identity::model::Email;
use kernel::{
    db::TenantTx,
    format::CURRENCIES,
    i18n::{self, Locale},
    ids::UserId,
    web::{FieldErrors, School, school::FONTS},
};
use serde::{Deserialize, Serialize};

use crate::model::parse_school_name;

/// The longest tagline accepted.
pub const TAGLINE_MAX: usize = 160;
/// The longest sender name accepted.
pub const SENDER_NAME_MAX: usize = 80;

/// The general settings form as the creator typed it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct GeneralForm {
    /// School name.
    #[serde(default)]
    pub name: String,
    /// One line under the name.
    #[serde(default)]
    pub tagline: String,
    /// Default language code.
    #[serde(default)]
    pub default_locale: String,
    /// ISO 4217 code.
    #[serde(default)]
    pub currency: String,
    /// IANA time zone name.
    #[serde(default)]
    pub time_zone: String,
    /// Name mail is sent from.
    #[serde(default)]
    pub sender_name: String,
    /// Address mail is sent from (empty: the platform's).
    #[serde(default)]
    pub sender_email: String,
}

impl GeneralForm {
    /// The form filled with the school's current settings.
    pub fn from_school(s: &School) -> Self {
        Self {
            name: s.name.clone(),
            tagline: s.tagline.clone(),
            default_locale: s.default_locale.code().into(),
            currency: s.currency.clone(),
            time_zone: s.time_zone.clone(),
            sender_name: s.sender_name.clone(),
            sender_email: s.sender_email.clone(),
        }
    }
}

/// General settings that passed validation.
#[derive(Clone, Debug)]
pub struct General {
    /// School name.
    pub name: String,
    /// Tagline.
    pub tagline: String,
    /// Default language.
    pub default_locale: Locale,
    /// Currency (one of [`CURRENCIES`]).
    pub currency: String,
    /// One of the time zones offered (see `kernel::zones`).
    pub time_zone: String,
    /// Sender name (may be empty).
    pub sender_name: String,
    /// Sender address (may be empty).
    pub sender_email: String,
}

impl General {
    /// Validates the form; messages in `locale`, keyed by field. `saved_zone` is the school's
    /// time zone now (kept acceptable even if the picker no longer lists it).
    pub fn parse(f: &GeneralForm, saved_zone: &str, locale: Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = parse_school_name(&f.name, locale, &mut errors, "name");
        let tagline = one_line(&f.tagline);
        if tagline.chars().count() > TAGLINE_MAX {
            errors.add(
                "tagline",
                i18n::t_args(locale, "validation-tagline-long", &[("max", (TAGLINE_MAX as i64).into())]),
            );
        }
        let default_locale = Locale::ALL.into_iter().find(|l| l.code() == f.default_locale.trim());
        if default_locale.is_none() {
            errors.add("default_locale", i18n::t(locale, "validation-locale"));
        }
        let currency = f.currency.trim().to_ascii_uppercase();
        if !CURRENCIES.contains(&currency.as_str()) {
            errors.add("currency", i18n::t(locale, "validation-currency"));
        }
        let time_zone = f.time_zone.trim().to_string();
        if !kernel::zones::accepts(&time_zone, Some(saved_zone)) {
            errors.add("time_zone", i18n::t(locale, "validation-time-zone"));
        }
        let sender_name = one_line(&f.sender_name);
        if sender_name.chars().count() > SENDER_NAME_MAX {
            errors.add(
                "sender_name",
                i18n::t_args(locale, "validation-sender-name-long", &[("max", (SENDER_NAME_MAX as i64).into())]),
            );
        } else if sender_name.chars().any(|c| matches!(c, '<' | '>' | '"' | '@')) {
            errors.add("sender_name", i18n::t(locale, "validation-sender-name-chars"));
        }
        let sender_email = match f.sender_email.trim() {
            "" => String::new(),
            given => match Email::parse(given) {
                Some(e) => e.as_str().to_string(),
                None => {
                    errors.add("sender_email", i18n::t(locale, "validation-email-invalid"));
                    String::new()
                }
            },
        };
        match (errors.is_empty(), default_locale) {
            (true, Some(default_locale)) => {
                Ok(Self { name, tagline, default_locale, currency, time_zone, sender_name, sender_email })
            }
            _ => Err(errors),
        }
    }
}

/// Trims and folds line breaks and control characters into spaces (these end up in headers
/// and single-line layouts).
fn one_line(s: &str) -> String {
    s.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The branding form as the creator typed it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct BrandingForm {
    /// Main colour.
    #[serde(default)]
    pub brand_color: String,
    /// Second colour.
    #[serde(default)]
    pub accent_color: String,
    /// Heading font key.
    #[serde(default)]
    pub heading_font: String,
}

impl BrandingForm {
    /// The form filled with the school's current branding.
    pub fn from_school(s: &School) -> Self {
        Self {
            brand_color: s.brand_color.clone(),
            accent_color: s.accent_color.clone(),
            heading_font: s.heading_font.clone(),
        }
    }
}

/// Branding that passed validation.
#[derive(Clone, Debug)]
pub struct Branding {
    /// `#rrggbb`, lowercase.
    pub brand_color: String,
    /// `#rrggbb`, lowercase.
    pub accent_color: String,
    /// A key of [`FONTS`].
    pub heading_font: String,
}

impl Branding {
    /// Validates the form; messages in `locale`, keyed by field.
    pub fn parse(f: &BrandingForm, locale: Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let brand_color = parse_color(&f.brand_color);
        if brand_color.is_none() {
            errors.add("brand_color", i18n::t(locale, "validation-color"));
        }
        let accent_color = parse_color(&f.accent_color);
        if accent_color.is_none() {
            errors.add("accent_color", i18n::t(locale, "validation-color"));
        }
        let font = f.heading_font.trim();
        if !FONTS.iter().any(|x| x.0 == font) {
            errors.add("heading_font", i18n::t(locale, "validation-font"));
        }
        match (errors.is_empty(), brand_color, accent_color) {
            (true, Some(brand_color), Some(accent_color)) => {
                Ok(Self { brand_color, accent_color, heading_font: font.to_string() })
            }
            _ => Err(errors),
        }
    }
}

/// A colour as `#rrggbb` in lowercase; accepts `#RGB`, `rrggbb` and surrounding spaces.
pub fn parse_color(input: &str) -> Option<String> {
    let s = input.trim().trim_start_matches('#').to_ascii_lowercase();
    if !s.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match s.len() {
        6 => Some(format!("#{s}")),
        3 => Some(format!("#{}", s.chars().flat_map(|c| [c, c]).collect::<String>())),
        _ => None,
    }
}

/// Saves the general settings and the school's name in one transaction.
pub async fn save_general(tx: &mut TenantTx, g: &General) -> sqlx::Result<()> {
    sqlx::query("update tenants set name = $2 where id = $1")
        .bind(tx.tenant())
        .bind(&g.name)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "update tenant_settings set tagline = $2, default_locale = $3, currency = $4, time_zone = $5,
           sender_name = $6, sender_email = $7
         where tenant_id = $1",
    )
    .bind(tx.tenant())
    .bind(&g.tagline)
    .bind(g.default_locale.code())
    .bind(&g.currency)
    .bind(&g.time_zone)
    .bind(&g.sender_name)
    .bind(&g.sender_email)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves the colours and heading font.
pub async fn save_branding(tx: &mut TenantTx, b: &Branding) -> sqlx::Result<()> {
    sqlx::query(
        "update tenant_settings set brand_color = $2, accent_color = $3, heading_font = $4 where tenant_id = $1",
    )
    .bind(tx.tenant())
    .bind(&b.brand_color)
    .bind(&b.accent_color)
    .bind(&b.heading_font)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a settings change by a team member in the school's audit log.
pub async fn audit(tx: &mut TenantTx, actor: UserId, action: &str) -> sqlx::Result<()> {
    sqlx::query("insert into audit_log (tenant_id, id, actor_id, action) values ($1, $2, $3, $4)")
        .bind(tx.tenant())
        .bind(uuid::Uuid::now_v7())
        .bind(actor)
        .bind(action)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_normalised() {
        assert_eq!(parse_color(" #0F766E ").as_deref(), Some("#0f766e"));
        assert_eq!(parse_color("abc").as_deref(), Some("#aabbcc"));
        assert_eq!(parse_color("#12345g"), None);
        assert_eq!(parse_color("red"), None);
        assert_eq!(parse_color(""), None);
    }

    #[test]
    fn general_settings_check_every_field() {
        let f = GeneralForm {
            name: " ".into(),
            tagline: "x".repeat(TAGLINE_MAX + 1),
            default_locale: "fr".into(),
            currency: "XYZ".into(),
            time_zone: "Mars/Olympus".into(),
            sender_name: "Bad <name>".into(),
            sender_email: "nope".into(),
        };
        let errors = General::parse(&f, "UTC", Locale::En).unwrap_err();
        for field in ["name", "tagline", "default_locale", "currency", "time_zone", "sender_name", "sender_email"] {
            assert!(errors.has(field), "{field} should fail");
        }
        let ok = GeneralForm {
            name: "Bloom".into(),
            tagline: "Paint\nevery day".into(),
            default_locale: "es".into(),
            currency: "eur".into(),
            time_zone: "Europe/Madrid".into(),
            sender_name: String::new(),
            sender_email: " Hello@Bloom.Test ".into(),
        };
        let g = General::parse(&ok, "UTC", Locale::En).unwrap();
        assert_eq!((g.currency.as_str(), g.sender_email.as_str()), ("EUR", "hello@bloom.test"));
        assert_eq!(g.tagline, "Paint every day");
    }
}
