//! Where the engine hands a message over: SMTP ([`super::smtp`], its own pool of lettre
//! connections), an HTTP sending API (Postmark), or — with neither configured — the dev mailbox
//! (`kernel::mail::keep`).
//!
//! A transport calls the [`Handover`] right before the step it cannot take back (the SMTP body
//! and its final ".", the API's POST) and takes that step only when the hand-over says yes.
//!
//! Every remote send waits for a permit of one process-wide semaphore sized by
//! `LYCEUM_EMAIL_CONCURRENCY`: the provider's cap on messages in flight, across schools.

use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use kernel::AppState;
use tokio::sync::Semaphore;

/// One message as the engine hands it over.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// Envelope sender (Return-Path).
    pub envelope_from: String,
    /// Recipient address.
    pub to: String,
    /// The whole message (headers and body), DKIM-signed when the school has a key.
    pub raw: Vec<u8>,
    /// `From` header value (for APIs that take fields rather than raw MIME).
    pub from_header: String,
    /// Subject.
    pub subject: String,
    /// HTML body.
    pub html: String,
    /// Text body.
    pub text: String,
    /// Extra headers (List-Unsubscribe, Message-ID …) for field-based APIs.
    pub headers: Vec<(String, String)>,
}

/// What became of a message the transport took.
#[derive(Debug, PartialEq, Eq)]
pub enum Handed {
    /// The server accepted it.
    Accepted,
    /// The hand-over said no (the row is no longer ours, or its recipient no longer wants
    /// mail): nothing was sent.
    Withdrawn,
    /// Handed over, but the server's verdict never came (the connection broke after the
    /// body): it may have the message, so it counts as sent.
    Unconfirmed(String),
}

/// Why a message was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Try again later (SMTP 4xx, connection trouble, API 5xx or 429).
    #[error("temporary: {0}")]
    Temporary(String),
    /// The recipient is refused for good (SMTP 5xx, an inactive recipient at the API).
    #[error("permanent: {0}")]
    Permanent(String),
    /// The hand-over itself failed (the database): nothing was sent.
    #[error("hand-over: {0:#}")]
    Handover(anyhow::Error),
}

/// The hand-over point: commits the row as `sent` just before the irrevocable step.
#[async_trait]
pub trait Handover: Send + Sync {
    /// `Ok(true)` when the row is now `sent` and the message must go; `Ok(false)` when it must
    /// not (taken over, cancelled, the recipient said no meanwhile).
    async fn commit(&self) -> anyhow::Result<bool>;
}

/// A hand-over that always says yes (for sending outside the engine, e.g. a transport's test).
pub struct AlwaysHand;

#[async_trait]
impl Handover for AlwaysHand {
    async fn commit(&self) -> anyhow::Result<bool> {
        Ok(true)
    }
}

/// A way to send marketing messages.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends the message, calling `handover` right before the step that cannot be taken back
    /// and taking it only on `Ok(true)`. An `Err` that is a refusal after the hand-over is the
    /// server's answer to the message itself (SMTP 4xx/5xx after the ".", an API's refusal).
    async fn send(&self, message: &Outgoing, handover: &dyn Handover) -> Result<Handed, SendError>;
}

/// Postmark's HTTP API (`POST {base}/email`), selected by `LYCEUM_EMAIL_API=postmark:TOKEN`
/// (or `postmark:TOKEN@http://host:port` to point it elsewhere, as the tests do).
pub struct Postmark {
    base: String,
    token: String,
    client: reqwest::Client,
}

impl Postmark {
    /// A client for `base` (`https://api.postmarkapp.com`) with a server token.
    pub fn new(base: &str, token: &str) -> Self {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self { base: base.trim_end_matches('/').to_string(), token: token.to_string(), client }
    }

    /// Parses `postmark:TOKEN[@BASE]`.
    pub fn from_config(spec: &str) -> Option<Self> {
        let rest = spec.strip_prefix("postmark:")?;
        let (token, base) = rest.split_once('@').unwrap_or((rest, "https://api.postmarkapp.com"));
        Some(Self::new(base, token))
    }
}

#[async_trait]
impl Transport for Postmark {
    async fn send(&self, m: &Outgoing, handover: &dyn Handover) -> Result<Handed, SendError> {
        let headers: Vec<_> = m.headers.iter().map(|(n, v)| serde_json::json!({ "Name": n, "Value": v })).collect();
        let body = serde_json::json!({
            "From": m.from_header,
            "To": m.to,
            "Subject": m.subject,
            "HtmlBody": m.html,
            "TextBody": m.text,
            "Headers": headers,
            "MessageStream": "broadcast",
        });
        if !handover.commit().await.map_err(SendError::Handover)? {
            return Ok(Handed::Withdrawn);
        }
        let res = self
            .client
            .post(format!("{}/email", self.base))
            .header("X-Postmark-Server-Token", &self.token)
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        let res = match res {
            Ok(res) => res,
            // Never reached the API: nothing was sent.
            Err(e) if e.is_connect() => return Err(SendError::Temporary(e.to_string())),
            Err(e) => return Ok(Handed::Unconfirmed(e.to_string())),
        };
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        if status.is_success() {
            return Ok(Handed::Accepted);
        }
        // 422 with ErrorCode 406 is an inactive (bounced, complained) recipient: permanent.
        // Other 4xx are our mistake or a limit (429): retried.
        let code = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["ErrorCode"].as_i64());
        if status.as_u16() == 422 && matches!(code, Some(300 | 406)) {
            Err(SendError::Permanent(format!("{status}: {text}")))
        } else {
            Err(SendError::Temporary(format!("{status}: {text}")))
        }
    }
}

/// Where this process sends marketing mail.
#[derive(Clone)]
pub enum Route {
    /// Into the dev mailbox (no SMTP configured).
    Keep,
    /// To a server.
    Remote(Arc<dyn Transport>),
}

/// The route the configuration asks for: the HTTP API, else SMTP, else the dev mailbox.
pub fn route(state: &AppState) -> anyhow::Result<Route> {
    if let Some(api) = state.config.email_api.as_ref().and_then(|s| Postmark::from_config(s.expose())) {
        return Ok(Route::Remote(Arc::new(api)));
    }
    Ok(match &state.config.smtp_url {
        Some(url) => Route::Remote(super::smtp::Smtp::shared(url.expose(), state.config.smtp_pool_size)?),
        None => Route::Keep,
    })
}

/// The provider's cap on messages in flight (one per process).
pub fn in_flight(state: &AppState) -> &'static Semaphore {
    static CAP: OnceLock<Semaphore> = OnceLock::new();
    CAP.get_or_init(|| Semaphore::new(state.config.email_concurrency))
}
