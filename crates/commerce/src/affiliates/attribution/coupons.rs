//! Coupons tied to an affiliate (`coupons.affiliate_id`): an order with such a coupon is theirs,
//! for codes read out on a podcast or a video where no link can be clicked.

use std::collections::HashMap;

use kernel::{db::TenantTx, ids::UserId};
use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::{
    affiliates::model::{Affiliate, AffiliateId},
    model::CouponId,
};

/// An affiliate as the coupon form offers it.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    /// Its id.
    pub id: String,
    /// Their referral code.
    pub code: String,
    /// Their name.
    pub name: String,
}

/// The affiliate a coupon is tied to, whatever their status.
pub async fn affiliate_of(tx: &mut TenantTx, coupon: CouponId) -> sqlx::Result<Option<Affiliate>> {
    let columns = Affiliate::COLUMNS.split(',').map(|c| format!("a.{}", c.trim())).collect::<Vec<_>>().join(", ");
    sqlx::query_as(AssertSqlSafe(format!(
        "select {columns} from coupons c join affiliates a on a.tenant_id = c.tenant_id and a.id = c.affiliate_id
         where c.tenant_id = $1 and c.id = $2"
    )))
    .bind(tx.tenant())
    .bind(coupon)
    .fetch_optional(&mut **tx)
    .await
}

/// The approved affiliates a coupon may be tied to, by name, with `keep` (the coupon's
/// current affiliate) even when no longer approved.
pub async fn choices(tx: &mut TenantTx, keep: Option<AffiliateId>) -> sqlx::Result<Vec<Choice>> {
    let rows: Vec<(AffiliateId, String, UserId)> = sqlx::query_as(
        "select id, code, user_id from affiliates where tenant_id = $1 and (status = 'approved' or id = $2)",
    )
    .bind(tx.tenant())
    .bind(keep)
    .fetch_all(&mut **tx)
    .await?;
    let users = identity::store::find_many(tx, &rows.iter().map(|r| r.2).collect::<Vec<_>>()).await?;
    let mut out: Vec<Choice> = rows
        .into_iter()
        .map(|(id, code, user)| {
            let name = users.iter().find(|u| u.id == user).map(|u| u.name.clone()).unwrap_or_default();
            Choice { id: id.to_string(), code, name }
        })
        .collect();
    out.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.code.cmp(&b.code)));
    Ok(out)
}

/// The affiliate chosen on the coupon form: `Ok(None)` for none, `Err(())` for an id that is
/// not an approved affiliate of this school (or the coupon's current one).
pub async fn parse_choice(
    tx: &mut TenantTx,
    raw: &str,
    current: Option<AffiliateId>,
) -> sqlx::Result<Result<Option<AffiliateId>, ()>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Ok(None));
    }
    let Ok(id) = raw.parse::<AffiliateId>() else { return Ok(Err(())) };
    let ok: bool = sqlx::query_scalar(
        "select exists (select 1 from affiliates where tenant_id = $1 and id = $2 and (status = 'approved' or id = $3))",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(current)
    .fetch_one(&mut **tx)
    .await?;
    Ok(if ok { Ok(Some(id)) } else { Err(()) })
}

/// The affiliate a coupon is tied to (its id only).
pub async fn current(tx: &mut TenantTx, coupon: CouponId) -> sqlx::Result<Option<AffiliateId>> {
    sqlx::query_scalar("select affiliate_id from coupons where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(coupon)
        .fetch_optional(&mut **tx)
        .await
        .map(Option::flatten)
}

/// Ties a coupon to an affiliate, or to nobody.
pub async fn set(tx: &mut TenantTx, coupon: CouponId, affiliate: Option<AffiliateId>) -> sqlx::Result<()> {
    sqlx::query("update coupons set affiliate_id = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(coupon)
        .bind(affiliate)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Each tied coupon's affiliate, for the coupon list: coupon → "Name (code)".
pub async fn labels(tx: &mut TenantTx) -> sqlx::Result<HashMap<CouponId, String>> {
    let rows: Vec<(CouponId, String, UserId)> = sqlx::query_as(
        "select c.id, a.code, a.user_id from coupons c
         join affiliates a on a.tenant_id = c.tenant_id and a.id = c.affiliate_id where c.tenant_id = $1",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await?;
    let users = identity::store::find_many(tx, &rows.iter().map(|r| r.2).collect::<Vec<_>>()).await?;
    Ok(rows
        .into_iter()
        .map(|(coupon, code, user)| {
            let label = match users.iter().find(|u| u.id == user) {
                Some(u) => format!("{} ({code})", u.name),
                None => code,
            };
            (coupon, label)
        })
        .collect())
}
