//! Moving a subscription to another subscription offer of the same product. An upgrade (a
//! dearer plan, per day) takes effect now: the unused part of the current period is credited
//! by the second, the difference is charged on the saved card at once (reported as a sandbox
//! `invoice.paid` event, so a repeated click records one payment), and the new price applies
//! from the next period. A downgrade waits for the next renewal, which the billing sweep
//! applies. During a trial nothing has been paid, so the switch is immediate and free. Every
//! move, and every refused charge, is a `subscription_changes` row.

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx, ids::UserId};
use serde_json::json;

use crate::{
    billing, inbox,
    ledger::{LedgerError, publish_payment},
    model::{Offer, OfferId, OfferKind, PaymentId, Subscription, SubscriptionId},
    provider::{self, Charge},
    store, subscriptions,
};

mod proration;

pub use proration::{Proration, prorate};

/// Why a move was refused.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// Not a move this subscription can make (a plan, another product, an ended subscription …).
    #[error("this change is not possible")]
    NotAllowed,
    /// A ledger failure.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl From<sqlx::Error> for ChangeError {
    fn from(e: sqlx::Error) -> Self {
        Self::Ledger(e.into())
    }
}

/// What a move did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changed {
    /// Upgraded now; `total` was charged.
    Upgraded {
        /// Charged now.
        total: i64,
    },
    /// Moves at the next renewal, `at`.
    Scheduled {
        /// When.
        at: DateTime<Utc>,
    },
    /// Switched now without a charge (a trial).
    Switched,
    /// A scheduled downgrade was withdrawn (the student chose their current offer again).
    Withdrawn,
    /// Already on that offer (a repeated click): nothing to do.
    Unchanged,
    /// The charge for the upgrade was refused (`code`); nothing moved.
    Declined {
        /// Why.
        code: String,
    },
}

/// The offer a downgrade will move the subscription to at its next renewal.
pub async fn scheduled_offer(tx: &mut TenantTx, id: SubscriptionId) -> sqlx::Result<Option<OfferId>> {
    sqlx::query_scalar("select scheduled_offer_id from subscriptions where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map(Option::flatten)
}

/// The other offers `sub` may move to: the visible, open subscription offers of its product
/// in its currency.
pub async fn choices(tx: &mut TenantTx, sub: &Subscription) -> Result<Vec<Offer>, ChangeError> {
    let current = store::offer(tx, sub.offer_id).await?.ok_or(ChangeError::NotAllowed)?;
    let ids: Vec<OfferId> = sqlx::query_scalar(
        "select id from offers where tenant_id = $1 and product_id = $2 and kind = 'subscription' and currency = $3
           and archived_at is null and visible order by amount, name",
    )
    .bind(tx.tenant())
    .bind(current.product_id)
    .bind(&current.currency)
    .fetch_all(&mut **tx)
    .await?;
    let mut offers = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(offer) = store::offer(tx, id).await? {
            offers.push(offer);
        }
    }
    Ok(offers)
}

/// Checks a move and prices it at `now`, without changing anything.
pub async fn preview(
    tx: &mut TenantTx,
    sub: &Subscription,
    target: &Offer,
    now: DateTime<Utc>,
) -> Result<Proration, ChangeError> {
    let current = store::offer(tx, sub.offer_id).await?.ok_or(ChangeError::NotAllowed)?;
    let movable = current.kind() == OfferKind::Subscription
        && target.kind() == OfferKind::Subscription
        && target.product_id == current.product_id
        && target.currency == current.currency
        && target.archived_at.is_none()
        && matches!(sub.status.as_str(), "active" | "trialing")
        && !sub.cancel_at_period_end;
    if !movable {
        return Err(ChangeError::NotAllowed);
    }
    let rule = billing::order_tax_rule(tx, sub).await?;
    let mut p = prorate(&current, sub.amount, target, (sub.current_period_start, sub.current_period_end), now, rule);
    if sub.status == "trialing" {
        p = Proration { immediate: true, credit: 0, new_part: 0, charge: 0, tax: 0, total: 0, restarts_period: false };
    }
    Ok(p)
}

async fn set_offer(
    tx: &mut TenantTx,
    sub: &Subscription,
    target: &Offer,
    period: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> sqlx::Result<()> {
    let (start, end) = period.unwrap_or((sub.current_period_start, sub.current_period_end));
    sqlx::query(
        "update subscriptions set offer_id = $3, amount = $4, scheduled_offer_id = null, current_period_start = $5,
           current_period_end = $6 where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(sub.id)
    .bind(target.id)
    .bind(target.amount)
    .bind(start)
    .bind(end)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves `id` to the offer `target` (see the module's doc), by `actor`.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn change(
    state: &AppState,
    tx: &mut TenantTx,
    id: SubscriptionId,
    target: OfferId,
    actor: Option<UserId>,
) -> Result<Changed, ChangeError> {
    let sub = subscriptions::lock(tx, id).await?;
    let now = state.clock.now();
    let scheduled = scheduled_offer(tx, id).await?;
    if target == sub.offer_id {
        if scheduled.is_none() {
            return Ok(Changed::Unchanged);
        }
        sqlx::query("update subscriptions set scheduled_offer_id = null where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(id)
            .execute(&mut **tx)
            .await?;
        let detail = json!({ "offer_id": scheduled });
        store::log_subscription_change(
            tx,
            id,
            "downgrade_withdrawn",
            Some(&sub.status),
            &sub.status,
            detail,
            actor,
            now,
        )
        .await?;
        return Ok(Changed::Withdrawn);
    }
    if sub.provider != "sandbox" {
        return Err(ChangeError::NotAllowed);
    }
    let target = store::offer(tx, target).await?.ok_or(ChangeError::NotAllowed)?;
    let p = preview(tx, &sub, &target, now).await?;
    let base = json!({ "from_offer": sub.offer_id, "to_offer": target.id, "proration": p });
    if sub.status == "trialing" {
        set_offer(tx, &sub, &target, None).await?;
        store::log_subscription_change(tx, id, "plan_changed", Some(&sub.status), &sub.status, base, actor, now)
            .await?;
        publish(state, tx, &sub, &target, "switched").await?;
        return Ok(Changed::Switched);
    }
    if !p.immediate {
        sqlx::query("update subscriptions set scheduled_offer_id = $3 where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(id)
            .bind(target.id)
            .execute(&mut **tx)
            .await?;
        let mut detail = base;
        detail["at"] = json!(sub.current_period_end);
        store::log_subscription_change(
            tx,
            id,
            "downgrade_scheduled",
            Some(&sub.status),
            &sub.status,
            detail,
            actor,
            now,
        )
        .await?;
        return Ok(Changed::Scheduled { at: sub.current_period_end });
    }
    let key = format!("change:{}:{}:{}", sub.id, target.id, sub.current_period_end.timestamp());
    let mut detail = base;
    if p.total > 0 {
        let method = match sub.payment_method_id {
            Some(m) => store::payment_method(tx, m).await?,
            None => None,
        };
        let charge = match method {
            Some(method) => provider::named(state, &sub.provider)
                .charge_saved(state, tx, &method, p.total, &sub.currency, &key)
                .await
                .map_err(LedgerError::Other)?,
            None => Charge::Failed { provider_ref: String::new(), code: "no_card".into() },
        };
        let charge_ref = match charge {
            Charge::Succeeded { provider_ref } => provider_ref,
            Charge::Failed { code, .. } => {
                detail["code"] = json!(code);
                store::log_subscription_change(
                    tx,
                    id,
                    "upgrade_failed",
                    Some(&sub.status),
                    &sub.status,
                    detail,
                    actor,
                    now,
                )
                .await?;
                return Ok(Changed::Declined { code });
            }
        };
        let event = format!("evt_sb_{}", key.replace(':', "_"));
        let payload = json!({
            "subscription_id": sub.id, "charge": charge_ref, "amount": p.total, "tax": p.tax, "proration": true,
        });
        if !inbox::receive(tx, "sandbox", &event, "invoice.paid", &payload).await? {
            return Ok(Changed::Upgraded { total: p.total });
        }
        detail["payment_id"] = json!(record_payment(state, tx, &sub, &charge_ref, p.total, p.tax).await?);
    }
    let period = p.restarts_period.then(|| (now, target.period_end(now)));
    set_offer(tx, &sub, &target, period).await?;
    store::log_subscription_change(tx, id, "upgraded", Some(&sub.status), &sub.status, detail, actor, now).await?;
    publish(state, tx, &sub, &target, "upgraded").await?;
    Ok(Changed::Upgraded { total: p.total })
}

async fn record_payment(
    state: &AppState,
    tx: &mut TenantTx,
    sub: &Subscription,
    charge_ref: &str,
    amount: i64,
    tax: i64,
) -> Result<PaymentId, LedgerError> {
    let order = store::order(tx, sub.order_id).await?.ok_or(LedgerError::Unknown("order"))?;
    let (payment, number) =
        crate::subscriptions::record_charge(tx, sub, charge_ref, amount, tax, state.clock.now()).await?;
    publish_payment(state, tx, payment, &order, amount, tax, &number, Some(sub.id)).await?;
    Ok(payment)
}

async fn publish(
    state: &AppState,
    tx: &mut TenantTx,
    sub: &Subscription,
    target: &Offer,
    how: &str,
) -> sqlx::Result<()> {
    state
        .events
        .publish(
            tx,
            "subscription.plan_changed",
            json!({
                "subscription_id": sub.id, "order_id": sub.order_id, "user_id": sub.user_id,
                "from_offer_id": sub.offer_id, "to_offer_id": target.id, "how": how,
            }),
        )
        .await?;
    Ok(())
}

/// Applies a scheduled downgrade as its renewal comes (the sweep calls it before charging);
/// returns whether one was applied.
pub async fn apply_scheduled(state: &AppState, tx: &mut TenantTx, sub: &Subscription) -> Result<bool, LedgerError> {
    let Some(target) = scheduled_offer(tx, sub.id).await? else { return Ok(false) };
    let Some(target) = store::offer(tx, target).await? else { return Ok(false) };
    set_offer(tx, sub, &target, None).await?;
    let detail = json!({ "from_offer": sub.offer_id, "to_offer": target.id });
    store::log_subscription_change(
        tx,
        sub.id,
        "downgraded",
        Some(&sub.status),
        &sub.status,
        detail,
        None,
        state.clock.now(),
    )
    .await?;
    publish(state, tx, sub, &target, "downgraded").await?;
    Ok(true)
}
