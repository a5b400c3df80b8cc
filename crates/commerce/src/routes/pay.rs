//! `GET/POST /checkout/pay/{checkout}`: the sandbox's hosted card form. It accepts the test
//! numbers (see [`crate::sandbox`]), asks for a confirmation step for the 3-D Secure card, and
//! reports a successful payment as the provider event `checkout.session.completed` through the
//! same ledger a real provider's webhook reaches. Paying twice (a double click) finds the order
//! already made and goes on to the thank-you page.

use axum::{
    extract::Path,
    response::{IntoResponse, Redirect, Response},
};
use identity::Ctx;
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;
use serde_json::json;

use crate::{
    inbox, ledger,
    model::{Checkout, CheckoutId},
    sandbox::{self, CardError, CardInput, TestCard},
    store,
};

/// Card attempts one visitor may make in ten minutes (card testing is what this slows down).
const PAY_LIMIT: kernel::rate::Limit = kernel::rate::Limit { max: 15, window: std::time::Duration::from_secs(600) };

/// The card form.
#[derive(Deserialize, Default)]
pub struct CardForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    expiry: String,
    #[serde(default)]
    cvc: String,
    /// `confirm` on the 3-D Secure step, with `outcome` `approve` or `fail`.
    #[serde(default)]
    step: String,
    #[serde(default)]
    outcome: String,
}

async fn open_checkout(tx: &mut kernel::db::TenantTx, id: &str) -> AppResult<Checkout> {
    let id: CheckoutId = id.parse().map_err(|_| AppError::NotFound)?;
    let checkout = store::checkout(tx, id).await?.ok_or(AppError::NotFound)?;
    if checkout.provider != "sandbox" {
        return Err(AppError::NotFound);
    }
    Ok(checkout)
}

fn thanks(checkout: &Checkout) -> Response {
    Redirect::to(&format!("/checkout/thanks/{}", checkout.id)).into_response()
}

pub async fn form(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let checkout = open_checkout(&mut tx, &id).await?;
    if checkout.status == "paid" {
        return Ok(thanks(&checkout));
    }
    let html = render(&ctx, &mut tx, &checkout, &CardForm::default(), &FieldErrors::default(), false).await?;
    tx.commit().await?;
    Ok(html)
}

async fn render(
    ctx: &Ctx,
    tx: &mut kernel::db::TenantTx,
    checkout: &Checkout,
    f: &CardForm,
    errors: &FieldErrors,
    confirming: bool,
) -> AppResult<Response> {
    let offer = store::offer(tx, checkout.offer_id).await?.ok_or(AppError::NotFound)?;
    let html = ctx.render(
        "commerce/pay.html",
        context! {
            checkout => Serde(checkout), offer => Serde(&offer), errors => Serde(errors), confirming,
            form => context! { number => f.number.clone(), expiry => f.expiry.clone() },
        },
    )?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn submit(ctx: Ctx, Path(id): Path<String>, Form(f): Form<CardForm>) -> AppResult<Response> {
    ctx.ensure_open()?;
    let mut tx = ctx.tx().await?;
    let checkout = open_checkout(&mut tx, &id).await?;
    if checkout.status == "paid" {
        return Ok(thanks(&checkout));
    }
    let mut errors = FieldErrors::default();
    if let Err(wait) = ctx.rate_check("checkout-pay", PAY_LIMIT) {
        errors.add("number", ctx.t_args("checkout-slow-down", &[("minutes", (wait.div_ceil(60) as i64).into())]));
        return render(&ctx, &mut tx, &checkout, &f, &errors, false).await;
    }
    if f.step == "confirm" {
        // The 3-D Secure step: the card waiting for it is on the checkout.
        let Some(pending) = checkout.provider_ref.clone().filter(|r| r.starts_with("pm_sb_3ds_")) else {
            errors.add("number", ctx.t("pay-card-start-again"));
            return render(&ctx, &mut tx, &checkout, &f, &errors, false).await;
        };
        if f.outcome != "approve" {
            store::set_checkout_ref(&mut tx, checkout.id, None).await?;
            tx.commit().await?;
            let mut tx = ctx.tx().await?;
            errors.add("number", ctx.t("pay-card-authentication-failed"));
            return render(&ctx, &mut tx, &checkout, &f, &errors, false).await;
        }
        let card: ledger::NewCard = serde_json::from_value(
            sqlx::query_scalar::<_, serde_json::Value>(
                "select payload from provider_events where tenant_id = $1 and provider = 'sandbox' and event_id = $2",
            )
            .bind(tx.tenant())
            .bind(format!("evt_sb_pending_{}", checkout.id))
            .fetch_one(&mut *tx)
            .await?["card"]
                .clone(),
        )
        .map_err(|e| AppError::Internal(e.into()))?;
        if card.provider_ref != pending {
            errors.add("number", ctx.t("pay-card-start-again"));
            return render(&ctx, &mut tx, &checkout, &f, &errors, false).await;
        }
        return complete(&ctx, tx, &checkout, card).await;
    }
    let today = ctx.state.clock.now().date_naive();
    let details = match sandbox::read_card(&CardInput { number: f.number.clone(), expiry: f.expiry.clone() }, today) {
        Ok(d) => d,
        Err(e) => {
            let (field, key) = match e {
                CardError::Invalid => ("number", "pay-card-invalid"),
                CardError::NotATestCard => ("number", "pay-card-not-test"),
                CardError::Expired => ("expiry", "pay-card-expired"),
            };
            errors.add(field, ctx.t(key));
            return render(&ctx, &mut tx, &checkout, &f, &errors, false).await;
        }
    };
    if f.cvc.trim().len() < 3 || !f.cvc.trim().chars().all(|c| c.is_ascii_digit()) {
        errors.add("cvc", ctx.t("pay-card-cvc"));
        return render(&ctx, &mut tx, &checkout, &f, &errors, false).await;
    }
    let card = ledger::NewCard {
        provider_ref: sandbox::card_ref(details.card),
        brand: "visa".into(),
        last4: details.last4.clone(),
        exp_month: details.exp_month,
        exp_year: details.exp_year,
        fingerprint: format!("fp_sb_{}", details.last4),
    };
    match details.card {
        TestCard::Declined | TestCard::InsufficientFunds => {
            let key = if details.card == TestCard::Declined { "pay-card-declined" } else { "pay-card-insufficient" };
            errors.add("number", ctx.t(key));
            return render(&ctx, &mut tx, &checkout, &f, &errors, false).await;
        }
        TestCard::RequiresConfirmation => {
            store::set_checkout_ref(&mut tx, checkout.id, Some(&card.provider_ref)).await?;
            sqlx::query(
                "insert into provider_events (tenant_id, provider, event_id, kind, payload)
                 values ($1, 'sandbox', $2, 'payment_intent.requires_action', $3)
                 on conflict (tenant_id, provider, event_id) do update set payload = excluded.payload",
            )
            .bind(tx.tenant())
            .bind(format!("evt_sb_pending_{}", checkout.id))
            .bind(json!({ "checkout_id": checkout.id, "card": card }))
            .execute(&mut *tx)
            .await?;
            let html = render(&ctx, &mut tx, &checkout, &f, &errors, true).await?;
            tx.commit().await?;
            return Ok(html);
        }
        TestCard::Succeeds | TestCard::FailsLater => {}
    }
    complete(&ctx, tx, &checkout, card).await
}

/// Reports the payment as the provider event a webhook would bring, and records it.
async fn complete(
    ctx: &Ctx,
    mut tx: kernel::db::TenantTx,
    checkout: &Checkout,
    card: ledger::NewCard,
) -> AppResult<Response> {
    let charge = sandbox::object_id("ch");
    let event = sandbox::object_id("evt");
    let payload = json!({ "checkout_id": checkout.id, "charge": charge, "card": card });
    inbox::handle_sandbox(&ctx.state, &mut tx, &event, "checkout.session.completed", &payload)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tx.commit().await?;
    Ok(thanks(checkout))
}
