//! Broadcasts: one email sent to a segment of contacts, now or at a chosen time, optionally at
//! that wall-clock time in each recipient's own zone; cancelled while it runs (what went stays
//! sent); resent with a new subject to those who did not open it.
//!
//! When a broadcast starts (the job `email.broadcast.start`, or the minute sweep for a clock
//! moved by the operator) its recipients become `email_deliveries` rows in one
//! `insert … select` from the segment, and the sending engine takes over. The unique index on
//! `(broadcast_id, to_email)` makes a start that runs twice harmless; the sweep marks the
//! broadcast `sent` when nothing of it is queued any more.

pub mod routes;
pub mod routes_edit;
pub mod sending;
pub mod store;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;

use super::segments::Segment;
pub use sending::{cancel, run_due, schedule, start};

kernel::id_type!(
    /// A broadcast.
    BroadcastId
);

/// The jobs of broadcasts.
pub const START_JOB: &str = "email.broadcast.start";
/// The minute sweep that starts what is due and finishes what was sent.
pub const SWEEP_JOB: &str = "email.broadcast.sweep";

/// A broadcast as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Broadcast {
    /// Its id.
    pub id: BroadcastId,
    /// The email it sends.
    pub email_id: super::EmailId,
    /// Its name in the admin.
    pub name: String,
    /// Who it goes to (ignored by a resend, which goes to the parent's non-openers).
    pub segment: serde_json::Value,
    /// `draft`, `scheduled`, `sending`, `sent` or `cancelled`.
    pub status: String,
    /// The moment chosen.
    pub send_at: Option<DateTime<Utc>>,
    /// Deliver at `send_at`'s wall-clock time in each recipient's zone.
    pub local_time: bool,
    /// The school's zone when it was scheduled.
    pub time_zone: String,
    /// When it starts (the earliest local time with `local_time`).
    pub start_at: Option<DateTime<Utc>>,
    /// The broadcast this one resends to non-openers.
    pub parent_id: Option<BroadcastId>,
    /// The subject replacing the email's (a resend's new subject).
    pub subject: Option<String>,
    /// Recipients queued when it started.
    pub recipients: i32,
    /// When it started and finished.
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished (sent or cancelled).
    pub finished_at: Option<DateTime<Utc>>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

impl Broadcast {
    /// Its segment (the default, everyone subscribed, when unreadable).
    pub fn segment(&self) -> Segment {
        serde_json::from_value(self.segment.clone()).unwrap_or_default()
    }

    /// Whether it may still be changed.
    pub fn editable(&self) -> bool {
        self.status == "draft"
    }

    /// Whether it may be cancelled.
    pub fn cancellable(&self) -> bool {
        matches!(self.status.as_str(), "scheduled" | "sending")
    }
}

/// The zone furthest ahead of UTC (UTC+14): a local-time send starts when its hour comes there.
pub const EARLIEST_OFFSET_HOURS: i64 = 14;

/// The wall-clock time of `at` in `zone`.
pub fn wall_clock(at: DateTime<Utc>, zone: &str) -> NaiveDateTime {
    at.with_timezone(&kernel::format::tz(zone)).naive_local()
}

/// When a send at `send_at` starts: then, or for local time when that wall-clock time first
/// comes anywhere.
pub fn start_time(send_at: DateTime<Utc>, local_time: bool, zone: &str) -> DateTime<Utc> {
    if !local_time {
        return send_at;
    }
    wall_clock(send_at, zone).and_utc() - chrono::Duration::hours(EARLIEST_OFFSET_HOURS)
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
    wall_clock(at, zone).format("%Y-%m-%dT%H:%M").to_string()
}

/// A count with thousands grouped for the locale: `1,284` or `1.284`.
pub fn grouped(n: i64, locale: kernel::i18n::Locale) -> String {
    let digits = n.abs().to_string();
    let sep = if locale == kernel::i18n::Locale::Es { '.' } else { ',' };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Jobs and subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    super::segments::wire(w);
    sending::wire(w);
}

/// Routes.
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_for_the_reader() {
        assert_eq!(grouped(1284, kernel::i18n::Locale::En), "1,284");
        assert_eq!(grouped(1_234_567, kernel::i18n::Locale::Es), "1.234.567");
        assert_eq!(grouped(12, kernel::i18n::Locale::En), "12");
    }

    #[test]
    fn a_local_time_send_starts_where_the_day_begins_first() {
        let at = utc_from_local("2026-12-05T09:00", "Europe/Madrid").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-12-05T08:00:00+00:00");
        assert_eq!(start_time(at, false, "Europe/Madrid"), at);
        assert_eq!(start_time(at, true, "Europe/Madrid").to_rfc3339(), "2026-12-04T19:00:00+00:00");
    }
}
