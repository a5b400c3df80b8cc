//! Rules for API keys: creating one (shown once, stored as a hash), revoking it, and turning a
//! presented key into the school and scope it stands for.

use chrono::{Duration, Utc};
use kernel::{AppError, AppState, TenantId, db::TenantTx, ids::UserId, secret::hash_token};

use crate::{
    model::{ApiKey, ApiKeyId, MAX_ACTIVE_KEYS, NewKey, SHOWN_PREFIX_LEN, generate_key, looks_like_key},
    store,
};

/// A key just created: the record, and the secret to show exactly once.
pub struct CreatedKey {
    /// The stored record.
    pub key: ApiKey,
    /// The full key in clear; never stored, never shown again.
    pub secret: String,
}

/// Whether the school already holds as many active keys as allowed.
pub async fn at_key_limit(tx: &mut TenantTx) -> Result<bool, AppError> {
    Ok(store::count_active(tx).await? >= MAX_ACTIVE_KEYS)
}

/// Creates a key for the school and records who did it.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn create_key(tx: &mut TenantTx, new: &NewKey, actor: UserId) -> Result<CreatedKey, AppError> {
    let secret = generate_key();
    let prefix = &secret[..SHOWN_PREFIX_LEN];
    let key = store::insert(tx, &new.name, prefix, &hash_token(&secret), new.scope, actor).await?;
    identity::store::audit(
        tx,
        actor,
        "api_key.created",
        serde_json::json!({ "key_id": key.id, "name": key.name, "scope": key.scope_name }),
    )
    .await?;
    Ok(CreatedKey { key, secret })
}

/// Revokes a key. `Ok(false)` when it was already revoked; 404 when the school has no such key.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn revoke_key(tx: &mut TenantTx, id: ApiKeyId, actor: UserId) -> Result<bool, AppError> {
    let key = store::find(tx, id).await?.ok_or(AppError::NotFound)?;
    if !store::revoke(tx, id).await? {
        return Ok(false);
    }
    identity::store::audit(tx, actor, "api_key.revoked", serde_json::json!({ "key_id": key.id, "name": key.name }))
        .await?;
    Ok(true)
}

/// Finds the live key behind a presented secret, for the school the request reached.
///
/// `None` for anything that must be answered with 401: an unknown or revoked key, or a key of
/// another school (a key only opens the school that issued it).
pub async fn authenticate(state: &AppState, school: TenantId, secret: &str) -> Result<Option<ApiKey>, AppError> {
    if !looks_like_key(secret) {
        return Ok(None);
    }
    let mut tx = state.db.platform().await?;
    let found = store::find_by_hash(&mut tx, &hash_token(secret)).await?;
    let Some(found) = found.filter(|m| m.tenant_id == school && m.key.revoked_at.is_none()) else {
        tx.commit().await?;
        return Ok(None);
    };
    let now = Utc::now();
    if found.key.last_used_at.is_none_or(|t| now - t >= Duration::minutes(1)) {
        store::touch(&mut tx, found.tenant_id, found.key.id, now).await?;
    }
    tx.commit().await?;
    Ok(Some(found.key))
}
