//! What a buyer pays: the one place prices, coupons and tax are combined. Everything here is
//! integer minor units and pure, so the checkout page, the payment, each renewal and the
//! receipt agree to the cent, and nothing the browser sends can change a total.

use serde::Serialize;

use crate::model::{Coupon, Offer, OfferKind};

/// How tax applies to a buyer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TaxRule {
    /// The rate in basis points (2000 = 20%).
    pub rate_bp: i32,
    /// Whether prices already include it.
    pub inclusive: bool,
}

/// One line of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The offer charged.
    pub offer_id: crate::model::OfferId,
    /// `main` or `bump`.
    pub kind: &'static str,
    /// What this payment charges for the line, before discount.
    pub amount: i64,
    /// Discount on the line.
    pub discount: i64,
}

/// The totals of a payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// ISO 4217.
    pub currency: String,
    /// The lines.
    pub lines: Vec<Line>,
    /// Sum of the lines before discount.
    pub subtotal: i64,
    /// Sum of the discounts.
    pub discount: i64,
    /// Tax, within `total` when prices include it, added to it otherwise.
    pub tax: i64,
    /// What is charged.
    pub total: i64,
    /// The rule used.
    pub tax_rule: TaxRule,
}

/// What the first payment of `offer` charges before discount: the price, the first instalment,
/// or for a subscription its setup fee plus, without a trial, the first period.
pub fn first_amount(offer: &Offer) -> i64 {
    match offer.kind() {
        OfferKind::OneTime | OfferKind::Plan => offer.amount,
        OfferKind::Subscription if offer.trial_days > 0 => offer.setup_fee,
        OfferKind::Subscription => offer.amount + offer.setup_fee,
    }
}

/// Whether `coupon` discounts `offer` at all (not whether it is still valid: see `coupons`).
pub fn coupon_covers(coupon: &Coupon, offer: &Offer) -> bool {
    let offer_ok = coupon.offer_ids.as_ref().is_none_or(|ids| ids.contains(&offer.id.0));
    let currency_ok = coupon.currency.as_ref().is_none_or(|c| c == &offer.currency);
    offer_ok && currency_ok
}

/// Whether `coupon` discounts the payment numbered `index` (0: the first) of an offer billed
/// every `interval`.
pub fn coupon_applies_to_payment(coupon: &Coupon, index: i32, interval: Option<&str>) -> bool {
    match coupon.duration.as_str() {
        "forever" => true,
        "months" => {
            let months = coupon.duration_months.unwrap_or(0);
            let period = if interval == Some("year") { 12 } else { 1 };
            index * period < months
        }
        _ => index == 0,
    }
}

/// The discount `coupon` gives on `amount`.
pub fn discount_on(coupon: &Coupon, amount: i64) -> i64 {
    let off = match (coupon.percent_off, coupon.amount_off) {
        (Some(p), _) => div_round(amount * i64::from(p), 100),
        (None, Some(a)) => a,
        _ => 0,
    };
    off.clamp(0, amount.max(0))
}

/// Tax on a taxable amount, and the total to charge.
pub fn apply_tax(taxable: i64, rule: TaxRule) -> (i64, i64) {
    let rate = i64::from(rule.rate_bp.max(0));
    if rate == 0 {
        return (0, taxable);
    }
    if rule.inclusive {
        let net = div_round(taxable * 10_000, 10_000 + rate);
        (taxable - net, taxable)
    } else {
        let tax = div_round(taxable * rate, 10_000);
        (tax, taxable + tax)
    }
}

/// The first payment for `offer`, with the `bump` when taken and the `coupon` when given.
pub fn quote(offer: &Offer, bump: Option<&Offer>, coupon: Option<&Coupon>, rule: TaxRule) -> Quote {
    let mut lines = vec![line(offer, "main", coupon)];
    if let Some(bump) = bump {
        lines.push(line(bump, "bump", coupon));
    }
    let subtotal = lines.iter().map(|l| l.amount).sum();
    let discount = lines.iter().map(|l| l.discount).sum();
    let (tax, total) = apply_tax(subtotal - discount, rule);
    Quote { currency: offer.currency.clone(), lines, subtotal, discount, tax, total, tax_rule: rule }
}

/// Payment number `index` (from 0) of a subscription or plan to `offer`: the period's price,
/// less the coupon while it lasts, with tax.
pub fn renewal(offer: &Offer, coupon: Option<&Coupon>, index: i32, rule: TaxRule) -> Quote {
    let amount = offer.amount;
    let discount = coupon
        .filter(|c| coupon_covers(c, offer) && coupon_applies_to_payment(c, index, offer.interval.as_deref()))
        .map_or(0, |c| discount_on(c, amount));
    let (tax, total) = apply_tax(amount - discount, rule);
    Quote {
        currency: offer.currency.clone(),
        lines: vec![Line { offer_id: offer.id, kind: "main", amount, discount }],
        subtotal: amount,
        discount,
        tax,
        total,
        tax_rule: rule,
    }
}

fn line(offer: &Offer, kind: &'static str, coupon: Option<&Coupon>) -> Line {
    let amount = first_amount(offer);
    let discount = coupon.filter(|c| coupon_covers(c, offer)).map_or(0, |c| discount_on(c, amount));
    Line { offer_id: offer.id, kind, amount, discount }
}

/// `n / d` rounded half away from zero, for non-negative `n` and positive `d`.
fn div_round(n: i64, d: i64) -> i64 {
    (n + d / 2) / d
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::{CouponId, OfferId, ProductId};

    fn offer(kind: &str, amount: i64) -> Offer {
        Offer {
            id: OfferId::new(),
            product_id: ProductId::new(),
            slug: "x".into(),
            name: "x".into(),
            kind: kind.into(),
            currency: "USD".into(),
            amount,
            interval: (kind != "one_time").then(|| "month".into()),
            installments: (kind == "plan").then_some(3),
            trial_days: 0,
            setup_fee: 0,
            visible: true,
            max_sales: None,
            closes_at: None,
            bump_offer_id: None,
            bump_headline: String::new(),
            upsell_offer_id: None,
            archived_at: None,
            created_at: Utc::now(),
        }
    }

    fn coupon(percent: Option<i32>, amount: Option<i64>, duration: &str, months: Option<i32>) -> Coupon {
        Coupon {
            id: CouponId::new(),
            code: "SAVE".into(),
            percent_off: percent,
            amount_off: amount,
            currency: amount.map(|_| "USD".into()),
            duration: duration.into(),
            duration_months: months,
            offer_ids: None,
            expires_at: None,
            max_redemptions: None,
            per_customer_limit: None,
            archived_at: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn a_coupon_and_a_bump_add_up_with_tax_on_top() {
        let main = offer("one_time", 19_900);
        let bump = offer("one_time", 2_700);
        let q = quote(
            &main,
            Some(&bump),
            Some(&coupon(Some(20), None, "once", None)),
            TaxRule { rate_bp: 2000, inclusive: false },
        );
        assert_eq!(q.subtotal, 22_600);
        assert_eq!(q.discount, 3_980 + 540);
        assert_eq!(q.tax, 3_616);
        assert_eq!(q.total, 18_080 + 3_616);
    }

    #[test]
    fn inclusive_tax_is_carved_out_of_the_price() {
        let q = quote(&offer("one_time", 12_000), None, None, TaxRule { rate_bp: 2000, inclusive: true });
        assert_eq!((q.tax, q.total), (2_000, 12_000));
    }

    #[test]
    fn a_fixed_coupon_never_makes_a_price_negative() {
        let q =
            quote(&offer("one_time", 500), None, Some(&coupon(None, Some(1_000), "once", None)), TaxRule::default());
        assert_eq!((q.discount, q.total), (500, 0));
    }

    #[test]
    fn a_fixed_coupon_in_another_currency_does_not_apply() {
        let mut c = coupon(None, Some(1_000), "once", None);
        c.currency = Some("EUR".into());
        let q = quote(&offer("one_time", 5_000), None, Some(&c), TaxRule::default());
        assert_eq!(q.total, 5_000);
    }

    #[test]
    fn a_trial_charges_only_the_setup_fee_now() {
        let mut sub = offer("subscription", 2_900);
        sub.trial_days = 14;
        sub.setup_fee = 4_900;
        assert_eq!(quote(&sub, None, None, TaxRule::default()).total, 4_900);
        sub.trial_days = 0;
        assert_eq!(quote(&sub, None, None, TaxRule::default()).total, 7_800);
    }

    #[test]
    fn coupon_durations_cover_the_right_payments() {
        let sub = offer("subscription", 3_000);
        let three = coupon(Some(50), None, "months", Some(3));
        let totals: Vec<i64> = (0..5).map(|i| renewal(&sub, Some(&three), i, TaxRule::default()).total).collect();
        assert_eq!(totals, [1_500, 1_500, 1_500, 3_000, 3_000]);
        let once = coupon(Some(50), None, "once", None);
        assert_eq!(renewal(&sub, Some(&once), 1, TaxRule::default()).total, 3_000);
        let forever = coupon(Some(50), None, "forever", None);
        assert_eq!(renewal(&sub, Some(&forever), 40, TaxRule::default()).total, 1_500);
        let mut yearly = offer("subscription", 30_000);
        yearly.interval = Some("year".into());
        assert_eq!(
            renewal(&yearly, Some(&coupon(Some(10), None, "months", Some(12))), 1, TaxRule::default()).total,
            30_000
        );
    }

    #[test]
    fn a_coupon_for_other_offers_leaves_the_price_alone() {
        let main = offer("one_time", 10_000);
        let mut c = coupon(Some(50), None, "once", None);
        c.offer_ids = Some(vec![OfferId::new().0]);
        assert_eq!(quote(&main, None, Some(&c), TaxRule::default()).total, 10_000);
    }
}
