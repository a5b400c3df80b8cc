//! Subscriptions and payment plans as a ledger: each renewal, failed charge, lapse and
//! cancellation is a change appended to `subscription_changes` beside the row it moves, with an
//! event for other domains (`subscription.renewed`, `subscription.payment_failed`,
//! `subscription.past_due`, `subscription.paused`, `subscription.canceled`). Renewals and
//! failures are idempotent on the provider's charge id; the other moves only happen from the
//! state they leave, so a repeated report changes nothing.

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, db::TenantTx, ids::UserId};
use serde_json::json;
use sqlx::AssertSqlSafe;

use crate::{
    access,
    ledger::{LedgerError, next_number, publish_payment},
    model::{PaymentId, Subscription, SubscriptionId},
    store,
};

/// Days after the first failed charge on which it is tried again.
pub const RETRY_DAYS: [i64; 3] = [1, 3, 5];

/// A subscription, locked until the transaction ends (the sweep and the student's own changes
/// queue here, so one of them acts on a period).
pub(crate) async fn lock(tx: &mut TenantTx, id: SubscriptionId) -> Result<Subscription, LedgerError> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {} from subscriptions where tenant_id = $1 and id = $2 for update",
        store::SUBSCRIPTION
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(LedgerError::Unknown("subscription"))
}

async fn charge_known(tx: &mut TenantTx, provider: &str, charge_ref: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from payments where tenant_id = $1 and provider = $2 and provider_ref = $3)",
    )
    .bind(tx.tenant())
    .bind(provider)
    .bind(charge_ref)
    .fetch_one(&mut **tx)
    .await
}

/// Records a successful charge of `sub` with its receipt number (the caller publishes it).
pub(crate) async fn record_charge(
    tx: &mut TenantTx,
    sub: &Subscription,
    charge_ref: &str,
    amount: i64,
    tax: i64,
    at: DateTime<Utc>,
) -> Result<(PaymentId, String), LedgerError> {
    let number = next_number(tx, "receipt").await?;
    let payment = store::insert_payment(
        tx,
        &store::NewPayment {
            order: sub.order_id,
            subscription: Some(sub.id),
            status: "succeeded",
            currency: &sub.currency,
            amount,
            tax,
            provider: &sub.provider,
            provider_ref: charge_ref,
            failure_code: None,
            payment_method: sub.payment_method_id,
            receipt_number: Some(&number),
            at,
        },
    )
    .await?
    .ok_or(LedgerError::Other(anyhow::anyhow!("charge {charge_ref} is already recorded")))?;
    Ok((payment, number))
}

/// A period's payment was taken (`charge_ref`, `amount` with `tax` in it). Moves the period
/// on (to `period_end` when the provider says, else by the offer's interval), ends a plan
/// after its last instalment, and opens access again after a lapse. Returns whether it was new.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn renewal_paid(
    state: &AppState,
    tx: &mut TenantTx,
    id: SubscriptionId,
    charge_ref: &str,
    amount: i64,
    tax: i64,
    period_end: Option<DateTime<Utc>>,
) -> Result<bool, LedgerError> {
    let sub = lock(tx, id).await?;
    if charge_known(tx, &sub.provider, charge_ref).await? {
        return Ok(false);
    }
    let offer = store::offer(tx, sub.offer_id).await?.ok_or(LedgerError::Unknown("offer"))?;
    let order = store::order(tx, sub.order_id).await?.ok_or(LedgerError::Unknown("order"))?;
    let now = state.clock.now();
    let (payment, number) = record_charge(tx, &sub, charge_ref, amount, tax, now).await?;
    // A lapsed subscription paid again starts a fresh period today; one paid within its grace
    // keeps its billing date.
    let start = if sub.status == "paused" { now.max(sub.current_period_end) } else { sub.current_period_end };
    let end = period_end.unwrap_or_else(|| offer.period_end(start));
    let made = sub.payments_made + 1;
    let done = offer.installments.is_some_and(|n| made >= n);
    let status = if done { "completed" } else { "active" };
    sqlx::query(
        "update subscriptions set status = $3, current_period_start = $4, current_period_end = $5, payments_made = $6,
           retry_at = null, failed_attempts = 0, grace_ends_at = null where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(sub.id)
    .bind(status)
    .bind(start)
    .bind(end)
    .bind(made)
    .execute(&mut **tx)
    .await?;
    store::log_subscription_change(
        tx,
        sub.id,
        "renewed",
        Some(&sub.status),
        status,
        json!({ "payment_id": payment, "amount": amount, "period_end": end }),
        None,
        now,
    )
    .await?;
    if sub.status == "paused" {
        access::resume(state, tx, sub.order_id).await?;
    }
    state
        .events
        .publish(
            tx,
            "subscription.renewed",
            json!({
                "subscription_id": sub.id, "order_id": sub.order_id, "user_id": sub.user_id, "amount": amount,
                "currency": sub.currency, "payment_number": made, "current_period_end": end, "completed": done,
                "recovered": matches!(sub.status.as_str(), "past_due" | "paused"),
            }),
        )
        .await?;
    publish_payment(state, tx, payment, &order, amount, tax, &number, Some(sub.id)).await?;
    Ok(true)
}

/// A period's charge was refused (`code`). The first failure makes the subscription past due
/// with a grace period; each failure schedules the next retry while any is left. Returns
/// whether it was new.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn renewal_failed(
    state: &AppState,
    tx: &mut TenantTx,
    id: SubscriptionId,
    charge_ref: &str,
    code: &str,
) -> Result<bool, LedgerError> {
    let sub = lock(tx, id).await?;
    if charge_known(tx, &sub.provider, charge_ref).await? {
        return Ok(false);
    }
    let now = state.clock.now();
    let amount = sub.amount;
    store::insert_payment(
        tx,
        &store::NewPayment {
            order: sub.order_id,
            subscription: Some(sub.id),
            status: "failed",
            currency: &sub.currency,
            amount,
            tax: 0,
            provider: &sub.provider,
            provider_ref: charge_ref,
            failure_code: Some(code),
            payment_method: sub.payment_method_id,
            receipt_number: None,
            at: now,
        },
    )
    .await?;
    let attempts = sub.failed_attempts + 1;
    let first = !matches!(sub.status.as_str(), "past_due" | "paused");
    let grace_days = i64::from(store::settings(tx).await?.grace_days);
    let grace_ends = if first { Some(now + Duration::days(grace_days)) } else { sub.grace_ends_at };
    let retry_at = RETRY_DAYS.get(attempts as usize - 1).map(|days| now + Duration::days(*days));
    let status = if sub.status == "paused" { "paused" } else { "past_due" };
    sqlx::query(
        "update subscriptions set status = $3, failed_attempts = $4, retry_at = $5, grace_ends_at = $6
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(sub.id)
    .bind(status)
    .bind(attempts)
    .bind(retry_at)
    .bind(grace_ends)
    .execute(&mut **tx)
    .await?;
    store::log_subscription_change(
        tx,
        sub.id,
        "payment_failed",
        Some(&sub.status),
        status,
        json!({ "code": code, "attempt": attempts, "retry_at": retry_at }),
        None,
        now,
    )
    .await?;
    let payload = json!({
        "subscription_id": sub.id, "order_id": sub.order_id, "user_id": sub.user_id, "code": code,
        "attempt": attempts, "retry_at": retry_at, "grace_ends_at": grace_ends, "amount": amount,
        "currency": sub.currency,
    });
    state.events.publish(tx, "subscription.payment_failed", payload.clone()).await?;
    if first {
        state.events.publish(tx, "subscription.past_due", payload).await?;
    }
    Ok(true)
}

/// The grace period of a past-due subscription ended unpaid: access pauses until a payment
/// succeeds. Returns whether it lapsed now.
pub async fn lapse(state: &AppState, tx: &mut TenantTx, id: SubscriptionId) -> Result<bool, LedgerError> {
    let sub = lock(tx, id).await?;
    if sub.status != "past_due" {
        return Ok(false);
    }
    let now = state.clock.now();
    sqlx::query("update subscriptions set status = 'paused' where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(sub.id)
        .execute(&mut **tx)
        .await?;
    store::log_subscription_change(tx, sub.id, "lapsed", Some(&sub.status), "paused", json!({}), None, now).await?;
    access::pause(state, tx, sub.order_id).await?;
    state
        .events
        .publish(
            tx,
            "subscription.paused",
            json!({ "subscription_id": sub.id, "order_id": sub.order_id, "user_id": sub.user_id }),
        )
        .await?;
    Ok(true)
}

/// When a cancellation takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelAt {
    /// At the end of the period paid for (access until then).
    PeriodEnd,
    /// Now (access ends now).
    Now,
}

/// Cancels a subscription (a plan cannot be cancelled by the student, only by staff). Ending
/// now pauses its access and publishes `subscription.canceled`; at the period's end it is
/// only marked, and the billing sweep ends it then. Returns whether anything changed.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn cancel(
    state: &AppState,
    tx: &mut TenantTx,
    id: SubscriptionId,
    at: CancelAt,
    actor: Option<UserId>,
    reason: &str,
) -> Result<bool, LedgerError> {
    let sub = lock(tx, id).await?;
    if matches!(sub.status.as_str(), "canceled" | "completed") {
        return Ok(false);
    }
    let now = state.clock.now();
    if at == CancelAt::PeriodEnd && matches!(sub.status.as_str(), "active" | "trialing") {
        if sub.cancel_at_period_end {
            return Ok(false);
        }
        sqlx::query("update subscriptions set cancel_at_period_end = true where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(sub.id)
            .execute(&mut **tx)
            .await?;
        store::log_subscription_change(
            tx,
            sub.id,
            "cancel_scheduled",
            Some(&sub.status),
            &sub.status,
            json!({ "reason": reason, "ends_at": sub.current_period_end }),
            actor,
            now,
        )
        .await?;
        return Ok(true);
    }
    sqlx::query(
        "update subscriptions set status = 'canceled', canceled_at = $3, retry_at = null where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(sub.id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    store::log_subscription_change(
        tx,
        sub.id,
        "canceled",
        Some(&sub.status),
        "canceled",
        json!({ "reason": reason }),
        actor,
        now,
    )
    .await?;
    access::pause(state, tx, sub.order_id).await?;
    state
        .events
        .publish(
            tx,
            "subscription.canceled",
            json!({ "subscription_id": sub.id, "order_id": sub.order_id, "user_id": sub.user_id, "reason": reason }),
        )
        .await?;
    Ok(true)
}

/// Takes back a scheduled cancellation before the period ends.
pub async fn resume_renewals(
    state: &AppState,
    tx: &mut TenantTx,
    id: SubscriptionId,
    actor: Option<UserId>,
) -> Result<bool, LedgerError> {
    let sub = lock(tx, id).await?;
    if !sub.cancel_at_period_end || !matches!(sub.status.as_str(), "active" | "trialing") {
        return Ok(false);
    }
    sqlx::query("update subscriptions set cancel_at_period_end = false where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(sub.id)
        .execute(&mut **tx)
        .await?;
    store::log_subscription_change(
        tx,
        sub.id,
        "cancel_withdrawn",
        Some(&sub.status),
        &sub.status,
        json!({}),
        actor,
        state.clock.now(),
    )
    .await?;
    Ok(true)
}
