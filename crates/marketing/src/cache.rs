//! Published pages kept in memory, so that a visitor's request for a sales page costs no
//! database round trip.
//!
//! An entry is one page (or the home page) of one school in one locale and variant, rendered
//! for an anonymous visitor with [`CSRF_PLACEHOLDER`] where the visitor's token goes. It is
//! valid while:
//! - it is younger than [`TTL`] (live data such as prices and countdowns may lag that much);
//! - the school's generation has not moved: [`forget`](crate::render::forget) bumps it at once,
//!   again a moment later (after the publishing transaction has committed), and tells every other
//!   `serve` process through `NOTIFY lyceum_pages`, whose listener bumps theirs;
//! - the school's look (name, logo, theme, status, address) is the one it was rendered with.

use std::{
    collections::HashMap,
    hash::{Hash, Hasher},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use kernel::{AppState, TenantId, web::School};

/// How long a rendered page is served from memory at most.
pub const TTL: Duration = Duration::from_secs(30);

/// Stands for the visitor's CSRF token in a cached page; replaced on every response.
pub const CSRF_PLACEHOLDER: &str = "__lyceum_csrf_7d1f__";

/// The `NOTIFY` channel on which a process says a school's pages changed.
pub const CHANNEL: &str = "lyceum_pages";

/// How long after a change the cache is cleared a second time, once the change has committed.
const SETTLE: Duration = Duration::from_millis(1500);

/// Most entries kept; past it, expired ones are dropped, then everything.
const MAX_ENTRIES: usize = 20_000;

/// A rendered page as kept in memory.
#[derive(Clone, Debug)]
pub struct Cached {
    /// The HTML, with [`CSRF_PLACEHOLDER`] for the visitor's token.
    pub html: Arc<str>,
    /// A fingerprint of `html` (the visitor's token is mixed in per response).
    pub etag: u64,
    /// Whether the page runs an A/B test: the entry then only says so, and the variant's own
    /// entry holds the HTML.
    pub ab_test: bool,
}

struct Entry {
    at: Instant,
    generation: u64,
    look: u64,
    page: Cached,
}

/// Every school's cached pages in this process.
#[derive(Default)]
pub struct PageCache {
    entries: Mutex<HashMap<(TenantId, String), Entry>>,
    generations: Mutex<HashMap<TenantId, u64>>,
    listening: AtomicBool,
}

/// The key of a page: `slug` (empty for the home page), A/B variant (empty without a test)
/// and locale code.
pub fn key(slug: &str, variant: &str, locale: &str) -> String {
    format!("{slug}\u{1f}{variant}\u{1f}{locale}")
}

/// A fingerprint of what the site's frame shows of a school, so that a new logo, colour or
/// name is seen at once on cached pages.
pub fn look(school: &School) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&school.name, &school.logo_url, &school.theme_css, &school.status, &school.base_url, &school.tagline).hash(&mut h);
    h.finish()
}

/// A fingerprint of a string (ETags).
pub fn fingerprint(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl PageCache {
    /// The school's generation now: read it before rendering, store the entry with it.
    pub fn generation(&self, tenant: TenantId) -> u64 {
        *self.generations.lock().expect("page cache").get(&tenant).unwrap_or(&0)
    }

    /// The page under `key`, when it is still valid for this school's `look`.
    pub fn get(&self, tenant: TenantId, key: &str, look: u64) -> Option<Cached> {
        let generation = self.generation(tenant);
        let map = self.entries.lock().expect("page cache");
        map.get(&(tenant, key.to_string()))
            .filter(|e| e.generation == generation && e.look == look && e.at.elapsed() < TTL)
            .map(|e| e.page.clone())
    }

    /// Keeps a page rendered while the school was at `generation`; dropped if it moved since.
    pub fn put(&self, tenant: TenantId, key: String, generation: u64, look: u64, page: Cached) {
        if self.generation(tenant) != generation {
            return;
        }
        let mut map = self.entries.lock().expect("page cache");
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, e| e.at.elapsed() < TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert((tenant, key), Entry { at: Instant::now(), generation, look, page });
    }

    /// Drops every page of `tenant` in this process.
    pub fn bump(&self, tenant: TenantId) {
        *self.generations.lock().expect("page cache").entry(tenant).or_insert(0) += 1;
        self.entries.lock().expect("page cache").retain(|(t, _), _| *t != tenant);
    }

    /// Drops every page of every school (the listener lost notifications while reconnecting).
    pub fn bump_all(&self) {
        let mut gens = self.generations.lock().expect("page cache");
        for g in gens.values_mut() {
            *g += 1;
        }
        self.entries.lock().expect("page cache").clear();
    }

    /// Starts, once per process, the task that drops a school's pages when another process
    /// says they changed.
    pub fn listen(self: &Arc<Self>, state: &AppState) {
        if self.listening.swap(true, Ordering::SeqCst) || tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let cache = Arc::clone(self);
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = listen_once(&cache, &state).await {
                    tracing::warn!(error = %e, "page cache listener lost; reconnecting");
                }
                cache.bump_all();
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        });
    }
}

async fn listen_once(cache: &PageCache, state: &AppState) -> sqlx::Result<()> {
    let mut listener = state.db.listener().await?;
    listener.listen(CHANNEL).await?;
    loop {
        let n = listener.recv().await?;
        if let Ok(id) = n.payload().parse::<TenantId>() {
            cache.bump(id);
        }
    }
}

/// This process's page cache (registered by [`crate::wire`]); `None` in a process wired
/// without marketing, which then renders every time.
pub fn of(state: &AppState) -> Option<Arc<PageCache>> {
    let cache = state.extensions.get::<Arc<PageCache>>()?.clone();
    cache.listen(state);
    Some(cache)
}

/// Drops `tenant`'s pages here at once, and a moment later here again and in every process.
pub fn forget(state: &AppState, tenant: TenantId) {
    let Some(cache) = state.extensions.get::<Arc<PageCache>>().cloned() else { return };
    cache.bump(tenant);
    if tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        cache.bump(tenant);
        if let Err(e) = notify(&state, tenant).await {
            tracing::warn!(error = %e, "could not tell other processes a page changed");
        }
    });
}

async fn notify(state: &AppState, tenant: TenantId) -> sqlx::Result<()> {
    let mut tx = state.db.platform().await?;
    sqlx::query("select pg_notify($1, $2)").bind(CHANNEL).bind(tenant.to_string()).execute(&mut *tx).await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Cached {
        Cached { html: html.into(), etag: fingerprint(html), ab_test: false }
    }

    #[test]
    fn a_bump_drops_one_schools_pages_and_refuses_renders_begun_before_it() {
        let cache = PageCache::default();
        let (a, b) = (TenantId::new(), TenantId::new());
        let k = key("sale", "", "en");
        cache.put(a, k.clone(), cache.generation(a), 1, page("v1"));
        cache.put(b, k.clone(), cache.generation(b), 1, page("other"));
        assert_eq!(cache.get(a, &k, 1).map(|p| p.html.to_string()).as_deref(), Some("v1"));
        assert!(cache.get(a, &k, 2).is_none(), "a new look is a miss");

        let began = cache.generation(a);
        cache.bump(a);
        assert!(cache.get(a, &k, 1).is_none());
        assert!(cache.get(b, &k, 1).is_some(), "another school keeps its pages");
        cache.put(a, k.clone(), began, 1, page("stale"));
        assert!(cache.get(a, &k, 1).is_none(), "a render begun before the change is not kept");
        cache.bump_all();
        assert!(cache.get(b, &k, 1).is_none());
    }
}
