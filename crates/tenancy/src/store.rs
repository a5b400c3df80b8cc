//! SQL for tenancy: platform look-ups take a `PlatformTx`, school settings a `TenantTx`.

use kernel::{
    db::{PlatformTx, TenantTx},
    ids::TenantId,
};

use crate::model::SchoolRow;

const SCHOOL_SELECT: &str =
    "select t.id, t.slug, t.name, t.status, t.status_reason, t.plan, s.tagline, s.logo_key, s.brand_color,
    s.accent_color, s.heading_font, s.default_locale, s.currency, s.time_zone, s.sender_name, s.sender_email,
    (s.sender_verified_domain is not null
     and lower(s.sender_verified_domain) = lower(split_part(s.sender_email, '@', 2))) as sender_verified
    from tenants t join tenant_settings s on s.tenant_id = t.id";

/// A school by its subdomain.
pub async fn by_slug(tx: &mut PlatformTx, slug: &str) -> sqlx::Result<Option<SchoolRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SCHOOL_SELECT} where t.slug = $1")))
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await
}

/// A school by a verified custom domain.
pub async fn by_domain(tx: &mut PlatformTx, domain: &str) -> sqlx::Result<Option<SchoolRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SCHOOL_SELECT} join tenant_domains d on d.tenant_id = t.id
         where lower(d.domain) = lower($1) and d.verified_at is not null"
    )))
    .bind(domain)
    .fetch_optional(&mut **tx)
    .await
}

/// A school by id (inside its own transaction).
pub async fn by_id(tx: &mut TenantTx, id: TenantId) -> sqlx::Result<Option<SchoolRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SCHOOL_SELECT} where t.id = $1")))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}
