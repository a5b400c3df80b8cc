//! Dunning emails to the student, in their language and with the school's branding: "your
//! payment failed — update your card" (with the next retry and the day access pauses),
//! "your access is paused", and "you're back" when a past-due or paused subscription is paid
//! again. Each reacts to the subscription's own event through the outbox, so one event sends
//! one email.

use kernel::{AppState, events::Event, i18n, mail, state::Wiring};
use minijinja::context;

use crate::{model::SubscriptionId, store};

/// Subscribes the emails.
pub fn wire(w: &mut Wiring) {
    w.events.subscribe(&mut w.jobs, "subscription.payment_failed", "commerce.dunning_failed", failed);
    w.events.subscribe(&mut w.jobs, "subscription.paused", "commerce.dunning_paused", paused);
    w.events.subscribe(&mut w.jobs, "subscription.renewed", "commerce.dunning_recovered", recovered);
}

async fn failed(state: AppState, event: Event) -> anyhow::Result<()> {
    send(&state, &event, "payment_failed", "billing-mail-failed-subject").await
}

async fn paused(state: AppState, event: Event) -> anyhow::Result<()> {
    send(&state, &event, "access_paused", "billing-mail-paused-subject").await
}

async fn recovered(state: AppState, event: Event) -> anyhow::Result<()> {
    if !event.payload["recovered"].as_bool().unwrap_or(false) {
        return Ok(());
    }
    send(&state, &event, "access_restored", "billing-mail-restored-subject").await
}

async fn send(state: &AppState, event: &Event, template: &str, subject: &str) -> anyhow::Result<()> {
    let id: SubscriptionId = serde_json::from_value(event.payload["subscription_id"].clone())?;
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    let Some(sub) = store::subscription(&mut tx, id).await? else { return Ok(()) };
    let Some(user) = identity::store::find(&mut tx, sub.user_id).await? else { return Ok(()) };
    if user.deleted_at.is_some() {
        return Ok(());
    }
    let Some(offer) = store::offer(&mut tx, sub.offer_id).await? else { return Ok(()) };
    let product = store::product(&mut tx, offer.product_id).await?.map(|p| p.name).unwrap_or_default();
    let locale = identity::service::user_locale(&user, &school);
    let subject = i18n::t_args(locale, subject, &[("product", product.clone().into())]);
    let payload = &event.payload;
    // Only dates still ahead are promised (a retry after access paused has no grace left).
    let now = state.clock.now();
    let at = |k: &str| {
        payload[k]
            .as_str()
            .filter(|s| s.parse::<chrono::DateTime<chrono::Utc>>().is_ok_and(|t| t > now))
            .map(str::to_string)
    };
    let m = mail::compose(
        state,
        &school,
        locale,
        (&user.email, &user.name),
        &format!("commerce/mail/{template}"),
        subject,
        context! {
            name => user.name.clone(), product, offer => offer.name.clone(),
            amount => payload["amount"].as_i64().unwrap_or(sub.amount), currency => sub.currency.clone(),
            retry_at => at("retry_at"), grace_ends_at => at("grace_ends_at"),
            code => payload["code"].as_str().unwrap_or_default().to_string(),
            url => format!("{}/account/billing", school.base_url),
            learn_url => format!("{}/dashboard", school.base_url),
        },
    )?;
    mail::queue(&mut tx, &m).await?;
    tx.commit().await?;
    Ok(())
}
