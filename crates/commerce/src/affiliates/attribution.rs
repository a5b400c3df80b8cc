//! Who referred a sale. A click on a `?ref=code` link records the click and sets the school's
//! signed referral cookie ([`clicks`], [`cookie`]); checkout carries the link's `ref` and the
//! verified cookie (`ref_cookie`, `ref_click`) into the order's `attribution`; when the order is
//! paid, [`referral_for_order`] decides once who referred it (a coupon tied to an affiliate,
//! the link, or the cookie) and records it in `affiliate_referrals`, refusing self-referrals.
//! People who sign up or opt in while referred are recorded by [`signups`].

pub mod clicks;
pub mod cookie;
pub mod coupons;
pub mod signups;

use kernel::{AppState, db::TenantTx};

use super::{AffiliateId, model::Affiliate, model::ClickId, settings, store};
use crate::{OrderId, model::Order, store as commerce_store};

/// Subscribes the handlers.
pub fn wire(w: &mut kernel::state::Wiring) {
    signups::wire(w);
}

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

    fn parse(s: &str) -> Self {
        match s {
            "coupon" => Via::Coupon,
            "cookie" => Via::Cookie,
            _ => Via::Link,
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

/// Why a referral earns nothing: the buyer is the affiliate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelfReferral {
    /// The same account.
    Account,
    /// The same email address.
    Email,
    /// A card the affiliate saved.
    Card,
}

impl SelfReferral {
    /// As stored in `affiliate_referrals.reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            SelfReferral::Account => "account",
            SelfReferral::Email => "email",
            SelfReferral::Card => "card",
        }
    }
}

/// The request's referral cookie when it verifies for this school within its cookie window
/// (and the program is on); a forged, foreign or stale cookie is `None`.
pub async fn verified_cookie(
    state: &AppState,
    tx: &mut TenantTx,
    headers: &axum::http::HeaderMap,
) -> sqlx::Result<Option<cookie::RefCookie>> {
    let Some(raw) = kernel::web::cookie(headers, cookie::NAME) else { return Ok(None) };
    let settings = settings::load(tx).await?;
    if !settings.enabled {
        return Ok(None);
    }
    let verified = cookie::verify(&state.config.keys, tx.tenant(), raw, state.clock.now(), settings.cookie_days);
    if verified.is_none() {
        tracing::debug!("referral cookie ignored: not issued by this school or expired");
    }
    Ok(verified)
}

/// Decides once who referred `order` and records it; returns the credited referral, or `None`
/// when the program is off, nobody referred the order, the code is unknown or not approved,
/// or it was a self-referral (recorded as such). Calling it again returns the first answer.
pub async fn referral_for_order(
    state: &AppState,
    tx: &mut TenantTx,
    order: OrderId,
) -> anyhow::Result<Option<Referral>> {
    if let Some((affiliate_id, via, status)) = sqlx::query_as::<_, (AffiliateId, String, String)>(
        "select affiliate_id, via, status from affiliate_referrals where tenant_id = $1 and order_id = $2",
    )
    .bind(tx.tenant())
    .bind(order)
    .fetch_optional(&mut **tx)
    .await?
    {
        if status != "credited" {
            return Ok(None);
        }
        let Some(affiliate) = store::affiliate(tx, affiliate_id).await? else { return Ok(None) };
        return Ok(Some(Referral { affiliate, via: Via::parse(&via) }));
    }
    let settings = settings::load(tx).await?;
    if !settings.enabled {
        return Ok(None);
    }
    let Some(o) = commerce_store::order(tx, order).await? else { return Ok(None) };
    let Some((affiliate, via, click)) = candidate(tx, &o, settings.attribution == "first_click").await? else {
        return Ok(None);
    };
    let refused = self_referral(tx, &o, &affiliate).await?;
    let fresh: Option<i32> = sqlx::query_scalar(
        "insert into affiliate_referrals (tenant_id, order_id, affiliate_id, via, click_id, status, reason, at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing returning 1",
    )
    .bind(tx.tenant())
    .bind(order)
    .bind(affiliate.id)
    .bind(via.as_str())
    .bind(click)
    .bind(if refused.is_some() { "self_referral" } else { "credited" })
    .bind(refused.map(SelfReferral::as_str))
    .bind(o.created_at)
    .fetch_optional(&mut **tx)
    .await?;
    if fresh.is_none() {
        // Decided concurrently: take that answer.
        return Box::pin(referral_for_order(state, tx, order)).await;
    }
    if let Some(reason) = refused {
        tracing::info!(order = %order, affiliate = %affiliate.id, reason = reason.as_str(), "self-referral refused");
        return Ok(None);
    }
    Ok(Some(Referral { affiliate, via }))
}

/// The approved affiliate an order's candidates point to, in the school's order of precedence:
/// last-click prefers the coupon, then the link, then the cookie; first-click the cookie (the
/// earliest), then the link, then the coupon.
async fn candidate(
    tx: &mut TenantTx,
    o: &Order,
    first_click: bool,
) -> anyhow::Result<Option<(Affiliate, Via, Option<ClickId>)>> {
    let order = if first_click { [Via::Cookie, Via::Link, Via::Coupon] } else { [Via::Coupon, Via::Link, Via::Cookie] };
    let text = |key: &str| o.attribution.get(key).and_then(|v| v.as_str()).map(str::to_string);
    for via in order {
        let (found, click) = match via {
            Via::Coupon => match o.coupon_id {
                Some(coupon) => (coupons::affiliate_of(tx, coupon).await?, None),
                None => continue,
            },
            Via::Link => match text("ref") {
                Some(code) => (store::by_code(tx, &code).await?, None),
                None => continue,
            },
            Via::Cookie => match text("ref_cookie") {
                Some(code) => {
                    (store::by_code(tx, &code).await?, text("ref_click").and_then(|c| c.parse::<ClickId>().ok()))
                }
                None => continue,
            },
        };
        match found.filter(Affiliate::approved) {
            Some(affiliate) => return Ok(Some((affiliate, via, click))),
            None => tracing::debug!(order = %o.id, via = via.as_str(), "referral of no approved affiliate ignored"),
        }
    }
    Ok(None)
}

/// Whether the buyer of `o` is `affiliate`: the same account, the same address, or a card the
/// affiliate ever saved (by the provider's fingerprint).
pub async fn self_referral(tx: &mut TenantTx, o: &Order, affiliate: &Affiliate) -> sqlx::Result<Option<SelfReferral>> {
    if o.user_id == affiliate.user_id {
        return Ok(Some(SelfReferral::Account));
    }
    if let Some(user) = identity::store::find(tx, affiliate.user_id).await?
        && user.email.trim().to_lowercase() == o.email.trim().to_lowercase()
    {
        return Ok(Some(SelfReferral::Email));
    }
    let same_card: bool = sqlx::query_scalar(
        "select exists (
           select 1 from payments p
           join payment_methods bought on bought.tenant_id = p.tenant_id and bought.id = p.payment_method_id
           join payment_methods theirs on theirs.tenant_id = p.tenant_id and theirs.fingerprint = bought.fingerprint
           where p.tenant_id = $1 and p.order_id = $2 and bought.fingerprint <> '' and theirs.user_id = $3)",
    )
    .bind(tx.tenant())
    .bind(o.id)
    .bind(affiliate.user_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(same_card.then_some(SelfReferral::Card))
}
