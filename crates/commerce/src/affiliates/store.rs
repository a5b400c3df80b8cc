//! Reading affiliates.

use kernel::{db::TenantTx, ids::UserId};
use sqlx::AssertSqlSafe;

use super::model::{Affiliate, AffiliateId};

/// One affiliate of the school.
pub async fn affiliate(tx: &mut TenantTx, id: AffiliateId) -> sqlx::Result<Option<Affiliate>> {
    sqlx::query_as(AssertSqlSafe(format!("select {} from affiliates where id = $1", Affiliate::COLUMNS)))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// The affiliate row of a person, whatever its status.
pub async fn of_user(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Option<Affiliate>> {
    sqlx::query_as(AssertSqlSafe(format!("select {} from affiliates where user_id = $1", Affiliate::COLUMNS)))
        .bind(user)
        .fetch_optional(&mut **tx)
        .await
}

/// The affiliate with this referral code (case-insensitive), whatever its status.
pub async fn by_code(tx: &mut TenantTx, code: &str) -> sqlx::Result<Option<Affiliate>> {
    let code = code.trim().to_ascii_lowercase();
    if code.is_empty() || code.len() > 40 {
        return Ok(None);
    }
    sqlx::query_as(AssertSqlSafe(format!("select {} from affiliates where code = $1", Affiliate::COLUMNS)))
        .bind(code)
        .fetch_optional(&mut **tx)
        .await
}
