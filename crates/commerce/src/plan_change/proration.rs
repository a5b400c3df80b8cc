//! What moving a subscription to another offer costs now: pure integer maths on seconds, so
//! the plan page's preview and the charge agree to the cent.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{
    model::Offer,
    pricing::{TaxRule, apply_tax},
};

/// What a move to another offer costs now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Proration {
    /// Whether it happens now (an upgrade) or at the next renewal (a downgrade).
    pub immediate: bool,
    /// Credit for the unused part of the current period.
    pub credit: i64,
    /// The new offer's price for the same unused part (or its whole first period when the
    /// billing interval changes).
    pub new_part: i64,
    /// Charged now, before tax: `new_part - credit`, never below zero.
    pub charge: i64,
    /// Tax on the charge.
    pub tax: i64,
    /// What the card is charged now.
    pub total: i64,
    /// A change of interval starts a fresh period now.
    pub restarts_period: bool,
}

fn months(offer: &Offer) -> i64 {
    if offer.interval.as_deref() == Some("year") { 12 } else { 1 }
}

/// Prorates a move from `current` (paying `paid` a period from `start` to `end`) to `target`
/// at `now`: integer maths on seconds, rounding the credit down and the new part down, so the
/// student is never charged for a second they do not get.
pub fn prorate(
    current: &Offer,
    paid: i64,
    target: &Offer,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
    rule: TaxRule,
) -> Proration {
    let period = (end - start).num_seconds().max(1);
    let left = (end - now).num_seconds().clamp(0, period);
    let part = |amount: i64| (i128::from(amount) * i128::from(left) / i128::from(period)) as i64;
    // Dearer per month is an upgrade; compared without division.
    let immediate =
        i128::from(target.amount) * i128::from(months(current)) > i128::from(paid) * i128::from(months(target));
    let restarts_period = months(current) != months(target);
    let credit = part(paid);
    let new_part = if restarts_period { target.amount } else { part(target.amount) };
    let charge = if immediate { (new_part - credit).max(0) } else { 0 };
    let (tax, total) = apply_tax(charge, rule);
    Proration { immediate, credit, new_part, charge, tax, total, restarts_period }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::model::{OfferId, ProductId};

    fn offer(amount: i64, interval: &str) -> Offer {
        Offer {
            id: OfferId::new(),
            product_id: ProductId::new(),
            slug: "x".into(),
            name: "x".into(),
            kind: "subscription".into(),
            currency: "USD".into(),
            amount,
            interval: Some(interval.into()),
            installments: None,
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

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn an_upgrade_halfway_charges_half_the_difference() {
        // November has 30 days: on the 16th, 15 of them are left.
        let p = prorate(
            &offer(2_000, "month"),
            2_000,
            &offer(5_000, "month"),
            (day(1), day(1) + chrono::Duration::days(30)),
            day(16),
            TaxRule::default(),
        );
        assert!(p.immediate);
        assert_eq!((p.credit, p.new_part, p.charge, p.total), (1_000, 2_500, 1_500, 1_500));
    }

    #[test]
    fn the_credit_rounds_down_to_the_second() {
        let start = day(1);
        let end = start + chrono::Duration::days(30);
        let now = end - chrono::Duration::seconds(1);
        let p = prorate(&offer(2_999, "month"), 2_999, &offer(4_999, "month"), (start, end), now, TaxRule::default());
        assert_eq!((p.credit, p.new_part, p.charge), (0, 0, 0));
        let p = prorate(
            &offer(2_999, "month"),
            2_999,
            &offer(4_999, "month"),
            (start, end),
            start + chrono::Duration::days(10),
            TaxRule { rate_bp: 2000, inclusive: false },
        );
        // 20 of 30 days left: credit 1999.33 → 1999, new part 3332.66 → 3332.
        assert_eq!((p.credit, p.new_part, p.charge, p.tax, p.total), (1_999, 3_332, 1_333, 267, 1_600));
    }

    #[test]
    fn a_cheaper_plan_waits_for_the_renewal() {
        let p = prorate(
            &offer(5_000, "month"),
            5_000,
            &offer(2_000, "month"),
            (day(1), day(1) + chrono::Duration::days(30)),
            day(10),
            TaxRule::default(),
        );
        assert!(!p.immediate);
        assert_eq!(p.total, 0);
    }

    #[test]
    fn monthly_to_yearly_restarts_the_period() {
        let p = prorate(
            &offer(3_000, "month"),
            3_000,
            &offer(40_000, "year"),
            (day(1), day(1) + chrono::Duration::days(30)),
            day(16),
            TaxRule::default(),
        );
        assert!(p.immediate && p.restarts_period);
        assert_eq!((p.credit, p.charge), (1_500, 38_500));
        // 30000 a year is 2500 a month: 2000 a month is cheaper, so it waits.
        let p = prorate(
            &offer(30_000, "year"),
            30_000,
            &offer(2_000, "month"),
            (day(1), day(1) + chrono::Duration::days(365)),
            day(2),
            TaxRule::default(),
        );
        assert!(!p.immediate);
    }
}
