//! Front-end assets built by `web/` into `assets/dist`: fingerprinted names from its
//! `manifest.json`, served with long cache headers.

use std::{collections::HashMap, path::Path, sync::Arc};

use axum::{
    Router,
    http::{HeaderValue, header},
};
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

/// Logical name → fingerprinted file name.
#[derive(Clone, Debug, Default)]
pub struct AssetManifest(Arc<HashMap<String, String>>);

impl AssetManifest {
    /// Reads `manifest.json` from the assets directory (empty when the front end is not built).
    pub fn load(dir: &Path) -> Self {
        let map = std::fs::read(dir.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_else(|| {
                tracing::warn!(dir = %dir.display(), "no asset manifest; run `make assets`");
                HashMap::new()
            });
        Self(Arc::new(map))
    }

    /// The URL of an asset.
    pub fn url(&self, name: &str) -> String {
        format!("/assets/{}", self.0.get(name).map(String::as_str).unwrap_or(name))
    }
}

/// Serves `/assets/…`: fingerprinted files are immutable for a year.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    Router::new().nest_service(
        "/assets",
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .service(ServeDir::new(dir).precompressed_gzip()),
    )
}
