//! The ledger: the one place money facts are written. A paid checkout becomes an order, its
//! payment, its receipt number and (for plans and subscriptions) its subscription, in one
//! transaction that publishes `order.paid`; a refund is a row that publishes `order.refunded`.
//! Every function here is idempotent on the provider's object id (a charge, a refund), so a
//! repeated or late report from a provider finds its row and changes nothing.

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx, ids::UserId};
use serde_json::json;

use crate::{
    model::{Checkout, CheckoutId, Order, OrderId, Payment, PaymentId, PaymentMethodId, RefundId, SubscriptionId},
    store,
};

/// A new card to keep with a payment (for renewals and one-click upsells).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct NewCard {
    /// The provider's reference.
    pub provider_ref: String,
    /// `visa` …
    pub brand: String,
    /// Last four digits.
    pub last4: String,
    /// Expiry month.
    pub exp_month: i32,
    /// Expiry year.
    pub exp_year: i32,
    /// Same card, same fingerprint.
    pub fingerprint: String,
}

/// Why a fact could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// It refers to something not (yet) recorded: a refund for a payment not seen yet, or an
    /// object of another school. Providers retry, so it is applied once its parent arrives.
    #[error("unknown {0}")]
    Unknown(&'static str),
    /// A refund for more than is left of its payment.
    #[error("refund exceeds what is left of the payment")]
    OverRefund,
    /// Anything else.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for LedgerError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

/// Takes the next number of a gap-free per-school sequence (`receipt`, `credit_note`,
/// `affiliate_statement`). The
/// counter row stays locked until the caller's transaction ends, so numbers are taken in
/// commit order and a rolled-back payment leaves no hole.
pub async fn next_number(tx: &mut TenantTx, kind: &str) -> sqlx::Result<String> {
    let n: i64 = sqlx::query_scalar(
        "insert into document_sequences (tenant_id, kind, last_value) values ($1, $2, 1)
         on conflict (tenant_id, kind) do update set last_value = document_sequences.last_value + 1
         returning last_value",
    )
    .bind(tx.tenant())
    .bind(kind)
    .fetch_one(&mut **tx)
    .await?;
    let prefix = match kind {
        "credit_note" => "CN",
        "affiliate_statement" => "AS",
        _ => "R",
    };
    Ok(format!("{prefix}-{n:06}"))
}

/// Records `checkout` as paid by the provider's charge `charge_ref`: the order, its items, the
/// payment with its receipt number, the card, the subscription for plans and subscriptions,
/// and `order.paid`. Paying a checkout that is already paid returns its order unchanged.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn checkout_paid(
    state: &AppState,
    tx: &mut TenantTx,
    checkout: CheckoutId,
    charge_ref: &str,
    card: Option<&NewCard>,
    provider_subscription: Option<&str>,
) -> Result<Order, LedgerError> {
    let checkout: Checkout = store::checkout_for_update(tx, checkout).await?.ok_or(LedgerError::Unknown("checkout"))?;
    if let Some(order) = store::order_of_checkout(tx, checkout.id).await? {
        return Ok(order);
    }
    let now = state.clock.now();
    let user = match checkout.user_id {
        Some(user) => user,
        None => {
            let email = identity::model::Email::parse(&checkout.email).ok_or(LedgerError::Unknown("buyer"))?;
            let (user, _) = identity::service::people::find_or_create_student(tx, &email, &checkout.name)
                .await
                .map_err(|e| anyhow::anyhow!("buyer account: {e}"))?;
            user.id
        }
    };
    let offer = store::offer(tx, checkout.offer_id).await?.ok_or(LedgerError::Unknown("offer"))?;
    let bump = match (checkout.with_bump, offer.bump_offer_id) {
        (true, Some(id)) => store::offer(tx, id).await?,
        _ => None,
    };
    let order_id = OrderId::new();
    let source = if checkout.parent_order_id.is_some() { "upsell" } else { "checkout" };
    sqlx::query(
        "insert into orders (tenant_id, id, checkout_id, user_id, email, name, country, offer_id, coupon_id, currency,
                             subtotal, discount, tax, total, tax_rate_bp, tax_inclusive, source, provider, attribution, created_at,
                             billing_address)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
    )
    .bind(tx.tenant())
    .bind(order_id)
    .bind(checkout.id)
    .bind(user)
    .bind(&checkout.email)
    .bind(&checkout.name)
    .bind(&checkout.country)
    .bind(offer.id)
    .bind(checkout.coupon_id)
    .bind(&checkout.currency)
    .bind(checkout.subtotal)
    .bind(checkout.discount)
    .bind(checkout.tax)
    .bind(checkout.total)
    .bind(checkout.tax_rate_bp)
    .bind(checkout.tax_inclusive)
    .bind(source)
    .bind(&checkout.provider)
    .bind(&checkout.attribution)
    .bind(now)
    .bind(&checkout.billing_address)
    .execute(&mut **tx)
    .await?;
    let mut products = vec![offer.product_id];
    store::insert_order_item(tx, order_id, &offer, "main", crate::pricing::first_amount(&offer)).await?;
    if let Some(bump) = &bump {
        store::insert_order_item(tx, order_id, bump, "bump", crate::pricing::first_amount(bump)).await?;
        products.push(bump.product_id);
    }
    let method = match card {
        Some(card) => Some(store::save_card(tx, user, &checkout.provider, card).await?),
        None => None,
    };
    let subscription = if offer.is_recurring() {
        let trial = offer.trial_days > 0;
        let period_end =
            if trial { now + chrono::Duration::days(i64::from(offer.trial_days)) } else { offer.period_end(now) };
        let id = SubscriptionId::new();
        let status = if trial { "trialing" } else { "active" };
        sqlx::query(
            "insert into subscriptions (tenant_id, id, user_id, offer_id, order_id, coupon_id, status, currency, amount,
                                        current_period_start, current_period_end, payments_made, payment_method_id,
                                        provider, provider_ref, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $10)",
        )
        .bind(tx.tenant())
        .bind(id)
        .bind(user)
        .bind(offer.id)
        .bind(order_id)
        .bind(checkout.coupon_id)
        .bind(status)
        .bind(&offer.currency)
        .bind(offer.amount)
        .bind(now)
        .bind(period_end)
        .bind(if trial { 0 } else { 1 })
        .bind(method)
        .bind(&checkout.provider)
        .bind(provider_subscription)
        .execute(&mut **tx)
        .await?;
        store::log_subscription_change(
            tx,
            id,
            "created",
            None,
            status,
            json!({ "trial_days": offer.trial_days }),
            None,
            now,
        )
        .await?;
        Some((id, status, period_end))
    } else {
        None
    };
    let payment = if checkout.total > 0 {
        let recorded = store::insert_payment(
            tx,
            &store::NewPayment {
                order: order_id,
                subscription: subscription.map(|s| s.0),
                status: "succeeded",
                currency: &checkout.currency,
                amount: checkout.total,
                tax: checkout.tax,
                provider: &checkout.provider,
                provider_ref: charge_ref,
                failure_code: None,
                payment_method: method,
                receipt_number: None,
                at: now,
            },
        )
        .await?;
        let Some(id) = recorded else {
            // The charge is already recorded against another order: a provider bug or a
            // forged report. Refuse rather than grant access twice for one charge.
            return Err(LedgerError::Other(anyhow::anyhow!("charge {charge_ref} is already recorded")));
        };
        Some(id)
    } else {
        None
    };
    sqlx::query("update checkouts set status = 'paid', paid_at = $3, user_id = $4 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(checkout.id)
        .bind(now)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    let order = store::order(tx, order_id).await?.ok_or(LedgerError::Unknown("order"))?;
    state
        .events
        .publish(
            tx,
            "order.paid",
            json!({
                "order_id": order.id, "user_id": user, "email": order.email, "name": order.name,
                "offer_id": offer.id, "offer_name": offer.name, "product_ids": products,
                "currency": order.currency, "total": order.total, "tax": order.tax, "discount": order.discount,
                "coupon_id": order.coupon_id, "source": source, "subscription_id": subscription.map(|s| s.0),
                "attribution": order.attribution, "provider": order.provider,
            }),
        )
        .await?;
    if let Some((id, status, period_end)) = subscription {
        state
            .events
            .publish(
                tx,
                "subscription.created",
                json!({
                    "subscription_id": id, "order_id": order.id, "user_id": user, "offer_id": offer.id,
                    "status": status, "current_period_end": period_end,
                }),
            )
            .await?;
    }
    if let Some(payment) = payment {
        // The receipt number last: the school's counter row stays locked until commit, so
        // taking it at the end keeps concurrent payments from queueing behind each other.
        let number = next_number(tx, "receipt").await?;
        sqlx::query("update payments set receipt_number = $3 where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(payment)
            .bind(&number)
            .execute(&mut **tx)
            .await?;
        publish_payment(state, tx, payment, &order, checkout.total, checkout.tax, &number, subscription.map(|s| s.0))
            .await?;
    }
    Ok(order)
}

/// Publishes `payment.succeeded` (receipts are sent from it).
#[allow(clippy::too_many_arguments)]
pub async fn publish_payment(
    state: &AppState,
    tx: &mut TenantTx,
    payment: PaymentId,
    order: &Order,
    amount: i64,
    tax: i64,
    number: &str,
    subscription: Option<SubscriptionId>,
) -> sqlx::Result<()> {
    state
        .events
        .publish(
            tx,
            "payment.succeeded",
            json!({
                "payment_id": payment, "order_id": order.id, "user_id": order.user_id, "email": order.email,
                "amount": amount, "tax": tax, "currency": order.currency, "receipt_number": number,
                "subscription_id": subscription,
            }),
        )
        .await?;
    Ok(())
}

/// A refund (or, with `dispute`, a chargeback) of `amount` of the payment the provider calls
/// `charge_ref`, known to the provider as `refund_ref`.
#[derive(Clone, Debug)]
pub struct RefundFact<'a> {
    /// The provider's charge id.
    pub charge_ref: &'a str,
    /// The provider's refund (or dispute) id.
    pub refund_ref: &'a str,
    /// How much, in the payment's currency.
    pub amount: i64,
    /// A chargeback rather than a refund.
    pub dispute: bool,
    /// Why, as staff wrote it.
    pub reason: &'a str,
    /// Staff who gave it (none when the provider reported it).
    pub actor: Option<UserId>,
    /// Take the courses away (`None`: the school's setting decides).
    pub revoke_access: Option<bool>,
}

/// What recording a refund did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refunded {
    /// A new refund, with its credit note number.
    Recorded {
        /// The refund.
        id: RefundId,
        /// Its credit note.
        credit_note: String,
    },
    /// Already recorded (a repeated report).
    AlreadyRecorded,
}

/// Records a refund once, with a credit note number, and publishes `order.refunded`.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn refund(state: &AppState, tx: &mut TenantTx, fact: RefundFact<'_>) -> Result<Refunded, LedgerError> {
    let payment: Payment =
        store::payment_by_ref_for_update(tx, fact.charge_ref).await?.ok_or(LedgerError::Unknown("payment"))?;
    if store::refund_exists(tx, &payment.provider, fact.refund_ref).await? {
        return Ok(Refunded::AlreadyRecorded);
    }
    let refunded = store::refunded_total(tx, payment.id).await?;
    if fact.amount <= 0 || refunded + fact.amount > payment.amount {
        return Err(LedgerError::OverRefund);
    }
    let revoke = match fact.revoke_access {
        Some(r) => r,
        None => store::settings(tx).await?.refund_access == "revoke",
    };
    let now = state.clock.now();
    let id = RefundId::new();
    let number = next_number(tx, "credit_note").await?;
    sqlx::query(
        "insert into refunds (tenant_id, id, order_id, payment_id, kind, currency, amount, reason, provider, provider_ref,
                              revoke_access, credit_note_number, actor_id, occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(payment.order_id)
    .bind(payment.id)
    .bind(if fact.dispute { "dispute" } else { "refund" })
    .bind(&payment.currency)
    .bind(fact.amount)
    .bind(fact.reason.chars().take(500).collect::<String>())
    .bind(&payment.provider)
    .bind(fact.refund_ref)
    .bind(revoke)
    .bind(&number)
    .bind(fact.actor)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let order = store::order(tx, payment.order_id).await?.ok_or(LedgerError::Unknown("order"))?;
    let (paid, refunded_now) = store::order_money(tx, order.id).await?;
    state
        .events
        .publish(
            tx,
            "order.refunded",
            json!({
                "order_id": order.id, "refund_id": id, "payment_id": payment.id, "user_id": order.user_id,
                "email": order.email, "amount": fact.amount, "currency": payment.currency,
                "fully_refunded": refunded_now >= paid, "dispute": fact.dispute, "revoke_access": revoke,
                "credit_note_number": number,
            }),
        )
        .await?;
    Ok(Refunded::Recorded { id, credit_note: number })
}

/// An order's state, derived from its payments and refunds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Paid, nothing given back.
    Paid,
    /// Part of the money given back.
    PartlyRefunded,
    /// All of it given back.
    Refunded,
    /// Given by staff, or free.
    Free,
}

/// Derives an order's state from what was paid and refunded.
pub fn order_state(paid: i64, refunded: i64) -> OrderState {
    match (paid, refunded) {
        (0, _) => OrderState::Free,
        (_, 0) => OrderState::Paid,
        (p, r) if r >= p => OrderState::Refunded,
        _ => OrderState::PartlyRefunded,
    }
}

/// Records `method` as the card charged for `subscription` from now on.
pub async fn set_subscription_card(
    tx: &mut TenantTx,
    subscription: SubscriptionId,
    method: PaymentMethodId,
    at: DateTime<Utc>,
    actor: Option<UserId>,
) -> sqlx::Result<()> {
    let status: String = sqlx::query_scalar(
        "update subscriptions set payment_method_id = $3 where tenant_id = $1 and id = $2 returning status",
    )
    .bind(tx.tenant())
    .bind(subscription)
    .bind(method)
    .fetch_one(&mut **tx)
    .await?;
    store::log_subscription_change(
        tx,
        subscription,
        "card_updated",
        Some(&status),
        &status,
        json!({ "payment_method_id": method }),
        actor,
        at,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_state_follows_the_money() {
        assert_eq!(order_state(10_000, 0), OrderState::Paid);
        assert_eq!(order_state(10_000, 2_500), OrderState::PartlyRefunded);
        assert_eq!(order_state(10_000, 10_000), OrderState::Refunded);
        assert_eq!(order_state(0, 0), OrderState::Free);
    }
}
