//! The drip fields shared by the lesson editor and module settings: what the form posts, how
//! it becomes a [`Drip`] (a date typed in the school's time zone, stored in UTC), and the
//! values to show again.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::model::{Drip, LessonId, ModuleId};

/// The drip fields as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct DripForm {
    /// `now`, `days`, `date`, `after_lesson` or `after_module`.
    #[serde(default)]
    pub drip: String,
    /// Days after enrolment.
    #[serde(default)]
    pub drip_days: String,
    /// `YYYY-MM-DDTHH:MM` in the school's time zone.
    #[serde(default)]
    pub drip_date: String,
    /// The earlier lesson to complete first.
    #[serde(default)]
    pub drip_lesson: String,
    /// The earlier module to complete first.
    #[serde(default)]
    pub drip_module: String,
}

/// Why the drip fields could not be read: the field and the Fluent key of its message.
pub type DripError = (&'static str, &'static str);

impl DripForm {
    /// The form showing a stored rule, its date in `zone`.
    pub fn from_drip(drip: Drip, zone: &str) -> Self {
        let (rule, days, at, after) = drip.to_columns();
        let mut f = Self { drip: rule.into(), ..Self::default() };
        f.drip_days = days.map(|d| d.to_string()).unwrap_or_default();
        f.drip_date = at.map(|at| local_input(at, zone)).unwrap_or_default();
        match drip {
            Drip::AfterLesson(_) => f.drip_lesson = after.map(|a| a.to_string()).unwrap_or_default(),
            Drip::AfterModule(_) => f.drip_module = after.map(|a| a.to_string()).unwrap_or_default(),
            _ => {}
        }
        f
    }

    /// The rule, given the lessons and modules it may wait for (those before the item).
    pub fn parse(&self, zone: &str, lessons: &[LessonId], modules: &[ModuleId]) -> Result<Drip, DripError> {
        match self.drip.as_str() {
            "" | "now" => Ok(Drip::Now),
            "days" => match self.drip_days.trim().parse::<i32>() {
                Ok(d) if (0..=3650).contains(&d) => Ok(Drip::Days(d)),
                _ => Err(("drip_days", "content-drip-error-days")),
            },
            "date" => {
                utc_from_local(&self.drip_date, zone).map(Drip::Date).ok_or(("drip_date", "content-drip-error-date"))
            }
            "after_lesson" => match self.drip_lesson.parse() {
                Ok(id) if lessons.contains(&LessonId(id)) => Ok(Drip::AfterLesson(LessonId(id))),
                _ => Err(("drip_lesson", "content-drip-error-lesson")),
            },
            "after_module" => match self.drip_module.parse() {
                Ok(id) if modules.contains(&ModuleId(id)) => Ok(Drip::AfterModule(ModuleId(id))),
                _ => Err(("drip_module", "content-drip-error-module")),
            },
            _ => Err(("drip", "content-drip-error-rule")),
        }
    }
}

fn zone_of(zone: &str) -> Tz {
    zone.parse().unwrap_or(Tz::UTC)
}

/// A moment as a `datetime-local` value in `zone`.
pub fn local_input(at: DateTime<Utc>, zone: &str) -> String {
    at.with_timezone(&zone_of(zone)).format("%Y-%m-%dT%H:%M").to_string()
}

/// A `datetime-local` value typed in `zone` as UTC; `None` when malformed or a time the clocks
/// skip (the spring-forward hour). In the repeated autumn hour the earlier moment is meant.
pub fn utc_from_local(value: &str, zone: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    zone_of(zone).from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_typed_in_the_school_zone_and_stored_in_utc() {
        let at = utc_from_local("2027-03-01T09:30", "America/Mexico_City").unwrap();
        assert_eq!(at.to_rfc3339(), "2027-03-01T15:30:00+00:00");
        assert_eq!(local_input(at, "America/Mexico_City"), "2027-03-01T09:30");
        assert_eq!(utc_from_local("2027-03-28T02:30", "Europe/Madrid"), None, "the hour the clocks skip");
        assert_eq!(utc_from_local("tomorrow", "Europe/Madrid"), None);
    }

    #[test]
    fn rules_need_their_detail() {
        let lesson = LessonId::new();
        let f = |drip: &str, days: &str, lesson: &str| DripForm {
            drip: drip.into(),
            drip_days: days.into(),
            drip_lesson: lesson.into(),
            ..DripForm::default()
        };
        assert_eq!(f("now", "", "").parse("UTC", &[], &[]), Ok(Drip::Now));
        assert_eq!(f("days", "7", "").parse("UTC", &[], &[]), Ok(Drip::Days(7)));
        assert_eq!(f("days", "-1", "").parse("UTC", &[], &[]), Err(("drip_days", "content-drip-error-days")));
        assert_eq!(f("date", "", "").parse("UTC", &[], &[]), Err(("drip_date", "content-drip-error-date")));
        let id = lesson.to_string();
        assert_eq!(f("after_lesson", "", &id).parse("UTC", &[lesson], &[]), Ok(Drip::AfterLesson(lesson)));
        assert!(f("after_lesson", "", &id).parse("UTC", &[], &[]).is_err(), "only an earlier lesson");
        let back = DripForm::from_drip(Drip::AfterLesson(lesson), "UTC");
        assert_eq!(back.drip_lesson, id);
    }
}
