//! The catalog as staff edit it: products (the courses they open), offers (how each is sold)
//! and coupons. Forms are read field by field into drafts here, checked in Rust first with an
//! error beside each field (the database's checks are the last line, not the message), and
//! saved through [`crate::catalog_store`]. Amounts are typed in major units ("199", "199.50",
//! "199,50") and stored in the currency's minor units.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use kernel::{
    db::TenantTx,
    format::{CURRENCIES, minor_digits},
    i18n::{self, Locale},
    web::FieldErrors,
};
use uuid::Uuid;

use crate::{
    catalog_store::{self as cs, CouponDraft, OfferDraft},
    model::{CouponId, Offer, OfferId, ProductId},
    store,
};

/// The largest amount an offer or coupon may carry, in minor units (the database's bound).
pub const MAX_AMOUNT: i64 = 100_000_000_000;

/// A posted form read field by field (repeated fields such as chosen courses keep their order).
#[derive(Clone, Debug, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, trimmed, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or_default()
    }

    /// Every non-empty value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim()).collect()
    }

    /// Whether the checkbox `name` was ticked.
    pub fn on(&self, name: &str) -> bool {
        matches!(self.get(name), "on" | "true" | "1")
    }
}

/// Why a typed amount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing typed.
    Empty,
    /// Not a number ("12a", "1.2.3", "-5").
    Invalid,
    /// More decimals than the currency has (the number it has).
    TooPrecise(u32),
    /// Beyond what can be sold.
    TooLarge,
}

impl AmountError {
    /// The message shown beside the field.
    pub fn message(self, locale: Locale, currency: &str) -> String {
        match self {
            Self::Empty => i18n::t(locale, "catalog-error-amount-required"),
            Self::Invalid => i18n::t(locale, "catalog-error-amount-invalid"),
            Self::TooPrecise(0) => i18n::t_args(locale, "catalog-error-amount-whole", &[("currency", currency.into())]),
            Self::TooPrecise(d) => i18n::t_args(
                locale,
                "catalog-error-amount-decimals",
                &[("currency", currency.into()), ("digits", i64::from(d).into())],
            ),
            Self::TooLarge => i18n::t(locale, "catalog-error-amount-large"),
        }
    }
}

/// Parses an amount typed in major units into minor units of `currency`: "199" → 19900,
/// "199.5" and "199,50" → 19950 in USD, "1500" → 1500 in JPY. One decimal separator, either
/// a point or a comma; spaces and a thousands separator of the other kind are ignored
/// ("1,299.00", "1.299,00").
pub fn parse_amount(input: &str, currency: &str) -> Result<i64, AmountError> {
    let s: String = input.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.trim_start_matches(['$', '€', '£', '¥', '₹']).to_string();
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    if !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(AmountError::Invalid);
    }
    // With both separators, the last one is the decimal point and the other groups thousands.
    let (int, frac) = match (s.rfind('.'), s.rfind(',')) {
        (Some(d), Some(c)) => {
            let (at, group) = if d > c { (d, ',') } else { (c, '.') };
            let int: String = s[..at].chars().filter(|&ch| ch != group).collect();
            (int, s[at + 1..].to_string())
        }
        (Some(at), None) | (None, Some(at)) => (s[..at].to_string(), s[at + 1..].to_string()),
        (None, None) => (s.clone(), String::new()),
    };
    if int.is_empty() && frac.is_empty() {
        return Err(AmountError::Invalid);
    }
    if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(AmountError::Invalid);
    }
    let digits = minor_digits(currency);
    if frac.len() > digits as usize {
        return Err(AmountError::TooPrecise(digits));
    }
    let int = int.trim_start_matches('0');
    if int.len() > 15 {
        return Err(AmountError::TooLarge);
    }
    let units: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| AmountError::Invalid)? };
    let mut frac = frac;
    while frac.len() < digits as usize {
        frac.push('0');
    }
    let cents: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| AmountError::Invalid)? };
    let minor = units.checked_mul(10i64.pow(digits)).and_then(|m| m.checked_add(cents)).ok_or(AmountError::TooLarge)?;
    if minor > MAX_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(minor)
}

/// An amount in minor units as a plain decimal ("199.50", "1500" for JPY, "-2.50"): in form
/// fields for editing, and in CSV exports.
pub fn amount_input(minor: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.abs();
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = digits as usize)
}

/// An address suggested from a name: "Pay in full (2027)!" → "pay-in-full-2027".
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars().flat_map(char::to_lowercase) {
        let ch = match ch {
            'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        };
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(70).collect();
    out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "offer".into() } else { out }
}

/// Whether `slug` may be an offer's address.
pub fn slug_is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// Whether `code` may be a coupon's code (already upper-cased).
pub fn code_is_valid(code: &str) -> bool {
    (3..=40).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// A `datetime-local` value typed in `zone` as UTC; `None` when malformed.
pub fn utc_from_local(value: &str, zone: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    kernel::format::tz(zone).from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

/// A moment as a `datetime-local` value in `zone`.
pub fn local_input(at: DateTime<Utc>, zone: &str) -> String {
    at.with_timezone(&kernel::format::tz(zone)).format("%Y-%m-%dT%H:%M").to_string()
}

fn positive(f: &Fields, name: &str, max: i32, locale: Locale, errors: &mut FieldErrors) -> Option<i32> {
    let raw = f.get(name);
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i32>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        _ => {
            errors.add(name, i18n::t_args(locale, "catalog-error-whole-number", &[("max", i64::from(max).into())]));
            None
        }
    }
}

fn date(f: &Fields, name: &str, zone: &str, locale: Locale, errors: &mut FieldErrors) -> Option<DateTime<Utc>> {
    let raw = f.get(name);
    if raw.is_empty() {
        return None;
    }
    let at = utc_from_local(raw, zone);
    if at.is_none() {
        errors.add(name, i18n::t(locale, "catalog-error-date"));
    }
    at
}

fn name(f: &Fields, locale: Locale, errors: &mut FieldErrors) -> String {
    let name = f.get("name").to_string();
    if name.is_empty() {
        errors.add("name", i18n::t(locale, "catalog-error-name-required"));
    } else if name.chars().count() > 200 {
        errors.add("name", i18n::t(locale, "catalog-error-name-long"));
    }
    name
}

/// A product's name and description, checked.
pub fn product_fields(f: &Fields, locale: Locale) -> Result<(String, String), FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = name(f, locale, &mut errors);
    let description = f.get("description").to_string();
    if description.chars().count() > 2000 {
        errors.add("description", i18n::t(locale, "catalog-error-description-long"));
    }
    if errors.is_empty() { Ok((name, description)) } else { Err(errors) }
}

/// The courses a product opens, kept to the school's own courses, in the order given.
pub async fn school_courses(tx: &mut TenantTx, ids: &[&str]) -> sqlx::Result<Vec<courses::CourseId>> {
    let all = courses::store::courses(tx).await?;
    let mut chosen = Vec::new();
    for id in ids {
        if let Ok(id) = id.parse::<courses::CourseId>()
            && all.iter().any(|c| c.id == id)
            && !chosen.contains(&id)
        {
            chosen.push(id);
        }
    }
    Ok(chosen)
}

/// Reads and checks an offer form for `product`; `editing` is the offer being changed.
/// `zone` is the school's time zone (the closing date is typed in it); `default_currency` the
/// school's.
pub async fn offer_draft(
    tx: &mut TenantTx,
    f: &Fields,
    product: ProductId,
    editing: Option<OfferId>,
    zone: &str,
    locale: Locale,
) -> anyhow::Result<Result<OfferDraft, FieldErrors>> {
    let mut errors = FieldErrors::default();
    let name = name(f, locale, &mut errors);
    let typed_slug = f.get("slug").to_ascii_lowercase();
    let slug =
        if typed_slug.is_empty() && editing.is_none() { cs::free_slug(tx, &slugify(&name)).await? } else { typed_slug };
    if !slug_is_valid(&slug) {
        errors.add("slug", i18n::t(locale, "catalog-error-slug"));
    } else if let Some(other) = crate::store::offer_by_slug(tx, &slug).await?
        && Some(other.id) != editing
    {
        errors.add("slug", i18n::t_args(locale, "catalog-error-slug-taken", &[("name", other.name.into())]));
    }
    let kind = f.get("kind");
    if !matches!(kind, "one_time" | "plan" | "subscription") {
        errors.add("kind", i18n::t(locale, "catalog-error-kind"));
    }
    let currency = f.get("currency").to_ascii_uppercase();
    if !CURRENCIES.contains(&currency.as_str()) {
        errors.add("currency", i18n::t(locale, "catalog-error-currency"));
    }
    let amount = match parse_amount(f.get("amount"), &currency) {
        Ok(0) if kind != "one_time" => {
            errors.add("amount", i18n::t(locale, "catalog-error-amount-recurring-zero"));
            0
        }
        Ok(a) => a,
        Err(e) => {
            errors.add("amount", e.message(locale, &currency));
            0
        }
    };
    let (mut interval, mut installments, mut trial_days, mut setup_fee) = (None, None, 0, 0);
    match kind {
        "plan" => {
            interval = Some("month".to_string());
            match f.get("installments").parse::<i32>() {
                Ok(n) if (2..=36).contains(&n) => installments = Some(n),
                _ => errors.add("installments", i18n::t(locale, "catalog-error-installments")),
            }
        }
        "subscription" => {
            match f.get("interval") {
                i @ ("month" | "year") => interval = Some(i.to_string()),
                _ => errors.add("interval", i18n::t(locale, "catalog-error-interval")),
            }
            let trial = f.get("trial_days");
            match if trial.is_empty() { Ok(0) } else { trial.parse::<i32>() } {
                Ok(n) if (0..=365).contains(&n) => trial_days = n,
                _ => errors.add("trial_days", i18n::t(locale, "catalog-error-trial")),
            }
            match parse_amount(f.get("setup_fee"), &currency) {
                Ok(fee) => setup_fee = fee,
                Err(AmountError::Empty) => {}
                Err(e) => errors.add("setup_fee", e.message(locale, &currency)),
            }
        }
        _ => {}
    }
    let max_sales = positive(f, "max_sales", 1_000_000, locale, &mut errors);
    let closes_at = date(f, "closes_at", zone, locale, &mut errors);
    let bump_headline = f.get("bump_headline").to_string();
    if bump_headline.chars().count() > 200 {
        errors.add("bump_headline", i18n::t(locale, "catalog-error-headline-long"));
    }
    let bump = other_offer(tx, f.get("bump_offer_id"), editing).await?;
    let bump_offer_id = match bump {
        Pick::None => None,
        Pick::Bad => {
            errors.add("bump_offer_id", i18n::t(locale, "catalog-error-offer-pick"));
            None
        }
        Pick::Offer(b) if b.is_recurring() => {
            errors.add("bump_offer_id", i18n::t(locale, "catalog-error-bump-recurring"));
            None
        }
        Pick::Offer(b) if b.currency != currency => {
            errors.add(
                "bump_offer_id",
                i18n::t_args(locale, "catalog-error-bump-currency", &[("currency", b.currency.clone().into())]),
            );
            None
        }
        Pick::Offer(b) => Some(b.id),
    };
    let upsell_offer_id = match other_offer(tx, f.get("upsell_offer_id"), editing).await? {
        Pick::None => None,
        Pick::Bad => {
            errors.add("upsell_offer_id", i18n::t(locale, "catalog-error-offer-pick"));
            None
        }
        Pick::Offer(u) => Some(u.id),
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(OfferDraft {
        product,
        slug,
        name,
        kind: kind.to_string(),
        currency,
        amount,
        interval,
        installments,
        trial_days,
        setup_fee,
        visible: f.on("visible"),
        max_sales,
        closes_at,
        bump_offer_id,
        bump_headline,
        upsell_offer_id,
    }))
}

enum Pick {
    None,
    Bad,
    Offer(Box<Offer>),
}

/// Another live offer of the school picked in a select (never the offer itself).
async fn other_offer(tx: &mut TenantTx, raw: &str, editing: Option<OfferId>) -> sqlx::Result<Pick> {
    if raw.is_empty() {
        return Ok(Pick::None);
    }
    let Ok(id) = raw.parse::<OfferId>() else { return Ok(Pick::Bad) };
    if Some(id) == editing {
        return Ok(Pick::Bad);
    }
    Ok(match store::offer(tx, id).await? {
        Some(o) if o.archived_at.is_none() => Pick::Offer(Box::new(o)),
        _ => Pick::Bad,
    })
}

/// What a coupon form or API body says, before checking.
#[derive(Clone, Debug, Default)]
pub struct CouponInput {
    /// The code as typed (any case).
    pub code: String,
    /// `percent` or `amount`.
    pub discount: String,
    /// A percentage, as typed.
    pub percent_off: String,
    /// An amount in major units, as typed.
    pub amount_off: String,
    /// The amount's currency.
    pub currency: String,
    /// `once`, `forever` or `months`.
    pub duration: String,
    /// Payments discounted when `months`, as typed.
    pub duration_months: String,
    /// Chosen offers; `None` for every offer.
    pub offers: Option<Vec<String>>,
    /// Expiry, UTC (already converted from the form's local time).
    pub expires_at: Option<DateTime<Utc>>,
    /// Total uses, as typed.
    pub max_redemptions: String,
    /// Uses per buyer, as typed.
    pub per_customer_limit: String,
}

impl CouponInput {
    /// Reads a coupon form; the expiry is typed in `zone`.
    pub fn from_form(f: &Fields, zone: &str, locale: Locale, errors: &mut FieldErrors) -> Self {
        Self {
            code: f.get("code").to_string(),
            discount: f.get("discount").to_string(),
            percent_off: f.get("percent_off").to_string(),
            amount_off: f.get("amount_off").to_string(),
            currency: f.get("currency").to_string(),
            duration: f.get("duration").to_string(),
            duration_months: f.get("duration_months").to_string(),
            offers: (f.get("applies") == "chosen").then(|| f.all("offer").iter().map(|s| s.to_string()).collect()),
            expires_at: date(f, "expires_at", zone, locale, errors),
            max_redemptions: f.get("max_redemptions").to_string(),
            per_customer_limit: f.get("per_customer_limit").to_string(),
        }
    }
}

/// Checks a coupon; `editing` is the coupon being changed. `errors` may already hold the
/// form's own errors (a bad date).
pub async fn coupon_draft(
    tx: &mut TenantTx,
    input: &CouponInput,
    editing: Option<CouponId>,
    locale: Locale,
    mut errors: FieldErrors,
) -> anyhow::Result<Result<CouponDraft, FieldErrors>> {
    let code = input.code.trim().to_ascii_uppercase();
    if !code_is_valid(&code) {
        errors.add("code", i18n::t(locale, "catalog-error-code"));
    } else if let Some(other) = store::coupon_by_code(tx, &code).await?
        && Some(other.id) != editing
    {
        errors.add("code", i18n::t(locale, "catalog-error-code-taken"));
    }
    let (mut percent_off, mut amount_off, mut currency) = (None, None, None);
    match input.discount.trim() {
        "percent" => match input.percent_off.trim().trim_end_matches('%').trim().parse::<i32>() {
            Ok(p) if (1..=100).contains(&p) => percent_off = Some(p),
            Ok(p) if p > 100 => errors.add("percent_off", i18n::t(locale, "catalog-error-percent-over")),
            _ => errors.add("percent_off", i18n::t(locale, "catalog-error-percent")),
        },
        "amount" => {
            let cur = input.currency.trim().to_ascii_uppercase();
            if !CURRENCIES.contains(&cur.as_str()) {
                errors.add("currency", i18n::t(locale, "catalog-error-currency"));
            } else {
                match parse_amount(&input.amount_off, &cur) {
                    Ok(0) => errors.add("amount_off", i18n::t(locale, "catalog-error-amount-zero")),
                    Ok(a) => amount_off = Some(a),
                    Err(e) => errors.add("amount_off", e.message(locale, &cur)),
                }
                currency = Some(cur);
            }
        }
        _ => errors.add("discount", i18n::t(locale, "catalog-error-discount")),
    }
    let mut duration_months = None;
    let duration = input.duration.trim();
    let duration = if duration.is_empty() { "once" } else { duration };
    match duration {
        "once" | "forever" => {}
        "months" => match input.duration_months.trim().parse::<i32>() {
            Ok(n) if (1..=120).contains(&n) => duration_months = Some(n),
            _ => errors.add("duration_months", i18n::t(locale, "catalog-error-duration-months")),
        },
        _ => errors.add("duration", i18n::t(locale, "catalog-error-duration")),
    }
    let offer_ids = match &input.offers {
        None => None,
        Some(chosen) => {
            let mut ids: Vec<Uuid> = Vec::new();
            for raw in chosen {
                match raw.trim().parse::<OfferId>() {
                    Ok(id) if store::offer(tx, id).await?.is_some() => {
                        if !ids.contains(&id.0) {
                            ids.push(id.0);
                        }
                    }
                    _ => errors.add("offer", i18n::t(locale, "catalog-error-offer-pick")),
                }
            }
            if ids.is_empty() {
                errors.add("offer", i18n::t(locale, "catalog-error-offers-none"));
            }
            Some(ids)
        }
    };
    let mut limit = |field: &str, raw: &str| -> Option<i32> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<i32>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.add(
                    field,
                    i18n::t_args(locale, "catalog-error-whole-number", &[("max", i64::from(i32::MAX).into())]),
                );
                None
            }
        }
    };
    let max_redemptions = limit("max_redemptions", &input.max_redemptions);
    let per_customer_limit = limit("per_customer_limit", &input.per_customer_limit);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(CouponDraft {
        code,
        percent_off,
        amount_off,
        currency,
        duration: duration.to_string(),
        duration_months,
        offer_ids,
        expires_at: input.expires_at,
        max_redemptions,
        per_customer_limit,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_typed_in_major_units() {
        assert_eq!(parse_amount("199", "USD"), Ok(19_900));
        assert_eq!(parse_amount(" 199.50 ", "USD"), Ok(19_950));
        assert_eq!(parse_amount("199,5", "EUR"), Ok(19_950));
        assert_eq!(parse_amount("1,299.00", "USD"), Ok(129_900));
        assert_eq!(parse_amount("1.299,00", "EUR"), Ok(129_900));
        assert_eq!(parse_amount("$49", "USD"), Ok(4_900));
        assert_eq!(parse_amount("1500", "JPY"), Ok(1_500));
        assert_eq!(parse_amount(".5", "USD"), Ok(50));
        assert_eq!(parse_amount("0", "USD"), Ok(0));
        assert_eq!(parse_amount("", "USD"), Err(AmountError::Empty));
        assert_eq!(parse_amount("12a", "USD"), Err(AmountError::Invalid));
        assert_eq!(parse_amount("-5", "USD"), Err(AmountError::Invalid));
        assert_eq!(parse_amount("1.2.3", "USD"), Err(AmountError::Invalid));
        assert_eq!(parse_amount(".", "USD"), Err(AmountError::Invalid));
        assert_eq!(parse_amount("19.999", "USD"), Err(AmountError::TooPrecise(2)));
        assert_eq!(parse_amount("15.5", "JPY"), Err(AmountError::TooPrecise(0)));
        assert_eq!(parse_amount("1000000001", "USD"), Err(AmountError::TooLarge));
        assert_eq!(parse_amount("99999999999999999999", "USD"), Err(AmountError::TooLarge));
    }

    #[test]
    fn amounts_are_shown_back_for_editing() {
        assert_eq!(amount_input(19_950, "USD"), "199.50");
        assert_eq!(amount_input(5, "EUR"), "0.05");
        assert_eq!(amount_input(1_500, "JPY"), "1500");
        assert_eq!(amount_input(-250, "USD"), "-2.50");
    }

    #[test]
    fn addresses_and_codes() {
        assert_eq!(slugify("Pay in full (2027)!"), "pay-in-full-2027");
        assert_eq!(slugify("Año de acuarela"), "ano-de-acuarela");
        assert_eq!(slugify("¡¡!!"), "offer");
        assert!(
            slug_is_valid("pay-in-full") && !slug_is_valid("Pay") && !slug_is_valid("a--b") && !slug_is_valid("-a")
        );
        assert!(code_is_valid("SPRING_25") && code_is_valid("A-1") && !code_is_valid("AB") && !code_is_valid("NO WAY"));
    }

    #[test]
    fn closing_dates_are_typed_in_the_school_zone() {
        let at = utc_from_local("2027-03-01T09:30", "America/Mexico_City").unwrap();
        assert_eq!(at.to_rfc3339(), "2027-03-01T15:30:00+00:00");
        assert_eq!(local_input(at, "America/Mexico_City"), "2027-03-01T09:30");
        assert!(utc_from_local("tomorrow", "UTC").is_none());
    }
}
