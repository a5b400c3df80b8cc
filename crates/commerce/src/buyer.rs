//! The buyer behind a checkout. A `lyceum_buyer` cookie ties each checkout to the browser that
//! started it (its hash is stored in `checkout_buyers`), so only that browser is signed in to
//! an account the payment created, and only it may accept a one-click upsell. A buyer whose
//! account is new gets an email with a link to choose a password once the order is paid.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue};
use kernel::{
    AppState,
    db::TenantTx,
    events::Event,
    i18n, mail,
    secret::{hash_token, random_token},
    state::Wiring,
};
use minijinja::context;

use crate::{model::CheckoutId, store};

/// The cookie naming the buying browser.
pub const COOKIE: &str = "lyceum_buyer";

/// How long the link to choose a first password works: a week, like the enrolment email's.
const SET_PASSWORD_VALID: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long after paying the thank-you page may sign a new buyer in.
const SIGN_IN_WITHIN: chrono::Duration = chrono::Duration::hours(2);

/// The browser's buyer token: the one its cookie holds, or a new one.
pub fn browser_token(headers: &HeaderMap) -> String {
    kernel::web::cookie(headers, COOKIE)
        .filter(|v| {
            (32..=64).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map_or_else(|| random_token(32), str::to_string)
}

/// The `Set-Cookie` value keeping `token` for a day on the checkout's pages.
pub fn cookie(token: &str, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/checkout; HttpOnly; SameSite=Lax; Max-Age=86400{secure}"))
        .expect("cookie is ASCII")
}

/// Whether an account has the address `email` (for the "log in" hint and for knowing whether
/// the payment will create one).
pub async fn has_account(tx: &mut TenantTx, email: &str) -> sqlx::Result<bool> {
    let Some(email) = identity::model::Email::parse(email) else { return Ok(false) };
    Ok(identity::store::find_by_email(tx, email.as_str()).await?.is_some())
}

/// Remembers which browser started `checkout`, and whether its address had no account.
pub async fn record(tx: &mut TenantTx, checkout: CheckoutId, browser: &str, new_account: bool) -> sqlx::Result<()> {
    sqlx::query(
        "insert into checkout_buyers (tenant_id, checkout_id, browser_hash, new_account) values ($1, $2, $3, $4)
         on conflict (tenant_id, checkout_id) do nothing",
    )
    .bind(tx.tenant())
    .bind(checkout)
    .bind(hash_token(browser))
    .bind(new_account)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What is known of a checkout's buyer.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Buyer {
    /// SHA-256 of the buying browser's token.
    pub browser_hash: String,
    /// The payment created the account.
    pub new_account: bool,
    /// When the thank-you page signed it in.
    pub signed_in_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The buyer record of `checkout`.
pub async fn of_checkout(tx: &mut TenantTx, checkout: CheckoutId) -> sqlx::Result<Option<Buyer>> {
    sqlx::query_as(
        "select browser_hash, new_account, signed_in_at from checkout_buyers where tenant_id = $1 and checkout_id = $2",
    )
    .bind(tx.tenant())
    .bind(checkout)
    .fetch_optional(&mut **tx)
    .await
}

/// Whether the browser sending `headers` started `checkout`.
pub async fn is_buyers_browser(tx: &mut TenantTx, checkout: CheckoutId, headers: &HeaderMap) -> sqlx::Result<bool> {
    let Some(token) = kernel::web::cookie(headers, COOKIE) else { return Ok(false) };
    Ok(of_checkout(tx, checkout)
        .await?
        .is_some_and(|b| kernel::secret::constant_eq(&b.browser_hash, &hash_token(token))))
}

/// Whether the thank-you page should sign the buyer of `checkout` in: the account was created
/// by this payment, from this browser, has no password yet, was paid for recently, and has not
/// been signed in this way before. Marks it signed in when so.
pub async fn claim_sign_in(
    state: &AppState,
    tx: &mut TenantTx,
    checkout: &crate::model::Checkout,
    paid_at: chrono::DateTime<chrono::Utc>,
    headers: &HeaderMap,
) -> anyhow::Result<Option<identity::User>> {
    let Some(b) = of_checkout(tx, checkout.id).await? else { return Ok(None) };
    if !b.new_account || b.signed_in_at.is_some() || state.clock.now() - paid_at > SIGN_IN_WITHIN {
        return Ok(None);
    }
    if !is_buyers_browser(tx, checkout.id, headers).await? {
        return Ok(None);
    }
    let Some(user_id) = checkout.user_id else { return Ok(None) };
    let Some(user) = identity::store::find(tx, user_id).await? else { return Ok(None) };
    if identity::service::people::has_password(tx, &user).await? || user.suspended_at.is_some() {
        return Ok(None);
    }
    sqlx::query("update checkout_buyers set signed_in_at = $3 where tenant_id = $1 and checkout_id = $2")
        .bind(tx.tenant())
        .bind(checkout.id)
        .bind(state.clock.now())
        .execute(&mut **tx)
        .await?;
    Ok(Some(user))
}

/// Mails a buyer whose account has no password yet (made by this payment, or by an earlier one
/// whose link went unused) a link to choose one (subscriber of `order.paid`). Upsells, paid
/// right after their first order, send nothing more.
async fn welcome_new_buyer(state: AppState, event: Event) -> anyhow::Result<()> {
    let order_id = serde_json::from_value(event.payload["order_id"].clone())?;
    let mut tx = state.db.tenant(event.tenant).await?;
    let Some(order) = store::order(&mut tx, order_id).await? else { return Ok(()) };
    if order.checkout_id.is_none() || order.source != "checkout" {
        return Ok(());
    }
    let Some(user) = identity::store::find(&mut tx, order.user_id).await? else { return Ok(()) };
    if user.deleted_at.is_some() || identity::service::people::has_password(&mut tx, &user).await? {
        return Ok(());
    }
    let school = state.school(event.tenant).await?;
    let purpose = identity::store::tokens::Purpose::ResetPassword.as_str();
    let token = identity::service::issue_token(&mut tx, &user, purpose, SET_PASSWORD_VALID, None).await?;
    let url = format!("{}/reset-password/{token}", school.base_url);
    let offer = store::offer(&mut tx, order.offer_id).await?.map(|o| o.name).unwrap_or_default();
    let locale = identity::service::user_locale(&user, &school);
    let subject = i18n::t_args(locale, "mail-buyer-account-subject", &[("school", school.name.clone().into())]);
    let m = mail::compose(
        &state,
        &school,
        locale,
        (&user.email, &user.name),
        "commerce/mail/buyer_account",
        subject,
        context! { name => user.name.clone(), offer, url },
    )?;
    mail::queue(&mut tx, &m).await?;
    tx.commit().await?;
    Ok(())
}

/// Subscribes the new buyer's email.
pub fn wire(w: &mut Wiring) {
    w.events.subscribe(&mut w.jobs, "order.paid", "commerce.buyer_account_email", welcome_new_buyer);
}
