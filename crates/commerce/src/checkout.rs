//! Starting a checkout: the offer must be on sale, the coupon valid for this buyer, and the
//! totals are computed here (never taken from the form) and stored on the checkout, so the
//! payment charges exactly what the page showed.

use kernel::{AppState, db::TenantTx, ids::UserId};
use serde_json::Value;

use crate::{
    affiliates::attribution::cookie::RefCookie,
    model::{Checkout, CheckoutId, Coupon, Offer, OrderId},
    pricing::{self, Quote, TaxRule},
    store,
};

/// Why an offer cannot be bought now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    /// Archived, or its product is.
    Archived,
    /// Past its closing date.
    Ended,
    /// Its sales limit is reached.
    SoldOut,
}

impl Closed {
    /// The message key shown to the buyer.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Archived => "checkout-offer-archived",
            Self::Ended => "checkout-offer-ended",
            Self::SoldOut => "checkout-offer-sold-out",
        }
    }
}

/// Whether `offer` is on sale now.
pub async fn on_sale(state: &AppState, tx: &mut TenantTx, offer: &Offer) -> anyhow::Result<Result<(), Closed>> {
    if offer.archived_at.is_some() {
        return Ok(Err(Closed::Archived));
    }
    if store::product(tx, offer.product_id).await?.is_none_or(|p| p.archived_at.is_some()) {
        return Ok(Err(Closed::Archived));
    }
    if offer.closes_at.is_some_and(|at| at <= state.clock.now()) {
        return Ok(Err(Closed::Ended));
    }
    if let Some(max) = offer.max_sales
        && store::offer_sales(tx, offer.id).await? >= i64::from(max)
    {
        return Ok(Err(Closed::SoldOut));
    }
    Ok(Ok(()))
}

/// Why a coupon was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CouponRefused {
    /// No such code.
    Unknown,
    /// Past its date, or archived.
    Expired,
    /// Not for this offer (or its currency).
    NotForOffer,
    /// Used as many times as allowed.
    UsedUp,
    /// This buyer used it as many times as allowed.
    AlreadyUsed,
}

impl CouponRefused {
    /// The message key shown beside the coupon field.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Unknown => "checkout-coupon-unknown",
            Self::Expired => "checkout-coupon-expired",
            Self::NotForOffer => "checkout-coupon-not-for-offer",
            Self::UsedUp => "checkout-coupon-used-up",
            Self::AlreadyUsed => "checkout-coupon-already-used",
        }
    }
}

/// Finds the coupon `code` and checks it for `offer` and the buyer at `email`.
pub async fn find_coupon(
    state: &AppState,
    tx: &mut TenantTx,
    code: &str,
    offer: &Offer,
    email: &str,
) -> anyhow::Result<Result<Coupon, CouponRefused>> {
    let Some(coupon) = store::coupon_by_code(tx, code).await? else { return Ok(Err(CouponRefused::Unknown)) };
    if coupon.archived_at.is_some() || coupon.expires_at.is_some_and(|at| at <= state.clock.now()) {
        return Ok(Err(CouponRefused::Expired));
    }
    if !pricing::coupon_covers(&coupon, offer) {
        return Ok(Err(CouponRefused::NotForOffer));
    }
    let (all, mine) = store::coupon_uses(tx, coupon.id, email).await?;
    if coupon.max_redemptions.is_some_and(|max| all >= i64::from(max)) {
        return Ok(Err(CouponRefused::UsedUp));
    }
    if !email.is_empty() && coupon.per_customer_limit.is_some_and(|max| mine >= i64::from(max)) {
        return Ok(Err(CouponRefused::AlreadyUsed));
    }
    Ok(Ok(coupon))
}

/// The bump offer of `offer`, when it has one that can be added to it (on sale, one-time,
/// same currency).
pub async fn bump_of(state: &AppState, tx: &mut TenantTx, offer: &Offer) -> anyhow::Result<Option<Offer>> {
    let Some(id) = offer.bump_offer_id else { return Ok(None) };
    let Some(bump) = store::offer(tx, id).await? else { return Ok(None) };
    if bump.is_recurring() || bump.currency != offer.currency || on_sale(state, tx, &bump).await?.is_err() {
        return Ok(None);
    }
    Ok(Some(bump))
}

/// The tax rule for a buyer in `country`.
pub async fn tax_rule(tx: &mut TenantTx, country: Option<&str>) -> sqlx::Result<TaxRule> {
    let settings = store::settings(tx).await?;
    Ok(TaxRule { rate_bp: store::tax_rate(tx, country).await?, inclusive: settings.prices_include_tax })
}

/// What a buyer asked for on the checkout page, already checked.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// The offer.
    pub offer: &'a Offer,
    /// The bump, when ticked (see [`bump_of`]).
    pub bump: Option<&'a Offer>,
    /// The coupon, when valid (see [`find_coupon`]).
    pub coupon: Option<&'a Coupon>,
    /// The logged-in buyer.
    pub user: Option<UserId>,
    /// The buyer's address.
    pub email: &'a str,
    /// The buyer's name.
    pub name: &'a str,
    /// The buyer's country, ISO 3166-1 alpha-2.
    pub country: Option<&'a str>,
    /// The buyer's billing address (for receipts).
    pub billing_address: &'a str,
    /// For an upsell: the order whose card pays.
    pub parent_order: Option<OrderId>,
    /// UTM and referral details.
    pub attribution: Value,
}

/// Stores a checkout with its totals and publishes `checkout.started`; returns it with its quote.
pub async fn create(
    state: &AppState,
    tx: &mut TenantTx,
    provider: &str,
    req: Request<'_>,
) -> anyhow::Result<(Checkout, Quote)> {
    let rule = tax_rule(tx, req.country).await?;
    let quote = pricing::quote(req.offer, req.bump, req.coupon, rule);
    let checkout = Checkout {
        id: CheckoutId::new(),
        offer_id: req.offer.id,
        user_id: req.user,
        email: req.email.trim().to_lowercase(),
        name: req.name.trim().chars().take(120).collect(),
        country: req.country.map(str::to_string),
        billing_address: req.billing_address.trim().chars().take(500).collect(),
        coupon_id: req.coupon.map(|c| c.id),
        with_bump: req.bump.is_some(),
        currency: quote.currency.clone(),
        subtotal: quote.subtotal,
        discount: quote.discount,
        tax: quote.tax,
        total: quote.total,
        tax_rate_bp: rule.rate_bp,
        tax_inclusive: rule.inclusive,
        parent_order_id: req.parent_order,
        status: "open".into(),
        provider: provider.into(),
        provider_ref: None,
        attribution: req.attribution,
        created_at: state.clock.now(),
    };
    store::insert_checkout(tx, &checkout).await?;
    let started = serde_json::json!({
        "checkout_id": checkout.id, "offer_id": checkout.offer_id, "attribution": checkout.attribution,
    });
    state.events.publish(tx, "checkout.started", started).await?;
    Ok((checkout, quote))
}

/// The name of the tax for buyers in `country` ("VAT", "IVA"), when the school set a rate.
pub async fn tax_label(tx: &mut TenantTx, country: Option<&str>) -> sqlx::Result<Option<String>> {
    let Some(country) = country else { return Ok(None) };
    sqlx::query_scalar("select label from tax_rates where tenant_id = $1 and country = $2 and rate_bp > 0")
        .bind(tx.tenant())
        .bind(country)
        .fetch_optional(&mut **tx)
        .await
}

/// A course a product opens, as the checkout lists it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Included {
    /// The course's title.
    pub title: String,
    /// Its lessons.
    pub lessons: i64,
}

/// The courses `products` open, with their lesson counts, in the products' order.
pub async fn what_you_get(tx: &mut TenantTx, products: &[crate::ProductId]) -> sqlx::Result<Vec<Included>> {
    let ids = store::product_course_ids(tx, products).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let counts = courses::store::lesson_counts(tx).await?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(c) = courses::store::course(tx, id).await? {
            let lessons = counts.iter().find(|(course, _)| *course == id).map_or(0, |(_, n)| *n);
            out.push(Included { title: c.title, lessons });
        }
    }
    Ok(out)
}

/// Where the buyer came from, as stored on the checkout and carried into the order: the UTM
/// parameters and `ref` of the checkout link, and apart from them the referral cookie an
/// affiliate link set, once verified (`ref_cookie`, its click `ref_click`). The link's own
/// `ref` survives a blocked cookie when the buyer comes straight back through the link; which
/// one wins is the affiliate program's rule. Values are trimmed and capped; empty ones are left
/// out.
pub fn attribution(tracking: &[(&str, &str)], referral_cookie: Option<&RefCookie>) -> Value {
    let clean = |v: &str| -> Option<String> {
        let v: String = v.trim().chars().filter(|c| !c.is_control()).take(200).collect();
        (!v.is_empty()).then_some(v)
    };
    let mut map = serde_json::Map::new();
    for (key, value) in tracking {
        if let Some(v) = clean(value) {
            map.insert((*key).to_string(), Value::String(v));
        }
    }
    if let Some(r) = referral_cookie {
        map.insert("ref_cookie".into(), Value::String(r.code.clone()));
        map.insert("ref_click".into(), Value::String(r.click.to_string()));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribution_keeps_the_link_ref_and_the_verified_cookie_apart() {
        let click = crate::affiliates::model::ClickId::new();
        let cookie = RefCookie { code: "ana".into(), click, issued: chrono::Utc::now() };
        let a = attribution(&[("utm_source", " news "), ("utm_medium", ""), ("ref", "")], Some(&cookie));
        assert_eq!(a, serde_json::json!({ "utm_source": "news", "ref_cookie": "ana", "ref_click": click.to_string() }));
        let b = attribution(&[("ref", "bob")], Some(&cookie));
        assert_eq!(b["ref"], "bob");
        assert_eq!(b["ref_cookie"], "ana");
        assert_eq!(attribution(&[("ref", "bob")], None), serde_json::json!({ "ref": "bob" }));
        let long = "x".repeat(500);
        assert_eq!(attribution(&[("utm_term", &long)], None)["utm_term"].as_str().unwrap().len(), 200);
    }
}
