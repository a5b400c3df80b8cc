//! The suppression list: addresses that unsubscribed, bounced hard, complained, or were added
//! by staff. Every send checks it ([`is_suppressed`]) at the moment it sends.
//!
//! FOUNDATION STUB: the deliverability helper completes it (admin page, contact status,
//! `contact.unsubscribed`).

use kernel::db::TenantTx;

/// Whether marketing may not mail this address.
pub async fn is_suppressed(tx: &mut TenantTx, email: &str) -> sqlx::Result<bool> {
    let row: Option<(i32,)> = sqlx::query_as("select 1 from suppressions where tenant_id = $1 and email = lower($2)")
        .bind(tx.tenant())
        .bind(email)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

/// Adds the address to the list (`unsubscribe`, `bounce`, `complaint` or `manual`).
pub async fn suppress(tx: &mut TenantTx, email: &str, reason: &str, detail: &str) -> sqlx::Result<()> {
    sqlx::query(
        "insert into suppressions (tenant_id, email, reason, detail) values ($1, lower($2), $3, $4)
         on conflict (tenant_id, email) do nothing",
    )
    .bind(tx.tenant())
    .bind(email)
    .bind(reason)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
