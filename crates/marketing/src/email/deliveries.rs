//! One row per recipient of one send (`email_deliveries`). Broadcasts, automations and test
//! sends enqueue rows here; the [`super::engine`] sends them. A row is `queued` until the engine
//! moves it to `sent` (with the SMTP message id), `failed` (after its retries), `skipped` (the
//! address is suppressed or the contact unsubscribed before it went) or `cancelled`.
//!
//! A broadcast to many contacts may insert its rows with one `insert … select` of its own
//! instead of [`enqueue`]; the unique index on `(broadcast_id, to_email)` keeps it to one each.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use uuid::Uuid;

use super::{DeliveryId, EmailId};
use crate::model::ContactId;

/// A recipient to send an email to.
#[derive(Clone, Debug)]
pub struct NewDelivery {
    /// What to send.
    pub email_id: EmailId,
    /// To whom (a contact; none for a test send to staff).
    pub contact_id: Option<ContactId>,
    /// Their address, lower-case.
    pub to_email: String,
    /// `broadcast`, `automation` or `test`.
    pub source: &'static str,
    /// The broadcast it belongs to.
    pub broadcast_id: Option<Uuid>,
    /// The automation it belongs to.
    pub automation_id: Option<Uuid>,
    /// The automation step that sent it.
    pub step_id: Option<String>,
    /// A subject replacing the email's own (a resend to non-openers).
    pub subject: Option<String>,
    /// Not before this time.
    pub not_before: DateTime<Utc>,
}

/// Queues the recipients (a broadcast's recipient already queued is left alone) and returns
/// the ids of the rows it made.
pub async fn enqueue(tx: &mut TenantTx, batch: &[NewDelivery]) -> sqlx::Result<Vec<DeliveryId>> {
    let mut ids = Vec::with_capacity(batch.len());
    for d in batch {
        let id = DeliveryId::new();
        let made = sqlx::query(
            "insert into email_deliveries
               (tenant_id, id, email_id, contact_id, to_email, source, broadcast_id, automation_id, step_id, subject, not_before)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             on conflict do nothing",
        )
        .bind(tx.tenant())
        .bind(id)
        .bind(d.email_id)
        .bind(d.contact_id)
        .bind(d.to_email.to_lowercase())
        .bind(d.source)
        .bind(d.broadcast_id)
        .bind(d.automation_id)
        .bind(&d.step_id)
        .bind(&d.subject)
        .bind(d.not_before)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if made == 1 {
            ids.push(id);
        }
    }
    if !ids.is_empty() {
        // The engine sends them (scheduled rows are picked up by its tick when due).
        super::engine::kick(tx).await?;
    }
    Ok(ids)
}

/// Cancels what of a broadcast is still queued; what was sent stays sent. Returns how many.
pub async fn cancel_broadcast(tx: &mut TenantTx, broadcast_id: Uuid) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "update email_deliveries set status = 'cancelled'
         where tenant_id = $1 and broadcast_id = $2 and status = 'queued'",
    )
    .bind(tx.tenant())
    .bind(broadcast_id)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}
