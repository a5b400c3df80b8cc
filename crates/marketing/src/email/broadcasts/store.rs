//! SQL for broadcasts: every function takes the school's transaction.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;
use uuid::Uuid;

use super::{Broadcast, BroadcastId};
use crate::email::EmailId;

const COLUMNS: &str = "id, email_id, name, segment, status, send_at, local_time, time_zone, start_at, parent_id, \
                       subject, recipients, started_at, finished_at, created_at";

/// A broadcast with how its send went.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Listed {
    /// The broadcast.
    #[sqlx(flatten)]
    pub broadcast: Broadcast,
    /// Recipient rows (any status but cancelled).
    pub total: i64,
    /// Rows sent.
    pub sent: i64,
    /// Rows still queued.
    pub queued: i64,
    /// Rows opened.
    pub opened: i64,
    /// Rows clicked.
    pub clicked: i64,
}

const STATS: &str = "coalesce(s.total, 0) as total, coalesce(s.sent, 0) as sent, coalesce(s.queued, 0) as queued, \
                     coalesce(s.opened, 0) as opened, coalesce(s.clicked, 0) as clicked";
const STATS_JOIN: &str = "left join lateral (
       select count(*) filter (where d.status <> 'cancelled') as total,
              count(*) filter (where d.status = 'sent') as sent,
              count(*) filter (where d.status = 'queued') as queued,
              count(*) filter (where d.opened_at is not null) as opened,
              count(*) filter (where d.clicked_at is not null) as clicked
       from email_deliveries d where d.tenant_id = b.tenant_id and d.broadcast_id = b.id) s on true";

/// Makes a draft.
pub async fn insert(
    tx: &mut TenantTx,
    email_id: EmailId,
    name: &str,
    parent: Option<BroadcastId>,
    subject: Option<&str>,
    by: Option<Uuid>,
) -> sqlx::Result<BroadcastId> {
    let id = BroadcastId::new();
    sqlx::query(
        "insert into broadcasts (tenant_id, id, email_id, name, parent_id, subject, created_by)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(email_id)
    .bind(name)
    .bind(parent)
    .bind(subject)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// One broadcast.
pub async fn find(tx: &mut TenantTx, id: BroadcastId) -> sqlx::Result<Option<Broadcast>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("select {COLUMNS} from broadcasts where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// One broadcast, locked for a change of status.
pub async fn lock(tx: &mut TenantTx, id: BroadcastId) -> sqlx::Result<Option<Broadcast>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from broadcasts where tenant_id = $1 and id = $2 for update"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// One broadcast with its numbers.
pub async fn listed(tx: &mut TenantTx, id: BroadcastId) -> sqlx::Result<Option<Listed>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}, {STATS} from broadcasts b {STATS_JOIN} where b.tenant_id = $1 and b.id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The school's broadcasts, newest first, after `before` (an id, for paging) when given.
pub async fn list(tx: &mut TenantTx, after: Option<Uuid>, limit: i64) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS}, {STATS} from broadcasts b {STATS_JOIN}
         where b.tenant_id = $1 and ($2::uuid is null or b.id < $2) order by b.id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(after)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Saves a draft's name, segment, subject and timing.
pub async fn save_draft(
    tx: &mut TenantTx,
    id: BroadcastId,
    name: &str,
    segment: &serde_json::Value,
    subject: Option<&str>,
    send_at: Option<DateTime<Utc>>,
    local_time: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "update broadcasts set name = $3, segment = $4, subject = coalesce($5, subject), send_at = $6, local_time = $7
         where tenant_id = $1 and id = $2 and status = 'draft'",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(name)
    .bind(segment)
    .bind(subject)
    .bind(send_at)
    .bind(local_time)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a broadcast to `status`, stamping the moments that go with it.
pub async fn set_status(
    tx: &mut TenantTx,
    id: BroadcastId,
    status: &str,
    at: DateTime<Utc>,
    recipients: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update broadcasts set status = $3,
           started_at = case when $3 = 'sending' then $4 else started_at end,
           finished_at = case when $3 in ('sent', 'cancelled') then $4 else finished_at end,
           recipients = coalesce($5::int, recipients)
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(status)
    .bind(at)
    .bind(recipients.map(|n| n as i32))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Schedules a draft.
pub async fn set_scheduled(
    tx: &mut TenantTx,
    id: BroadcastId,
    send_at: DateTime<Utc>,
    start_at: DateTime<Utc>,
    zone: &str,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "update broadcasts set status = 'scheduled', send_at = $3, start_at = $4, time_zone = $5
         where tenant_id = $1 and id = $2 and status = 'draft'",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(send_at)
    .bind(start_at)
    .bind(zone)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Scheduled broadcasts whose start has come, and those sending.
pub async fn due(tx: &mut TenantTx, now: DateTime<Utc>) -> sqlx::Result<Vec<(BroadcastId, String)>> {
    sqlx::query_as(
        "select id, status from broadcasts where tenant_id = $1
           and ((status = 'scheduled' and start_at <= $2) or status = 'sending') order by start_at",
    )
    .bind(tx.tenant())
    .bind(now)
    .fetch_all(&mut **tx)
    .await
}

/// Whether any of the broadcast's recipients is still queued.
pub async fn has_queued(tx: &mut TenantTx, id: BroadcastId) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from email_deliveries where tenant_id = $1 and broadcast_id = $2 and status = 'queued')",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_one(&mut **tx)
    .await
}
