//! Customers and students become contacts: subscribers to commerce's `order.paid` and
//! `order.refunded`, identity's `user.signed_up` and courses' `enrollment.created`. Each writes
//! one activity row keyed by the event's id, so an event delivered twice changes nothing the
//! second time.
//!
//! Consent: buying, signing up or being enrolled is not consent to marketing email, so a person
//! who arrives only this way is recorded (with `source: purchase` or `signup`) but *not
//! subscribed*; they subscribe through an opt-in form. Neither ever changes the status of a
//! contact who already exists (a subscribed lead who buys stays subscribed). Treating both the
//! same also makes the outcome independent of which event's job runs first.

use kernel::{AppState, db::TenantTx, events::Event, ids::UserId};
use serde_json::{Value, json};

use crate::{
    contacts::{self, Incoming},
    contacts_store as cs,
    model::ContactId,
    store,
};

/// Subscribes the handlers.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.events.subscribe(&mut w.jobs, "order.paid", "marketing.contact_purchase", on_paid);
    w.events.subscribe(&mut w.jobs, "order.refunded", "marketing.contact_refund", on_refunded);
    w.events.subscribe(&mut w.jobs, "user.signed_up", "marketing.contact_signup", on_signed_up);
    w.events.subscribe(&mut w.jobs, "enrollment.created", "marketing.contact_enrolled", on_enrolled);
}

/// `"Ana María García"` → `("Ana", "María García")`.
fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.split_once(' ') {
        Some((first, last)) => (first.to_string(), last.trim().to_string()),
        None => (name.to_string(), String::new()),
    }
}

fn user_of(payload: &Value) -> Option<uuid::Uuid> {
    payload["user_id"].as_str().and_then(|s| s.parse().ok())
}

async fn on_paid(state: AppState, event: Event) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(event.tenant).await?;
    if cs::event_seen(&mut tx, event.id.0).await? {
        return Ok(());
    }
    let p = &event.payload;
    let Some(email) = p["email"].as_str().and_then(contacts::normalise_email) else { return Ok(()) };
    let exists = store::contact_by_email(&mut tx, &email).await?.is_some();
    let (first, last) = split_name(p["name"].as_str().unwrap_or_default());
    let mut source = json!({ "kind": "purchase", "order_id": p["order_id"], "offer_id": p["offer_id"] });
    if let (Some(s), Some(attribution)) = (source.as_object_mut(), p["attribution"].as_object()) {
        for (k, v) in attribution {
            if k.starts_with("utm_") || k == "lp" || k == "ref" {
                s.insert(k.clone(), v.clone());
            }
        }
    }
    let who = Incoming {
        email,
        first_name: Some(first),
        last_name: Some(last),
        user_id: user_of(p),
        source,
        customer: true,
        status: if exists { None } else { Some("unsubscribed") },
        ..Default::default()
    };
    let (id, _) = contacts::upsert(&state, &mut tx, who).await?;
    contacts::tag(&state, &mut tx, id, &["Customer".to_string()]).await?;
    let detail = json!({
        "order_id": p["order_id"], "offer_id": p["offer_id"], "offer_name": p["offer_name"],
        "total": p["total"], "currency": p["currency"],
    });
    cs::activity_once(&mut tx, id, "purchase", &detail, event.occurred_at, event.id.0).await?;
    tx.commit().await?;
    Ok(())
}

async fn on_refunded(state: AppState, event: Event) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(event.tenant).await?;
    let p = &event.payload;
    let by_email = match p["email"].as_str().and_then(contacts::normalise_email) {
        Some(e) => store::contact_by_email(&mut tx, &e).await?.map(|c| c.id),
        None => None,
    };
    let id = match (by_email, user_of(p)) {
        (Some(id), _) => Some(id),
        (None, Some(user)) => cs::by_user(&mut tx, user).await?,
        (None, None) => None,
    };
    if let Some(id) = id {
        let detail = json!({
            "order_id": p["order_id"], "amount": p["amount"], "currency": p["currency"],
            "fully_refunded": p["fully_refunded"], "dispute": p["dispute"],
        });
        cs::activity_once(&mut tx, id, "refund", &detail, event.occurred_at, event.id.0).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The contact of a student's account, made (not subscribed) when there is none.
async fn student_contact(state: &AppState, tx: &mut TenantTx, user: uuid::Uuid) -> anyhow::Result<Option<ContactId>> {
    if let Some(id) = cs::by_user(tx, user).await? {
        return Ok(Some(id));
    }
    let Some(account) = identity::store::find(tx, UserId(user)).await? else { return Ok(None) };
    if account.role_name != "student" {
        return Ok(None);
    }
    let Some(email) = contacts::normalise_email(&account.email) else { return Ok(None) };
    let exists = store::contact_by_email(tx, &email).await?.is_some();
    let (first, last) = split_name(&account.name);
    let who = Incoming {
        email,
        first_name: Some(first),
        last_name: Some(last),
        user_id: Some(user),
        source: json!({ "kind": "signup" }),
        status: if exists { None } else { Some("unsubscribed") },
        ..Default::default()
    };
    Ok(Some(contacts::upsert(state, tx, who).await?.0))
}

async fn on_signed_up(state: AppState, event: Event) -> anyhow::Result<()> {
    if event.payload["role"].as_str() != Some("student") {
        return Ok(());
    }
    let Some(user) = user_of(&event.payload) else { return Ok(()) };
    let mut tx = state.db.tenant(event.tenant).await?;
    if cs::event_seen(&mut tx, event.id.0).await? {
        return Ok(());
    }
    if let Some(id) = student_contact(&state, &mut tx, user).await? {
        cs::activity_once(&mut tx, id, "signed_up", &json!({}), event.occurred_at, event.id.0).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn on_enrolled(state: AppState, event: Event) -> anyhow::Result<()> {
    let Some(user) = user_of(&event.payload) else { return Ok(()) };
    let mut tx = state.db.tenant(event.tenant).await?;
    if cs::event_seen(&mut tx, event.id.0).await? {
        return Ok(());
    }
    if let Some(id) = student_contact(&state, &mut tx, user).await? {
        let p = &event.payload;
        let detail = json!({ "course_id": p["course_id"], "course_title": p["course_title"], "source": p["source"] });
        cs::activity_once(&mut tx, id, "enrolled", &detail, event.occurred_at, event.id.0).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_the_first_space() {
        assert_eq!(split_name(" Ana María García "), ("Ana".into(), "María García".into()));
        assert_eq!(split_name("Cher"), ("Cher".into(), String::new()));
    }
}
