//! `GET/POST /checkout/upsell/{checkout}`: after a paid checkout whose offer proposes an
//! upsell, the second offer in one click, charged to the card just used. Only the buyer (the
//! browser that paid, or the same account) sees it; the charge's idempotency key is the paid
//! checkout and the upsell offer, and the paid checkout's row is locked while charging, so a
//! double click charges once.

use axum::{
    extract::Path,
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult, db::TenantTx, rate::Limit};
use minijinja::{context, value::Serde};
use serde_json::json;

use crate::{
    buyer,
    checkout::{self, Request},
    inbox, ledger,
    model::{Checkout, CheckoutId, Offer, Order, PaymentMethod},
    pricing,
    provider::{self, Charge},
    store,
};

/// One-click purchases one visitor may attempt in ten minutes.
const LIMIT: Limit = Limit { max: 10, window: std::time::Duration::from_secs(600) };

/// The paid checkout, its order and the upsell it proposes, for its buyer only (404 otherwise).
struct Upsell {
    parent: Checkout,
    order: Order,
    offer: Offer,
}

async fn load(ctx: &Ctx, tx: &mut TenantTx, id: &str, headers: &HeaderMap, lock: bool) -> AppResult<Upsell> {
    let id: CheckoutId = id.parse().map_err(|_| AppError::NotFound)?;
    let parent = if lock { store::checkout_for_update(tx, id).await? } else { store::checkout(tx, id).await? }
        .ok_or(AppError::NotFound)?;
    let order = store::order_of_checkout(tx, parent.id).await?.ok_or(AppError::NotFound)?;
    let same_user = ctx.user.as_ref().is_some_and(|u| u.id == order.user_id);
    if !same_user && !buyer::is_buyers_browser(tx, parent.id, headers).await? {
        return Err(AppError::NotFound);
    }
    let main = store::offer(tx, parent.offer_id).await?.ok_or(AppError::NotFound)?;
    let offer = match main.upsell_offer_id {
        Some(id) if parent.parent_order_id.is_none() => store::offer(tx, id).await?.ok_or(AppError::NotFound)?,
        _ => return Err(AppError::NotFound),
    };
    Ok(Upsell { parent, order, offer })
}

/// The latest checkout of `offer` made as an upsell of `order`.
async fn previous(tx: &mut TenantTx, order: &Order, offer: &Offer) -> sqlx::Result<Option<Checkout>> {
    let id: Option<CheckoutId> = sqlx::query_scalar(
        "select id from checkouts where tenant_id = $1 and parent_order_id = $2 and offer_id = $3
         order by (status = 'paid') desc, created_at desc limit 1",
    )
    .bind(tx.tenant())
    .bind(order.id)
    .bind(offer.id)
    .fetch_optional(&mut **tx)
    .await?;
    match id {
        Some(id) => store::checkout(tx, id).await,
        None => Ok(None),
    }
}

/// The card that paid `order`, when it is kept.
async fn card_of(tx: &mut TenantTx, order: &Order) -> sqlx::Result<Option<PaymentMethod>> {
    let id: Option<crate::model::PaymentMethodId> = sqlx::query_scalar(
        "select payment_method_id from payments where tenant_id = $1 and order_id = $2 and payment_method_id is not null
         order by occurred_at desc limit 1",
    )
    .bind(tx.tenant())
    .bind(order.id)
    .fetch_optional(&mut **tx)
    .await?
    .flatten();
    let Some(id) = id else { return Ok(None) };
    Ok(store::payment_method(tx, id).await?.filter(|m| m.user_id == order.user_id))
}

fn thanks(id: CheckoutId) -> Response {
    Redirect::to(&format!("/checkout/thanks/{id}")).into_response()
}

pub async fn page(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let u = load(&ctx, &mut tx, &id, &headers, false).await?;
    if let Some(done) = previous(&mut tx, &u.order, &u.offer).await?.filter(|c| c.status == "paid") {
        return Ok(thanks(done.id));
    }
    let html = render(&ctx, &mut tx, &u, None).await?;
    tx.commit().await?;
    Ok(html)
}

async fn render(ctx: &Ctx, tx: &mut TenantTx, u: &Upsell, error: Option<String>) -> AppResult<Response> {
    let closed = checkout::on_sale(&ctx.state, tx, &u.offer).await?.err();
    let product = store::product(tx, u.offer.product_id).await?.ok_or(AppError::NotFound)?;
    let courses = checkout::what_you_get(tx, &[product.id]).await?;
    let rule = checkout::tax_rule(tx, u.parent.country.as_deref()).await?;
    let quote = pricing::quote(&u.offer, None, None, rule);
    let card = card_of(tx, &u.order).await?;
    let failed = error.is_some();
    let html = ctx.render(
        "commerce/upsell.html",
        context! {
            parent => Serde(&u.parent), offer => Serde(&u.offer), product => Serde(&product), courses => Serde(&courses),
            quote => Serde(&quote), card => Serde(&card), error, closed => closed.map(|c| ctx.t(c.message_key())),
            same_currency => u.offer.currency == u.order.currency,
        },
    )?;
    let status = if failed { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    Ok((status, html).into_response())
}

pub async fn accept(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap) -> AppResult<Response> {
    ctx.ensure_open()?;
    ctx.rate_limit("checkout-upsell", LIMIT)?;
    let mut tx = ctx.tx().await?;
    // The lock on the paid checkout makes a second click wait for the first to finish.
    let u = load(&ctx, &mut tx, &id, &headers, true).await?;
    let earlier = previous(&mut tx, &u.order, &u.offer).await?;
    if let Some(done) = earlier.as_ref().filter(|c| c.status == "paid") {
        return Ok(thanks(done.id));
    }
    if checkout::on_sale(&ctx.state, &mut tx, &u.offer).await?.is_err() {
        return render(&ctx, &mut tx, &u, None).await;
    }
    let Some(method) = card_of(&mut tx, &u.order).await? else {
        return render(&ctx, &mut tx, &u, Some(ctx.t("upsell-no-card"))).await;
    };
    let provider = provider::of_school(&ctx.state, &mut tx).await?;
    let upsell = match earlier {
        Some(open) => open,
        None => {
            let (c, _) = checkout::create(
                &ctx.state,
                &mut tx,
                provider.name(),
                Request {
                    offer: &u.offer,
                    bump: None,
                    coupon: None,
                    user: Some(u.order.user_id),
                    email: &u.order.email,
                    name: &u.order.name,
                    country: u.parent.country.as_deref(),
                    billing_address: &u.parent.billing_address,
                    parent_order: Some(u.order.id),
                    attribution: u.parent.attribution.clone(),
                },
            )
            .await?;
            c
        }
    };
    let key = format!("upsell:{}:{}", u.parent.id, u.offer.id);
    let charge = provider
        .charge_saved(&ctx.state, &mut tx, &method, upsell.total, &upsell.currency, &key)
        .await
        .map_err(AppError::Internal)?;
    let charge_ref = match charge {
        Charge::Succeeded { provider_ref } => provider_ref,
        Charge::Failed { code, .. } => {
            tx.commit().await?;
            let mut tx = ctx.tx().await?;
            let key = if code == "insufficient_funds" { "pay-card-insufficient" } else { "upsell-card-refused" };
            return render(&ctx, &mut tx, &u, Some(ctx.t(key))).await;
        }
    };
    let card = ledger::NewCard {
        provider_ref: method.provider_ref.clone(),
        brand: method.brand.clone(),
        last4: method.last4.clone(),
        exp_month: method.exp_month,
        exp_year: method.exp_year,
        fingerprint: method.fingerprint.clone(),
    };
    if provider.name() == "sandbox" {
        let payload = json!({ "checkout_id": upsell.id, "charge": charge_ref, "card": card });
        let event = format!("evt_sb_upsell_{}", upsell.id);
        inbox::handle_sandbox(&ctx.state, &mut tx, &event, "checkout.session.completed", &payload)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
    } else {
        ledger::checkout_paid(&ctx.state, &mut tx, upsell.id, &charge_ref, Some(&card), None)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    tx.commit().await?;
    Ok(thanks(upsell.id))
}
