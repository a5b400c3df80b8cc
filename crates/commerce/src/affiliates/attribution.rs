//! Who referred a sale. A click on a `?ref=code` link records the click and sets the school's
//! referral cookie; checkout carries the link's `ref` and the cookie into the order's
//! `attribution`; when the order is paid, [`referral_for_order`] decides once who referred it
//! (a coupon tied to an affiliate, the link, or the cookie) and records it in
//! `affiliate_referrals`, refusing self-referrals.

use kernel::{AppState, db::TenantTx};

use super::{model::Affiliate, settings, store};
use crate::{OrderId, store as commerce_store};

/// Subscribes the handlers.
pub fn wire(_w: &mut kernel::state::Wiring) {}

/// How an order was attributed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// The checkout link's `ref`.
    Link,
    /// The referral cookie.
    Cookie,
    /// A coupon tied to the affiliate.
    Coupon,
}

impl Via {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Link => "link",
            Via::Cookie => "cookie",
            Via::Coupon => "coupon",
        }
    }
}

/// A credited referral.
#[derive(Clone, Debug)]
pub struct Referral {
    /// Who earns.
    pub affiliate: Affiliate,
    /// How.
    pub via: Via,
}

/// Decides once who referred `order` and records it; returns the credited referral, or `None`
/// when the program is off, nobody referred the order, the code is unknown or not approved,
/// or it was a self-referral (recorded as such). Calling it again returns the first answer.
pub async fn referral_for_order(
    state: &AppState,
    tx: &mut TenantTx,
    order: OrderId,
) -> anyhow::Result<Option<Referral>> {
    let _ = state;
    if let Some((affiliate_id, via, status)) = sqlx::query_as::<_, (super::AffiliateId, String, String)>(
        "select affiliate_id, via, status from affiliate_referrals where order_id = $1",
    )
    .bind(order)
    .fetch_optional(&mut **tx)
    .await?
    {
        if status != "credited" {
            return Ok(None);
        }
        let Some(affiliate) = store::affiliate(tx, affiliate_id).await? else { return Ok(None) };
        let via = match via.as_str() {
            "coupon" => Via::Coupon,
            "cookie" => Via::Cookie,
            _ => Via::Link,
        };
        return Ok(Some(Referral { affiliate, via }));
    }
    if !settings::load(tx).await?.enabled {
        return Ok(None);
    }
    let Some(o) = commerce_store::order(tx, order).await? else { return Ok(None) };
    let Some(code) = o.attribution.get("ref").and_then(|v| v.as_str()) else { return Ok(None) };
    let Some(affiliate) = store::by_code(tx, code).await?.filter(Affiliate::approved) else { return Ok(None) };
    let fresh: Option<i32> = sqlx::query_scalar(
        "insert into affiliate_referrals (tenant_id, order_id, affiliate_id, via, status, at)
         values ($1, $2, $3, 'link', 'credited', $4) on conflict do nothing returning 1",
    )
    .bind(tx.tenant())
    .bind(order)
    .bind(affiliate.id)
    .bind(o.created_at)
    .fetch_optional(&mut **tx)
    .await?;
    if fresh.is_none() {
        // Decided concurrently: take that answer.
        return Box::pin(referral_for_order(state, tx, order)).await;
    }
    Ok(Some(Referral { affiliate, via: Via::Link }))
}
