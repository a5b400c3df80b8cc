//! Reading the settings and rule forms: percentages with up to two decimals become basis
//! points, amounts per currency become minor units, and each field that fails gets its message.
//! Also the two writes those forms make.

use std::collections::BTreeMap;

use kernel::{db::TenantTx, format::CURRENCIES, i18n::Locale, web::FieldErrors};

use crate::{
    affiliates::settings::{Rule, Settings},
    catalog::{Fields, amount_input, parse_amount},
    model::OfferId,
};

fn t(locale: Locale, key: &str) -> String {
    kernel::i18n::t(locale, key)
}

/// "12.5" → 1250 basis points; `None` when not a number from 0 to `max_bp` with at most two
/// decimals.
pub fn parse_percent(input: &str, max_bp: i32) -> Option<i32> {
    let s = input.trim().trim_end_matches('%').trim().replace(',', ".");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty() || frac.len() > 2 || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int: i64 = int.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    let bp = int.checked_mul(100)?.checked_add(frac)?;
    (bp <= i64::from(max_bp)).then_some(bp as i32)
}

/// 1250 → "12.5".
pub fn percent_input(bp: i32) -> String {
    let s = format!("{}.{:02}", bp / 100, bp % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// 1250 → "12.5%" (English) or "12,5 %" (Spanish).
pub fn percent_label(bp: i32, locale: Locale) -> String {
    kernel::format::percent_bp(i64::from(bp), locale)
}

/// Amounts per currency from fields named `{prefix}_{CUR}` plus the `{prefix}_new_currency` /
/// `{prefix}_new_amount` pair; blanks are left out.
fn amounts(f: &Fields, prefix: &str, locale: Locale, errors: &mut FieldErrors) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    let mut typed: Vec<(String, String, String)> = CURRENCIES
        .iter()
        .map(|c| (format!("{prefix}_{c}"), c.to_string(), f.get(&format!("{prefix}_{c}")).to_string()))
        .collect();
    let new_currency = f.get(&format!("{prefix}_new_currency")).to_ascii_uppercase();
    if !new_currency.is_empty() {
        if CURRENCIES.contains(&new_currency.as_str()) {
            typed.push((format!("{prefix}_new_amount"), new_currency, f.get(&format!("{prefix}_new_amount")).into()));
        } else {
            errors.add(&format!("{prefix}_new_currency"), t(locale, "program-aff-error-currency"));
        }
    }
    for (field, currency, value) in typed {
        if value.is_empty() {
            continue;
        }
        match parse_amount(&value, &currency) {
            Ok(minor) => {
                out.insert(currency, minor);
            }
            Err(_) => errors.add(&field, t(locale, "program-aff-error-amount")),
        }
    }
    out
}

fn int_in(
    f: &Fields,
    name: &str,
    range: std::ops::RangeInclusive<i32>,
    key: &str,
    locale: Locale,
    e: &mut FieldErrors,
) -> Option<i32> {
    let v = f.get(name);
    match v.parse::<i32>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            e.add(name, t(locale, key));
            None
        }
    }
}

/// A commission rule from its form (the default rule's part of the settings form, or an
/// offer's rule form). `currency` is the school's, for a fixed tier amount.
pub fn rule_from(f: &Fields, currency: &str, locale: Locale, errors: &mut FieldErrors) -> Rule {
    let kind = if f.get("kind") == "fixed" { "fixed" } else { "percent" };
    let mut rule = Rule { kind: kind.into(), ..Rule::default() };
    if rule.kind == "percent" {
        match parse_percent(f.get("percent"), 10_000) {
            Some(bp) => rule.percent_bp = bp,
            None => errors.add("percent", t(locale, "program-aff-error-percent")),
        }
    } else {
        rule.amounts = amounts(f, "amount", locale, errors);
        if rule.amounts.is_empty() && !errors.has("amount_new_amount") {
            errors.add(&format!("amount_{currency}"), t(locale, "program-aff-error-amount-required"));
        }
    }
    rule.recurring = match f.get("recurring") {
        "months" => "months",
        "forever" => "forever",
        _ => "first",
    }
    .into();
    if rule.recurring == "months" {
        rule.recurring_months = int_in(f, "recurring_months", 1..=120, "program-aff-error-months", locale, errors);
    }
    if !f.get("tier_sales").is_empty() {
        rule.tier_sales = int_in(f, "tier_sales", 1..=100_000, "program-aff-error-tier-sales", locale, errors);
        if rule.kind == "percent" {
            match parse_percent(f.get("tier_percent"), 10_000) {
                Some(bp) => rule.tier_percent_bp = Some(bp),
                None => errors.add("tier_percent", t(locale, "program-aff-error-percent")),
            }
        } else {
            match parse_amount(f.get("tier_amount"), currency) {
                Ok(minor) => rule.tier_amounts = Some(BTreeMap::from([(currency.to_string(), minor)])),
                Err(_) => errors.add("tier_amount", t(locale, "program-aff-error-amount")),
            }
        }
    }
    let second = f.get("second_level");
    if !second.is_empty() {
        match parse_percent(second, 5_000) {
            Some(bp) => rule.second_level_bp = bp,
            None => errors.add("second_level", t(locale, "program-aff-error-second-level")),
        }
    }
    rule
}

/// The form's values for a stored rule.
pub fn rule_fields(rule: &Rule, currency: &str) -> Vec<(String, String)> {
    let mut v = vec![
        ("kind".to_string(), rule.kind.clone()),
        ("percent".into(), percent_input(rule.percent_bp)),
        ("recurring".into(), rule.recurring.clone()),
        ("recurring_months".into(), rule.recurring_months.map(|n| n.to_string()).unwrap_or_default()),
        ("tier_sales".into(), rule.tier_sales.map(|n| n.to_string()).unwrap_or_default()),
        ("tier_percent".into(), rule.tier_percent_bp.map(percent_input).unwrap_or_default()),
        (
            "tier_amount".into(),
            rule.tier_amounts
                .as_ref()
                .and_then(|m| m.get(currency))
                .map(|a| amount_input(*a, currency))
                .unwrap_or_default(),
        ),
        (
            "second_level".into(),
            if rule.second_level_bp > 0 { percent_input(rule.second_level_bp) } else { String::new() },
        ),
    ];
    for (c, a) in &rule.amounts {
        v.push((format!("amount_{c}"), amount_input(*a, c)));
    }
    v
}

/// The settings from their form (the default rule is read by [`rule_from`]).
pub fn settings_from(f: &Fields, locale: Locale, errors: &mut FieldErrors) -> Settings {
    let mut s = Settings {
        enabled: f.on("enabled"),
        signup: if f.get("signup") == "open" { "open" } else { "approval" }.into(),
        terms: f.get("terms").to_string(),
        attribution: if f.get("attribution") == "first_click" { "first_click" } else { "last_click" }.into(),
        ..Settings::default()
    };
    if s.terms.chars().count() > 20_000 {
        errors.add("terms", t(locale, "program-aff-error-terms-long"));
    }
    if let Some(n) = int_in(f, "cookie_days", 1..=365, "program-aff-error-cookie-days", locale, errors) {
        s.cookie_days = n;
    }
    if let Some(n) = int_in(f, "holding_days", 0..=365, "program-aff-error-holding-days", locale, errors) {
        s.holding_days = n;
    }
    s.min_payout = amounts(f, "min", locale, errors);
    s
}

/// The form's values for stored settings.
pub fn settings_fields(s: &Settings) -> Vec<(String, String)> {
    let mut v = vec![
        ("enabled".to_string(), if s.enabled { "on" } else { "" }.to_string()),
        ("signup".into(), s.signup.clone()),
        ("terms".into(), s.terms.clone()),
        ("cookie_days".into(), s.cookie_days.to_string()),
        ("attribution".into(), s.attribution.clone()),
        ("holding_days".into(), s.holding_days.to_string()),
    ];
    for (c, a) in &s.min_payout {
        v.push((format!("min_{c}"), amount_input(*a, c)));
    }
    v
}

/// Saves the settings and the default rule.
pub async fn save_settings(tx: &mut TenantTx, s: &Settings, rule: &Rule) -> sqlx::Result<()> {
    sqlx::query(
        "insert into affiliate_settings (tenant_id, enabled, signup, terms, cookie_days, attribution, holding_days, min_payout)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (tenant_id) do update set enabled = $2, signup = $3, terms = $4, cookie_days = $5,
           attribution = $6, holding_days = $7, min_payout = $8",
    )
    .bind(tx.tenant())
    .bind(s.enabled)
    .bind(&s.signup)
    .bind(&s.terms)
    .bind(s.cookie_days)
    .bind(&s.attribution)
    .bind(s.holding_days)
    .bind(sqlx::types::Json(&s.min_payout))
    .execute(&mut **tx)
    .await?;
    save_rule(tx, None, rule).await
}

/// Saves the default rule (`offer` `None`) or an offer's rule.
pub async fn save_rule(tx: &mut TenantTx, offer: Option<OfferId>, r: &Rule) -> sqlx::Result<()> {
    let conflict = if offer.is_some() {
        "(tenant_id, offer_id) where offer_id is not null"
    } else {
        "(tenant_id) where offer_id is null"
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "insert into affiliate_rules (tenant_id, id, offer_id, kind, percent_bp, amounts, recurring, recurring_months,
                                      tier_sales, tier_percent_bp, tier_amounts, second_level_bp)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict {conflict} do update set kind = $4, percent_bp = $5, amounts = $6, recurring = $7,
           recurring_months = $8, tier_sales = $9, tier_percent_bp = $10, tier_amounts = $11, second_level_bp = $12"
    )))
    .bind(tx.tenant())
    .bind(uuid::Uuid::now_v7())
    .bind(offer)
    .bind(&r.kind)
    .bind(r.percent_bp)
    .bind(sqlx::types::Json(&r.amounts))
    .bind(&r.recurring)
    .bind(r.recurring_months)
    .bind(r.tier_sales)
    .bind(r.tier_percent_bp)
    .bind(r.tier_amounts.as_ref().map(sqlx::types::Json))
    .bind(r.second_level_bp)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes an offer's own rule (its sales fall back to the default).
pub async fn delete_rule(tx: &mut TenantTx, offer: OfferId) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from affiliate_rules where tenant_id = $1 and offer_id = $2")
        .bind(tx.tenant())
        .bind(offer)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_become_basis_points() {
        assert_eq!(parse_percent("30", 10_000), Some(3000));
        assert_eq!(parse_percent("12.5", 10_000), Some(1250));
        assert_eq!(parse_percent("12,75 %", 10_000), Some(1275));
        assert_eq!(parse_percent("12.345", 10_000), None);
        assert_eq!(parse_percent("101", 10_000), None);
        assert_eq!(parse_percent("-1", 10_000), None);
        assert_eq!(parse_percent("", 10_000), None);
        assert_eq!(percent_input(1250), "12.5");
        assert_eq!(percent_input(3000), "30");
    }
}
