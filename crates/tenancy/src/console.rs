//! What the operator console reads across schools (always through a `PlatformTx`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kernel::{AppState, TenantId, ids::JobId};
use serde::Serialize;

/// A job that used up its attempts.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct DeadJob {
    /// The school it worked for.
    pub tenant_id: TenantId,
    /// The school's name.
    pub school: String,
    /// The school's subdomain.
    pub slug: String,
    /// Job id.
    pub id: JobId,
    /// Handler name.
    pub kind: String,
    /// Attempts made.
    pub attempts: i32,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it died.
    pub updated_at: DateTime<Utc>,
}

/// The most recent dead jobs of every school.
pub async fn dead_jobs(state: &AppState, limit: i64) -> anyhow::Result<Vec<DeadJob>> {
    let mut tx = state.db.platform().await?;
    let rows = sqlx::query_as(
        "select j.tenant_id, t.name as school, t.slug, j.id, j.kind, j.attempts, j.last_error, j.updated_at
         from jobs j join tenants t on t.id = j.tenant_id
         where j.status = 'dead' order by j.updated_at desc limit $1",
    )
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// Every school's name by id (for labelling rows of platform-wide lists).
pub async fn school_names(state: &AppState) -> anyhow::Result<HashMap<TenantId, String>> {
    let mut tx = state.db.platform().await?;
    let rows: Vec<(TenantId, String)> = sqlx::query_as("select id, name from tenants").fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows.into_iter().collect())
}
