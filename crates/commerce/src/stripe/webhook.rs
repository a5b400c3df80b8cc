//! Stripe's webhooks (`POST /hooks/stripe`): the signature is checked first (nothing is read
//! before), the event's connected account names the school, and the event is received once
//! through [`crate::inbox`] and applied in the same transaction. An event about an object not
//! known yet (a refund before its checkout completed) rolls back with its inbox row and
//! answers 500, so Stripe delivers it again later; an event for an account or a checkout no
//! school here knows is acknowledged and ignored.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::DateTime;
use kernel::{AppState, db::TenantTx};
use serde_json::Value;

use super::{account, client::Client, signature};
use crate::{
    CheckoutId, SubscriptionId,
    inbox::{self, Handled},
    ledger::{self, LedgerError, NewCard},
    store, subscriptions,
};

/// What became of a delivery (the HTTP answer follows from it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Applied, received before, or not acted on: 200.
    Done(Handled),
    /// No school has this account (or a platform event): 200, ignored.
    UnknownAccount,
    /// The signature failed or the body is not an event: 400.
    Rejected,
    /// Cannot be applied yet or failed: 500, Stripe retries.
    Retry,
}

/// `POST /hooks/stripe`.
pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let outcome = handle(&state, &headers, &body).await;
    let status = match outcome {
        Outcome::Done(_) | Outcome::UnknownAccount => StatusCode::OK,
        Outcome::Rejected => StatusCode::BAD_REQUEST,
        Outcome::Retry => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (status, [("content-type", "application/json")], format!("{{\"received\":{}}}", status == StatusCode::OK))
        .into_response()
}

/// Checks, routes and applies one delivery.
pub async fn handle(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Outcome {
    let Some(secret) = state.config.stripe_webhook_secret.as_ref() else {
        tracing::warn!("a Stripe webhook arrived but LYCEUM_STRIPE_WEBHOOK_SECRET is not set");
        return Outcome::Rejected;
    };
    let header = headers.get("stripe-signature").and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Err(e) = signature::verify(header, body, secret.expose(), state.clock.now()) {
        tracing::warn!(error = %e, "Stripe webhook refused");
        return Outcome::Rejected;
    }
    let Ok(event) = serde_json::from_slice::<Value>(body) else { return Outcome::Rejected };
    let (Some(id), Some(kind)) = (event["id"].as_str(), event["type"].as_str()) else { return Outcome::Rejected };
    let Some(acct) = event["account"].as_str() else {
        tracing::info!(event = id, kind, "Stripe platform event ignored");
        return Outcome::UnknownAccount;
    };
    let tenant = match account::school_of_account(state, acct).await {
        Ok(Some(t)) => t,
        Ok(None) => {
            tracing::info!(event = id, kind, account = acct, "Stripe event for an account no school has: ignored");
            return Outcome::UnknownAccount;
        }
        Err(e) => {
            tracing::error!(error = %e, "Stripe webhook: account lookup failed");
            return Outcome::Retry;
        }
    };
    let mut tx = match state.db.tenant(tenant).await {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(error = %e, "Stripe webhook: no transaction");
            return Outcome::Retry;
        }
    };
    match apply(state, &mut tx, acct, id, kind, &event).await {
        Ok(handled) => match tx.commit().await {
            Ok(()) => Outcome::Done(handled),
            Err(e) => {
                tracing::error!(error = %e, "Stripe webhook: commit failed");
                Outcome::Retry
            }
        },
        Err(LedgerError::Unknown(what)) => {
            tracing::info!(event = id, kind, what, "Stripe event about an object not known yet: retry later");
            Outcome::Retry
        }
        Err(e) => {
            tracing::error!(event = id, kind, error = %format!("{e:#}"), "Stripe event failed");
            Outcome::Retry
        }
    }
}

fn id_of(v: &Value) -> Option<&str> {
    v.as_str().or_else(|| v["id"].as_str())
}

/// Receives `event` once and applies it in `tx`.
pub async fn apply(
    state: &AppState,
    tx: &mut TenantTx,
    account: &str,
    event_id: &str,
    kind: &str,
    event: &Value,
) -> Result<Handled, LedgerError> {
    if !inbox::receive(tx, "stripe", event_id, kind, event).await? {
        return Ok(Handled::Duplicate);
    }
    let o = &event["data"]["object"];
    match kind {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            if !matches!(o["payment_status"].as_str(), Some("paid") | Some("no_payment_required")) {
                return Ok(Handled::Ignored);
            }
            let reference = o["metadata"]["checkout_id"].as_str().or(o["client_reference_id"].as_str());
            let Some(checkout) = reference.and_then(|r| r.parse::<uuid::Uuid>().ok()).map(CheckoutId) else {
                return Ok(Handled::Ignored);
            };
            // A checkout of no school here (or of another one, hidden by RLS) never appears:
            // acknowledge it rather than have Stripe retry for days.
            if store::checkout(tx, checkout).await?.is_none() {
                tracing::warn!(event = event_id, "Stripe session for a checkout this school does not have: ignored");
                return Ok(Handled::Ignored);
            }
            // A subscription's first payment is its first invoice's payment intent (disputes
            // and refunds name the intent, never the invoice); read it from Stripe, falling
            // back to the invoice's id.
            let (intent, card) = match (id_of(&o["payment_intent"]), id_of(&o["invoice"])) {
                (Some(pi), _) => (Some(pi.to_string()), fetch_card(state, account, pi).await),
                (None, Some(invoice)) => first_invoice_payment(state, account, invoice).await,
                (None, None) => (None, None),
            };
            let charge = intent
                .or_else(|| id_of(&o["invoice"]).map(str::to_string))
                .or_else(|| o["id"].as_str().map(str::to_string))
                .unwrap_or_default();
            let card = card.or_else(|| card_of(&o["payment_intent"]["payment_method"]));
            let subscription = id_of(&o["subscription"]);
            let order = ledger::checkout_paid(state, tx, checkout, &charge, card.as_ref(), subscription).await?;
            if let Some(sub) = subscription {
                end_plan_on_time(state, tx, account, &order, sub).await?;
            }
        }
        "invoice.paid" => {
            if o["billing_reason"].as_str() == Some("subscription_create") {
                // The first invoice is the checkout's own payment.
                return Ok(Handled::Ignored);
            }
            let sub = subscription_of_invoice(tx, o).await?;
            let invoice =
                id_of(&o["payment_intent"]).or_else(|| id_of(&o["charge"])).or(o["id"].as_str()).unwrap_or_default();
            let amount = o["amount_paid"].as_i64().unwrap_or_default();
            let tax = o["tax"].as_i64().unwrap_or_else(|| {
                o["total_taxes"].as_array().map_or(0, |t| t.iter().filter_map(|x| x["amount"].as_i64()).sum())
            });
            let period_end = o
                .pointer("/lines/data/0/period/end")
                .and_then(Value::as_i64)
                .and_then(|t| DateTime::from_timestamp(t, 0));
            subscriptions::renewal_paid(state, tx, sub, invoice, amount, tax, period_end).await?;
        }
        "invoice.payment_failed" => {
            if o["billing_reason"].as_str() == Some("subscription_create") {
                return Ok(Handled::Ignored);
            }
            let sub = subscription_of_invoice(tx, o).await?;
            let attempt = o["attempt_count"].as_i64().unwrap_or(1);
            let charge = format!("{}#{attempt}", o["id"].as_str().unwrap_or_default());
            let code = o["last_finalization_error"]["code"].as_str().unwrap_or("card_declined");
            subscriptions::renewal_failed(state, tx, sub, &charge, code).await?;
        }
        "charge.refunded" => {
            let payment = payment_ref(tx, o).await?;
            let refunds = match o["refunds"]["data"].as_array() {
                Some(list) => list.clone(),
                None => fetch_refunds(state, account, o["id"].as_str().unwrap_or_default()).await?,
            };
            for r in
                refunds.iter().filter(|r| matches!(r["status"].as_str(), Some("succeeded") | Some("pending") | None))
            {
                record_refund(state, tx, &payment, r, false).await?;
            }
        }
        "refund.created" | "charge.refund.updated" | "refund.updated" => {
            if !matches!(o["status"].as_str(), Some("succeeded") | Some("pending")) {
                return Ok(Handled::Ignored);
            }
            let payment = payment_ref(tx, o).await?;
            record_refund(state, tx, &payment, o, false).await?;
        }
        "charge.dispute.created" => {
            let payment = payment_ref(tx, o).await?;
            record_refund(state, tx, &payment, o, true).await?;
        }
        "customer.subscription.deleted" => {
            let id = o["id"].as_str().unwrap_or_default();
            let sub = subscription_by_ref(tx, id).await?.ok_or(LedgerError::Unknown("subscription"))?;
            subscriptions::cancel(state, tx, sub, subscriptions::CancelAt::Now, None, "").await?;
        }
        _ => return Ok(Handled::Ignored),
    }
    Ok(Handled::Applied)
}

async fn record_refund(
    state: &AppState,
    tx: &mut TenantTx,
    payment_ref: &str,
    r: &Value,
    dispute: bool,
) -> Result<(), LedgerError> {
    let refund_ref = r["id"].as_str().unwrap_or_default();
    let amount = r["amount"].as_i64().unwrap_or_default();
    let reason = r["reason"].as_str().unwrap_or_default();
    match ledger::refund(
        state,
        tx,
        ledger::RefundFact {
            charge_ref: payment_ref,
            refund_ref,
            amount,
            dispute,
            reason,
            actor: None,
            revoke_access: None,
        },
    )
    .await
    {
        Ok(_) => Ok(()),
        Err(LedgerError::OverRefund) => {
            // Stripe says it was given back; our record already covers the payment (staff
            // refunded it here under another id). Keep the event, change nothing.
            tracing::warn!(refund = refund_ref, "Stripe refund beyond what the ledger has left: not recorded");
            Ok(())
        }
        Err(e) => Err(e),
    }
}

async fn fetch_refunds(state: &AppState, account: &str, charge: &str) -> Result<Vec<Value>, LedgerError> {
    let client = Client::from_state(state).map_err(|e| LedgerError::Other(e.into()))?;
    let charge = super::client::id_segment(charge).ok_or(LedgerError::Unknown("charge"))?;
    let list = client
        .get(&format!("/v1/refunds?charge={charge}&limit=100"), Some(account))
        .await
        .map_err(|e| LedgerError::Other(e.into()))?;
    Ok(list["data"].as_array().cloned().unwrap_or_default())
}

/// The reference our payment row has for the charge, refund or dispute `o` points at: its
/// payment intent, its invoice, or the charge itself.
async fn payment_ref(tx: &mut TenantTx, o: &Value) -> Result<String, LedgerError> {
    let mut candidates: Vec<String> = Vec::new();
    for k in ["payment_intent", "invoice", "charge"] {
        if let Some(id) = id_of(&o[k]) {
            candidates.push(id.to_string());
        }
    }
    if let Some(id) = o["id"].as_str().filter(|id| id.starts_with("ch_") || id.starts_with("py_")) {
        candidates.push(id.to_string());
    }
    let found: Option<String> = sqlx::query_scalar(
        "select provider_ref from payments
         where tenant_id = $1 and provider = 'stripe' and provider_ref = any($2) and status = 'succeeded' limit 1",
    )
    .bind(tx.tenant())
    .bind(&candidates)
    .fetch_optional(&mut **tx)
    .await?;
    found.ok_or(LedgerError::Unknown("payment"))
}

async fn subscription_by_ref(tx: &mut TenantTx, provider_ref: &str) -> sqlx::Result<Option<SubscriptionId>> {
    sqlx::query_scalar(
        "select id from subscriptions where tenant_id = $1 and provider = 'stripe' and provider_ref = $2",
    )
    .bind(tx.tenant())
    .bind(provider_ref)
    .fetch_optional(&mut **tx)
    .await
}

async fn subscription_of_invoice(tx: &mut TenantTx, o: &Value) -> Result<SubscriptionId, LedgerError> {
    let id = id_of(&o["subscription"])
        .or_else(|| o.pointer("/parent/subscription_details/subscription").and_then(id_of))
        .ok_or(LedgerError::Unknown("subscription"))?;
    subscription_by_ref(tx, id).await?.ok_or(LedgerError::Unknown("subscription"))
}

/// The card a session paid with, read from Stripe (best effort: without it the order is still
/// recorded, only one-click upsells and renewals by us need it).
async fn fetch_card(state: &AppState, account: &str, pi: &str) -> Option<NewCard> {
    let client = Client::from_state(state).ok()?;
    let pi = super::client::id_segment(pi)?;
    match client.get(&format!("/v1/payment_intents/{pi}?expand[]=payment_method"), Some(account)).await {
        Ok(v) => card_of(&v["payment_method"]),
        Err(e) => {
            tracing::warn!(error = %e, "Stripe: the card of a session could not be read");
            None
        }
    }
}

/// A payment plan is a Stripe subscription told to end after its last instalment: it is
/// cancelled a day after the last one is billed, without proration. Failing here fails the
/// event (Stripe retries it), so a plan never goes on billing.
async fn end_plan_on_time(
    state: &AppState,
    tx: &mut TenantTx,
    account: &str,
    order: &crate::Order,
    stripe_subscription: &str,
) -> Result<(), LedgerError> {
    let offer = store::offer(tx, order.offer_id).await?.ok_or(LedgerError::Unknown("offer"))?;
    let (crate::model::OfferKind::Plan, Some(n)) = (offer.kind(), offer.installments) else { return Ok(()) };
    let Some(sub) = store::subscription_of_order(tx, order.id).await? else { return Ok(()) };
    let mut last = sub.current_period_start;
    for _ in 1..n {
        last = offer.period_end(last);
    }
    let cancel_at = last + chrono::Duration::days(1);
    let client = Client::from_state(state).map_err(|e| LedgerError::Other(e.into()))?;
    let id = super::client::id_segment(stripe_subscription).ok_or(LedgerError::Unknown("subscription"))?;
    let mut p = super::client::Params::new();
    super::client::push(&mut p, "cancel_at", cancel_at.timestamp());
    super::client::push(&mut p, "proration_behavior", "none");
    super::client::push(&mut p, "metadata[installments]", n);
    client
        .post(&format!("/v1/subscriptions/{id}"), &p, Some(account), Some(&format!("plan-end-{id}")))
        .await
        .map_err(|e| LedgerError::Other(e.into()))?;
    Ok(())
}

/// The payment intent and card of a subscription's first invoice (best effort).
async fn first_invoice_payment(state: &AppState, account: &str, invoice: &str) -> (Option<String>, Option<NewCard>) {
    let Ok(client) = Client::from_state(state) else { return (None, None) };
    let Some(id) = super::client::id_segment(invoice) else { return (None, None) };
    match client.get(&format!("/v1/invoices/{id}?expand[]=payment_intent.payment_method"), Some(account)).await {
        Ok(v) => (id_of(&v["payment_intent"]).map(str::to_string), card_of(&v["payment_intent"]["payment_method"])),
        Err(e) => {
            tracing::warn!(error = %e, "Stripe: a subscription's first invoice could not be read");
            (None, None)
        }
    }
}

/// The card of an expanded payment method.
fn card_of(pm: &Value) -> Option<NewCard> {
    let card = &pm["card"];
    Some(NewCard {
        provider_ref: pm["id"].as_str()?.to_string(),
        brand: card["brand"].as_str().unwrap_or("card").to_string(),
        last4: card["last4"].as_str()?.to_string(),
        exp_month: card["exp_month"].as_i64()? as i32,
        exp_year: card["exp_year"].as_i64()? as i32,
        fingerprint: card["fingerprint"].as_str().unwrap_or_default().to_string(),
    })
}
