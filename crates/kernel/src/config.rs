//! Configuration from environment variables (a `.env` file is read first when present).
//! Every variable is listed in the README; each has a local default so `make demo` needs none.

use std::{net::SocketAddr, path::PathBuf};

/// The deployment's settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// Owner role connection, used only by `lyceum migrate` and the demo seeder.
    pub database_url: String,
    /// The application role connection (`lyceum_app`), used by `serve` and `worker`.
    pub app_database_url: String,
    /// Password given to `lyceum_app` by `lyceum migrate`, when set.
    pub app_password: Option<crate::secret::Secret>,
    /// Address `serve` listens on.
    pub bind: SocketAddr,
    /// Host (with port when not 80/443) of the platform's own site; schools live at `{slug}.{platform_host}`.
    pub platform_host: String,
    /// `http` or `https`: how the outside world reaches us (decides the `Secure` cookie flag and links).
    pub public_scheme: String,
    /// SMTP server URL (`smtp://user:pass@host:port`, `smtps://…`); without it mail goes to the dev mailbox.
    pub smtp_url: Option<crate::secret::Secret>,
    /// Connections the SMTP pool keeps open at most (`LYCEUM_SMTP_POOL_SIZE`, default 10).
    pub smtp_pool_size: u32,
    /// An HTTP sending API for marketing email instead of SMTP (`LYCEUM_EMAIL_API`,
    /// e.g. `postmark:TOKEN` or `postmark:TOKEN@http://host:port`).
    pub email_api: Option<crate::secret::Secret>,
    /// Marketing messages in flight at once across schools, the provider's cap
    /// (`LYCEUM_EMAIL_CONCURRENCY`, default 8).
    pub email_concurrency: usize,
    /// Sender used when a school has not set its own.
    pub mail_from: String,
    /// Days a sent message keeps its bodies (`LYCEUM_MAIL_RETENTION_DAYS`, default 30).
    pub mail_retention_days: u32,
    /// `text` or `json`.
    pub log_format: String,
    /// One key per purpose, derived from `LYCEUM_SECRET_KEY`.
    pub keys: crate::secret::Keys,
    /// Directory of the built front-end assets (`web/` builds into it).
    pub assets_dir: PathBuf,
    /// Demo mode: the dev mailbox is shown to school admins too.
    pub demo: bool,
    /// Trust `X-Forwarded-For` and `X-Forwarded-Proto` (set when behind Caddy or another proxy).
    pub trust_proxy: bool,
    /// Proxies whose `X-Forwarded-For` entries are believed (`LYCEUM_TRUSTED_PROXIES`); empty
    /// unless `trust_proxy`, which defaults them to loopback and the private ranges.
    pub trusted_proxies: Vec<crate::web::client_ip::IpNet>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Database pool size for `serve`.
    pub db_pool_size: u32,
    /// Bearer token `/metrics` asks for; without one `/metrics` is not served.
    pub metrics_token: Option<crate::secret::Secret>,
    /// Where files are kept: `LYCEUM_STORAGE_DIR`, or an S3 bucket when `LYCEUM_S3_BUCKET` is set.
    pub storage: crate::storage::StorageConfig,
    /// How long a worker's claim on a job lasts unless renewed (it renews every third of it).
    pub job_lease: std::time::Duration,
    /// The platform's public IPv4 address (`LYCEUM_PUBLIC_IPV4`): the A record a custom apex
    /// domain points at. Without it (and an IPv6 one) creators are told to use ALIAS/ANAME.
    pub public_ipv4: Option<std::net::Ipv4Addr>,
    /// The platform's public IPv6 address (`LYCEUM_PUBLIC_IPV6`), for AAAA records.
    pub public_ipv6: Option<std::net::Ipv6Addr>,
    /// The platform's Stripe secret key (`LYCEUM_STRIPE_SECRET_KEY`); without it schools sell
    /// through the sandbox only.
    pub stripe_secret_key: Option<crate::secret::Secret>,
    /// The signing secret of the platform's Connect webhook endpoint (`LYCEUM_STRIPE_WEBHOOK_SECRET`).
    pub stripe_webhook_secret: Option<crate::secret::Secret>,
    /// Where Stripe's API is (`LYCEUM_STRIPE_API_BASE`, default `https://api.stripe.com`; tests
    /// point it at a mock server).
    pub stripe_api_base: String,
    /// The platform's Connect client id (`LYCEUM_STRIPE_CONNECT_CLIENT_ID`), when set.
    pub stripe_connect_client_id: Option<String>,
}

impl Config {
    /// Reads the configuration from the environment.
    pub fn from_env() -> anyhow::Result<Self> {
        let _ = dotenv();
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `var` (the environment, in production); blank values
    /// count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let database_url =
            var("LYCEUM_DATABASE_URL").unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/lyceum".into());
        let app_database_url = var("LYCEUM_APP_DATABASE_URL").unwrap_or_else(|| app_url_from_owner_url(&database_url));
        let bind = var("LYCEUM_BIND")
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .map_err(|e| anyhow::anyhow!("LYCEUM_BIND is not an address: {e}"))?;
        let public_scheme = var("LYCEUM_PUBLIC_SCHEME").unwrap_or_else(|| "http".into());
        let secret_key = secret_key(var("LYCEUM_SECRET_KEY"), &public_scheme)?;
        let trust_proxy = var("LYCEUM_TRUST_PROXY").is_some_and(|v| v == "1" || v == "true");
        let trusted_proxies = match (trust_proxy, var("LYCEUM_TRUSTED_PROXIES")) {
            (false, _) => vec![],
            (true, list) => crate::web::client_ip::parse_networks(
                list.as_deref().unwrap_or(crate::web::client_ip::DEFAULT_TRUSTED_PROXIES),
            )
            .map_err(|e| anyhow::anyhow!("LYCEUM_TRUSTED_PROXIES: {e}"))?,
        };
        Ok(Self {
            database_url,
            app_database_url,
            app_password: var("LYCEUM_APP_PASSWORD").map(Into::into),
            bind,
            platform_host: var("LYCEUM_PLATFORM_HOST").unwrap_or_else(|| "localhost:8080".into()),
            public_scheme,
            smtp_url: var("LYCEUM_SMTP_URL").map(Into::into),
            smtp_pool_size: var("LYCEUM_SMTP_POOL_SIZE").and_then(|v| v.parse().ok()).unwrap_or(10),
            email_api: var("LYCEUM_EMAIL_API").map(Into::into),
            email_concurrency: var("LYCEUM_EMAIL_CONCURRENCY").and_then(|v| v.parse().ok()).unwrap_or(8).max(1),
            mail_from: var("LYCEUM_MAIL_FROM").unwrap_or_else(|| "Lyceum <hello@lyceum.test>".into()),
            mail_retention_days: var("LYCEUM_MAIL_RETENTION_DAYS").and_then(|v| v.parse().ok()).unwrap_or(30),
            log_format: var("LYCEUM_LOG_FORMAT").unwrap_or_else(|| "text".into()),
            keys: crate::secret::Keys::derive(&secret_key.into()),
            assets_dir: var("LYCEUM_ASSETS_DIR").unwrap_or_else(|| "assets/dist".into()).into(),
            demo: var("LYCEUM_DEMO").is_some_and(|v| v == "1" || v == "true"),
            trust_proxy,
            trusted_proxies,
            max_body_bytes: var("LYCEUM_MAX_BODY_BYTES").and_then(|v| v.parse().ok()).unwrap_or(4 * 1024 * 1024),
            db_pool_size: var("LYCEUM_DB_POOL_SIZE").and_then(|v| v.parse().ok()).unwrap_or(20),
            metrics_token: var("LYCEUM_METRICS_TOKEN").map(Into::into),
            storage: crate::storage::StorageConfig::from_vars(var)?,
            job_lease: match var("LYCEUM_JOB_LEASE_SECONDS").map(|v| v.parse::<u64>()) {
                None => std::time::Duration::from_secs(60),
                Some(Ok(s)) if s >= 1 => std::time::Duration::from_secs(s),
                Some(_) => anyhow::bail!("LYCEUM_JOB_LEASE_SECONDS must be a whole number of seconds, at least 1"),
            },
            public_ipv4: var("LYCEUM_PUBLIC_IPV4")
                .map(|v| v.trim().parse())
                .transpose()
                .map_err(|e| anyhow::anyhow!("LYCEUM_PUBLIC_IPV4 is not an IPv4 address: {e}"))?,
            public_ipv6: var("LYCEUM_PUBLIC_IPV6")
                .map(|v| v.trim().parse())
                .transpose()
                .map_err(|e| anyhow::anyhow!("LYCEUM_PUBLIC_IPV6 is not an IPv6 address: {e}"))?,
            stripe_secret_key: var("LYCEUM_STRIPE_SECRET_KEY").map(Into::into),
            stripe_webhook_secret: var("LYCEUM_STRIPE_WEBHOOK_SECRET").map(Into::into),
            stripe_api_base: var("LYCEUM_STRIPE_API_BASE")
                .map(|v| v.trim().trim_end_matches('/').to_string())
                .unwrap_or_else(|| "https://api.stripe.com".into()),
            stripe_connect_client_id: var("LYCEUM_STRIPE_CONNECT_CLIENT_ID"),
        })
    }

    /// The base URL of a school's site.
    pub fn school_url(&self, slug: &str) -> String {
        format!("{}://{}.{}", self.public_scheme, slug, self.platform_host)
    }

    /// The base URL of the platform's own site.
    pub fn platform_url(&self) -> String {
        format!("{}://{}", self.public_scheme, self.platform_host)
    }

    /// The platform host without its port.
    pub fn platform_hostname(&self) -> &str {
        self.platform_host.split(':').next().unwrap_or(&self.platform_host)
    }
}

/// The key used when none is set: published in the source, so only for http (local) use.
const DEVELOPMENT_KEY: &str = "lyceum-development-key-change-me-in-production";

fn secret_key(set: Option<String>, public_scheme: &str) -> anyhow::Result<String> {
    match set {
        Some(k) if k.len() < 32 => anyhow::bail!("LYCEUM_SECRET_KEY must be at least 32 characters"),
        Some(k) if k != DEVELOPMENT_KEY => Ok(k),
        _ if public_scheme == "https" => anyhow::bail!(
            "LYCEUM_SECRET_KEY must be set to a key of your own when LYCEUM_PUBLIC_SCHEME is https: the \
             development key is public. Make one with `openssl rand -base64 48` and keep it (changing it \
             later means staff set two-factor login up again)."
        ),
        _ => Ok(DEVELOPMENT_KEY.into()),
    }
}

fn dotenv() -> std::io::Result<()> {
    let Ok(text) = std::fs::read_to_string(".env") else { return Ok(()) };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let (k, v) = (k.trim(), v.trim().trim_matches('"'));
            if std::env::var_os(k).is_none() {
                // SAFETY: called once at start-up before any thread reads the environment.
                unsafe { std::env::set_var(k, v) };
            }
        }
    }
    Ok(())
}

/// `postgres://owner@host/db` → `postgres://lyceum_app@host/db`.
pub fn app_url_from_owner_url(owner: &str) -> String {
    match owner.split_once("://") {
        Some((scheme, rest)) => {
            let after_auth = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
            format!("{scheme}://lyceum_app@{after_auth}")
        }
        None => owner.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        Config::from_vars(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn https_needs_a_secret_key_of_its_own() {
        let err = |vars: &[(&str, &str)]| format!("{:#}", load(vars).expect_err("refused"));
        let https = ("LYCEUM_PUBLIC_SCHEME", "https");
        for vars in
            [vec![https], vec![https, ("LYCEUM_SECRET_KEY", DEVELOPMENT_KEY)], vec![https, ("LYCEUM_SECRET_KEY", " ")]]
        {
            let e = err(&vars);
            assert!(e.contains("LYCEUM_SECRET_KEY") && e.contains("openssl rand -base64 48"), "{e}");
        }
        assert!(err(&[https, ("LYCEUM_SECRET_KEY", "short")]).contains("at least 32"));
        let own = "a key of at least thirty-two characters!";
        assert_eq!(load(&[https, ("LYCEUM_SECRET_KEY", own)]).unwrap().public_scheme, "https");
        assert!(load(&[]).is_ok(), "http runs on the development key");
    }

    #[test]
    fn app_url_replaces_the_user() {
        assert_eq!(
            super::app_url_from_owner_url("postgres://postgres:pw@127.0.0.1:5432/lyceum"),
            "postgres://lyceum_app@127.0.0.1:5432/lyceum"
        );
    }
}
