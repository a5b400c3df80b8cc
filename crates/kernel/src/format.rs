//! Money and dates shown in the viewer's locale and time zone.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

use crate::i18n::Locale;

/// Digits after the decimal point for an ISO 4217 currency.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "CLP" | "VND" | "ISK" | "HUF" | "TWD" | "UGX" | "XAF" | "XOF" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
        _ => 2,
    }
}

fn symbol(currency: &str) -> &str {
    match currency {
        "USD" | "CAD" | "AUD" | "NZD" | "MXN" | "ARS" | "CLP" | "COP" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "BRL" => "R$",
        "INR" => "₹",
        _ => currency,
    }
}

/// Currencies a school may sell in.
pub const CURRENCIES: [&str; 12] = ["USD", "EUR", "GBP", "CAD", "AUD", "NZD", "MXN", "BRL", "ARS", "COP", "JPY", "INR"];

/// Formats an amount in minor units, e.g. `123456, "USD", En` → `$1,234.56`.
pub fn money(minor: i64, currency: &str, locale: Locale) -> String {
    let digits = minor_digits(currency);
    let neg = minor < 0;
    let abs = minor.unsigned_abs();
    let scale = 10u64.pow(digits);
    let (units, frac) = (abs / scale, abs % scale);
    let (group, decimal) = match locale {
        Locale::En => (',', '.'),
        Locale::Es => ('.', ','),
    };
    let mut int = String::new();
    for (i, ch) in units.to_string().chars().rev().enumerate() {
        if i > 0 && i % 3 == 0 {
            int.push(group);
        }
        int.push(ch);
    }
    let mut number: String = int.chars().rev().collect();
    if digits > 0 {
        number.push(decimal);
        number.push_str(&format!("{frac:0width$}", width = digits as usize));
    }
    let sign = if neg { "-" } else { "" };
    let sym = symbol(currency);
    match locale {
        Locale::En if sym.len() <= 3 && sym != currency => format!("{sign}{sym}{number}"),
        Locale::En => format!("{sign}{currency} {number}"),
        Locale::Es => format!("{sign}{number} {sym}"),
    }
}

/// A rate in basis points for people: `3000` → `30%` (English) or `30 %` (Spanish, with a
/// thin no-break space as the RAE writes it), `1250` → `12.5%` / `12,5 %`, `5` → `0.05%`.
pub fn percent_bp(bp: i64, locale: Locale) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let bp = bp.unsigned_abs();
    let mut number = format!("{}.{:02}", bp / 100, bp % 100);
    number = number.trim_end_matches('0').trim_end_matches('.').to_string();
    match locale {
        Locale::En => format!("{sign}{number}%"),
        Locale::Es => format!("{sign}{}\u{202f}%", number.replace('.', ",")),
    }
}

/// A size in bytes for people: `1.5 GB`, `820 MB`, `12 KB`, counted in steps of 1024 (so a
/// 10 GiB plan limit reads "10 GB", as creators expect), with the locale's decimal mark.
pub fn bytes(n: u64, locale: Locale) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let text = if unit == 0 || value >= 100.0 { format!("{value:.0}") } else { format!("{value:.1}") };
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    let text = if locale == Locale::Es { text.replace('.', ",") } else { text };
    format!("{text} {}", UNITS[unit])
}

/// A duration in milliseconds as a clock: `4:05`, `1:02:03`.
pub fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_ES: [&str; 12] = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];

/// Parses an IANA time zone name, falling back to UTC.
pub fn tz(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// A date such as `Nov 27, 2026` or `27 nov 2026`.
pub fn date(at: DateTime<Utc>, zone: &str, locale: Locale) -> String {
    let local = at.with_timezone(&tz(zone));
    let m = local.month0() as usize;
    match locale {
        Locale::En => format!("{} {}, {}", MONTHS_EN[m], local.day(), local.year()),
        Locale::Es => format!("{} {} {}", local.day(), MONTHS_ES[m], local.year()),
    }
}

/// A date and time such as `Nov 27, 2026, 3:04 PM` or `27 nov 2026, 15:04`.
pub fn datetime(at: DateTime<Utc>, zone: &str, locale: Locale) -> String {
    let local = at.with_timezone(&tz(zone));
    let d = date(at, zone, locale);
    match locale {
        Locale::En => {
            let (pm, h) = local.hour12();
            format!("{d}, {h}:{:02} {}", local.minute(), if pm { "PM" } else { "AM" })
        }
        Locale::Es => format!("{d}, {}:{:02}", local.hour(), local.minute()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_as_each_language_writes_them() {
        assert_eq!(percent_bp(3000, Locale::En), "30%");
        assert_eq!(percent_bp(1250, Locale::En), "12.5%");
        assert_eq!(percent_bp(1210, Locale::En), "12.1%");
        assert_eq!(percent_bp(1234, Locale::En), "12.34%");
        assert_eq!(percent_bp(5, Locale::En), "0.05%");
        assert_eq!(percent_bp(0, Locale::En), "0%");
        assert_eq!(percent_bp(1250, Locale::Es), "12,5\u{202f}%");
        assert_eq!(percent_bp(-500, Locale::En), "-5%");
    }

    #[test]
    fn sizes_and_durations_read_naturally() {
        assert_eq!(bytes(0, Locale::En), "0 B");
        assert_eq!(bytes(999, Locale::En), "999 B");
        assert_eq!(bytes(3 << 29, Locale::En), "1.5 GB");
        assert_eq!(bytes(3 << 29, Locale::Es), "1,5 GB");
        assert_eq!(bytes(820 << 20, Locale::En), "820 MB");
        assert_eq!(bytes(10 << 30, Locale::En), "10 GB");
        assert_eq!(bytes(2 << 20, Locale::En), "2 MB");
        assert_eq!(duration(245_000), "4:05");
        assert_eq!(duration(3_723_000), "1:02:03");
    }

    #[test]
    fn money_in_both_locales() {
        assert_eq!(money(123456, "USD", Locale::En), "$1,234.56");
        assert_eq!(money(123456, "EUR", Locale::Es), "1.234,56 €");
        assert_eq!(money(5000, "JPY", Locale::En), "¥5,000");
        assert_eq!(money(-99, "USD", Locale::En), "-$0.99");
    }

    #[test]
    fn dates_follow_zone_and_locale() {
        let at: DateTime<Utc> = "2026-11-27T02:30:00Z".parse().unwrap();
        assert_eq!(date(at, "America/New_York", Locale::En), "Nov 26, 2026");
        assert_eq!(datetime(at, "Europe/Madrid", Locale::Es), "27 nov 2026, 3:30");
    }
}
