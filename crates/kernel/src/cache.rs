//! A small in-process cache with a time to live, for look-ups made on every request (which
//! school a host is). Each `serve` process has its own; entries expire quickly, and the
//! process that changes the underlying data clears them at once.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Values by string key, each valid for `ttl` after it was stored.
pub struct TtlCache<V> {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> TtlCache<V> {
    /// An empty cache.
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::new(HashMap::new()) }
    }

    /// The value stored under `key`, unless it has expired.
    pub fn get(&self, key: &str) -> Option<V> {
        let map = self.entries.lock().expect("cache");
        map.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, v)| v.clone())
    }

    /// Stores a value.
    pub fn insert(&self, key: String, value: V) {
        let mut map = self.entries.lock().expect("cache");
        if map.len() > 10_000 {
            let ttl = self.ttl;
            map.retain(|_, (at, _)| at.elapsed() < ttl);
        }
        map.insert(key, (Instant::now(), value));
    }

    /// Forgets everything (after a change to what is cached).
    pub fn clear(&self) {
        self.entries.lock().expect("cache").clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_expire_and_can_be_cleared() {
        let c = TtlCache::new(Duration::from_millis(30));
        c.insert("a".into(), 1);
        assert_eq!(c.get("a"), Some(1));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(c.get("a"), None);
        c.insert("b".into(), 2);
        c.clear();
        assert_eq!(c.get("b"), None);
    }
}
