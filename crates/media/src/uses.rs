//! Where items are used. A domain that points at an item (a lesson's video, a lead magnet's
//! file) records it here in its own transaction, so the library can show it and warn before
//! deletion. Deleting the item removes these records with it.

use kernel::db::TenantTx;
use uuid::Uuid;

use crate::model::MediaId;

/// Records (or updates) that `owner_kind`/`owner_id` uses `media`, shown as `label` linking to `url`.
pub async fn record(
    tx: &mut TenantTx,
    media: MediaId,
    owner_kind: &str,
    owner_id: Uuid,
    label: &str,
    url: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into media_uses (tenant_id, media_id, owner_kind, owner_id, label, url) values ($1, $2, $3, $4, $5, $6)
         on conflict (tenant_id, media_id, owner_kind, owner_id) do update set label = excluded.label, url = excluded.url",
    )
    .bind(tx.tenant())
    .bind(media)
    .bind(owner_kind)
    .bind(owner_id)
    .bind(label)
    .bind(url)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Forgets every use by `owner_kind`/`owner_id` (it was deleted or points elsewhere now).
pub async fn forget(tx: &mut TenantTx, owner_kind: &str, owner_id: Uuid) -> sqlx::Result<()> {
    sqlx::query("delete from media_uses where tenant_id = $1 and owner_kind = $2 and owner_id = $3")
        .bind(tx.tenant())
        .bind(owner_kind)
        .bind(owner_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
