//! What a page's stats screen shows: the chosen period, rates, a daily chart and the A/B
//! significance test. Pure functions over [`crate::funnel_store`]'s counts.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::funnel_store::Counts;

/// A period of whole UTC days, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// `7`, `30`, `90` or `0` for custom dates.
    pub preset: u32,
}

impl Period {
    /// The period a query string asks for (`days=7|30|90`, or `from`/`to` as `YYYY-MM-DD`),
    /// ending `today`; 30 days when it asks for nothing sensible. A custom period is capped at
    /// 366 days and its ends are put in order.
    pub fn parse(days: &str, from: &str, to: &str, today: NaiveDate) -> Self {
        if let (Ok(a), Ok(b)) = (from.parse::<NaiveDate>(), to.parse::<NaiveDate>()) {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            let a = a.max(b - Duration::days(365));
            return Self { from: a, to: b, preset: 0 };
        }
        let n = match days {
            "7" => 7,
            "90" => 90,
            _ => 30,
        };
        Self { from: today - Duration::days(i64::from(n) - 1), to: today, preset: n }
    }

    /// The period's start instant.
    pub fn start(&self) -> DateTime<Utc> {
        self.from.and_hms_opt(0, 0, 0).expect("midnight").and_utc()
    }

    /// The instant after the period.
    pub fn end(&self) -> DateTime<Utc> {
        (self.to + Duration::days(1)).and_hms_opt(0, 0, 0).expect("midnight").and_utc()
    }

    /// Every day of the period.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.from.iter_days().take_while(|d| *d <= self.to).collect()
    }
}

/// `part / whole` as a percentage with one decimal, or `None` with nothing to divide by.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// One bar group of the daily chart, with heights in percent of the tallest day.
#[derive(Debug, Clone, Serialize)]
pub struct ChartDay {
    /// The day.
    pub day: NaiveDate,
    /// The day as the viewer reads it.
    pub label: String,
    /// Visitors that day.
    pub visitors: i64,
    /// Opt-ins and sales that day.
    pub conversions: i64,
    /// Height of the visitors bar, 0–100.
    pub visitors_h: f64,
    /// Height of the conversions bar, 0–100.
    pub conversions_h: f64,
}

/// The daily chart over every day of `period` (days without activity show as zero), each day
/// written by `label`.
pub fn chart(period: &Period, daily: &[Counts], label: impl Fn(NaiveDate) -> String) -> Vec<ChartDay> {
    let top = daily.iter().map(|c| c.visitors.max(c.optins + c.sales)).max().unwrap_or(0).max(1) as f64;
    period
        .days()
        .into_iter()
        .map(|day| {
            let c = daily.iter().find(|c| c.day == Some(day));
            let visitors = c.map_or(0, |c| c.visitors);
            let conversions = c.map_or(0, |c| c.optins + c.sales);
            ChartDay {
                day,
                label: label(day),
                visitors,
                conversions,
                visitors_h: (visitors as f64 * 100.0 / top).round(),
                conversions_h: (conversions as f64 * 100.0 / top).round(),
            }
        })
        .collect()
}

/// The outcome of a two-proportion z-test of variant B against A.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Significance {
    /// B's conversion rate minus A's, in percentage points.
    pub difference: f64,
    /// The z statistic.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Whether the difference is significant at 95%: p < 0.05 and at least 30 visitors per arm.
    pub significant: bool,
}

/// Fewest visitors in each arm before a result may be called significant.
pub const MIN_VISITORS: i64 = 30;

/// Two-proportion z-test (pooled) of `conv_b / n_b` against `conv_a / n_a`; `None` when an arm has
/// no visitors.
pub fn significance(conv_a: i64, n_a: i64, conv_b: i64, n_b: i64) -> Option<Significance> {
    if n_a <= 0 || n_b <= 0 {
        return None;
    }
    let (ca, cb) = (conv_a.clamp(0, n_a) as f64, conv_b.clamp(0, n_b) as f64);
    let (na, nb) = (n_a as f64, n_b as f64);
    let (pa, pb) = (ca / na, cb / nb);
    let pooled = (ca + cb) / (na + nb);
    let se = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    let z = if se > 0.0 { (pb - pa) / se } else { 0.0 };
    let p_value = (2.0 * (1.0 - normal_cdf(z.abs()))).clamp(0.0, 1.0);
    Some(Significance {
        difference: ((pb - pa) * 1000.0).round() / 10.0,
        z,
        p_value,
        significant: p_value < 0.05 && n_a >= MIN_VISITORS && n_b >= MIN_VISITORS,
    })
}

/// The standard normal distribution function, by the Abramowitz–Stegun 7.1.26 approximation of
/// erf (absolute error below 1.5e-7).
fn normal_cdf(x: f64) -> f64 {
    let t = x / std::f64::consts::SQRT_2;
    let sign = if t < 0.0 { -1.0 } else { 1.0 };
    let t = t.abs();
    let k = 1.0 / (1.0 + 0.327_591_1 * t);
    let poly =
        k * (0.254_829_592 + k * (-0.284_496_736 + k * (1.421_413_741 + k * (-1.453_152_027 + k * 1.061_405_429))));
    let erf = 1.0 - poly * (-t * t).exp();
    0.5 * (1.0 + sign * erf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_test_matches_known_values() {
        // 200/1000 against 250/1000: z ≈ 2.68, p ≈ 0.0073.
        let s = significance(200, 1000, 250, 1000).unwrap();
        assert!((s.z - 2.683).abs() < 0.01, "{}", s.z);
        assert!((s.p_value - 0.0073).abs() < 0.0005, "{}", s.p_value);
        assert!(s.significant);
        assert_eq!(s.difference, 5.0);
        // Equal rates: nothing to see.
        let s = significance(10, 100, 10, 100).unwrap();
        assert!(s.z.abs() < 1e-9 && (s.p_value - 1.0).abs() < 1e-6 && !s.significant);
        // A big difference on too few visitors is not called.
        let s = significance(1, 20, 15, 20).unwrap();
        assert!(s.p_value < 0.05 && !s.significant);
        assert!(significance(0, 0, 1, 10).is_none());
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
    }

    #[test]
    fn periods_and_rates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let p = Period::parse("7", "", "", today);
        assert_eq!((p.from, p.to, p.days().len()), (NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(), today, 7));
        assert_eq!(Period::parse("x", "", "", today).preset, 30);
        let c = Period::parse("", "2026-11-10", "2026-11-01", today);
        assert_eq!((c.from.to_string(), c.to.to_string(), c.preset), ("2026-11-01".into(), "2026-11-10".into(), 0));
        assert_eq!(rate(1, 3), Some(33.3));
        assert_eq!(rate(1, 0), None);
    }
}
