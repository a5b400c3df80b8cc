//! The billing sweep: a recurring job per school (`commerce.billing`) that moves sandbox
//! subscriptions and payment plans along the application's clock. A trial or period that
//! ended is charged on the saved card; a past-due subscription is retried on its schedule;
//! one whose grace period ended unpaid lapses (access pauses); one cancelled at period end
//! ends. Plans stop by themselves after their last instalment (see
//! [`crate::subscriptions::renewal_paid`]). Stripe subscriptions are skipped: Stripe bills
//! them and reports through its webhooks.
//!
//! Every charge carries an idempotency key made of the subscription, its period and the
//! attempt, and its result is reported as the sandbox provider event `invoice.paid` or
//! `invoice.payment_failed` whose id is derived from that key: a sweep that runs twice at the
//! same moment (two workers, a retried job) charges once and records once. Each subscription
//! is handled in its own transaction, locked, and its state checked again under the lock.

use std::time::Duration;

use chrono::{DateTime, Utc};
use kernel::{
    AppState, TenantId,
    db::TenantTx,
    events::Event,
    jobs::{self, Job},
};
use serde_json::json;
use sqlx::AssertSqlSafe;

use crate::{
    inbox::{self, Handled},
    ledger::LedgerError,
    model::{Subscription, SubscriptionId},
    plan_change,
    pricing::{self, Quote, TaxRule},
    provider::{self, Charge},
    store,
    subscriptions::{self, CancelAt},
};

/// The job kind of the sweep.
pub const KIND: &str = "commerce.billing";

/// How often a school's sweep runs.
pub const EVERY: Duration = Duration::from_secs(15 * 60);

/// Registers the sweep, and schedules it for a school when its first subscription starts.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.jobs.register(KIND, job);
    w.events.subscribe(&mut w.jobs, "subscription.created", "commerce.billing_schedule", schedule_on_created);
}

async fn schedule_on_created(state: AppState, event: Event) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(event.tenant).await?;
    jobs::schedule_recurring(&mut tx, KIND, json!({}), EVERY).await?;
    tx.commit().await?;
    Ok(())
}

async fn job(state: AppState, job: Job) -> anyhow::Result<()> {
    run(&state, job.tenant).await.map(|_| ())
}

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Periods (or retries) paid.
    pub paid: usize,
    /// Charges refused.
    pub failed: usize,
    /// Subscriptions whose grace period ended unpaid.
    pub lapsed: usize,
    /// Subscriptions ended at their period's end.
    pub canceled: usize,
}

/// Runs one school's sweep at `state.clock.now()`. A subscription that cannot be handled is
/// logged and left for the next run; the others go on.
#[tracing::instrument(skip_all, fields(tenant_id = %tenant))]
pub async fn run(state: &AppState, tenant: TenantId) -> anyhow::Result<Sweep> {
    let now = state.clock.now();
    let mut tx = state.db.tenant(tenant).await?;
    let due: Vec<SubscriptionId> = sqlx::query_scalar(
        "select id from subscriptions where tenant_id = $1 and provider = 'sandbox' and (
            (status in ('trialing', 'active') and current_period_end <= $2)
         or (status in ('past_due', 'paused') and retry_at <= $2)
         or (status = 'past_due' and grace_ends_at <= $2))
         order by current_period_end, id",
    )
    .bind(tenant)
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut sweep = Sweep::default();
    for id in due {
        if let Err(e) = step(state, tenant, id, now, &mut sweep).await {
            tracing::warn!(subscription_id = %id, error = %e, "billing: subscription left for the next run");
        }
    }
    Ok(sweep)
}

async fn step(
    state: &AppState,
    tenant: TenantId,
    id: SubscriptionId,
    now: DateTime<Utc>,
    sweep: &mut Sweep,
) -> Result<(), LedgerError> {
    let mut tx = state.db.tenant(tenant).await?;
    let mut sub = subscriptions::lock(&mut tx, id).await?;
    if sub.provider != "sandbox" {
        return Ok(());
    }
    let renewing = matches!(sub.status.as_str(), "trialing" | "active") && sub.current_period_end <= now;
    if renewing && sub.cancel_at_period_end {
        if subscriptions::cancel(state, &mut tx, id, CancelAt::Now, None, "period_end").await? {
            sweep.canceled += 1;
        }
    } else if renewing {
        if plan_change::apply_scheduled(state, &mut tx, &sub).await? {
            sub = subscriptions::lock(&mut tx, id).await?;
        }
        let key = format!("renew:{}:{}", sub.id, sub.current_period_end.timestamp());
        count(sweep, charge_period(state, &mut tx, &sub, &key).await?);
    } else {
        if matches!(sub.status.as_str(), "past_due" | "paused") && sub.retry_at.is_some_and(|at| at <= now) {
            count(sweep, charge_period(state, &mut tx, &sub, &retry_key(&sub)).await?);
            sub = subscriptions::lock(&mut tx, id).await?;
        }
        if sub.status == "past_due"
            && sub.grace_ends_at.is_some_and(|at| at <= now)
            && subscriptions::lapse(state, &mut tx, id).await?
        {
            sweep.lapsed += 1;
        }
    }
    tx.commit().await?;
    Ok(())
}

fn count(sweep: &mut Sweep, charged: Charged) {
    match charged {
        Charged::Paid { fresh: true, .. } => sweep.paid += 1,
        Charged::Failed { fresh: true, .. } => sweep.failed += 1,
        _ => {}
    }
}

/// The idempotency key of the next attempt at a past-due period.
fn retry_key(sub: &Subscription) -> String {
    format!("renew:{}:{}:{}", sub.id, sub.current_period_end.timestamp(), sub.failed_attempts + 1)
}

/// What charging a period did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Charged {
    /// Paid; `fresh` is false when this key had already been reported.
    Paid {
        /// Recorded now.
        fresh: bool,
        /// What was taken.
        amount: i64,
    },
    /// Refused with the provider's `code`.
    Failed {
        /// Recorded now.
        fresh: bool,
        /// Why.
        code: String,
    },
}

/// The tax rule the subscription's order was sold under.
pub async fn order_tax_rule(tx: &mut TenantTx, sub: &Subscription) -> sqlx::Result<TaxRule> {
    let (rate_bp, inclusive): (i32, bool) =
        sqlx::query_as("select tax_rate_bp, tax_inclusive from orders where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(sub.order_id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(TaxRule { rate_bp, inclusive })
}

/// What the subscription's next payment charges: its offer (or the scheduled one), the coupon
/// while it lasts, and the order's tax.
pub async fn next_quote(tx: &mut TenantTx, sub: &Subscription) -> Result<Quote, LedgerError> {
    let offer_id = plan_change::scheduled_offer(tx, sub.id).await?.unwrap_or(sub.offer_id);
    let offer = store::offer(tx, offer_id).await?.ok_or(LedgerError::Unknown("offer"))?;
    let coupon = match sub.coupon_id {
        Some(id) => store::coupon(tx, id).await?,
        None => None,
    };
    let rule = order_tax_rule(tx, sub).await?;
    Ok(pricing::renewal(&offer, coupon.as_ref(), sub.payments_made, rule))
}

/// Charges the subscription's current period on its saved card under `key`, and reports the
/// result as a sandbox provider event (`invoice.paid` or `invoice.payment_failed`) with an id
/// derived from the key, in the caller's transaction.
pub async fn charge_period(
    state: &AppState,
    tx: &mut TenantTx,
    sub: &Subscription,
    key: &str,
) -> Result<Charged, LedgerError> {
    let quote = next_quote(tx, sub).await?;
    let method = match sub.payment_method_id {
        Some(id) => store::payment_method(tx, id).await?,
        None => None,
    };
    let charge = match (&method, quote.total) {
        (_, 0) => Charge::Succeeded { provider_ref: format!("ch_sb_free_{}", key.replace(':', "_")) },
        (Some(method), total) => {
            provider::named(state, &sub.provider).charge_saved(state, tx, method, total, &quote.currency, key).await?
        }
        (None, _) => {
            Charge::Failed { provider_ref: format!("ch_sb_nocard_{}", key.replace(':', "_")), code: "no_card".into() }
        }
    };
    let event = format!("evt_sb_{}", key.replace(':', "_"));
    Ok(match charge {
        Charge::Succeeded { provider_ref } => {
            let payload = json!({
                "subscription_id": sub.id, "charge": provider_ref, "amount": quote.total, "tax": quote.tax,
            });
            let handled = inbox::handle_sandbox(state, tx, &event, "invoice.paid", &payload).await?;
            Charged::Paid { fresh: handled == Handled::Applied, amount: quote.total }
        }
        Charge::Failed { provider_ref, code } => {
            let payload = json!({ "subscription_id": sub.id, "charge": provider_ref, "code": code });
            let handled = inbox::handle_sandbox(state, tx, &event, "invoice.payment_failed", &payload).await?;
            Charged::Failed { fresh: handled == Handled::Applied, code }
        }
    })
}

/// Tries a past-due or paused subscription's payment again now (the student just gave a new
/// card). Returns `None` when nothing was owed.
pub async fn retry_now(
    state: &AppState,
    tx: &mut TenantTx,
    id: SubscriptionId,
) -> Result<Option<Charged>, LedgerError> {
    let sub = subscriptions::lock(tx, id).await?;
    if sub.provider != "sandbox" || !matches!(sub.status.as_str(), "past_due" | "paused") {
        return Ok(None);
    }
    charge_period(state, tx, &sub, &retry_key(&sub)).await.map(Some)
}

/// One of a student's subscriptions or plans, as `/account/billing` shows it.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct Held {
    /// Id.
    pub id: SubscriptionId,
    /// `trialing`, `active`, `past_due`, `paused`, `canceled`, `completed`.
    pub status: String,
    /// ISO 4217.
    pub currency: String,
    /// When the next payment is due (or the access ends, when cancelled at period end).
    pub current_period_end: DateTime<Utc>,
    /// Ends at the period's end.
    pub cancel_at_period_end: bool,
    /// Payments so far.
    pub payments_made: i32,
    /// When past due: the next retry.
    pub retry_at: Option<DateTime<Utc>>,
    /// When past due: when access pauses.
    pub grace_ends_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub canceled_at: Option<DateTime<Utc>>,
    /// `sandbox` or `stripe`.
    pub provider: String,
    /// The offer's name.
    pub offer_name: String,
    /// `plan` or `subscription`.
    pub kind: String,
    /// `month` or `year`.
    pub interval: Option<String>,
    /// A plan's number of payments.
    pub installments: Option<i32>,
    /// The product's name.
    pub product_name: String,
    /// A downgrade waiting for the next renewal.
    pub scheduled_offer_name: Option<String>,
    /// The card charged: brand, last four, expiry.
    pub card_brand: Option<String>,
    /// Last four digits.
    pub card_last4: Option<String>,
    /// Expiry month.
    pub card_exp_month: Option<i32>,
    /// Expiry year.
    pub card_exp_year: Option<i32>,
    /// What the next payment charges (filled in after the query).
    #[sqlx(skip)]
    pub next_amount: i64,
}

/// A student's subscriptions and plans, the running ones first.
pub async fn held_by(tx: &mut TenantTx, user: kernel::ids::UserId) -> Result<Vec<Held>, LedgerError> {
    let mut rows: Vec<Held> = sqlx::query_as(AssertSqlSafe(
        "select s.id, s.status, s.currency, s.current_period_end, s.cancel_at_period_end, s.payments_made, s.retry_at,
                s.grace_ends_at, s.canceled_at, s.provider, o.name as offer_name, o.kind, o.interval, o.installments,
                p.name as product_name, so.name as scheduled_offer_name, pm.brand as card_brand,
                pm.last4 as card_last4, pm.exp_month as card_exp_month, pm.exp_year as card_exp_year
         from subscriptions s
         join offers o on o.tenant_id = s.tenant_id and o.id = s.offer_id
         join products p on p.tenant_id = o.tenant_id and p.id = o.product_id
         left join offers so on so.tenant_id = s.tenant_id and so.id = s.scheduled_offer_id
         left join payment_methods pm on pm.tenant_id = s.tenant_id and pm.id = s.payment_method_id
         where s.tenant_id = $1 and s.user_id = $2
         order by s.status in ('canceled', 'completed'), s.status not in ('past_due', 'paused'), s.created_at desc",
    ))
    .bind(tx.tenant())
    .bind(user)
    .fetch_all(&mut **tx)
    .await?;
    for row in &mut rows {
        if let Some(sub) = store::subscription(tx, row.id).await? {
            row.next_amount = next_quote(tx, &sub).await?.total;
        }
    }
    Ok(rows)
}

/// A student's own subscription (`None` for anyone else's, or another school's).
pub async fn own(
    tx: &mut TenantTx,
    user: kernel::ids::UserId,
    id: SubscriptionId,
) -> sqlx::Result<Option<Subscription>> {
    Ok(store::subscription(tx, id).await?.filter(|s| s.user_id == user))
}
