//! Network look-ups behind traits, so tests need no network.

use std::{collections::HashMap, sync::Mutex};

/// Answers DNS TXT queries (custom-domain verification).
#[async_trait::async_trait]
pub trait TxtResolver: Send + Sync {
    /// The TXT strings published at `name`; empty when there are none.
    async fn txt(&self, name: &str) -> anyhow::Result<Vec<String>>;
}

/// The system resolver (from `/etc/resolv.conf`).
pub struct SystemResolver {
    inner: hickory_resolver::TokioResolver,
}

impl SystemResolver {
    /// Builds a resolver from the system configuration.
    pub fn new() -> anyhow::Result<Self> {
        let inner = hickory_resolver::TokioResolver::builder_tokio()?.build()?;
        Ok(Self { inner })
    }
}

#[async_trait::async_trait]
impl TxtResolver for SystemResolver {
    async fn txt(&self, name: &str) -> anyhow::Result<Vec<String>> {
        match self.inner.txt_lookup(name).await {
            Ok(answer) => Ok(answer
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    hickory_resolver::proto::rr::RData::TXT(txt) => Some(txt.to_string()),
                    _ => None,
                })
                .collect()),
            Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(vec![]),
            Err(e) => Err(e.into()),
        }
    }
}

/// A resolver answering from a table; for tests and offline demos.
#[derive(Default)]
pub struct StaticResolver {
    records: Mutex<HashMap<String, Vec<String>>>,
}

impl StaticResolver {
    /// Publishes a TXT record.
    pub fn set(&self, name: &str, value: &str) {
        self.records
            .lock()
            .expect("resolver table")
            .entry(name.trim_end_matches('.').to_ascii_lowercase())
            .or_default()
            .push(value.to_string());
    }

    /// Withdraws every TXT record at `name`.
    pub fn remove(&self, name: &str) {
        self.records.lock().expect("resolver table").remove(&name.trim_end_matches('.').to_ascii_lowercase());
    }
}

#[async_trait::async_trait]
impl TxtResolver for StaticResolver {
    async fn txt(&self, name: &str) -> anyhow::Result<Vec<String>> {
        let key = name.trim_end_matches('.').to_ascii_lowercase();
        Ok(self.records.lock().expect("resolver table").get(&key).cloned().unwrap_or_default())
    }
}
