//! The check of a claimed batch, in one query: which rows are still queued and ours, and
//! whether each recipient still wants the email (suppression list, contact status and
//! suppression, the email's topic); the unwanted rows are skipped with their reason in one
//! statement, the others come back with what personalising them needs.
//!
//! The hand-over checks the same again at the last moment (see [`super::handover::commit`]):
//! this check only spares the rendering and the SMTP exchange of rows that would be refused.

use std::collections::HashMap;

use kernel::db::TenantTx;
use uuid::Uuid;

use super::Claimed;
use crate::email::{DeliveryId, content::Recipient};

/// A row that may go, with its recipient.
pub(super) struct Ready {
    pub row: Claimed,
    pub recipient: Recipient,
}

/// Per row: still ours, whether its contact exists, its status, whether it is suppressed, on
/// the suppression list, opted out of the topic, first and last name, fields.
type Found = (DeliveryId, bool, String, bool, bool, bool, String, String, serde_json::Value);

/// What the batch check found.
#[derive(Default)]
pub(super) struct Checked {
    /// Rows to send.
    pub ready: Vec<Ready>,
    /// Rows skipped now.
    pub skipped: usize,
}

/// Checks `rows` of one email (whose topic is `topic`) for `worker`; rows no longer ours are
/// left out of the result.
pub(super) async fn check(tx: &mut TenantTx, worker: Uuid, rows: Vec<Claimed>, topic: &str) -> anyhow::Result<Checked> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id.0).collect();
    let found: Vec<Found> = sqlx::query_as(
        "select d.id, c.id is not null, coalesce(c.status, ''), c.suppressed_at is not null, s.email is not null,
                o.contact_id is not null, coalesce(c.first_name, ''), coalesce(c.last_name, ''),
                coalesce(c.fields, '{}')
         from email_deliveries d
         left join contacts c on c.tenant_id = d.tenant_id and c.id = d.contact_id
         left join suppressions s on s.tenant_id = d.tenant_id and s.email = lower(d.to_email)
         left join contact_topic_optouts o on o.tenant_id = d.tenant_id and o.contact_id = d.contact_id
           and o.topic = $4
         where d.tenant_id = $1 and d.id = any($2) and d.status = 'queued' and d.claimed_by = $3",
    )
    .bind(tx.tenant())
    .bind(&ids)
    .bind(worker)
    .bind(topic)
    .fetch_all(&mut **tx)
    .await?;
    let mut found: HashMap<DeliveryId, Found> = found.into_iter().map(|f| (f.0, f)).collect();
    let mut out = Checked::default();
    let (mut skip_ids, mut skip_why) = (vec![], vec![]);
    for row in rows {
        let Some(f) = found.remove(&row.id) else {
            continue; // sent, cancelled, or taken over since we claimed it
        };
        let (_, exists, status, suppressed, listed, opted_out, first_name, last_name, fields) = f;
        let why = if listed {
            Some("suppressed".to_string())
        } else if row.contact_id.is_some() && !exists {
            Some("contact deleted".into())
        } else if row.contact_id.is_some() && suppressed {
            Some("contact suppressed".into())
        } else if row.contact_id.is_some() && status != "subscribed" {
            Some(format!("contact {status}"))
        } else if row.contact_id.is_some() && opted_out && !topic.is_empty() {
            Some("unsubscribed from the topic".into())
        } else if row.contact_id.is_none() && row.source != "test" {
            Some("contact deleted".into())
        } else {
            None
        };
        if let Some(why) = why {
            skip_ids.push(row.id.0);
            skip_why.push(why);
            continue;
        }
        let mut recipient = Recipient { email: row.to_email.clone(), ..Recipient::default() };
        if let Some(contact_id) = row.contact_id {
            recipient = Recipient { contact_id: Some(contact_id), first_name, last_name, fields, ..recipient };
        }
        if let (Some(automation), Some(contact)) = (row.automation_id, row.contact_id) {
            // What the trigger carried (`{{ course.title }}`, `{{ order.number }}`, …).
            let t = crate::email::automations::trigger_data(tx, automation, contact.0).await?;
            recipient.extra = serde_json::json!({
                "course": { "title": t["course_title"], "url": t["course_url"] },
                "order": { "number": t["order_number"], "total": t["total"] },
                "trigger": t,
            });
        }
        out.ready.push(Ready { row, recipient });
    }
    if !skip_ids.is_empty() {
        out.skipped = sqlx::query(
            "update email_deliveries d set status = 'skipped', last_error = m.why, claimed_by = null,
               claimed_until = null
             from unnest($2::uuid[], $3::text[]) as m(id, why)
             where d.tenant_id = $1 and d.id = m.id and d.status = 'queued' and d.claimed_by = $4",
        )
        .bind(tx.tenant())
        .bind(&skip_ids)
        .bind(&skip_why)
        .bind(worker)
        .execute(&mut **tx)
        .await?
        .rows_affected() as usize;
    }
    Ok(out)
}
