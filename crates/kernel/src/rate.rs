//! Fixed-window rate limits kept in memory, keyed by what is being protected and by whom.
//!
//! [`RateLimiter::check`] counts every attempt. Where honest people share one address (a
//! classroom) and successes are harmless, count only failures instead: [`RateLimiter::peek`]
//! before the attempt, [`RateLimiter::hit`] when it failed.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::i18n::{self, Locale};

/// Counts attempts per key and window.
#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

/// A limit: at most `max` attempts per `window`.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Attempts allowed in one window.
    pub max: u32,
    /// The window's length.
    pub window: Duration,
}

impl RateLimiter {
    /// Records an attempt; `Err(seconds)` says how long to wait when over the limit.
    pub fn check(&self, key: &str, limit: Limit) -> Result<(), u64> {
        self.count(key, limit, true)
    }

    /// Whether `key` is over the limit, without counting an attempt; `Err(seconds)` to wait.
    pub fn peek(&self, key: &str, limit: Limit) -> Result<(), u64> {
        self.count(key, limit, false)
    }

    /// Counts one attempt (a failure seen after the fact), even past the limit.
    pub fn hit(&self, key: &str, limit: Limit) {
        let now = Instant::now();
        let mut map = self.windows.lock().expect("rate limiter");
        let entry = Self::window(&mut map, key, limit, now);
        entry.1 = entry.1.saturating_add(1);
    }

    fn count(&self, key: &str, limit: Limit, record: bool) -> Result<(), u64> {
        let now = Instant::now();
        let mut map = self.windows.lock().expect("rate limiter");
        let entry = Self::window(&mut map, key, limit, now);
        if entry.1 >= limit.max {
            let wait = limit.window.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        if record {
            entry.1 += 1;
        }
        Ok(())
    }

    /// The current window of `key`, started afresh when the last one is over.
    fn window<'m>(
        map: &'m mut HashMap<String, (Instant, u32)>,
        key: &str,
        limit: Limit,
        now: Instant,
    ) -> &'m mut (Instant, u32) {
        if map.len() > 50_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(3600));
        }
        let entry = map.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= limit.window {
            *entry = (now, 0);
        }
        entry
    }
}

/// "Try again in 3 minutes" (or seconds, under a minute) in `locale`, for a refused form.
pub fn wait_message(locale: Locale, seconds: u64) -> String {
    if seconds < 60 {
        i18n::t_args(locale, "rate-wait-seconds", &[("seconds", (seconds.max(1) as i64).into())])
    } else {
        i18n::t_args(locale, "rate-wait-minutes", &[("minutes", (seconds.div_ceil(60) as i64).into())])
    }
}

/// A form page shown again with status 429 and `Retry-After` (what was typed stays in it).
pub fn too_many_requests(page: impl IntoResponse, retry_after: u64) -> Response {
    let mut res = page.into_response();
    *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_and_says_how_long() {
        let r = RateLimiter::default();
        let limit = Limit { max: 2, window: Duration::from_secs(60) };
        assert!(r.check("login:a", limit).is_ok());
        assert!(r.check("login:a", limit).is_ok());
        let wait = r.check("login:a", limit).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(r.check("login:b", limit).is_ok());
    }

    #[test]
    fn the_wait_is_said_in_seconds_or_whole_minutes() {
        assert_eq!(wait_message(Locale::En, 1), "Too many attempts. Try again in one second.");
        assert_eq!(wait_message(Locale::En, 59), "Too many attempts. Try again in 59 seconds.");
        assert_eq!(wait_message(Locale::En, 61), "Too many attempts. Try again in 2 minutes.");
        assert_eq!(wait_message(Locale::Es, 60), "Demasiados intentos. Vuelve a intentarlo dentro de un minuto.");
    }

    #[test]
    fn peek_counts_nothing_and_hit_counts_failures() {
        let r = RateLimiter::default();
        let limit = Limit { max: 2, window: Duration::from_secs(60) };
        for _ in 0..10 {
            assert!(r.peek("fail:a", limit).is_ok(), "successes are not counted");
        }
        r.hit("fail:a", limit);
        assert!(r.peek("fail:a", limit).is_ok());
        r.hit("fail:a", limit);
        assert!((1..=60).contains(&r.peek("fail:a", limit).unwrap_err()));
        assert!(r.check("fail:a", limit).is_err(), "check sees the same count");
    }
}
