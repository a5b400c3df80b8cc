//! SQL for API keys. The settings page works in the school's transaction; authenticating a
//! request looks the key up by its hash on the platform side, before the school is trusted.

use chrono::{DateTime, Utc};
use kernel::{
    TenantId,
    db::{PlatformTx, TenantTx},
    ids::UserId,
};

use crate::model::{ApiKey, ApiKeyId, Scope};

const KEY_COLUMNS: &str = "id, name, prefix, scope, created_at, last_used_at, revoked_at";

/// The school's keys: active ones first, newest first.
pub async fn list(tx: &mut TenantTx) -> sqlx::Result<Vec<ApiKey>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {KEY_COLUMNS} from api_keys where tenant_id = $1
         order by revoked_at is not null, created_at desc, id desc"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// One key of the school.
pub async fn find(tx: &mut TenantTx, id: ApiKeyId) -> sqlx::Result<Option<ApiKey>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("select {KEY_COLUMNS} from api_keys where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// How many keys of the school are not revoked.
pub async fn count_active(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from api_keys where tenant_id = $1 and revoked_at is null")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

/// Stores a key by its hash.
pub async fn insert(
    tx: &mut TenantTx,
    name: &str,
    prefix: &str,
    key_hash: &str,
    scope: Scope,
    created_by: UserId,
) -> sqlx::Result<ApiKey> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into api_keys (tenant_id, id, name, prefix, key_hash, scope, created_by)
         values ($1, $2, $3, $4, $5, $6, $7)
         returning {KEY_COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(ApiKeyId::new())
    .bind(name)
    .bind(prefix)
    .bind(key_hash)
    .bind(scope.as_str())
    .bind(created_by)
    .fetch_one(&mut **tx)
    .await
}

/// Revokes a key; `false` when it was already revoked.
pub async fn revoke(tx: &mut TenantTx, id: ApiKeyId) -> sqlx::Result<bool> {
    let done =
        sqlx::query("update api_keys set revoked_at = now() where tenant_id = $1 and id = $2 and revoked_at is null")
            .bind(tx.tenant())
            .bind(id)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// A key found by its hash, with the school it belongs to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct KeyMatch {
    /// The key's school.
    pub tenant_id: TenantId,
    /// The key.
    #[sqlx(flatten)]
    pub key: ApiKey,
}

/// Looks a presented key up by its hash, across schools (the hash is unique platform-wide).
pub async fn find_by_hash(tx: &mut PlatformTx, key_hash: &str) -> sqlx::Result<Option<KeyMatch>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("select tenant_id, {KEY_COLUMNS} from api_keys where key_hash = $1")))
        .bind(key_hash)
        .fetch_optional(&mut **tx)
        .await
}

/// Records that a key was used, unless that was already recorded within the last minute.
pub async fn touch(tx: &mut PlatformTx, tenant: TenantId, id: ApiKeyId, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "update api_keys set last_used_at = $3
         where tenant_id = $1 and id = $2
           and (last_used_at is null or last_used_at < $3 - interval '1 minute')",
    )
    .bind(tenant)
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
