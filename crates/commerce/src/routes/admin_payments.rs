//! `/admin/settings/payments`: how the school is paid. The sandbox works from day one; with
//! the platform's Stripe key the owner connects the school's own Stripe account (Stripe's
//! hosted onboarding through an account link), comes back to see its status, switches selling
//! to Stripe once it can take charges, turns Stripe Tax on or off, or disconnects.
//!
//! - `GET  /admin/settings/payments`            the page (reads the account's status live)
//! - `POST /admin/settings/payments/connect`    creates the account if needed, sends to Stripe
//! - `GET  /admin/settings/payments/return`     Stripe sends the owner back here
//! - `GET  /admin/settings/payments/refresh`    an expired onboarding link: a fresh one
//! - `POST /admin/settings/payments/provider`   `sandbox` or `stripe`
//! - `POST /admin/settings/payments/tax`        Stripe Tax on or off
//! - `POST /admin/settings/payments/disconnect` forgets the account, back to the sandbox

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppResult, web::Form};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::stripe::{
    Client, StripeError,
    account::{self, AccountStatus, ConnectError},
};

const PAGE: &str = "/admin/settings/payments";

fn client(ctx: &Ctx) -> Option<Client> {
    Client::from_state(&ctx.state).ok()
}

/// The page.
pub async fn page(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    let mut tx = ctx.tx().await?;
    let settings = account::settings(&mut tx).await?;
    let fee_bp = account::fee_bp(&mut tx).await?;
    tx.commit().await?;
    let configured = client(&ctx);
    let (status, unreachable) = match (&configured, &settings.account_id) {
        (Some(c), Some(id)) => match account::retrieve(c, id).await {
            Ok(s) => (Some(s), false),
            Err(e) => {
                tracing::warn!(error = %e, "Stripe account status could not be read");
                (None, true)
            }
        },
        _ => (None, false),
    };
    let html = ctx.render(
        "commerce/admin_payments.html",
        context! {
            settings => Serde(&settings),
            status => Serde(&status),
            unreachable,
            configured => configured.is_some(),
            fee => crate::stripe::provider::percent_of_bp(fee_bp),
            webhook_url => format!("{}/hooks/stripe", ctx.state.config.platform_url()),
        },
    )?;
    let mut res = html.into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The connect form.
#[derive(Deserialize, Default)]
pub struct ConnectForm {
    /// `standard` (the owner's own full Stripe account) or `express`.
    #[serde(default)]
    kind: String,
}

fn stripe_failed(ctx: &Ctx, e: &StripeError) -> Response {
    tracing::warn!(error = %e, "Stripe onboarding call failed");
    ctx.redirect_with(PAGE, "error", ctx.t("stripe-unreachable")).into_response()
}

async fn onboarding_link(ctx: &Ctx, client: &Client, account: &str) -> Response {
    let base = &ctx.school.base_url;
    match account::account_link(client, account, &format!("{base}{PAGE}/refresh"), &format!("{base}{PAGE}/return"))
        .await
    {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => stripe_failed(ctx, &e),
    }
}

/// Creates the account (once) and sends the owner to Stripe's onboarding.
pub async fn connect(ctx: Ctx, Form(f): Form<ConnectForm>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.clone();
    let Some(client) = client(&ctx) else {
        return Ok(ctx.redirect_with(PAGE, "error", ctx.t("stripe-not-configured")).into_response());
    };
    let mut tx = ctx.tx().await?;
    let settings = account::settings(&mut tx).await?;
    let account_id = match settings.account_id {
        Some(id) => id,
        None => {
            let kind = if f.kind == "express" { "express" } else { "standard" };
            let created = match account::create_account(&client, kind, &user.email, None, &ctx.school.base_url).await {
                Ok(a) => a,
                Err(e) => return Ok(stripe_failed(&ctx, &e)),
            };
            match account::set_account(&ctx.state, &mut tx, &created.id, None).await {
                Ok(()) => {}
                Err(ConnectError::Taken) => {
                    return Ok(ctx.redirect_with(PAGE, "error", ctx.t("stripe-account-taken")).into_response());
                }
                Err(ConnectError::Db(e)) => return Err(e.into()),
            }
            tracing::info!(account = %created.id, kind, "school created a Stripe account");
            created.id
        }
    };
    tx.commit().await?;
    Ok(onboarding_link(&ctx, &client, &account_id).await)
}

/// Stripe's expired-link address: a fresh link.
pub async fn refresh(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    let Some(client) = client(&ctx) else { return Ok(Redirect::to(PAGE).into_response()) };
    let mut tx = ctx.tx().await?;
    let settings = account::settings(&mut tx).await?;
    tx.commit().await?;
    match settings.account_id {
        Some(id) => Ok(onboarding_link(&ctx, &client, &id).await),
        None => Ok(Redirect::to(PAGE).into_response()),
    }
}

/// Back from Stripe: reads the account and says where it stands.
pub async fn back(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    let Some(client) = client(&ctx) else { return Ok(Redirect::to(PAGE).into_response()) };
    let mut tx = ctx.tx().await?;
    let settings = account::settings(&mut tx).await?;
    tx.commit().await?;
    let Some(id) = settings.account_id else { return Ok(Redirect::to(PAGE).into_response()) };
    let status: AccountStatus = match account::retrieve(&client, &id).await {
        Ok(s) => s,
        Err(e) => return Ok(stripe_failed(&ctx, &e)),
    };
    let (kind, key) = if status.charges_enabled {
        ("success", "stripe-connected-ready")
    } else if status.details_submitted {
        ("info", "stripe-connected-review")
    } else {
        ("info", "stripe-connected-incomplete")
    };
    Ok(ctx.redirect_with(PAGE, kind, ctx.t(key)).into_response())
}

/// The provider switch.
#[derive(Deserialize, Default)]
pub struct ProviderForm {
    #[serde(default)]
    provider: String,
}

/// Sells through the sandbox or through Stripe (only once Stripe takes charges).
pub async fn provider(ctx: Ctx, Form(f): Form<ProviderForm>) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    let mut tx = ctx.tx().await?;
    match f.provider.as_str() {
        "sandbox" => {
            account::set_provider(&mut tx, "sandbox").await?;
            tx.commit().await?;
            Ok(ctx.redirect_with(PAGE, "success", ctx.t("stripe-provider-sandbox")).into_response())
        }
        "stripe" => {
            let settings = account::settings(&mut tx).await?;
            let (Some(client), Some(id)) = (client(&ctx), settings.account_id) else {
                return Ok(ctx.redirect_with(PAGE, "error", ctx.t("stripe-provider-needs-account")).into_response());
            };
            let status = match account::retrieve(&client, &id).await {
                Ok(s) => s,
                Err(e) => return Ok(stripe_failed(&ctx, &e)),
            };
            if !status.charges_enabled {
                return Ok(ctx.redirect_with(PAGE, "error", ctx.t("stripe-provider-not-ready")).into_response());
            }
            account::set_provider(&mut tx, "stripe").await?;
            tx.commit().await?;
            tracing::info!(account = %id, "school now sells through Stripe");
            Ok(ctx.redirect_with(PAGE, "success", ctx.t("stripe-provider-stripe")).into_response())
        }
        _ => Err(kernel::AppError::BadRequest("unknown provider".into())),
    }
}

/// The Stripe Tax toggle.
#[derive(Deserialize, Default)]
pub struct TaxForm {
    #[serde(default)]
    stripe_tax: Option<String>,
}

/// Turns Stripe Tax on or off.
pub async fn tax(ctx: Ctx, Form(f): Form<TaxForm>) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    let on = f.stripe_tax.is_some();
    let mut tx = ctx.tx().await?;
    account::set_stripe_tax(&mut tx, on).await?;
    tx.commit().await?;
    let key = if on { "stripe-tax-on" } else { "stripe-tax-off" };
    Ok(ctx.redirect_with(PAGE, "success", ctx.t(key)).into_response())
}

/// Forgets the account; the school sells through the sandbox again.
pub async fn disconnect(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    let mut tx = ctx.tx().await?;
    // Stripe keeps billing live subscriptions; their webhooks find the school by its account,
    // so the account stays until they end.
    let live = account::live_subscriptions(&mut tx).await?;
    if live > 0 {
        tx.commit().await?;
        let msg = ctx.t_args("stripe-disconnect-live", &[("count", kernel::i18n::ArgValue::from(live))]);
        return Ok(ctx.redirect_with(PAGE, "error", msg).into_response());
    }
    account::disconnect(&mut tx).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(PAGE, "success", ctx.t("stripe-disconnected")).into_response())
}
