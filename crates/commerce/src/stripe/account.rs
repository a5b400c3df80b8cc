//! A school's Stripe account: connecting it (an account and an onboarding link), reading its
//! status back, choosing the provider, and the platform-level lookups webhooks need (which
//! school an account belongs to) and checkout sessions need (the plan's application fee).

use kernel::{AppState, TenantId, db::TenantTx};
use serde::Serialize;

use super::client::{Client, Params, StripeError, push};

/// What `kernel::secret::seal` binds a school's Stripe secret to.
pub const SECRET_PURPOSE: &str = "stripe-account-secret";

/// A school's Stripe side, as stored in `commerce_settings`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StripeSettings {
    /// `sandbox` or `stripe`.
    pub provider: String,
    /// The connected account (`acct_…`).
    pub account_id: Option<String>,
    /// Use Stripe Tax on checkout sessions.
    pub stripe_tax: bool,
    /// Whether a secret is kept (sealed) for the account.
    pub has_secret: bool,
}

/// The school's Stripe settings.
pub async fn settings(tx: &mut TenantTx) -> sqlx::Result<StripeSettings> {
    let row: Option<(String, Option<String>, bool, bool)> = sqlx::query_as(
        "select provider, stripe_account_id, stripe_tax, stripe_secret_sealed is not null
         from commerce_settings where tenant_id = $1",
    )
    .bind(tx.tenant())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        Some((provider, account_id, stripe_tax, has_secret)) => {
            StripeSettings { provider, account_id, stripe_tax, has_secret }
        }
        None => StripeSettings { provider: "sandbox".into(), ..Default::default() },
    })
}

async fn ensure_row(tx: &mut TenantTx) -> sqlx::Result<()> {
    sqlx::query("insert into commerce_settings (tenant_id) values ($1) on conflict (tenant_id) do nothing")
        .bind(tx.tenant())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Why an account could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Another school already sells through this account.
    #[error("the Stripe account is connected to another school")]
    Taken,
    /// Anything else.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Keeps `account` as the school's account (and `secret`, sealed, when Stripe gave one).
pub async fn set_account(
    state: &AppState,
    tx: &mut TenantTx,
    account: &str,
    secret: Option<&str>,
) -> Result<(), ConnectError> {
    ensure_row(tx).await?;
    let sealed = secret.map(|s| kernel::secret::seal(&state.config.keys, SECRET_PURPOSE, s));
    let res = sqlx::query(
        "update commerce_settings set stripe_account_id = $2, stripe_secret_sealed = coalesce($3, stripe_secret_sealed)
         where tenant_id = $1",
    )
    .bind(tx.tenant())
    .bind(account)
    .bind(sealed)
    .execute(&mut **tx)
    .await;
    match res {
        Err(sqlx::Error::Database(d)) if d.constraint() == Some("commerce_settings_stripe_account") => {
            Err(ConnectError::Taken)
        }
        other => other.map(|_| ()).map_err(Into::into),
    }
}

/// The school's sealed Stripe secret, opened (none when not kept or unreadable).
pub async fn secret(state: &AppState, tx: &mut TenantTx) -> sqlx::Result<Option<kernel::secret::Secret>> {
    let sealed: Option<Option<String>> =
        sqlx::query_scalar("select stripe_secret_sealed from commerce_settings where tenant_id = $1")
            .bind(tx.tenant())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(sealed.flatten().and_then(|s| kernel::secret::open(&state.config.keys, SECRET_PURPOSE, &s)).map(Into::into))
}

/// Forgets the account and goes back to the sandbox.
pub async fn disconnect(tx: &mut TenantTx) -> sqlx::Result<()> {
    ensure_row(tx).await?;
    sqlx::query(
        "update commerce_settings set stripe_account_id = null, stripe_secret_sealed = null, provider = 'sandbox'
         where tenant_id = $1",
    )
    .bind(tx.tenant())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Subscriptions Stripe still bills for the school.
pub async fn live_subscriptions(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from subscriptions where tenant_id = $1 and provider = 'stripe'
         and status in ('trialing', 'active', 'past_due', 'paused')",
    )
    .bind(tx.tenant())
    .fetch_one(&mut **tx)
    .await
}

/// Chooses the provider (`sandbox` or `stripe`).
pub async fn set_provider(tx: &mut TenantTx, provider: &str) -> sqlx::Result<()> {
    ensure_row(tx).await?;
    sqlx::query("update commerce_settings set provider = $2 where tenant_id = $1")
        .bind(tx.tenant())
        .bind(provider)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Turns Stripe Tax on or off.
pub async fn set_stripe_tax(tx: &mut TenantTx, on: bool) -> sqlx::Result<()> {
    ensure_row(tx).await?;
    sqlx::query("update commerce_settings set stripe_tax = $2 where tenant_id = $1")
        .bind(tx.tenant())
        .bind(on)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The school an account belongs to: a narrow platform-level read of one column.
pub async fn school_of_account(state: &AppState, account: &str) -> sqlx::Result<Option<TenantId>> {
    let mut tx = state.db.platform().await?;
    let id: Option<TenantId> =
        sqlx::query_scalar("select tenant_id from commerce_settings where stripe_account_id = $1")
            .bind(account)
            .fetch_optional(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(id)
}

/// The platform's application fee for the school in `tx`, in basis points (its plan's).
pub async fn fee_bp(tx: &mut TenantTx) -> sqlx::Result<i32> {
    let fee: Option<i32> =
        sqlx::query_scalar("select f.fee_bp from tenants t join plan_fees f on f.plan = t.plan where t.id = $1")
            .bind(tx.tenant())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(fee.unwrap_or(0))
}

/// Every plan's fee (for the operator's page), in basis points.
pub async fn plan_fees(state: &AppState) -> sqlx::Result<Vec<(String, i32)>> {
    let mut tx = state.db.platform().await?;
    let rows: Vec<(String, i32)> = sqlx::query_as("select plan, fee_bp from plan_fees").fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Sets a plan's fee.
pub async fn set_plan_fee(state: &AppState, plan: &str, fee_bp: i32) -> sqlx::Result<()> {
    let mut tx = state.db.platform().await?;
    sqlx::query(
        "insert into plan_fees (plan, fee_bp) values ($1, $2) on conflict (plan) do update set fee_bp = excluded.fee_bp",
    )
    .bind(plan)
    .bind(fee_bp)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What Stripe says about an account.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AccountStatus {
    /// `acct_…`.
    pub id: String,
    /// It can take payments.
    pub charges_enabled: bool,
    /// It can be paid out.
    pub payouts_enabled: bool,
    /// The owner finished Stripe's form.
    pub details_submitted: bool,
    /// The account's email, when Stripe shares it.
    pub email: Option<String>,
    /// The account's display name.
    pub business_name: Option<String>,
    /// The account's default currency.
    pub default_currency: Option<String>,
    /// Fields Stripe still needs now.
    pub currently_due: Vec<String>,
}

impl AccountStatus {
    fn from_json(v: &serde_json::Value) -> Self {
        let s = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_string);
        Self {
            id: s("/id").unwrap_or_default(),
            charges_enabled: v["charges_enabled"].as_bool().unwrap_or(false),
            payouts_enabled: v["payouts_enabled"].as_bool().unwrap_or(false),
            details_submitted: v["details_submitted"].as_bool().unwrap_or(false),
            email: s("/email"),
            business_name: s("/business_profile/name").or(s("/settings/dashboard/display_name")),
            default_currency: s("/default_currency").map(|c| c.to_uppercase()),
            currently_due: v
                .pointer("/requirements/currently_due")
                .and_then(|x| x.as_array())
                .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                .unwrap_or_default(),
        }
    }
}

/// Creates a connected account (`standard` or `express`) for a school.
pub async fn create_account(
    client: &Client,
    kind: &str,
    email: &str,
    country: Option<&str>,
    school_url: &str,
) -> Result<AccountStatus, StripeError> {
    let mut p = Params::new();
    push(&mut p, "type", if kind == "express" { "express" } else { "standard" });
    if !email.is_empty() {
        push(&mut p, "email", email);
    }
    if let Some(c) = country {
        push(&mut p, "country", c);
    }
    push(&mut p, "business_profile[url]", school_url);
    if kind == "express" {
        push(&mut p, "capabilities[card_payments][requested]", "true");
        push(&mut p, "capabilities[transfers][requested]", "true");
    }
    client.post("/v1/accounts", &p, None, None).await.map(|v| AccountStatus::from_json(&v))
}

/// An onboarding link for `account`: Stripe sends the owner back to `return_url` when done and
/// to `refresh_url` when the link expired.
pub async fn account_link(
    client: &Client,
    account: &str,
    refresh_url: &str,
    return_url: &str,
) -> Result<String, StripeError> {
    let mut p = Params::new();
    push(&mut p, "account", account);
    push(&mut p, "refresh_url", refresh_url);
    push(&mut p, "return_url", return_url);
    push(&mut p, "type", "account_onboarding");
    let v = client.post("/v1/account_links", &p, None, None).await?;
    v["url"].as_str().map(str::to_string).ok_or_else(|| StripeError::Transport("account link without a url".into()))
}

/// Reads an account's status from Stripe.
pub async fn retrieve(client: &Client, account: &str) -> Result<AccountStatus, StripeError> {
    let id = super::client::id_segment(account).ok_or_else(|| StripeError::Transport("bad account id".into()))?;
    client.get(&format!("/v1/accounts/{id}"), None).await.map(|v| AccountStatus::from_json(&v))
}
