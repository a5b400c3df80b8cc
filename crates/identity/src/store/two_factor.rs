//! SQL for two-factor login: the TOTP secret and the one-time recovery codes.

use kernel::{
    db::TenantTx,
    ids::UserId,
    secret::{Keys, open, seal},
};

/// What the TOTP secret is sealed for (see [`kernel::secret::seal`]).
const SEAL_PURPOSE: &str = "totp-secret";

/// A user's stored secret and the last time step a code was accepted.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TotpState {
    /// Base32 secret (set at setup, before it is enabled), already unsealed.
    pub totp_secret: Option<String>,
    /// The last accepted time step (a code works once).
    pub totp_last_step: Option<i64>,
}

/// The user's secret (unsealed with the deployment's sealing key) and last accepted step. A secret
/// that no longer opens (the key changed) reads as none, so the person sets 2FA up again.
pub async fn state(tx: &mut TenantTx, keys: &Keys, user: UserId) -> sqlx::Result<Option<TotpState>> {
    let row: Option<TotpState> =
        sqlx::query_as("select totp_secret, totp_last_step from users where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(user)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|s| TotpState {
        totp_secret: s.totp_secret.and_then(|sealed| open(keys, SEAL_PURPOSE, &sealed)),
        totp_last_step: s.totp_last_step,
    }))
}

/// Stores a new secret, sealed, that is not enabled yet.
pub async fn set_pending_secret(tx: &mut TenantTx, keys: &Keys, user: UserId, secret: &str) -> sqlx::Result<()> {
    sqlx::query(
        "update users set totp_secret = $3, totp_enabled_at = null, totp_last_step = null
         where tenant_id = $1 and id = $2 and totp_enabled_at is null",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(seal(keys, SEAL_PURPOSE, secret))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records that a code of `step` was accepted; false when that step (or a later one) already was.
pub async fn claim_step(tx: &mut TenantTx, user: UserId, step: i64) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "update users set totp_last_step = $3
         where tenant_id = $1 and id = $2 and (totp_last_step is null or totp_last_step < $3)",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(step)
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Turns two-factor login on.
pub async fn enable(tx: &mut TenantTx, user: UserId) -> sqlx::Result<()> {
    sqlx::query("update users set totp_enabled_at = now() where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Turns two-factor login off and forgets the secret and the recovery codes.
pub async fn disable(tx: &mut TenantTx, user: UserId) -> sqlx::Result<()> {
    sqlx::query(
        "update users set totp_secret = null, totp_enabled_at = null, totp_last_step = null
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(user)
    .execute(&mut **tx)
    .await?;
    sqlx::query("delete from recovery_codes where tenant_id = $1 and user_id = $2")
        .bind(tx.tenant())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces the user's recovery codes with these hashes.
pub async fn replace_recovery_codes(tx: &mut TenantTx, user: UserId, hashes: &[String]) -> sqlx::Result<()> {
    sqlx::query("delete from recovery_codes where tenant_id = $1 and user_id = $2")
        .bind(tx.tenant())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    let ids: Vec<uuid::Uuid> = hashes.iter().map(|_| uuid::Uuid::now_v7()).collect();
    sqlx::query(
        "insert into recovery_codes (tenant_id, id, user_id, code_hash)
         select $1, id, $2, code_hash from unnest($3::uuid[], $4::text[]) as c(id, code_hash)",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(ids)
    .bind(hashes)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Uses up a recovery code; false when it is unknown or was used before.
pub async fn use_recovery_code(tx: &mut TenantTx, user: UserId, code_hash: &str) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "update recovery_codes set used_at = now()
         where tenant_id = $1 and user_id = $2 and code_hash = $3 and used_at is null",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(code_hash)
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// How many unused recovery codes the user has left.
pub async fn recovery_codes_left(tx: &mut TenantTx, user: UserId) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from recovery_codes where tenant_id = $1 and user_id = $2 and used_at is null")
        .bind(tx.tenant())
        .bind(user)
        .fetch_one(&mut **tx)
        .await
}
