//! The thin Stripe client: form-encoded requests with the platform's secret key, on behalf of
//! a connected account (`Stripe-Account`) when given, with an `Idempotency-Key` on every
//! request that moves money. Errors carry Stripe's `error.code` and message, never the key.

use std::time::Duration;

use kernel::AppState;
use serde_json::Value;

/// Stripe's API version the request shapes follow.
pub const API_VERSION: &str = "2024-06-20";

/// A failed call.
#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// No platform key is configured.
    #[error("Stripe is not configured on this platform")]
    NotConfigured,
    /// Stripe answered with an error object.
    #[error("Stripe {status}: {code} {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// `error.type` (`card_error`, `invalid_request_error` …).
        kind: String,
        /// `error.code` or `error.decline_code` (`card_declined` …).
        code: String,
        /// `error.message`.
        message: String,
        /// `error.payment_intent.id` or `error.charge`, when a charge was attempted.
        charge: Option<String>,
    },
    /// The network or an unreadable answer.
    #[error("Stripe unreachable: {0}")]
    Transport(String),
}

/// A client for one platform key.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    key: kernel::secret::Secret,
}

/// Form fields, in Stripe's bracket notation (`line_items[0][price_data][currency]`).
pub type Params = Vec<(String, String)>;

/// Adds one field.
pub fn push(p: &mut Params, k: impl Into<String>, v: impl ToString) {
    p.push((k.into(), v.to_string()));
}

impl Client {
    /// The platform's client, when a key is configured.
    pub fn from_state(state: &AppState) -> Result<Self, StripeError> {
        let key = state.config.stripe_secret_key.clone().ok_or(StripeError::NotConfigured)?;
        Ok(Self::new(&state.config.stripe_api_base, key))
    }

    /// A client for `base` (`https://api.stripe.com`) and `key`.
    pub fn new(base: &str, key: kernel::secret::Secret) -> Self {
        static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
        let http = HTTP
            .get_or_init(|| {
                // One rustls backend in the tree (ring); installing it twice is harmless.
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .connect_timeout(Duration::from_secs(10))
                    .user_agent(concat!("Lyceum/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .expect("an HTTP client with the ring provider installed")
            })
            .clone();
        Self { http, base: base.trim_end_matches('/').to_string(), key }
    }

    /// `POST {path}` with `params`; `account` sets `Stripe-Account`, `idempotency` sets
    /// `Idempotency-Key`.
    pub async fn post(
        &self,
        path: &str,
        params: &Params,
        account: Option<&str>,
        idempotency: Option<&str>,
    ) -> Result<Value, StripeError> {
        let body = serde_urlencoded::to_string(params).map_err(|e| StripeError::Transport(e.to_string()))?;
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(key) = idempotency {
            req = req.header("Idempotency-Key", key);
        }
        self.send(req, account).await
    }

    /// `GET {path}`.
    pub async fn get(&self, path: &str, account: Option<&str>) -> Result<Value, StripeError> {
        self.send(self.http.get(format!("{}{path}", self.base)), account).await
    }

    async fn send(&self, req: reqwest::RequestBuilder, account: Option<&str>) -> Result<Value, StripeError> {
        let mut req = req.bearer_auth(self.key.expose()).header("Stripe-Version", API_VERSION);
        if let Some(account) = account {
            req = req.header("Stripe-Account", account);
        }
        let res = req.send().await.map_err(|e| StripeError::Transport(e.without_url().to_string()))?;
        let status = res.status().as_u16();
        let body: Value = res.json().await.map_err(|e| StripeError::Transport(e.without_url().to_string()))?;
        if (200..300).contains(&status) {
            return Ok(body);
        }
        let e = &body["error"];
        let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
        let code = e["decline_code"].as_str().or(e["code"].as_str()).unwrap_or("api_error").to_string();
        let charge = e["payment_intent"]["id"].as_str().or(e["charge"].as_str()).map(str::to_string);
        Err(StripeError::Api { status, kind: text("type"), code, message: text("message"), charge })
    }
}

/// A path segment for an id that came from outside (ids are `[A-Za-z0-9_]`).
pub fn id_segment(id: &str) -> Option<&str> {
    (!id.is_empty() && id.len() <= 255 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).then_some(id)
}
