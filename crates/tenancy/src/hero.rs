//! The public home page's hero: headline, text and one button, edited with the branding until
//! the page builder exists. Empty texts fall back to defaults in the visitor's language, so a
//! new school's home page never promises what the school does not offer.

use kernel::{
    db::TenantTx,
    i18n::{self, Locale},
    web::{FieldErrors, School},
};
use serde::{Deserialize, Serialize};

/// Longest headline, in characters.
pub const HEADLINE_MAX: usize = 80;
/// Longest text under the headline, in characters.
pub const TEXT_MAX: usize = 280;
/// Longest button label, in characters.
pub const LABEL_MAX: usize = 30;

/// The school's pages the hero's button may lead to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// Create an account.
    #[default]
    Signup,
    /// Log in.
    Login,
    /// The student's dashboard (asks visitors to log in first).
    Dashboard,
}

impl Target {
    /// Every target, in the order offered.
    pub const ALL: [Self; 3] = [Self::Signup, Self::Login, Self::Dashboard];

    /// The stored and submitted name.
    pub fn key(self) -> &'static str {
        match self {
            Self::Signup => "signup",
            Self::Login => "login",
            Self::Dashboard => "dashboard",
        }
    }

    /// Parses a stored or submitted name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == s.trim())
    }

    /// The page's path.
    pub fn path(self) -> &'static str {
        match self {
            Self::Signup => "/signup",
            Self::Login => "/login",
            Self::Dashboard => "/dashboard",
        }
    }
}

/// The hero as the creator typed it (also the saved values, for the form).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct HeroForm {
    /// Headline; empty for the school's name.
    #[serde(default)]
    pub hero_headline: String,
    /// Text under the headline; empty for the school's tagline.
    #[serde(default)]
    pub hero_text: String,
    /// Button label; empty for the target's usual label.
    #[serde(default)]
    pub hero_button_label: String,
    /// A [`Target`] key.
    #[serde(default)]
    pub hero_button_target: String,
}

/// A hero that passed validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hero {
    /// Headline, possibly empty.
    pub headline: String,
    /// Text, possibly empty.
    pub text: String,
    /// Button label, possibly empty.
    pub button_label: String,
    /// Where the button leads.
    pub target: Target,
}

impl Hero {
    /// Validates the form; messages in `locale`, keyed by field.
    pub fn parse(f: &HeroForm, locale: Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut field = |name: &str, value: &str, max: usize| {
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            if value.chars().count() > max {
                errors.add(name, i18n::t_args(locale, "validation-hero-too-long", &[("max", (max as i64).into())]));
            }
            value
        };
        let headline = field("hero_headline", &f.hero_headline, HEADLINE_MAX);
        let text = field("hero_text", &f.hero_text, TEXT_MAX);
        let button_label = field("hero_button_label", &f.hero_button_label, LABEL_MAX);
        let target = Target::parse(&f.hero_button_target);
        if target.is_none() {
            errors.add("hero_button_target", i18n::t(locale, "validation-hero-target"));
        }
        match target {
            Some(target) if errors.is_empty() => Ok(Self { headline, text, button_label, target }),
            _ => Err(errors),
        }
    }

    /// The form filled with these values.
    pub fn form(&self) -> HeroForm {
        HeroForm {
            hero_headline: self.headline.clone(),
            hero_text: self.text.clone(),
            hero_button_label: self.button_label.clone(),
            hero_button_target: self.target.key().into(),
        }
    }
}

/// The hero as a visitor sees it, defaults filled in.
#[derive(Clone, Debug, Serialize)]
pub struct Shown {
    /// Headline.
    pub headline: String,
    /// Text under the headline; may be empty.
    pub text: String,
    /// Button label.
    pub button_label: String,
    /// Where the button leads.
    pub button_path: &'static str,
}

impl Hero {
    /// Fills in what the creator left empty: the school's name, its tagline, and the usual
    /// label of the button's page in `locale`.
    pub fn shown(&self, school: &School, locale: Locale) -> Shown {
        let or = |typed: &str, default: String| if typed.is_empty() { default } else { typed.to_string() };
        Shown {
            headline: or(&self.headline, school.name.clone()),
            text: or(&self.text, school.tagline.clone()),
            button_label: or(&self.button_label, i18n::t(locale, &format!("hero-button-{}", self.target.key()))),
            button_path: self.target.path(),
        }
    }
}

/// The school's saved hero.
pub async fn load(tx: &mut TenantTx) -> sqlx::Result<Hero> {
    let (headline, text, button_label, target): (String, String, String, String) = sqlx::query_as(
        "select hero_headline, hero_text, hero_button_label, hero_button_target
         from tenant_settings where tenant_id = $1",
    )
    .bind(tx.tenant())
    .fetch_one(&mut **tx)
    .await?;
    Ok(Hero { headline, text, button_label, target: Target::parse(&target).unwrap_or_default() })
}

/// Saves the hero.
pub async fn save(tx: &mut TenantTx, hero: &Hero) -> sqlx::Result<()> {
    sqlx::query(
        "update tenant_settings set hero_headline = $2, hero_text = $3, hero_button_label = $4,
           hero_button_target = $5
         where tenant_id = $1",
    )
    .bind(tx.tenant())
    .bind(&hero.headline)
    .bind(&hero.text)
    .bind(&hero.button_label)
    .bind(hero.target.key())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hero_is_checked_and_tidied() {
        let f = HeroForm {
            hero_headline: "  Paint   every\nday ".into(),
            hero_text: String::new(),
            hero_button_label: "Start".into(),
            hero_button_target: "login".into(),
        };
        let hero = Hero::parse(&f, Locale::En).unwrap();
        assert_eq!((hero.headline.as_str(), hero.target), ("Paint every day", Target::Login));
        assert_eq!(Hero::parse(&hero.form(), Locale::En).unwrap(), hero);

        let bad = HeroForm {
            hero_headline: "x".repeat(HEADLINE_MAX + 1),
            hero_text: "y".repeat(TEXT_MAX + 1),
            hero_button_label: "z".repeat(LABEL_MAX + 1),
            hero_button_target: "https://evil.test".into(),
        };
        let errors = Hero::parse(&bad, Locale::En).unwrap_err();
        for field in ["hero_headline", "hero_text", "hero_button_label", "hero_button_target"] {
            assert!(errors.has(field), "{field} should fail");
        }
    }
}
