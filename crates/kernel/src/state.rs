//! The application's shared services, handed to every handler and job.

use std::{ops::Deref, sync::Arc};

use crate::{
    config::Config, db::Db, events::EventBus, jobs::JobRegistry, mail::SmtpTransport, net::TxtResolver,
    rate::RateLimiter, web::assets::AssetManifest,
};

/// Cheap to clone; everything inside is shared.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

/// What the application is made of.
pub struct Services {
    /// Settings.
    pub config: Config,
    /// The database (as `lyceum_app`).
    pub db: Db,
    /// Every domain's templates.
    pub templates: minijinja::Environment<'static>,
    /// Job handlers.
    pub jobs: JobRegistry,
    /// Event subscribers.
    pub events: EventBus,
    /// SMTP, when configured.
    pub mailer: Option<SmtpTransport>,
    /// DNS TXT look-ups.
    pub dns: Arc<dyn TxtResolver>,
    /// Rate limits.
    pub rate: RateLimiter,
    /// Files of every school (local disk or S3), keyed under the school's id.
    pub storage: crate::storage::Storage,
    /// Fingerprinted asset names.
    pub assets: AssetManifest,
    /// Prometheus metrics.
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
    /// Loads schools for jobs and mail (provided by tenancy).
    pub schools: Arc<dyn SchoolDirectory>,
    /// Which site each host is, briefly remembered (tenancy fills and clears it).
    pub hosts: crate::cache::TtlCache<Option<crate::web::Site>>,
    /// What domains provide to each other by type (e.g. media's `Entitlements`, which courses
    /// extends): set once at wiring, read-only afterwards.
    pub extensions: axum::http::Extensions,
    /// The application's clock (rules that depend on time read it; tests move it forward).
    pub clock: crate::clock::Clock,
}

/// Loads a school's settings by id; tenancy implements it, every domain may use it.
#[async_trait::async_trait]
pub trait SchoolDirectory: Send + Sync {
    /// The school, or an error when it does not exist.
    async fn load(&self, state: &AppState, tenant: crate::TenantId) -> anyhow::Result<crate::web::School>;
}

/// What each domain contributes: templates, jobs and event subscriptions.
#[derive(Default)]
pub struct Wiring {
    /// Template registrations.
    pub templates: Vec<fn(&mut minijinja::Environment<'static>)>,
    /// Job handlers.
    pub jobs: JobRegistry,
    /// Event subscriptions.
    pub events: EventBus,
    /// The school directory.
    pub schools: Option<Arc<dyn SchoolDirectory>>,
    /// Services one domain offers others, looked up by type (see [`Services::extensions`]).
    pub extensions: axum::http::Extensions,
}

impl AppState {
    /// Assembles the services.
    pub fn new(config: Config, db: Db, wiring: Wiring, dns: Arc<dyn TxtResolver>) -> anyhow::Result<Self> {
        crate::storage::install_crypto_provider();
        let mailer = match &config.smtp_url {
            Some(url) => Some(crate::mail::pooled_transport(url.expose(), config.smtp_pool_size)?),
            None => None,
        };
        let storage = crate::storage::Storage::from_config(&config.storage)?;
        let assets = AssetManifest::load(&config.assets_dir);
        let mut templates = crate::web::render::environment(&config, &assets);
        crate::templates(&mut templates);
        for register in &wiring.templates {
            register(&mut templates);
        }
        let clock = crate::clock::Clock::default();
        Ok(Self(Arc::new(Services {
            config,
            db,
            templates,
            jobs: wiring.jobs,
            events: wiring.events.with_clock(clock.clone()),
            mailer,
            dns,
            rate: RateLimiter::default(),
            storage,
            assets,
            metrics: crate::web::metrics::handle(),
            schools: wiring.schools.ok_or_else(|| anyhow::anyhow!("no school directory wired"))?,
            hosts: crate::cache::TtlCache::new(std::time::Duration::from_secs(5)),
            extensions: wiring.extensions,
            clock,
        })))
    }
}

impl AppState {
    /// Loads a school by id (for jobs, mail and anything outside a request).
    pub async fn school(&self, tenant: crate::TenantId) -> anyhow::Result<crate::web::School> {
        self.schools.load(self, tenant).await
    }
}

impl Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}
