//! How much a school may send: the plan's daily limit, the warm-up of a new school, and the
//! hold.
//!
//! - Warm-up: on day 1 (the first 24 hours after the school first asks to send) at most
//!   [`WARMUP_FIRST_DAY`] messages, doubling each day until the plan's daily limit
//!   (`kernel::plan::Plan::emails_per_day`).
//! - Hold: over the last 7 days (and since the last lift), once at least [`HOLD_MIN_SENT`]
//!   messages went out, a complaint rate of [`COMPLAINT_RATE`] (0.3 %, the spam rate Gmail and
//!   Yahoo require bulk senders to stay under) or a hard-bounce rate of [`BOUNCE_RATE`] (5 %)
//!   holds the school's sending; the owner is told by email once, and staff lift it on the
//!   settings page after fixing the list (or the operator does).

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, db::TenantTx, plan::Plan};
use minijinja::context;

use super::settings_store::{self, EmailSettings};

/// Messages on the first day of the warm-up.
pub const WARMUP_FIRST_DAY: i64 = 200;
/// Complaints per message sent that hold a school (0.3 %).
pub const COMPLAINT_RATE: f64 = 0.003;
/// Hard bounces per message sent that hold a school (5 %).
pub const BOUNCE_RATE: f64 = 0.05;
/// Messages sent in the window before the rates count.
pub const HOLD_MIN_SENT: i64 = 200;

/// How much the school may send now.
#[derive(Clone, Debug)]
pub struct Allowance {
    /// Why the school's sending is held (complaint or bounce rate past the thresholds, or the
    /// operator); nothing is sent while held.
    pub held: Option<String>,
    /// Messages per minute at most.
    pub per_minute: u32,
    /// Messages it may still send today (plan limit or warm-up schedule).
    pub remaining_today: i64,
    /// Today's limit (the smaller of the plan's and the warm-up's).
    pub daily_limit: i64,
    /// Messages sent today.
    pub sent_today: i64,
}

/// Today's limit: the warm-up's `200 × 2^(day-1)` until it reaches the plan's limit.
pub fn daily_limit(plan: &Plan, warmup_started_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> i64 {
    let day = warmup_started_at.map_or(0, |s| (now - s).num_days().max(0));
    let warm = if day >= 40 { i64::MAX } else { WARMUP_FIRST_DAY.saturating_mul(1_i64 << day) };
    warm.min(plan.emails_per_day)
}

/// What the last 7 days of sending look like.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Rates {
    /// Messages sent.
    pub sent: i64,
    /// Of those, hard bounces.
    pub bounced: i64,
    /// Of those, complaints.
    pub complained: i64,
}

impl Rates {
    /// Complaints per message.
    pub fn complaint_rate(&self) -> f64 {
        if self.sent == 0 { 0.0 } else { self.complained as f64 / self.sent as f64 }
    }

    /// Hard bounces per message.
    pub fn bounce_rate(&self) -> f64 {
        if self.sent == 0 { 0.0 } else { self.bounced as f64 / self.sent as f64 }
    }

    /// The reason to hold the school, if the rates call for one.
    pub fn hold_reason(&self) -> Option<String> {
        if self.sent < HOLD_MIN_SENT {
            return None;
        }
        if self.complaint_rate() >= COMPLAINT_RATE {
            return Some(format!(
                "complaint rate {:.2} % over the last 7 days ({} of {}) reached the 0.3 % limit",
                self.complaint_rate() * 100.0,
                self.complained,
                self.sent
            ));
        }
        if self.bounce_rate() >= BOUNCE_RATE {
            return Some(format!(
                "hard-bounce rate {:.2} % over the last 7 days ({} of {}) reached the 5 % limit",
                self.bounce_rate() * 100.0,
                self.bounced,
                self.sent
            ));
        }
        None
    }
}

/// The last 7 days' sending (since the last lift of a hold).
pub async fn rates(tx: &mut TenantTx, now: DateTime<Utc>) -> sqlx::Result<Rates> {
    let (sent, bounced, complained): (i64, i64, i64) = sqlx::query_as(
        "select count(*), count(d.bounced_at), count(d.complained_at) from email_deliveries d
         where d.tenant_id = $1 and d.status = 'sent' and d.source <> 'test'
           and d.sent_at >= greatest($2, coalesce((select hold_lifted_at from email_settings s where s.tenant_id = $1), $2))",
    )
    .bind(tx.tenant())
    .bind(now - Duration::days(7))
    .fetch_one(&mut **tx)
    .await?;
    Ok(Rates { sent, bounced, complained })
}

async fn sent_since(tx: &mut TenantTx, since: DateTime<Utc>) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from email_deliveries where tenant_id = $1 and status = 'sent' and source <> 'test' and sent_at >= $2",
    )
    .bind(tx.tenant())
    .bind(since)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n)
}

/// What the school may send now. Starts the warm-up on first call, and holds the school (and
/// tells its owner, once) when the rates pass the thresholds. "Today" is the 24 hours since the
/// day boundary of the warm-up's clock (UTC midnight).
pub async fn allowance(state: &AppState, tx: &mut TenantTx) -> anyhow::Result<Allowance> {
    let now = state.clock.now();
    settings_store::start_warmup(tx, now).await?;
    let mut s = settings_store::settings(tx).await?;
    if s.held.is_none()
        && let Some(reason) = rates(tx, now).await?.hold_reason()
        && settings_store::set_hold(tx, now, &reason).await?
    {
        tracing::warn!(tenant = %tx.tenant(), %reason, "email sending held");
        s = settings_store::settings(tx).await?;
    }
    if s.held.is_some() {
        notify_owner(state, tx, &s).await?;
    }
    let school = state.school(tx.tenant()).await?;
    let plan = Plan::named(&school.plan);
    let limit = daily_limit(&plan, s.warmup_started_at, now);
    let midnight = now.date_naive().and_hms_opt(0, 0, 0).map_or(now, |t| t.and_utc());
    let sent_today = sent_since(tx, midnight).await?;
    Ok(Allowance {
        held: s.held.map(|h| h.reason),
        per_minute: plan.emails_per_minute,
        remaining_today: (limit - sent_today).max(0),
        daily_limit: limit,
        sent_today,
    })
}

/// Tells the school's owners by email that sending is held (once per hold).
async fn notify_owner(state: &AppState, tx: &mut TenantTx, s: &EmailSettings) -> anyhow::Result<()> {
    if s.hold_notified_at.is_some() || !settings_store::mark_hold_notified(tx, state.clock.now()).await? {
        return Ok(());
    }
    let school = state.school(tx.tenant()).await?;
    let reason = s.held.as_ref().map(|h| h.reason.clone()).unwrap_or_default();
    for owner in identity::store::list(tx, &["owner"], None, None, 5).await? {
        let locale = identity::service::user_locale(&owner, &school);
        let subject = kernel::i18n::t(locale, "deliverability-hold-mail-subject");
        let mail = kernel::mail::compose(
            state,
            &school,
            locale,
            (&owner.email, &owner.name),
            "marketing/email/settings_hold_mail",
            subject,
            context! { name => owner.name.clone(), reason => reason.clone(),
            url => format!("{}/admin/settings/email", school.base_url) },
        )?;
        kernel::mail::queue(tx, &mail).await?;
    }
    Ok(())
}
