//! The commission arithmetic, without the database: rounding, fixed amounts and their cap,
//! tiers, the recurring window and the labels a statement shows. Reconciliation feeds it the
//! facts it read; these functions only decide.

use chrono::{DateTime, Months, Utc};
use kernel::{
    format,
    i18n::{self, Locale},
};

use crate::affiliates::settings::Rule;

/// One level of one payment's commission, as computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Computed {
    /// Minor units, never above the basis; 0 means nothing is written.
    pub amount: i64,
    /// How it was computed, as a code in no language ("rate 3000", "fixed USD 2500",
    /// "tier 4000", "level2 500"): [`rate_text`] reads it in the viewer's.
    pub label: String,
}

/// `basis` × `bp` / 10 000, rounded half-up in minor units (a negative basis rounds away from
/// zero the same way, so a take-back mirrors its commission).
pub fn percent_of(basis: i64, bp: i32) -> i64 {
    let product = i128::from(basis) * i128::from(bp);
    let rounded = if product >= 0 { (product + 5_000) / 10_000 } else { (product - 5_000) / 10_000 };
    rounded as i64
}

/// A commission's `rate_label` code in `locale`: "30%", "$25.00", "tier rate 40%", "level 2 ·
/// 5%", "personal rate 45%". A code it does not know is shown as it is.
pub fn rate_text(code: &str, locale: Locale) -> String {
    let parts: Vec<&str> = code.split(' ').collect();
    let bp = |s: &str| s.parse::<i64>().ok().map(|bp| format::percent_bp(bp, locale));
    let fixed = |cur: &str, minor: &str| minor.parse::<i64>().ok().map(|m| format::money(m, cur, locale));
    let with = |key: &str, rate: Option<String>| rate.map(|rate| i18n::t_args(locale, key, &[("rate", rate.into())]));
    let text = match parts.as_slice() {
        ["rate", v] => bp(v),
        ["personal", v] => with("aff-rate-personal", bp(v)),
        ["tier", v] => with("aff-rate-tier", bp(v)),
        ["level2", v] => with("aff-rate-level2", bp(v)),
        ["fixed", cur, minor] => fixed(cur, minor),
        ["tier-fixed", cur, minor] => with("aff-rate-tier", fixed(cur, minor)),
        ["none", cur] => Some(i18n::t_args(locale, "aff-rate-none", &[("currency", cur.to_string().into())])),
        _ => None,
    };
    text.unwrap_or_else(|| code.to_string())
}

/// Whether a later payment (an instalment or a renewal) at `at` still earns under `rule`,
/// the order's first payment being at `first`.
pub fn recurring_earns(rule: &Rule, first: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    match rule.recurring.as_str() {
        "forever" => true,
        "months" => {
            let months = rule.recurring_months.unwrap_or(0).max(0) as u32;
            first.checked_add_months(Months::new(months)).is_some_and(|end| at < end)
        }
        _ => false,
    }
}

/// The start of `at`'s calendar month in UTC (tiers count sales from there).
pub fn month_start(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::{Datelike, TimeZone};
    Utc.with_ymd_and_hms(at.year(), at.month(), 1, 0, 0, 0).single().unwrap_or(at)
}

/// Whether the tier rate applies after `earlier_sales` sales this month.
pub fn in_tier(rule: &Rule, earlier_sales: i64) -> bool {
    rule.tier_sales.is_some_and(|n| earlier_sales >= i64::from(n))
}

/// The level-1 commission on `basis` in `currency`. `personal_bp` (the affiliate's own rate)
/// replaces every percentage of a percent rule; `tier` picks the tier's rate when the rule has
/// one. Fixed amounts are never converted between currencies: a currency the rule does not
/// name earns 0. Nothing is above the basis, nothing below 0.
pub fn level_one(rule: &Rule, basis: i64, currency: &str, personal_bp: Option<i32>, tier: bool) -> Computed {
    let basis = basis.max(0);
    if rule.kind == "fixed" {
        let (amounts, prefix) = match (&rule.tier_amounts, tier) {
            (Some(t), true) if t.contains_key(currency) => (t, "tier-fixed"),
            _ => (&rule.amounts, "fixed"),
        };
        return match amounts.get(currency) {
            Some(&fixed) => Computed { amount: fixed.clamp(0, basis), label: format!("{prefix} {currency} {fixed}") },
            None => Computed { amount: 0, label: format!("none {currency}") },
        };
    }
    let (bp, prefix) = match (personal_bp, tier, rule.tier_percent_bp) {
        (Some(p), _, _) => (p, "personal"),
        (None, true, Some(t)) => (t, "tier"),
        _ => (rule.percent_bp, "rate"),
    };
    Computed { amount: percent_of(basis, bp).clamp(0, basis), label: format!("{prefix} {bp}") }
}

/// The recruiter's level-2 share of `basis`.
pub fn level_two(rule: &Rule, basis: i64) -> Computed {
    let basis = basis.max(0);
    Computed {
        amount: percent_of(basis, rule.second_level_bp).clamp(0, basis),
        label: format!("level2 {}", rule.second_level_bp),
    }
}

/// What a refund takes back of a commission of `commission` on a payment of `paid`, given
/// the payment's refunds before it (`refunded_before`) and this refund (`refund`):
/// proportional, computed on the running total so partial refunds add up to the whole
/// commission exactly and never beyond it.
pub fn take_back(commission: i64, paid: i64, refunded_before: i64, refund: i64) -> i64 {
    if paid <= 0 || commission <= 0 {
        return 0;
    }
    let share = |refunded: i64| {
        let refunded = refunded.clamp(0, paid);
        let product = i128::from(commission) * i128::from(refunded);
        let p = i128::from(paid);
        (((product * 2) + p) / (p * 2)) as i64
    };
    (share(refunded_before + refund) - share(refunded_before)).clamp(0, commission)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::TimeZone;

    use super::*;

    fn rule() -> Rule {
        Rule::default()
    }

    #[test]
    fn percent_rounds_half_up_in_minor_units() {
        assert_eq!(percent_of(10_000, 3000), 3000);
        assert_eq!(percent_of(1_005, 1000), 101, "100.5 rounds up");
        assert_eq!(percent_of(1_004, 1000), 100);
        assert_eq!(percent_of(1, 4999), 0);
        assert_eq!(percent_of(1, 5000), 1);
        assert_eq!(percent_of(-1_005, 1000), -101);
        assert_eq!(percent_of(i64::MAX / 2, 10_000), i64::MAX / 2, "no overflow");
    }

    #[test]
    fn labels_read_like_people_write_them() {
        assert_eq!(rate_text("rate 3000", Locale::En), "30%");
        assert_eq!(rate_text("rate 1250", Locale::En), "12.5%");
        assert_eq!(rate_text("fixed USD 2500", Locale::En), "$25.00");
        assert_eq!(rate_text("fixed EUR 2500", Locale::Es), "25,00 €");
        assert_eq!(rate_text("tier 4000", Locale::En), "tier rate 40%");
        assert_eq!(rate_text("tier 4000", Locale::Es), "tarifa por volumen 40\u{202f}%");
        assert_eq!(rate_text("level2 500", Locale::En), "level 2 · 5%");
        assert_eq!(rate_text("mystery 12", Locale::En), "mystery 12");
        assert_eq!(rate_text("rate x", Locale::En), "rate x");
    }

    #[test]
    fn percent_rule_and_personal_rate() {
        let r = rule();
        assert_eq!(level_one(&r, 10_000, "USD", None, false), Computed { amount: 3000, label: "rate 3000".into() });
        let personal = level_one(&r, 10_000, "USD", Some(4500), false);
        assert_eq!(personal, Computed { amount: 4500, label: "personal 4500".into() });
        assert_eq!(level_one(&r, -50, "USD", None, false).amount, 0);
    }

    #[test]
    fn fixed_amounts_are_per_currency_and_capped_at_the_basis() {
        let r = Rule { kind: "fixed".into(), amounts: BTreeMap::from([("USD".into(), 2_500)]), ..rule() };
        assert_eq!(
            level_one(&r, 10_000, "USD", None, false),
            Computed { amount: 2_500, label: "fixed USD 2500".into() }
        );
        assert_eq!(level_one(&r, 1_000, "USD", None, false).amount, 1_000, "capped at the sale");
        let eur = level_one(&r, 10_000, "EUR", None, false);
        assert_eq!(eur.amount, 0, "never converted");
        assert!(eur.label.contains("EUR"), "{}", eur.label);
        assert_eq!(level_one(&r, 10_000, "USD", Some(9000), false).amount, 2_500, "a personal % leaves fixed rules");
    }

    #[test]
    fn tiers_take_over_after_enough_sales() {
        let r = Rule { tier_sales: Some(2), tier_percent_bp: Some(4000), ..rule() };
        assert!(!in_tier(&r, 1));
        assert!(in_tier(&r, 2));
        assert!(!in_tier(&rule(), 1_000), "no tier set");
        assert_eq!(level_one(&r, 10_000, "USD", None, true), Computed { amount: 4000, label: "tier 4000".into() });
        let fixed = Rule {
            kind: "fixed".into(),
            amounts: BTreeMap::from([("USD".into(), 1_000)]),
            tier_sales: Some(1),
            tier_amounts: Some(BTreeMap::from([("USD".into(), 1_500)])),
            ..rule()
        };
        assert_eq!(
            level_one(&fixed, 10_000, "USD", None, true),
            Computed { amount: 1_500, label: "tier-fixed USD 1500".into() }
        );
        assert_eq!(level_one(&fixed, 10_000, "USD", None, false).amount, 1_000);
    }

    #[test]
    fn the_recurring_window() {
        let first = Utc.with_ymd_and_hms(2026, 1, 31, 12, 0, 0).unwrap();
        let later = |days| first + chrono::Duration::days(days);
        assert!(!recurring_earns(&rule(), first, later(30)), "first payment only");
        let forever = Rule { recurring: "forever".into(), ..rule() };
        assert!(recurring_earns(&forever, first, later(3_000)));
        let two = Rule { recurring: "months".into(), recurring_months: Some(2), ..rule() };
        assert!(recurring_earns(&two, first, later(29)));
        assert!(recurring_earns(&two, first, later(58)), "Mar 30 is before Mar 31");
        assert!(!recurring_earns(&two, first, later(59)), "Mar 31 is two months on");
    }

    #[test]
    fn month_start_is_utc() {
        let at = Utc.with_ymd_and_hms(2026, 3, 17, 23, 59, 0).unwrap();
        assert_eq!(month_start(at), Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap());
    }

    #[test]
    fn second_level_share() {
        let r = Rule { second_level_bp: 500, ..rule() };
        assert_eq!(level_two(&r, 10_000), Computed { amount: 500, label: "level2 500".into() });
        assert_eq!(level_two(&rule(), 10_000).amount, 0);
    }

    #[test]
    fn refunds_take_back_in_proportion_and_never_more() {
        assert_eq!(take_back(3_000, 10_000, 0, 10_000), 3_000, "a full refund takes all");
        assert_eq!(take_back(3_000, 10_000, 0, 5_000), 1_500);
        // Thirds that would each round down still add up to the whole.
        let c = 1_000;
        let a = take_back(c, 3, 0, 1);
        let b = take_back(c, 3, 1, 1);
        let d = take_back(c, 3, 2, 1);
        assert_eq!(a + b + d, c);
        assert_eq!(take_back(c, 3, 3, 1), 0, "nothing left to take");
        assert_eq!(take_back(0, 100, 0, 100), 0);
    }
}
