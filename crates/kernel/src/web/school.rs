//! The school a request is for, with the branding every page takes up.

use std::sync::Arc;

use serde::Serialize;

use crate::{i18n::Locale, ids::TenantId};

/// Which site a request reached.
#[derive(Clone, Debug)]
pub enum Site {
    /// The platform's own host: landing page, school signup, operator area.
    Platform,
    /// A school's site (subdomain or verified custom domain).
    School(Arc<School>),
}

/// A school and its settings, resolved from the request's host.
#[derive(Clone, Debug, Serialize)]
pub struct School {
    /// Tenant id.
    pub id: TenantId,
    /// Subdomain label.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Why the operator paused the school (empty while active): shown to its staff only.
    pub status_reason: String,
    /// Plan name.
    pub plan: String,
    /// One line under the name.
    pub tagline: String,
    /// Logo URL when one was uploaded.
    pub logo_url: Option<String>,
    /// Main brand colour, `#rrggbb`.
    pub brand_color: String,
    /// Secondary colour, `#rrggbb`.
    pub accent_color: String,
    /// Heading font key (see [`FONTS`]).
    pub heading_font: String,
    /// Default interface language.
    pub default_locale: Locale,
    /// ISO 4217 currency.
    pub currency: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Sender name for mail.
    pub sender_name: String,
    /// Sender address for mail (empty: the platform's).
    pub sender_email: String,
    /// Whether the school has verified the sender address's domain; until then mail comes
    /// from the platform's address (see [`crate::mail::sender`]).
    pub sender_verified: bool,
    /// The school's canonical base URL.
    pub base_url: String,
    /// CSS custom properties for this school's theme.
    pub theme_css: String,
}

/// Heading fonts a school may choose: key, display name, CSS family, served from our origin.
pub const FONTS: [(&str, &str, &str); 9] = [
    ("inter", "Inter", "'Inter Variable', 'Inter', system-ui, sans-serif"),
    ("dm-sans", "DM Sans", "'DM Sans Variable', 'DM Sans', system-ui, sans-serif"),
    ("poppins", "Poppins", "'Poppins', system-ui, sans-serif"),
    ("lora", "Lora", "'Lora Variable', 'Lora', Georgia, serif"),
    ("merriweather", "Merriweather", "'Merriweather', Georgia, serif"),
    ("playfair-display", "Playfair Display", "'Playfair Display Variable', 'Playfair Display', Georgia, serif"),
    ("fraunces", "Fraunces", "'Fraunces Variable', 'Fraunces', Georgia, serif"),
    ("source-serif-4", "Source Serif 4", "'Source Serif 4 Variable', 'Source Serif 4', Georgia, serif"),
    ("noto-sans", "Noto Sans", "'Noto Sans Variable', 'Noto Sans', system-ui, sans-serif"),
];

impl School {
    /// Whether the school is suspended (shows a notice; no new signups or orders).
    pub fn suspended(&self) -> bool {
        self.status == "suspended"
    }

    /// Computes the theme's CSS variables from the brand colours and font. The output is
    /// built only from validated hex colours and the fixed font list, so it is safe to place
    /// unescaped inside a `<style>` element.
    pub fn compute_theme(brand: &str, accent: &str, font: &str) -> String {
        let family = FONTS.iter().find(|f| f.0 == font).map(|f| f.2).unwrap_or(FONTS[0].2);
        let rgb = parse_hex(brand).unwrap_or((79, 70, 229));
        let on_brand = on_brand(rgb);
        // A darker shade for hover and for brand-coloured text on white, kept readable.
        let mut text = rgb;
        while contrast(text, (255, 255, 255)) < 4.5 {
            text = shade(text, 0.85);
        }
        format!(
            ":root{{--brand:{brand};--brand-rgb:{} {} {};--on-brand:{on_brand};--brand-hover:{};\
             --brand-text:{};--brand-subtle:{};--accent:{accent};--font-heading:{family};}}",
            rgb.0,
            rgb.1,
            rgb.2,
            hex(shade(rgb, 0.88)),
            hex(text),
            hex(tint(rgb, 0.92)),
        )
    }
}

/// The platform's own brand colour (its pages, its icon, and schools that chose none).
pub const PLATFORM_BRAND_COLOR: &str = "#4f46e5";

/// The colour of text on the brand colour: white when it reads well enough (WCAG 4.5:1),
/// otherwise near-black.
pub fn on_brand(brand: (u8, u8, u8)) -> &'static str {
    if contrast(brand, (255, 255, 255)) >= 4.5 { "#ffffff" } else { "#0b1020" }
}

/// Parses `#rrggbb`.
pub fn parse_hex(s: &str) -> Option<(u8, u8, u8)> {
    let s = s.strip_prefix('#')?;
    if s.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(s, 16).ok()?;
    Some(((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn shade((r, g, b): (u8, u8, u8), f: f64) -> (u8, u8, u8) {
    let m = |c: u8| (c as f64 * f).round() as u8;
    (m(r), m(g), m(b))
}

fn tint((r, g, b): (u8, u8, u8), f: f64) -> (u8, u8, u8) {
    let m = |c: u8| (c as f64 + (255.0 - c as f64) * f).round() as u8;
    (m(r), m(g), m(b))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let ch = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_a_light_brand_colour_is_dark() {
        let css = School::compute_theme("#fde047", "#0f172a", "lora");
        assert!(css.contains("--on-brand:#0b1020"));
        assert!(css.contains("Lora"));
        let css = School::compute_theme("#4f46e5", "#0f172a", "inter");
        assert!(css.contains("--on-brand:#ffffff"));
    }
}
