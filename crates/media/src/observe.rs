//! What happens after someone watched: other domains (courses: "a lesson completes once its
//! video was watched far enough") implement [`WatchObserver`] and register it with
//! [`register`] when the application is wired. Media's heartbeat calls every observer in the
//! transaction that recorded the beat, so a completion and the watch record land together.

use std::sync::Arc;

use identity::User;
use kernel::{AppState, db::TenantTx, state::Wiring};

use crate::model::MediaId;

/// One viewer's watching of an item, as recorded after a heartbeat.
#[derive(Clone, Copy, Debug)]
pub struct Watched {
    /// The item.
    pub media: MediaId,
    /// Seconds the viewer has really watched in all (capped by the clock, see the store).
    pub seconds: f64,
    /// The item's duration in seconds (0 when unknown).
    pub duration: f64,
}

impl Watched {
    /// The share watched, 0–100 (0 for an item of unknown duration).
    pub fn percent(&self) -> f64 {
        if self.duration <= 0.0 { 0.0 } else { (self.seconds / self.duration * 100.0).min(100.0) }
    }
}

/// A reaction to watching, run in the heartbeat's transaction.
#[async_trait::async_trait]
pub trait WatchObserver: Send + Sync {
    /// `user` has now watched `watched.seconds` of `watched.media`.
    async fn watched(&self, state: &AppState, tx: &mut TenantTx, user: &User, watched: Watched) -> anyhow::Result<()>;
}

/// The registered observers, kept in the state's extensions.
#[derive(Clone, Default)]
pub struct WatchObservers(Vec<Arc<dyn WatchObserver>>);

/// Adds an observer (call while wiring the application).
pub fn register(w: &mut Wiring, observer: Arc<dyn WatchObserver>) {
    let mut all = w.extensions.remove::<WatchObservers>().unwrap_or_default();
    all.0.push(observer);
    w.extensions.insert(all);
}

/// Tells every registered observer that `user` watched.
pub async fn notify(state: &AppState, tx: &mut TenantTx, user: &User, watched: Watched) -> anyhow::Result<()> {
    if let Some(observers) = state.extensions.get::<WatchObservers>() {
        for observer in &observers.0 {
            observer.watched(state, tx, user, watched).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_watched_is_capped_and_zero_without_a_duration() {
        let w = |seconds, duration| Watched { media: MediaId::new(), seconds, duration };
        assert_eq!(w(45.0, 50.0).percent(), 90.0);
        assert_eq!(w(80.0, 50.0).percent(), 100.0);
        assert_eq!(w(10.0, 0.0).percent(), 0.0);
    }
}
