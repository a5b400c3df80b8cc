//! Custom domains: a school adds a host name, publishes a TXT record that proves it controls
//! it, and once verified the domain serves the school (see [`crate::resolve`]). Caddy asks
//! [`tls_allowed`] before getting a certificate for a name.
//!
//! Only a verified domain holds its name: several schools may have a pending claim on the same
//! name, the first to verify keeps it and the other claims are removed. Pending claims expire
//! after [`PENDING_DAYS`]; verified domains are re-checked daily ([`crate::domain_check`]).

use chrono::{DateTime, Duration, Utc};
use kernel::{AppError, AppState, TenantId, db::TenantTx, secret::random_token};
use serde::Serialize;
use uuid::Uuid;

/// Most custom domains one school may have.
pub const MAX_PER_SCHOOL: i64 = 5;
/// Days a pending claim waits for its TXT record before it is removed.
pub const PENDING_DAYS: i64 = 7;
/// Days a verified domain's TXT record may be missing before the domain stops serving.
pub const GRACE_DAYS: i64 = 3;

/// A validated host name: lowercase ASCII labels, at least two, no port or path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain(String);

impl Domain {
    /// Parses what a creator typed (a pasted URL is fine); `Err` holds a Fluent key.
    /// `platform` is the platform's host name, which no school may claim (nor its subdomains).
    pub fn parse(input: &str, platform: &str) -> Result<Self, &'static str> {
        let mut s = input.trim().to_ascii_lowercase();
        for scheme in ["https://", "http://"] {
            if let Some(rest) = s.strip_prefix(scheme) {
                s = rest.to_string();
            }
        }
        let s = s.split('/').next().unwrap_or_default().trim_end_matches('.').to_string();
        if s.is_empty() {
            return Err("validation-domain-required");
        }
        let labels: Vec<&str> = s.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        let tld_ok = labels.last().is_some_and(|t| t.chars().any(|c| c.is_ascii_lowercase()));
        if s.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) || !tld_ok {
            return Err("validation-domain-invalid");
        }
        let platform = platform.to_ascii_lowercase();
        if s == platform || s.ends_with(&format!(".{platform}")) {
            return Err("validation-domain-platform");
        }
        Ok(Self(s))
    }

    /// The host name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A school's domain as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct DomainRow {
    /// Id.
    pub id: Uuid,
    /// Host name.
    pub domain: String,
    /// The secret the TXT record must carry.
    pub verification_token: String,
    /// When the TXT record was found.
    pub verified_at: Option<DateTime<Utc>>,
    /// When it was last looked up.
    pub last_checked_at: Option<DateTime<Utc>>,
    /// Since when the daily check has not found the TXT record of this verified domain.
    pub failing_since: Option<DateTime<Utc>>,
    /// When the domain stopped serving because its TXT record stayed missing.
    pub stopped_at: Option<DateTime<Utc>>,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// Where a domain stands, for the settings page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Waiting for its TXT record; removed at [`DomainRow::expires_at`].
    Pending,
    /// Serving the school.
    Verified,
    /// Still serving, but its TXT record is gone; stops at [`DomainRow::stops_at`].
    Failing,
    /// No longer serving: its TXT record stayed missing. Verifying again restores it.
    Stopped,
}

impl DomainRow {
    /// Where the TXT record goes.
    pub fn txt_name(&self) -> String {
        format!("_lyceum.{}", self.domain)
    }

    /// What the TXT record must say.
    pub fn txt_value(&self) -> String {
        format!("lyceum-verify={}", self.verification_token)
    }

    /// Where the domain stands.
    pub fn status(&self) -> Status {
        match (self.verified_at, self.failing_since, self.stopped_at) {
            (Some(_), None, _) => Status::Verified,
            (Some(_), Some(_), _) => Status::Failing,
            (None, _, Some(_)) => Status::Stopped,
            (None, _, None) => Status::Pending,
        }
    }

    /// When a pending claim is removed.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.created_at + Duration::days(PENDING_DAYS)
    }

    /// When a failing domain stops serving.
    pub fn stops_at(&self) -> Option<DateTime<Utc>> {
        self.failing_since.map(|f| f + Duration::days(GRACE_DAYS))
    }
}

/// Why a domain could not be added.
#[derive(Debug)]
pub enum AddError {
    /// The school has added it already.
    AlreadyAdded,
    /// The school has [`MAX_PER_SCHOOL`] already.
    TooMany,
    /// Anything else.
    Other(AppError),
}

impl<E: Into<AppError>> From<E> for AddError {
    fn from(e: E) -> Self {
        Self::Other(e.into())
    }
}

const COLUMNS: &str =
    "id, domain, verification_token, verified_at, last_checked_at, failing_since, stopped_at, created_at";

/// The school's domains, oldest first.
pub async fn list(tx: &mut TenantTx) -> sqlx::Result<Vec<DomainRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from tenant_domains where tenant_id = $1 order by created_at"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// One domain of the school.
pub async fn find(tx: &mut TenantTx, id: Uuid) -> sqlx::Result<Option<DomainRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from tenant_domains where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Whether another school holds `domain` (has verified it). Pending claims hold nothing.
pub async fn verified_elsewhere(state: &AppState, tenant: TenantId, domain: &Domain) -> sqlx::Result<bool> {
    let mut tx = state.db.platform().await?;
    let taken = sqlx::query_scalar(
        "select exists(select 1 from tenant_domains
           where lower(domain) = $1 and verified_at is not null and tenant_id <> $2)",
    )
    .bind(domain.as_str())
    .bind(tenant)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(taken)
}

/// Adds a domain with a fresh verification token, and makes sure the school's domains are
/// checked daily. The transaction stays usable on `Err`.
pub async fn add(tx: &mut TenantTx, domain: &Domain) -> Result<DomainRow, AddError> {
    // Serialises concurrent additions for this school so the limit holds.
    sqlx::query("select 1 from tenant_settings where tenant_id = $1 for update")
        .bind(tx.tenant())
        .execute(&mut **tx)
        .await?;
    let count: i64 = sqlx::query_scalar("select count(*) from tenant_domains where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await?;
    if count >= MAX_PER_SCHOOL {
        return Err(AddError::TooMany);
    }
    sqlx::query("savepoint add_domain").execute(&mut **tx).await?;
    let inserted = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into tenant_domains (tenant_id, id, domain, verification_token)
         values ($1, $2, $3, $4) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(Uuid::now_v7())
    .bind(domain.as_str())
    .bind(random_token(18))
    .fetch_one(&mut **tx)
    .await;
    match inserted {
        Ok(row) => {
            sqlx::query("release savepoint add_domain").execute(&mut **tx).await?;
            crate::domain_check::schedule(tx).await?;
            Ok(row)
        }
        Err(sqlx::Error::Database(d)) if d.constraint() == Some("tenant_domains_school_key") => {
            sqlx::query("rollback to savepoint add_domain").execute(&mut **tx).await?;
            Err(AddError::AlreadyAdded)
        }
        Err(e) => Err(e.into()),
    }
}

/// Removes a domain; false when the school has no such domain.
pub async fn remove(tx: &mut TenantTx, id: Uuid) -> sqlx::Result<bool> {
    let n = sqlx::query("delete from tenant_domains where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// What a verification attempt found.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// The domain checked.
    pub domain: DomainRow,
    /// Whether the expected TXT record is published.
    pub verified: bool,
    /// The TXT values found at the record's name.
    pub found: Vec<String>,
    /// The look-up itself failed (DNS unreachable), as opposed to finding nothing.
    pub lookup_failed: bool,
    /// The record is right, but another school verified the domain first.
    pub taken: bool,
}

/// The TXT values published at `name`, unquoted; `Err` when the look-up itself failed.
pub async fn txt_values(state: &AppState, name: &str) -> anyhow::Result<Vec<String>> {
    let values = state.dns.txt(name).await?;
    Ok(values.iter().map(|v| v.trim().trim_matches('"').to_string()).collect())
}

/// Looks up the domain's TXT record and records the outcome. `None` when the school has no
/// such domain. No transaction is held open during the DNS query. Verifying removes the other
/// schools' pending claims on the name.
pub async fn verify(state: &AppState, tenant: TenantId, id: Uuid) -> Result<Option<Check>, AppError> {
    let mut tx = state.db.tenant(tenant).await?;
    let Some(domain) = find(&mut tx, id).await? else { return Ok(None) };
    tx.commit().await?;
    let (found, lookup_failed) = match txt_values(state, &domain.txt_name()).await {
        Ok(values) => (values, false),
        Err(e) => {
            tracing::info!(domain = %domain.domain, error = %e, "TXT look-up failed");
            (vec![], true)
        }
    };
    let verified = found.contains(&domain.txt_value());
    // The platform transaction can also remove the other schools' claims on the name.
    let mut tx = state.db.platform().await?;
    let updated: Result<Option<DomainRow>, sqlx::Error> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update tenant_domains set last_checked_at = now(),
           verified_at = case when $3 then coalesce(verified_at, now()) else verified_at end,
           failing_since = case when $3 then null else failing_since end,
           stopped_at = case when $3 then null else stopped_at end
         where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tenant)
    .bind(id)
    .bind(verified)
    .fetch_optional(&mut *tx)
    .await;
    let updated = match updated {
        Err(sqlx::Error::Database(d)) if d.constraint() == Some("tenant_domains_verified_key") => {
            return Ok(Some(Check { domain, verified: false, found, lookup_failed, taken: true }));
        }
        other => other?,
    };
    let Some(domain) = updated else { return Ok(None) };
    if verified {
        let removed = sqlx::query(
            "delete from tenant_domains where lower(domain) = lower($1) and tenant_id <> $2 and verified_at is null",
        )
        .bind(&domain.domain)
        .bind(tenant)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tracing::info!(tenant_id = %tenant, domain = %domain.domain, removed_claims = removed, "custom domain verified");
    }
    tx.commit().await?;
    Ok(Some(Check { verified: domain.verified_at.is_some(), domain, found, lookup_failed, taken: false }))
}

/// Whether the platform serves `host` and may get a certificate for it: a school's subdomain
/// of the platform host, or a verified custom domain.
pub async fn tls_allowed(state: &AppState, host: &str) -> anyhow::Result<bool> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return Ok(false);
    }
    let suffix = format!(".{}", state.config.platform_hostname().to_ascii_lowercase());
    let mut tx = state.db.platform().await?;
    let allowed: bool = match host.strip_suffix(&suffix).filter(|s| !s.is_empty() && !s.contains('.')) {
        Some(slug) => {
            sqlx::query_scalar("select exists(select 1 from tenants where slug = $1)")
                .bind(slug)
                .fetch_one(&mut *tx)
                .await?
        }
        None => {
            sqlx::query_scalar(
                "select exists(select 1 from tenant_domains where lower(domain) = $1 and verified_at is not null)",
            )
            .bind(&host)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(allowed)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};

    use super::{Domain, DomainRow, Status};

    #[test]
    fn a_domain_is_pending_verified_failing_or_stopped() {
        let now = Utc::now();
        let row = |verified: bool, failing: bool, stopped: bool| DomainRow {
            id: uuid::Uuid::now_v7(),
            domain: "courses.example.com".into(),
            verification_token: "t".into(),
            verified_at: verified.then_some(now),
            last_checked_at: None,
            failing_since: failing.then_some(now),
            stopped_at: stopped.then_some(now),
            created_at: now,
        };
        assert_eq!(row(false, false, false).status(), Status::Pending);
        assert_eq!(row(false, false, false).expires_at(), now + Duration::days(7));
        assert_eq!(row(true, false, false).status(), Status::Verified);
        assert_eq!(row(true, true, false).status(), Status::Failing);
        assert_eq!(row(true, true, false).stops_at(), Some(now + Duration::days(3)));
        assert_eq!(row(false, true, true).status(), Status::Stopped);
    }

    #[test]
    fn domains_are_cleaned_and_checked() {
        let p = "lyceum.app";
        assert_eq!(Domain::parse(" https://Courses.Example.com/path ", p).unwrap().as_str(), "courses.example.com");
        assert_eq!(Domain::parse("example.com.", p).unwrap().as_str(), "example.com");
        assert_eq!(Domain::parse("", p), Err("validation-domain-required"));
        for bad in ["localhost", "exa mple.com", "-a.example.com", "10.0.0.1", "a..b.com", "ex_ample.com", "a.com:80"] {
            assert_eq!(Domain::parse(bad, p), Err("validation-domain-invalid"), "{bad}");
        }
        assert_eq!(Domain::parse("lyceum.app", p), Err("validation-domain-platform"));
        assert_eq!(Domain::parse("acme.lyceum.app", p), Err("validation-domain-platform"));
        assert!(Domain::parse("notlyceum.app", p).is_ok());
    }
}
