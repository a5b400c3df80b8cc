//! The engine's SMTP transport: lettre's low-level [`AsyncSmtpConnection`] driven command by
//! command, so that the hand-over can sit between the server's 354 and the message body (see
//! [`super::send`]), with a small pool of its own.
//!
//! The settings are read from `LYCEUM_SMTP_URL` as the kernel's transport reads them
//! (`kernel::mail::pooled_transport` → lettre's `from_url`): `smtp://` plain, `?tls=required`
//! or `?tls=opportunistic` for STARTTLS, `smtps://` for implicit TLS, user and password from
//! the URL, the EHLO name from its path. Connections are reused; one that broke is dropped, one
//! idle for more than [`IDLE_CHECK`] is tested with NOOP before use, and one older than
//! [`MAX_AGE`] is closed with QUIT; at most `LYCEUM_SMTP_POOL_SIZE` idle ones are kept.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
    time::{Duration, Instant},
};

use anyhow::Context as _;
use async_trait::async_trait;
use lettre::{
    Address,
    transport::smtp::{
        Error,
        authentication::{Credentials, DEFAULT_MECHANISMS},
        client::{AsyncSmtpConnection, Tls, TlsParameters},
        commands::{Data, Mail, Rcpt, Rset},
        extension::{ClientId, Extension, MailBodyParameter, MailParameter},
    },
};

use super::transport::{Handed, Handover, Outgoing, SendError, Transport};

/// An idle connection unused for this long is tested with NOOP before it is used again.
pub const IDLE_CHECK: Duration = Duration::from_secs(30);
/// Connections are closed (QUIT) and replaced after this long.
pub const MAX_AGE: Duration = Duration::from_secs(300);
const TIMEOUT: Duration = Duration::from_secs(60);

/// Where and how to connect, parsed from the SMTP URL.
#[derive(Clone)]
pub struct Settings {
    host: String,
    port: u16,
    tls: Tls,
    hello: ClientId,
    credentials: Option<Credentials>,
}

impl Settings {
    /// Parses `smtp://user:pass@host:port/helo-name?tls=required` (and `smtps://…`).
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        let url = url::Url::parse(url).context("LYCEUM_SMTP_URL is not a valid SMTP URL")?;
        let host = url.host_str().context("LYCEUM_SMTP_URL has no host")?.to_string();
        let tls_mode = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.to_string());
        let params = || TlsParameters::new(host.clone()).context("TLS parameters");
        let (port, tls) = match (url.scheme(), tls_mode.as_deref()) {
            ("smtp", None) => (25, Tls::None),
            ("smtp", Some("required")) => (587, Tls::Required(params()?)),
            ("smtp", Some("opportunistic")) => (587, Tls::Opportunistic(params()?)),
            ("smtps", _) => (465, Tls::Wrapper(params()?)),
            (scheme, tls) => anyhow::bail!("LYCEUM_SMTP_URL: unknown scheme {scheme} or tls={tls:?}"),
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_string()),
        };
        let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
        let credentials = url.password().map(|password| Credentials::new(decode(url.username()), decode(password)));
        Ok(Self { port: url.port().unwrap_or(port), host, tls, hello, credentials })
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, Error> {
        let wrapper = match &self.tls {
            Tls::Wrapper(p) => Some(p.clone()),
            _ => None,
        };
        let mut conn = AsyncSmtpConnection::connect_tokio1(
            (self.host.as_str(), self.port),
            Some(TIMEOUT),
            &self.hello,
            wrapper,
            None,
        )
        .await?;
        match &self.tls {
            Tls::Opportunistic(p) if conn.can_starttls() => conn.starttls(p.clone(), &self.hello).await?,
            Tls::Required(p) => conn.starttls(p.clone(), &self.hello).await?,
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials).await?;
        }
        Ok(conn)
    }
}

struct Idle {
    conn: AsyncSmtpConnection,
    born: Instant,
    since: Instant,
}

/// A connection taken from the pool.
struct Taken {
    conn: AsyncSmtpConnection,
    born: Instant,
}

/// The SMTP transport with its pool of connections.
pub struct Smtp {
    settings: Settings,
    idle: Mutex<Vec<Idle>>,
    keep: usize,
}

impl Smtp {
    /// The process's transport for `url` (one pool per server, shared by every run).
    pub fn shared(url: &str, keep: u32) -> anyhow::Result<Arc<Self>> {
        static POOLS: OnceLock<Mutex<HashMap<String, Arc<Smtp>>>> = OnceLock::new();
        let mut pools = POOLS.get_or_init(Mutex::default).lock().expect("smtp pools");
        if let Some(pool) = pools.get(url) {
            return Ok(pool.clone());
        }
        let pool =
            Arc::new(Self { settings: Settings::from_url(url)?, idle: Mutex::default(), keep: keep.max(1) as usize });
        pools.insert(url.to_string(), pool.clone());
        Ok(pool)
    }

    /// An idle connection (unless `fresh`) or a new one.
    async fn take(&self, fresh: bool) -> Result<Taken, Error> {
        if !fresh {
            loop {
                let idle = self.idle.lock().expect("smtp pool").pop();
                let Some(mut idle) = idle else { break };
                if idle.born.elapsed() > MAX_AGE {
                    let _ = idle.conn.quit().await;
                    continue;
                }
                if idle.since.elapsed() > IDLE_CHECK && !idle.conn.test_connected().await {
                    continue;
                }
                return Ok(Taken { conn: idle.conn, born: idle.born });
            }
        }
        Ok(Taken { conn: self.settings.connect().await?, born: Instant::now() })
    }

    fn put(&self, taken: Taken) {
        if taken.conn.has_broken() {
            return;
        }
        let mut idle = self.idle.lock().expect("smtp pool");
        if idle.len() < self.keep {
            idle.push(Idle { conn: taken.conn, born: taken.born, since: Instant::now() });
        }
    }

    /// MAIL FROM, RCPT TO, DATA; the hand-over; the body and its ".". `Ok(Some(_))` leaves the
    /// connection ready for the next message, `Ok(None)` means it must be dropped.
    async fn exchange(&self, conn: &mut AsyncSmtpConnection, m: &Outgoing, handover: &dyn Handover) -> Exchange {
        let parse = |a: &str| a.parse::<Address>().map_err(|e| SendError::Permanent(format!("{a}: {e}")));
        let (from, to) = match (parse(&m.envelope_from), parse(&m.to)) {
            (Ok(f), Ok(t)) => (f, t),
            (Err(e), _) | (_, Err(e)) => return Exchange::Clean(Err(e)),
        };
        let mut options = vec![];
        if !m.raw.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        if !(m.envelope_from.is_ascii() && m.to.is_ascii()) {
            options.push(MailParameter::SmtpUtfEight);
        }
        match conn.command(Mail::new(Some(from), options)).await {
            Ok(_) => {}
            // A pooled connection the server closed meanwhile: nothing was said yet.
            Err(e) if !(e.is_permanent() || e.is_transient()) => return Exchange::Stale(e),
            Err(e) => return refused(conn, e).await,
        }
        if let Err(e) = conn.command(Rcpt::new(to, vec![])).await {
            return refused(conn, e).await;
        }
        if let Err(e) = conn.command(Data).await {
            return refused(conn, e).await;
        }
        // The server waits for the body. Nothing but the body can follow now (RSET would be
        // read as message text), so a withdrawn row closes the connection: a DATA that never
        // got its "." is discarded by the server.
        match handover.commit().await {
            Ok(true) => {}
            Ok(false) => return Exchange::Broken(Ok(Handed::Withdrawn)),
            Err(e) => return Exchange::Broken(Err(SendError::Handover(e))),
        }
        match conn.message(&m.raw).await {
            Ok(_) => Exchange::Clean(Ok(Handed::Accepted)),
            Err(e) if e.is_permanent() => Exchange::Clean(Err(SendError::Permanent(e.to_string()))),
            Err(e) if e.is_transient() => Exchange::Clean(Err(SendError::Temporary(e.to_string()))),
            // The body went out but no verdict came back: the server may have the message.
            Err(e) => Exchange::Broken(Ok(Handed::Unconfirmed(e.to_string()))),
        }
    }
}

enum Exchange {
    /// Done; the connection can take the next message.
    Clean(Result<Handed, SendError>),
    /// Done; the connection must be dropped.
    Broken(Result<Handed, SendError>),
    /// The connection failed before the first command was answered.
    Stale(Error),
}

/// A refusal before the body: the transaction is reset and the connection kept when the server
/// answered, dropped when it did not.
async fn refused(conn: &mut AsyncSmtpConnection, e: Error) -> Exchange {
    let answered = e.is_permanent() || e.is_transient();
    let err = if e.is_permanent() { SendError::Permanent(e.to_string()) } else { SendError::Temporary(e.to_string()) };
    if answered && conn.command(Rset).await.is_ok() { Exchange::Clean(Err(err)) } else { Exchange::Broken(Err(err)) }
}

#[async_trait]
impl Transport for Smtp {
    async fn send(&self, m: &Outgoing, handover: &dyn Handover) -> Result<Handed, SendError> {
        let mut fresh = false;
        loop {
            let mut taken = match self.take(fresh).await {
                Ok(t) => t,
                Err(e) => return Err(SendError::Temporary(e.to_string())),
            };
            match self.exchange(&mut taken.conn, m, handover).await {
                Exchange::Clean(r) => {
                    self.put(taken);
                    return r;
                }
                Exchange::Broken(r) => return r,
                Exchange::Stale(e) if fresh => return Err(SendError::Temporary(e.to_string())),
                Exchange::Stale(_) => fresh = true,
            }
        }
    }
}
