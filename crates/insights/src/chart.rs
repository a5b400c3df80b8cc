//! Server-rendered charts: the numbers a template needs to draw SVG columns and sparklines, so
//! a chart costs no script and scales to any width (the SVG stretches, its text stays HTML).

use chrono::{Duration, NaiveDate};
use kernel::i18n::Locale;
use serde::Serialize;

/// Height of the drawing area in SVG units.
const HEIGHT: f64 = 100.0;
/// Width given to each column in SVG units (the bar uses 70% of it).
const SLOT: f64 = 10.0;

/// One column of a column chart.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Column {
    /// The day it counts.
    pub day: NaiveDate,
    /// The count.
    pub value: i64,
    /// The day in words ("Nov 27, 2026").
    pub label: String,
    /// Left edge, in SVG units.
    pub x: f64,
    /// Top edge, in SVG units.
    pub y: f64,
    /// Width, in SVG units.
    pub width: f64,
    /// Height, in SVG units.
    pub height: f64,
}

/// A column chart of daily counts, ready to draw in a `0 0 {width} 100` view box.
#[derive(Clone, Debug, Serialize)]
pub struct Columns {
    /// The columns, oldest first.
    pub columns: Vec<Column>,
    /// The view box's width.
    pub width: i64,
    /// The largest count (the top of the scale).
    pub max: i64,
    /// The sum of the counts.
    pub total: i64,
}

/// Every day from `first` to `last` with its count from `values` (missing days count 0).
pub fn daily(values: &[(NaiveDate, i64)], first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, i64)> {
    let mut out = vec![];
    let mut day = first;
    while day <= last {
        out.push((day, values.iter().filter(|v| v.0 == day).map(|v| v.1).sum()));
        day += Duration::days(1);
    }
    out
}

/// A day in words, in the viewer's language.
pub fn day_label(day: NaiveDate, locale: Locale) -> String {
    kernel::format::date(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc(), "UTC", locale)
}

/// Lays out columns for `series`; an all-zero series draws empty stubs.
pub fn columns(series: &[(NaiveDate, i64)], locale: Locale) -> Columns {
    let max = series.iter().map(|s| s.1).max().unwrap_or(0).max(0);
    let columns = series
        .iter()
        .enumerate()
        .map(|(i, &(day, value))| {
            // A zero still shows a hairline so the axis reads as days, not as missing data.
            let height = if max == 0 { 1.0 } else { (value.max(0) as f64 / max as f64 * (HEIGHT - 4.0)).max(1.0) };
            Column {
                day,
                value,
                label: day_label(day, locale),
                x: i as f64 * SLOT + SLOT * 0.15,
                y: HEIGHT - height,
                width: SLOT * 0.7,
                height,
            }
        })
        .collect();
    Columns { columns, width: series.len().max(1) as i64 * SLOT as i64, max, total: series.iter().map(|s| s.1).sum() }
}

/// The `points` of a sparkline polyline in a `0 0 100 30` view box.
pub fn sparkline(values: &[i64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = if values.len() > 1 { 100.0 / (values.len() - 1) as f64 } else { 0.0 };
    values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", i as f64 * step, 28.0 - (*v as f64 / max) * 26.0))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The change from `before` to `now` in percent (none when there was nothing before).
pub fn trend(now: i64, before: i64) -> Option<i64> {
    (before > 0).then(|| ((now - before) as f64 * 100.0 / before as f64).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn columns_scale_to_the_largest_day_and_fill_missing_days() {
        let series = daily(&[(day(2), 4), (day(4), 2)], day(1), day(4));
        assert_eq!(series.iter().map(|s| s.1).collect::<Vec<_>>(), [0, 4, 0, 2]);
        let c = columns(&series, Locale::En);
        assert_eq!(c.columns[0].label, "Nov 1, 2026");
        assert_eq!((c.max, c.total, c.width), (4, 6, 40));
        assert_eq!(c.columns[1].height, 96.0);
        assert_eq!(c.columns[3].height, 48.0);
        assert_eq!(c.columns[0].height, 1.0, "a zero day is a hairline");
        assert_eq!(c.columns[1].y + c.columns[1].height, 100.0, "columns stand on the axis");
    }

    #[test]
    fn trends_and_sparklines() {
        assert_eq!(trend(15, 10), Some(50));
        assert_eq!(trend(5, 10), Some(-50));
        assert_eq!(trend(3, 0), None);
        assert_eq!(sparkline(&[0, 2, 1]), "0.0,28.0 50.0,2.0 100.0,15.0");
        assert_eq!(sparkline(&[]), "");
    }
}
