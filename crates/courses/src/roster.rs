//! A course's students as staff see them: who is enrolled, how far they got, where their access
//! stands; and enrolling someone by address, creating their account when they have none.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use identity::{User, model::Email};
use kernel::{AppState, db::TenantTx};
use serde::Serialize;

use crate::{
    enrollment::{self, Enrolled, Source},
    model::{Course, Enrollment, EnrollmentState},
    store,
};

/// One row of a course's student list.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The enrolment.
    pub enrollment: Enrollment,
    /// The student's name.
    pub name: String,
    /// The student's address.
    pub email: String,
    /// Where access stands now.
    pub state: EnrollmentState,
    /// Required lessons done.
    pub done: i64,
    /// Course progress, 0–100.
    pub percent: i64,
    /// The last day of access in the school's time zone (`YYYY-MM-DD`), empty when it never ends.
    pub last_day: String,
}

/// Every enrolment in `course` with its student and progress, newest first.
pub async fn rows(tx: &mut TenantTx, course: &Course, now: DateTime<Utc>, zone: &str) -> sqlx::Result<Vec<Row>> {
    let enrollments = store::enrollments_of_course(tx, course.id).await?;
    let total = store::required_total(tx, course.id).await?;
    let done: HashMap<_, _> = store::required_done(tx, course.id).await?.into_iter().collect();
    let ids: Vec<_> = enrollments.iter().map(|e| e.user_id).collect();
    let users: HashMap<_, _> = identity::store::find_many(tx, &ids).await?.into_iter().map(|u| (u.id, u)).collect();
    Ok(enrollments
        .into_iter()
        .filter_map(|e| {
            let user = users.get(&e.user_id).filter(|u| u.deleted_at.is_none())?;
            let done = done.get(&e.user_id).copied().unwrap_or(0).min(total);
            Some(Row {
                name: user.name.clone(),
                email: user.email.clone(),
                state: e.state(now),
                done,
                percent: percent(done, total),
                last_day: e.ends_at.map(|end| last_day(end, zone)).unwrap_or_default(),
                enrollment: e,
            })
        })
        .collect())
}

/// `done` of `total` as a whole percentage (0 for a course without required lessons).
pub fn percent(done: i64, total: i64) -> i64 {
    if total <= 0 { 0 } else { done * 100 / total }
}

/// What [`enroll_by_email`] did.
#[derive(Clone, Debug)]
pub struct ByEmail {
    /// The student.
    pub user: User,
    /// Their account was created for this enrolment.
    pub created: bool,
    /// Access was new or restored (else they already had it).
    pub granted: bool,
}

/// Enrols the person with `email` in `course` (creating a student account when there is none),
/// until `ends_at`. The enrolment email (see [`crate::mail`]) invites a new account to choose
/// a password.
pub async fn enroll_by_email(
    state: &AppState,
    tx: &mut TenantTx,
    course: &Course,
    email: &Email,
    name: &str,
    ends_at: Option<DateTime<Utc>>,
    source: Source,
) -> anyhow::Result<ByEmail> {
    let (user, created) = identity::service::people::find_or_create_student(tx, email, name).await?;
    let done = enrollment::enroll(state, tx, user.id, course, source, None, ends_at).await?;
    Ok(ByEmail { user, created, granted: matches!(done, Enrolled::Granted(_)) })
}

/// The end of access for a day chosen in a form: the end of that day in the school's time zone.
/// `None` for a date that cannot be read.
pub fn end_of_day(date: &str, zone: &str) -> Option<DateTime<Utc>> {
    let day = parse_date(date)?;
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    let end = day.succ_opt()?.and_hms_opt(0, 0, 0)?;
    tz.from_local_datetime(&end).earliest().map(|t| t.with_timezone(&Utc))
}

/// The last day of access that ends at `end`, in `zone` (the inverse of [`end_of_day`]).
pub fn last_day(end: DateTime<Utc>, zone: &str) -> String {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    (end - chrono::Duration::seconds(1)).with_timezone(&tz).format("%Y-%m-%d").to_string()
}

/// A day as people write it in forms and spreadsheets: `2027-03-31`, `2027/03/31`,
/// `31.03.2027`, or the date part of an ISO timestamp.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = s.split_once('T').map_or(s, |(d, _)| d);
    ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y"].iter().find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_common_shapes_and_end_at_midnight_in_the_school_zone() {
        assert_eq!(parse_date("2027-03-31"), NaiveDate::from_ymd_opt(2027, 3, 31));
        assert_eq!(parse_date("2027/03/31"), NaiveDate::from_ymd_opt(2027, 3, 31));
        assert_eq!(parse_date(" 31.03.2027 "), NaiveDate::from_ymd_opt(2027, 3, 31));
        assert_eq!(parse_date("2027-03-31T10:00:00Z"), NaiveDate::from_ymd_opt(2027, 3, 31));
        assert_eq!(parse_date("31/03/2027"), None);
        assert_eq!(parse_date("soon"), None);
        let end = end_of_day("2027-01-15", "Europe/Madrid").unwrap();
        assert_eq!(end.to_rfc3339(), "2027-01-15T23:00:00+00:00");
        assert_eq!(last_day(end, "Europe/Madrid"), "2027-01-15");
    }

    #[test]
    fn progress_is_a_whole_share_of_required_lessons() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(3, 3), 100);
    }
}
