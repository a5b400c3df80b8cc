//! Moving a subscription to another subscription offer of the same product. An upgrade (a
//! dearer plan, per day) takes effect now: the unused part of the current period is credited
//! by the second, the difference is charged on the saved card at once (reported as a sandbox
//! `invoice.paid` event, so a repeated click records one payment), and the new price applies
//! from the next period. A downgrade waits for the next renewal, which the billing sweep
//! applies. During a trial nothing has been paid, so the switch is immediate and free. Every
//! move, and every refused charge, is a `subscription_changes` row.

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx, ids::UserId};
use serde::Serialize;
use serde_json::json;

use crate::{
    billing, inbox,
    ledger::{LedgerError, next_number, publish_payment},
    model::{Offer, OfferId, OfferKind, PaymentId, Subscription, SubscriptionId},
    pricing::{TaxRule, apply_tax},
    provider::{self, Charge},
    store, subscriptions,
};

/// What a move to another offer costs now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Proration {
    /// Whether it happens now (an upgrade) or at the next renewal (a downgrade).
    pub immediate: bool,
    /// Credit for the unused part of the current period.
    pub credit: i64,
    /// The new offer's price for the same unused part (or its whole first period when the
    /// billing interval changes).
    pub new_part: i64,
    /// Charged now, before tax: `new_part - credit`, never below zero.
    pub charge: i64,
    /// Tax on the charge.
    pub tax: i64,
    /// What the card is charged now.
    pub total: i64,
    /// A change of interval starts a fresh period now.
    pub restarts_period: bool,
}

fn months(offer: &Offer) -> i64 {
    if offer.interval.as_deref() == Some("year") { 12 } else { 1 }
}

/// Prorates a move from `current` (paying `paid` a period from `start` to `end`) to `target`
/// at `now`: integer maths on seconds, rounding the credit down and the new part down, so the
/// student is never charged for a second they do not get.
pub fn prorate(
    current: &Offer,
    paid: i64,
    target: &Offer,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
    rule: TaxRule,
) -> Proration {
    let period = (end - start).num_seconds().max(1);
    let left = (end - now).num_seconds().clamp(0, period);
    let part = |amount: i64| (i128::from(amount) * i128::from(left) / i128::from(period)) as i64;
    // Dearer per month is an upgrade; compared without division.
    let immediate =
        i128::from(target.amount) * i128::from(months(current)) > i128::from(paid) * i128::from(months(target));
    let restarts_period = months(current) != months(target);
    let credit = part(paid);
    let new_part = if restarts_period { target.amount } else { part(target.amount) };
    let charge = if immediate { (new_part - credit).max(0) } else { 0 };
    let (tax, total) = apply_tax(charge, rule);
    Proration { immediate, credit, new_part, charge, tax, total, restarts_period }
}

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
    let number = next_number(tx, "receipt").await?;
    let payment = PaymentId::new();
    sqlx::query(
        "insert into payments (tenant_id, id, order_id, subscription_id, status, currency, amount, tax, provider,
                               provider_ref, payment_method_id, receipt_number, occurred_at)
         values ($1, $2, $3, $4, 'succeeded', $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(tx.tenant())
    .bind(payment)
    .bind(sub.order_id)
    .bind(sub.id)
    .bind(&sub.currency)
    .bind(amount)
    .bind(tax)
    .bind(&sub.provider)
    .bind(charge_ref)
    .bind(sub.payment_method_id)
    .bind(&number)
    .bind(state.clock.now())
    .execute(&mut **tx)
    .await?;
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::model::ProductId;

    fn offer(amount: i64, interval: &str) -> Offer {
        Offer {
            id: OfferId::new(),
            product_id: ProductId::new(),
            slug: "x".into(),
            name: "x".into(),
            kind: "subscription".into(),
            currency: "USD".into(),
            amount,
            interval: Some(interval.into()),
            installments: None,
            trial_days: 0,
            setup_fee: 0,
            visible: true,
            max_sales: None,
            closes_at: None,
            bump_offer_id: None,
            bump_headline: String::new(),
            upsell_offer_id: None,
            archived_at: None,
            created_at: Utc::now(),
        }
    }

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn an_upgrade_halfway_charges_half_the_difference() {
        // November has 30 days: on the 16th, 15 of them are left.
        let p = prorate(
            &offer(2_000, "month"),
            2_000,
            &offer(5_000, "month"),
            (day(1), day(1) + chrono::Duration::days(30)),
            day(16),
            TaxRule::default(),
        );
        assert!(p.immediate);
        assert_eq!((p.credit, p.new_part, p.charge, p.total), (1_000, 2_500, 1_500, 1_500));
    }

    #[test]
    fn the_credit_rounds_down_to_the_second() {
        let start = day(1);
        let end = start + chrono::Duration::days(30);
        let now = end - chrono::Duration::seconds(1);
        let p = prorate(&offer(2_999, "month"), 2_999, &offer(4_999, "month"), (start, end), now, TaxRule::default());
        assert_eq!((p.credit, p.new_part, p.charge), (0, 0, 0));
        let p = prorate(
            &offer(2_999, "month"),
            2_999,
            &offer(4_999, "month"),
            (start, end),
            start + chrono::Duration::days(10),
            TaxRule { rate_bp: 2000, inclusive: false },
        );
        // 20 of 30 days left: credit 1999.33 → 1999, new part 3332.66 → 3332.
        assert_eq!((p.credit, p.new_part, p.charge, p.tax, p.total), (1_999, 3_332, 1_333, 267, 1_600));
    }

    #[test]
    fn a_cheaper_plan_waits_for_the_renewal() {
        let p = prorate(
            &offer(5_000, "month"),
            5_000,
            &offer(2_000, "month"),
            (day(1), day(1) + chrono::Duration::days(30)),
            day(10),
            TaxRule::default(),
        );
        assert!(!p.immediate);
        assert_eq!(p.total, 0);
    }

    #[test]
    fn monthly_to_yearly_restarts_the_period() {
        let p = prorate(
            &offer(3_000, "month"),
            3_000,
            &offer(40_000, "year"),
            (day(1), day(1) + chrono::Duration::days(30)),
            day(16),
            TaxRule::default(),
        );
        assert!(p.immediate && p.restarts_period);
        assert_eq!((p.credit, p.charge), (1_500, 38_500));
        // 30000 a year is 2500 a month: 2000 a month is cheaper, so it waits.
        let p = prorate(
            &offer(30_000, "year"),
            30_000,
            &offer(2_000, "month"),
            (day(1), day(1) + chrono::Duration::days(365)),
            day(2),
            TaxRule::default(),
        );
        assert!(!p.immediate);
    }
}
