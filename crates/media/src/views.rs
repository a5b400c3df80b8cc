//! Read-only numbers from the player's watch records, for other domains (insights' course
//! analytics and "active learners"), so they never read media's tables themselves.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};

use crate::MediaId;

/// How far viewers got through one item.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct WatchThrough {
    /// The item.
    pub media_id: MediaId,
    /// People who played it.
    pub viewers: i64,
    /// The average share of it they watched, 0–1 (rewatching counts once: capped at 1 each).
    pub average_share: f64,
}

/// Watch-through of each of `items` that has a known duration and at least one viewer.
pub async fn watch_through(tx: &mut TenantTx, items: &[MediaId]) -> sqlx::Result<Vec<WatchThrough>> {
    let ids: Vec<uuid::Uuid> = items.iter().map(|m| m.0).collect();
    sqlx::query_as(
        "select v.media_id, count(*) as viewers,
                coalesce(avg(least(v.seconds_watched * 1000.0 / m.duration_ms, 1.0)), 0)::float8 as average_share
         from media_views v join media m on m.tenant_id = v.tenant_id and m.id = v.media_id
         where v.tenant_id = $1 and v.media_id = any($2) and m.duration_ms > 0
         group by v.media_id",
    )
    .bind(tx.tenant())
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}

/// Everyone who played any of `items` (any item at all when `None`) since `since`.
pub async fn viewers_since(
    tx: &mut TenantTx,
    since: DateTime<Utc>,
    items: Option<&[MediaId]>,
) -> sqlx::Result<Vec<UserId>> {
    let ids: Option<Vec<uuid::Uuid>> = items.map(|i| i.iter().map(|m| m.0).collect());
    sqlx::query_scalar(
        "select distinct user_id from media_views
         where tenant_id = $1 and last_beat_at >= $2 and ($3::uuid[] is null or media_id = any($3))",
    )
    .bind(tx.tenant())
    .bind(since)
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}
