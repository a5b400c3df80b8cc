//! `email_settings`: one row per school, made on first use.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, secret::random_token};
use serde::Serialize;

/// Why and since when a school's sending is held.
#[derive(Clone, Debug, Serialize)]
pub struct Hold {
    /// When it was held.
    pub at: DateTime<Utc>,
    /// Why (shown to staff): the rate that passed its threshold, or the operator's words.
    pub reason: String,
}

/// A school's email settings.
#[derive(Clone, Debug, Serialize)]
pub struct EmailSettings {
    /// Whether opens and clicks are tracked.
    pub tracking_enabled: bool,
    /// The postal address every marketing email's footer shows.
    pub postal_address: String,
    /// When the warm-up began (the school's first look at its allowance).
    pub warmup_started_at: Option<DateTime<Utc>>,
    /// The secret in the bounce webhook's address (empty until the row exists).
    pub bounce_token: String,
    /// The hold on sending, if any.
    pub held: Option<Hold>,
    /// When the owner was told of the current hold.
    pub hold_notified_at: Option<DateTime<Utc>>,
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self {
            tracking_enabled: true,
            postal_address: String::new(),
            warmup_started_at: None,
            bounce_token: String::new(),
            held: None,
            hold_notified_at: None,
        }
    }
}

type Row = (bool, String, Option<DateTime<Utc>>, String, Option<DateTime<Utc>>, Option<String>, Option<DateTime<Utc>>);

/// The school's settings (defaults when it never saved any).
pub async fn settings(tx: &mut TenantTx) -> sqlx::Result<EmailSettings> {
    let row: Option<Row> = sqlx::query_as(
        "select tracking_enabled, postal_address, warmup_started_at, bounce_token, held_at, hold_reason, hold_notified_at
         from email_settings where tenant_id = $1",
    )
    .bind(tx.tenant())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map_or_else(EmailSettings::default, |r| EmailSettings {
        tracking_enabled: r.0,
        postal_address: r.1,
        warmup_started_at: r.2,
        bounce_token: r.3,
        held: r.4.map(|at| Hold { at, reason: r.5.unwrap_or_default() }),
        hold_notified_at: r.6,
    }))
}

/// Makes the school's row if it has none (with a fresh bounce token) and returns the settings.
pub async fn ensure(tx: &mut TenantTx) -> sqlx::Result<EmailSettings> {
    sqlx::query(
        "insert into email_settings (tenant_id, bounce_token) values ($1, $2) on conflict (tenant_id) do nothing",
    )
    .bind(tx.tenant())
    .bind(random_token(24))
    .execute(&mut **tx)
    .await?;
    settings(tx).await
}

/// Saves the postal address and the tracking switch.
pub async fn save(tx: &mut TenantTx, postal_address: &str, tracking_enabled: bool) -> sqlx::Result<()> {
    ensure(tx).await?;
    sqlx::query("update email_settings set postal_address = $2, tracking_enabled = $3 where tenant_id = $1")
        .bind(tx.tenant())
        .bind(postal_address)
        .bind(tracking_enabled)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Starts the warm-up at `now` unless it started already.
pub async fn start_warmup(tx: &mut TenantTx, now: DateTime<Utc>) -> sqlx::Result<()> {
    ensure(tx).await?;
    sqlx::query("update email_settings set warmup_started_at = $2 where tenant_id = $1 and warmup_started_at is null")
        .bind(tx.tenant())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks the warm-up as done long ago (the operator, for a school that brings an established
/// list and reputation; the benchmark). `now` is the clock's time.
pub async fn skip_warmup(tx: &mut TenantTx, now: DateTime<Utc>) -> sqlx::Result<()> {
    ensure(tx).await?;
    sqlx::query("update email_settings set warmup_started_at = $2 where tenant_id = $1")
        .bind(tx.tenant())
        .bind(now - chrono::Duration::days(365))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Holds the school's sending (unless already held). Whether it was newly held.
pub async fn set_hold(tx: &mut TenantTx, now: DateTime<Utc>, reason: &str) -> sqlx::Result<bool> {
    ensure(tx).await?;
    let n = sqlx::query(
        "update email_settings set held_at = $2, hold_reason = $3, hold_notified_at = null
         where tenant_id = $1 and held_at is null",
    )
    .bind(tx.tenant())
    .bind(now)
    .bind(reason)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Lifts the hold at `now`: the rates start counting afresh from then. Whether there was one.
pub async fn lift_hold(tx: &mut TenantTx, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "update email_settings set held_at = null, hold_reason = null, hold_lifted_at = $2
         where tenant_id = $1 and held_at is not null",
    )
    .bind(tx.tenant())
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}

/// Records that the owner was told of the hold; whether they had not been yet.
pub async fn mark_hold_notified(tx: &mut TenantTx, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "update email_settings set hold_notified_at = $2
         where tenant_id = $1 and held_at is not null and hold_notified_at is null",
    )
    .bind(tx.tenant())
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n > 0)
}
