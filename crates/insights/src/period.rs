//! The period picker of the analytics pages: the last 7, 30 or 90 days, or all time.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// A span of days ending today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Period {
    /// The last this many days, today included.
    Days(i64),
    /// Since the school began.
    All,
}

impl Period {
    /// The periods the picker offers, in its order.
    pub const CHOICES: [Period; 4] = [Period::Days(7), Period::Days(30), Period::Days(90), Period::All];

    /// From the query string (`7`, `30`, `90`, `all`); anything else is the default, 30 days.
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("7") => Self::Days(7),
            Some("90") => Self::Days(90),
            Some("all") => Self::All,
            _ => Self::Days(30),
        }
    }

    /// As the query string writes it.
    pub fn as_str(self) -> String {
        match self {
            Self::Days(n) => n.to_string(),
            Self::All => "all".into(),
        }
    }

    /// The first day inside the period when `today` is its last (none: all time).
    pub fn first_day(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Days(n) => Some(today - Duration::days(n - 1)),
            Self::All => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_reads_its_choices_and_defaults_to_thirty_days() {
        for p in Period::CHOICES {
            assert_eq!(Period::parse(Some(&p.as_str())), p);
        }
        assert_eq!(Period::parse(Some("365")), Period::Days(30));
        assert_eq!(Period::parse(None), Period::Days(30));
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(Period::Days(7).first_day(today), NaiveDate::from_ymd_opt(2026, 11, 24));
        assert_eq!(Period::All.first_day(today), None);
    }
}
