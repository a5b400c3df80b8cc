//! The suppression list: addresses that unsubscribed, bounced hard, complained, or were added
//! by staff. Every send checks it ([`is_suppressed`]) at the moment it sends.
//!
//! Being on the list also shows on the contact: an unsubscribe turns the contact
//! `unsubscribed` (with `unsubscribed_at`); a bounce, a complaint or a manual entry sets
//! `suppressed_at` and `suppression_reason`. [`unsubscribe`] also publishes
//! `contact.unsubscribed`; [`suppress`] (which has no `AppState`) does not. A manual entry can
//! be taken off the list again ([`unsuppress`]); a complaint, an unsubscribe and a hard bounce
//! cannot, from here.

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx};
use serde::Serialize;
use serde_json::json;

/// The reasons an address is on the list.
pub const REASONS: [&str; 4] = ["unsubscribe", "bounce", "complaint", "manual"];

/// Whether marketing may not mail this address.
pub async fn is_suppressed(tx: &mut TenantTx, email: &str) -> sqlx::Result<bool> {
    let row: Option<(i32,)> = sqlx::query_as("select 1 from suppressions where tenant_id = $1 and email = lower($2)")
        .bind(tx.tenant())
        .bind(email)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

/// Adds the address to the list (`unsubscribe`, `bounce`, `complaint` or `manual`) and marks
/// its contact. An address already there keeps its first reason, except that a complaint
/// replaces anything else (it is the one that must never be lifted).
pub async fn suppress(tx: &mut TenantTx, email: &str, reason: &str, detail: &str) -> sqlx::Result<()> {
    sqlx::query(
        "insert into suppressions (tenant_id, email, reason, detail) values ($1, lower($2), $3, $4)
         on conflict (tenant_id, email) do update set reason = excluded.reason, detail = excluded.detail
           where excluded.reason = 'complaint' and suppressions.reason <> 'complaint'",
    )
    .bind(tx.tenant())
    .bind(email)
    .bind(reason)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    if reason == "unsubscribe" {
        sqlx::query(
            "update contacts set status = 'unsubscribed', unsubscribed_at = coalesce(unsubscribed_at, now())
             where tenant_id = $1 and email = lower($2) and status <> 'unsubscribed'",
        )
        .bind(tx.tenant())
        .bind(email)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query(
            "update contacts set suppressed_at = coalesce(suppressed_at, now()), suppression_reason = $3
             where tenant_id = $1 and email = lower($2)",
        )
        .bind(tx.tenant())
        .bind(email)
        .bind(reason)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The person said no: the address goes on the list, the contact becomes `unsubscribed`, and
/// `contact.unsubscribed` is published (once, when the contact was not already unsubscribed).
pub async fn unsubscribe(state: &AppState, tx: &mut TenantTx, email: &str, detail: &str) -> sqlx::Result<()> {
    let contact: Option<(uuid::Uuid, String)> =
        sqlx::query_as("select id, status from contacts where tenant_id = $1 and email = lower($2)")
            .bind(tx.tenant())
            .bind(email)
            .fetch_optional(&mut **tx)
            .await?;
    suppress(tx, email, "unsubscribe", detail).await?;
    if let Some((id, _)) = contact.filter(|(_, s)| s != "unsubscribed") {
        let payload = json!({ "contact_id": id, "email": email.to_lowercase(), "reason": detail });
        state.events.publish(tx, "contact.unsubscribed", payload).await?;
    }
    Ok(())
}

/// Takes an unsubscribe off the list: the person asked for mail again on their own signed
/// preference page. Bounces and complaints stay. Whether one was removed.
pub async fn lift_unsubscribe(tx: &mut TenantTx, email: &str) -> sqlx::Result<bool> {
    let n =
        sqlx::query("delete from suppressions where tenant_id = $1 and email = lower($2) and reason = 'unsubscribe'")
            .bind(tx.tenant())
            .bind(email)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(n > 0)
}

/// Takes a manual entry off the list (and clears its mark on the contact). Other reasons stay.
/// Whether one was removed.
pub async fn unsuppress(tx: &mut TenantTx, email: &str) -> sqlx::Result<bool> {
    let n = sqlx::query("delete from suppressions where tenant_id = $1 and email = lower($2) and reason = 'manual'")
        .bind(tx.tenant())
        .bind(email)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n > 0 {
        sqlx::query(
            "update contacts set suppressed_at = null, suppression_reason = null
             where tenant_id = $1 and email = lower($2) and suppression_reason = 'manual'",
        )
        .bind(tx.tenant())
        .bind(email)
        .execute(&mut **tx)
        .await?;
    }
    Ok(n > 0)
}

/// One address on the list.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Suppression {
    /// The address (lower case).
    pub email: String,
    /// `unsubscribe`, `bounce`, `complaint` or `manual`.
    pub reason: String,
    /// What the bounce said, or who added it.
    pub detail: String,
    /// When it went on the list.
    pub created_at: DateTime<Utc>,
}

/// The list, newest first, optionally only addresses containing `search`; at most `limit`.
pub async fn list(tx: &mut TenantTx, search: Option<&str>, limit: i64) -> sqlx::Result<Vec<Suppression>> {
    let pattern = search.map(|s| s.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    sqlx::query_as(
        "select email, reason, detail, created_at from suppressions
         where tenant_id = $1 and ($2::text is null or email like '%' || $2 || '%')
         order by created_at desc, email limit $3",
    )
    .bind(tx.tenant())
    .bind(pattern.filter(|p| !p.is_empty()))
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// How many addresses are on the list, per reason.
pub async fn counts(tx: &mut TenantTx) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("select reason, count(*) from suppressions where tenant_id = $1 group by reason order by reason")
        .bind(tx.tenant())
        .fetch_all(&mut **tx)
        .await
}
