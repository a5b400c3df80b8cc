//! Fixed-window rate limits kept in memory, keyed by what is being protected and by whom.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

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
        let now = Instant::now();
        let mut map = self.windows.lock().expect("rate limiter");
        if map.len() > 50_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(3600));
        }
        let entry = map.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= limit.window {
            *entry = (now, 0);
        }
        if entry.1 >= limit.max {
            let wait = limit.window.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
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
}
