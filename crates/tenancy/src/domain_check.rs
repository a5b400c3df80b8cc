//! The daily custom-domain check: pending claims past [`PENDING_DAYS`] are removed, and every
//! verified domain's TXT record is looked up again. A domain whose record has been missing for
//! [`GRACE_DAYS`] in a row stops serving, and the school's owners are emailed.
//!
//! Why a per-school recurring job rather than one platform-wide sweep from the worker's
//! maintenance: the job queue's schedules are per school, so adding a domain schedules
//! `domains.check` for that school ([`schedule`]). Each run then works inside the school's own
//! `TenantTx` (Row-Level Security holds, as for any other job), gets the queue's retries when
//! DNS or the database fails, costs nothing for the many schools without a domain, and the
//! checks spread over the day (each school's schedule starts when its first domain was added)
//! instead of firing every DNS query of the platform at one moment. The kernel's maintenance
//! stays free of tenancy's rules.

use std::time::Duration;

use anyhow::Context;
use identity::{Role, service::Recipient};
use kernel::{
    AppState,
    db::TenantTx,
    jobs::{self, Job, JobRegistry},
};
use minijinja::context;

use crate::domains::{self, DomainRow, GRACE_DAYS, PENDING_DAYS};

/// The job kind of the daily check.
pub const KIND: &str = "domains.check";

/// How often a school's domains are checked.
pub const EVERY: Duration = Duration::from_secs(24 * 3600);

/// Schedules the daily check for the transaction's school (idempotent).
pub async fn schedule(tx: &mut TenantTx) -> sqlx::Result<()> {
    jobs::schedule_recurring(tx, KIND, serde_json::json!({}), EVERY).await
}

/// Registers the check's handler.
pub fn register(jobs: &mut JobRegistry) {
    jobs.register(KIND, run);
}

/// One school's daily check.
async fn run(state: AppState, job: Job) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(job.tenant).await?;
    let expired = sqlx::query(
        "delete from tenant_domains where tenant_id = $1 and verified_at is null and stopped_at is null
           and created_at < now() - make_interval(days => $2)",
    )
    .bind(job.tenant)
    .bind(PENDING_DAYS as i32)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let verified: Vec<DomainRow> =
        domains::list(&mut tx).await?.into_iter().filter(|d| d.verified_at.is_some()).collect();
    tx.commit().await?;
    if expired > 0 {
        tracing::info!(tenant_id = %job.tenant, expired, "expired pending domain claims removed");
    }
    for domain in verified {
        // No transaction is held open during the DNS query. A failed look-up says nothing about
        // the record, so it neither counts as missing nor clears a failure.
        let found = match domains::txt_values(&state, &domain.txt_name()).await {
            Ok(values) => values.contains(&domain.txt_value()),
            Err(e) => {
                tracing::info!(domain = %domain.domain, error = %e, "TXT look-up failed; checking again tomorrow");
                continue;
            }
        };
        record(&state, &job, &domain, found).await.with_context(|| format!("checking {}", domain.domain))?;
    }
    Ok(())
}

/// Stores what the look-up found, and stops the domain when its record stayed missing.
async fn record(state: &AppState, job: &Job, domain: &DomainRow, found: bool) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(job.tenant).await?;
    let stop: bool = sqlx::query_scalar(
        "update tenant_domains set last_checked_at = now(),
           failing_since = case when $3 then null else coalesce(failing_since, now()) end
         where tenant_id = $1 and id = $2 and verified_at is not null
         returning coalesce(failing_since <= now() - make_interval(days => $4), false)",
    )
    .bind(job.tenant)
    .bind(domain.id)
    .bind(found)
    .bind(GRACE_DAYS as i32)
    .fetch_optional(&mut *tx)
    .await?
    .unwrap_or(false);
    if stop {
        sqlx::query(
            "update tenant_domains set verified_at = null, stopped_at = now() where tenant_id = $1 and id = $2",
        )
        .bind(job.tenant)
        .bind(domain.id)
        .execute(&mut *tx)
        .await?;
        email_owners(state, &mut tx, domain).await?;
    }
    tx.commit().await?;
    if stop {
        tracing::warn!(tenant_id = %job.tenant, domain = %domain.domain, "custom domain stopped: TXT record missing");
        crate::resolve::forget(state);
    }
    Ok(())
}

async fn email_owners(state: &AppState, tx: &mut TenantTx, domain: &DomainRow) -> anyhow::Result<()> {
    let school = state.school(tx.tenant()).await?;
    let settings_url = format!("{}/admin/settings/domains", school.base_url);
    for owner in identity::store::team::members(tx).await?.iter().filter(|u| u.role() == Role::Owner) {
        let ctx = context! {
            name => owner.name.clone(),
            domain => domain.domain.clone(),
            txt_name => domain.txt_name(),
            txt_value => domain.txt_value(),
            days => GRACE_DAYS,
            url => settings_url.clone(),
        };
        let to = Recipient::user(owner, &school);
        let template = "tenancy/mail/domain_stopped";
        identity::service::send_mail(state, tx, &school, to, template, "mail-domain-stopped-subject", ctx)
            .await
            .map_err(|e| anyhow::anyhow!("queueing the domain-stopped email: {e}"))?;
    }
    Ok(())
}
