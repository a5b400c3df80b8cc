//! `GET/POST /account/billing/{sub}/card`: the student gives a new card for a subscription
//! or plan (the sandbox's card form; a real provider's would be hosted by it). The card is
//! saved and charged from now on; when a payment is owed (past due, or paused after the
//! grace period) it is tried again at once and the page says how it went.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use super::account_billing::{internal, layout, owned};
use crate::{
    billing::{self, Charged},
    ledger,
    model::Subscription,
    sandbox::{self, CardError, CardInput, TestCard},
    store,
};

/// The card form.
#[derive(Deserialize, Default)]
pub struct CardForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    expiry: String,
    #[serde(default)]
    cvc: String,
}

async fn render(
    ctx: &Ctx,
    tx: &mut kernel::db::TenantTx,
    sub: &Subscription,
    f: &CardForm,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let offer = store::offer(tx, sub.offer_id).await?.ok_or(AppError::NotFound)?;
    let card = match sub.payment_method_id {
        Some(id) => store::payment_method(tx, id).await?,
        None => None,
    };
    let owed = matches!(sub.status.as_str(), "past_due" | "paused");
    let next = billing::next_quote(tx, sub).await.map_err(internal)?;
    let html = ctx.render(
        "commerce/account/card.html",
        context! {
            layout => layout(ctx)?, sub => Serde(sub), offer => Serde(&offer), card => Serde(&card), owed,
            next_total => next.total, errors => Serde(errors),
            form => context! { number => f.number.clone(), expiry => f.expiry.clone() },
        },
    )?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn form(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let sub = owned(&ctx, &mut tx, &id).await?;
    if sub.provider != "sandbox" || matches!(sub.status.as_str(), "canceled" | "completed") {
        return Err(AppError::NotFound);
    }
    let page = render(&ctx, &mut tx, &sub, &CardForm::default(), &FieldErrors::default()).await?;
    tx.commit().await?;
    Ok(page)
}

pub async fn submit(ctx: Ctx, Path(id): Path<String>, Form(f): Form<CardForm>) -> AppResult<Response> {
    ctx.ensure_open()?;
    let mut tx = ctx.tx().await?;
    let sub = owned(&ctx, &mut tx, &id).await?;
    if sub.provider != "sandbox" || matches!(sub.status.as_str(), "canceled" | "completed") {
        return Err(AppError::NotFound);
    }
    let mut errors = FieldErrors::default();
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
            return render(&ctx, &mut tx, &sub, &f, &errors).await;
        }
    };
    if f.cvc.trim().len() < 3 || !f.cvc.trim().chars().all(|c| c.is_ascii_digit()) {
        errors.add("cvc", ctx.t("pay-card-cvc"));
        return render(&ctx, &mut tx, &sub, &f, &errors).await;
    }
    if matches!(details.card, TestCard::Declined | TestCard::InsufficientFunds) {
        let key = if details.card == TestCard::Declined { "pay-card-declined" } else { "pay-card-insufficient" };
        errors.add("number", ctx.t(key));
        return render(&ctx, &mut tx, &sub, &f, &errors).await;
    }
    let user = ctx.user()?;
    let card = ledger::NewCard {
        provider_ref: sandbox::card_ref(details.card),
        brand: "visa".into(),
        last4: details.last4.clone(),
        exp_month: details.exp_month,
        exp_year: details.exp_year,
        fingerprint: format!("fp_sb_{}", details.last4),
    };
    let now = ctx.state.clock.now();
    let method = store::save_card(&mut tx, user.id, "sandbox", &card).await?;
    ledger::set_subscription_card(&mut tx, sub.id, method, now, Some(user.id)).await?;
    let retried = billing::retry_now(&ctx.state, &mut tx, sub.id).await.map_err(internal)?;
    tx.commit().await?;
    let (kind, message) = match retried {
        None => ("success", ctx.t("billing-card-saved")),
        Some(Charged::Paid { amount, .. }) => {
            let amount = kernel::format::money(amount, &sub.currency, ctx.shell.locale);
            ("success", ctx.t_args("billing-card-saved-paid", &[("amount", amount.into())]))
        }
        Some(Charged::Failed { code, .. }) => {
            let reason = ctx.t(&super::account_billing_plan::decline_key(&code));
            ("error", ctx.t_args("billing-card-saved-failed", &[("reason", reason.into())]))
        }
    };
    Ok(ctx.redirect_with("/account/billing", kind, message).into_response())
}
