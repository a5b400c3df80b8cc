//! People who sign up (`user.signed_up`) or opt in through a form (`form.submitted`) while they
//! carry an affiliate's referral cookie: one `affiliate_signups` row per affiliate and address,
//! with a keyed hash of the address they came from. The publishing domains put the raw cookie
//! (`referral`) and that hash (`ip_hash`) in the payload; the cookie is verified here, so a
//! forged or another school's value counts for nothing.

use chrono::{DateTime, Utc};
use kernel::{AppState, events::Event, ids::UserId};

use super::cookie;
use crate::affiliates::{model::Affiliate, settings, store};

/// Subscribes the handlers.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.events.subscribe(&mut w.jobs, "user.signed_up", "affiliates.signup_account", on_signed_up);
    w.events.subscribe(&mut w.jobs, "form.submitted", "affiliates.signup_optin", on_opted_in);
}

async fn on_signed_up(state: AppState, event: Event) -> anyhow::Result<()> {
    let Some(user) = event.payload["user_id"].as_str().and_then(|s| s.parse::<UserId>().ok()) else { return Ok(()) };
    record(&state, &event, None, Some(user)).await
}

async fn on_opted_in(state: AppState, event: Event) -> anyhow::Result<()> {
    let Some(email) = event.payload["email"].as_str().map(str::to_string) else { return Ok(()) };
    record(&state, &event, Some(email), None).await
}

/// Records the sign-up of `email` (or of `user`'s address) for the affiliate whose cookie the
/// event carries. Replays write nothing new (one row per affiliate and address).
async fn record(state: &AppState, event: &Event, email: Option<String>, user: Option<UserId>) -> anyhow::Result<()> {
    let Some(raw) = event.payload["referral"].as_str().filter(|s| !s.is_empty()) else { return Ok(()) };
    let mut tx = state.db.tenant(event.tenant).await?;
    let settings = settings::load(&mut tx).await?;
    if !settings.enabled {
        return Ok(());
    }
    let Some(r) = cookie::verify(&state.config.keys, event.tenant, raw, event.occurred_at, settings.cookie_days) else {
        tracing::debug!(event = %event.id, "sign-up with a referral cookie that does not verify");
        return Ok(());
    };
    let Some(affiliate) = store::by_code(&mut tx, &r.code).await?.filter(Affiliate::approved) else {
        return Ok(());
    };
    let email = match (email, user) {
        (Some(e), _) => e,
        (None, Some(u)) => match identity::store::find(&mut tx, u).await? {
            Some(found) => found.email,
            None => return Ok(()),
        },
        (None, None) => return Ok(()),
    };
    let email = email.trim().to_lowercase();
    if email.is_empty() || user == Some(affiliate.user_id) {
        return Ok(());
    }
    insert(&mut tx, &affiliate, &email, user, event.payload["ip_hash"].as_str().unwrap_or_default(), event.occurred_at)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn insert(
    tx: &mut kernel::db::TenantTx,
    affiliate: &Affiliate,
    email: &str,
    user: Option<UserId>,
    ip_hash: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    // An opt-in and then an account for the same address are one person: the account fills in
    // the user of the row the opt-in wrote.
    sqlx::query(
        "insert into affiliate_signups (tenant_id, id, affiliate_id, email, user_id, ip_hash, at)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (tenant_id, affiliate_id, lower(email))
         do update set user_id = coalesce(affiliate_signups.user_id, excluded.user_id)",
    )
    .bind(tx.tenant())
    .bind(uuid::Uuid::now_v7())
    .bind(affiliate.id)
    .bind(email)
    .bind(user)
    .bind(ip_hash.chars().take(64).collect::<String>())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
