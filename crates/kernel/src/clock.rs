//! The application's clock. Rules that depend on time (drip schedules, trials, renewals, end
//! dates) read [`Clock::now`] rather than `Utc::now()`, so tests and the demo operator can move
//! time forward and watch a lesson unlock or a subscription renew without waiting. In
//! production nothing advances it and it is the system clock.

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use chrono::{DateTime, Duration, Utc};

/// The system clock plus an offset that only moves forward.
#[derive(Clone, Default, Debug)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// The application's present moment.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Moves the clock forward by `by` (negative durations are ignored).
    pub fn advance(&self, by: Duration) {
        let seconds = by.num_seconds().max(0);
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }

    /// How far the clock runs ahead of the system's.
    pub fn offset(&self) -> Duration {
        Duration::seconds(self.offset_seconds.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_forward_only() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::days(3));
        clock.advance(Duration::days(-10));
        assert!(clock.now() - before >= Duration::days(3));
        assert!(clock.now() - before < Duration::days(3) + Duration::minutes(1));
        assert_eq!(clock.clone().offset(), Duration::days(3));
    }
}
