//! Database access. The application pool connects as `lyceum_app`, which owns nothing and
//! cannot bypass row-level security; the only ways to run a query are a [`TenantTx`], which
//! PostgreSQL restricts to one school's rows, and a [`PlatformTx`], for the platform tables.

use std::ops::{Deref, DerefMut};

use anyhow::Context;
use sqlx::{PgConnection, PgPool, Postgres, Transaction, postgres::PgPoolOptions};

use crate::ids::TenantId;

/// The embedded migration set (`migrations/` at the workspace root).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// The application's database handle. The pool inside is private on purpose.
#[derive(Clone)]
pub struct Db {
    pool: PgPool,
}

impl Db {
    /// Connects as the application role.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(url)
            .await
            .context("connecting to PostgreSQL as the application role")?;
        Ok(Self { pool })
    }

    /// How many connections the pool may open (the job runner sizes its concurrency by it).
    pub fn max_connections(&self) -> u32 {
        self.pool.options().get_max_connections()
    }

    /// A transaction that sees only `tenant`'s rows.
    pub async fn tenant(&self, tenant: TenantId) -> sqlx::Result<TenantTx> {
        TenantTx::begin(&self.pool, tenant).await
    }

    /// A transaction on the platform tables (host lookup, operator area, job claiming).
    pub async fn platform(&self) -> sqlx::Result<PlatformTx> {
        PlatformTx::begin(&self.pool).await
    }

    /// Whether the database answers and every embedded migration has been applied.
    pub async fn readiness(&self) -> anyhow::Result<()> {
        let applied: Vec<i64> =
            sqlx::query_scalar("select version from _sqlx_migrations where success order by version")
                .fetch_all(&self.pool)
                .await
                .context("reading applied migrations")?;
        let missing: Vec<i64> = MIGRATOR
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .map(|m| m.version)
            .filter(|v| !applied.contains(v))
            .collect();
        anyhow::ensure!(missing.is_empty(), "migrations not applied: {missing:?}");
        Ok(())
    }

    /// Connections in use and idle, for `/metrics`.
    pub fn pool_usage(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// A listener for `LISTEN/NOTIFY` (job wake-ups, real-time fan-out).
    pub async fn listener(&self) -> sqlx::Result<sqlx::postgres::PgListener> {
        sqlx::postgres::PgListener::connect_with(&self.pool).await
    }

    /// Closes the pool (graceful shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A transaction in which PostgreSQL sees only one school's rows.
pub struct TenantTx {
    tx: Transaction<'static, Postgres>,
    tenant: TenantId,
}

impl TenantTx {
    async fn begin(pool: &PgPool, tenant: TenantId) -> sqlx::Result<Self> {
        let mut tx = pool.begin().await?;
        // SET LOCAL takes no bind parameters; set_config(…, true) is its transaction-local form.
        sqlx::query("select set_config('app.tenant_id', $1, true), set_config('app.platform', '', true)")
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await?;
        Ok(Self { tx, tenant })
    }

    /// The school this transaction is scoped to.
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// Commits the transaction.
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }
}

impl Deref for TenantTx {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl DerefMut for TenantTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}

/// A transaction on the platform tables: tenants, domains, operators, and the job queue's claim.
pub struct PlatformTx {
    tx: Transaction<'static, Postgres>,
}

impl PlatformTx {
    async fn begin(pool: &PgPool) -> sqlx::Result<Self> {
        let mut tx = pool.begin().await?;
        sqlx::query("select set_config('app.platform', 'on', true), set_config('app.tenant_id', '', true)")
            .execute(&mut *tx)
            .await?;
        Ok(Self { tx })
    }

    /// Narrows this transaction to one school, keeping what it has written so far: a new school
    /// and its owner are created atomically this way.
    pub async fn into_tenant(mut self, tenant: TenantId) -> sqlx::Result<TenantTx> {
        sqlx::query("select set_config('app.tenant_id', $1, true), set_config('app.platform', '', true)")
            .bind(tenant.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(TenantTx { tx: self.tx, tenant })
    }

    /// Commits the transaction.
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }
}

impl Deref for PlatformTx {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl DerefMut for PlatformTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}

/// Runs the migrations as the owner role (and sets the application role's password when given).
pub async fn migrate(owner_url: &str, app_password: Option<&str>) -> anyhow::Result<()> {
    ensure_database(owner_url).await?;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(owner_url)
        .await
        .context("connecting to PostgreSQL as the owner role")?;
    MIGRATOR.run(&pool).await.context("running migrations")?;
    if let Some(pw) = app_password {
        let escaped = pw.replace('\'', "''");
        sqlx::query(sqlx::AssertSqlSafe(format!("alter role lyceum_app password '{escaped}'")))
            .execute(&pool)
            .await
            .context("setting the application role's password")?;
    }
    pool.close().await;
    Ok(())
}

/// Creates the database named in `url` when it does not exist yet.
async fn ensure_database(url: &str) -> anyhow::Result<()> {
    let (server, name) = url.rsplit_once('/').context("database URL has no database name")?;
    let name = name.split('?').next().unwrap_or(name);
    let mut admin = <PgConnection as sqlx::Connection>::connect(&format!("{server}/postgres"))
        .await
        .context("connecting to the server's postgres database")?;
    let exists: bool = sqlx::query_scalar("select exists(select 1 from pg_database where datname = $1)")
        .bind(name)
        .fetch_one(&mut admin)
        .await?;
    if !exists {
        anyhow::ensure!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "database name {name:?} must be letters, digits and underscores"
        );
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(&mut admin)
            .await
            .context("creating the database")?;
    }
    Ok(())
}
