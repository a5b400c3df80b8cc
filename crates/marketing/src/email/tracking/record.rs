//! Recording what a recipient did with a delivery: opens, clicks, unsubscribes. Each is an
//! `email_events` row; the delivery keeps the first time of each.

use chrono::{DateTime, Utc};
use kernel::{AppState, db::TenantTx};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    email::{DeliveryId, suppression},
    model::ContactId,
    store,
};

/// An open closer than this to the send is a machine's (a proxy fetching images on arrival).
pub const MACHINE_OPEN_SECONDS: i64 = 5;

/// What tracking needs of a delivery.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Delivery {
    /// Its id.
    pub id: DeliveryId,
    /// The email sent.
    pub email_id: Uuid,
    /// The recipient's contact.
    pub contact_id: Option<ContactId>,
    /// The recipient's address.
    pub to_email: String,
    /// The broadcast it belongs to.
    pub broadcast_id: Option<Uuid>,
    /// The automation it belongs to.
    pub automation_id: Option<Uuid>,
    /// The automation step that sent it.
    pub step_id: Option<String>,
    /// When it went.
    pub sent_at: Option<DateTime<Utc>>,
    /// First human open.
    pub opened_at: Option<DateTime<Utc>>,
    /// First click.
    pub clicked_at: Option<DateTime<Utc>>,
    /// When the recipient unsubscribed through it.
    pub unsubscribed_at: Option<DateTime<Utc>>,
}

/// A delivery of this school.
pub async fn delivery(tx: &mut TenantTx, id: DeliveryId) -> sqlx::Result<Option<Delivery>> {
    sqlx::query_as(
        "select id, email_id, contact_id, to_email, broadcast_id, automation_id, step_id, sent_at, opened_at,
                clicked_at, unsubscribed_at
         from email_deliveries where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Whether an image fetch is Apple Mail Privacy Protection's (or another proxy's) rather than
/// a person's: Apple's network 17.0.0.0/8, its bare `Mozilla/5.0` user agent, or a fetch
/// within seconds of the send.
pub fn is_machine(ip: &str, user_agent: &str, sent_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    let apple_net = matches!(ip.parse::<std::net::IpAddr>(), Ok(std::net::IpAddr::V4(v4)) if v4.octets()[0] == 17);
    let bare_agent = user_agent.trim() == "Mozilla/5.0";
    let instant = sent_at.is_some_and(|s| (now - s).num_seconds() < MACHINE_OPEN_SECONDS);
    apple_net || bare_agent || instant
}

async fn event(
    tx: &mut TenantTx,
    d: &Delivery,
    kind: &str,
    url: Option<&str>,
    machine: bool,
    detail: Value,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into email_events (tenant_id, id, delivery_id, kind, url, machine, detail, at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tx.tenant())
    .bind(Uuid::now_v7())
    .bind(d.id)
    .bind(kind)
    .bind(url)
    .bind(machine)
    .bind(detail)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn payload(d: &Delivery) -> Value {
    json!({
        "delivery_id": d.id, "email_id": d.email_id, "contact_id": d.contact_id, "email": d.to_email,
        "broadcast_id": d.broadcast_id, "automation_id": d.automation_id, "step_id": d.step_id,
    })
}

/// Sets `opened_at` if unset; whether this was the first human open.
async fn first_open(tx: &mut TenantTx, d: &Delivery, at: DateTime<Utc>) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "update email_deliveries set opened_at = $3 where tenant_id = $1 and id = $2 and opened_at is null",
    )
    .bind(tx.tenant())
    .bind(d.id)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// An open. A machine's is recorded (reports show it apart) but is not the delivery's
/// `opened_at` and publishes nothing; the first human open publishes `email.opened`.
pub async fn open(state: &AppState, tx: &mut TenantTx, d: &Delivery, machine: bool) -> sqlx::Result<()> {
    let now = state.clock.now();
    event(tx, d, "open", None, machine, json!({}), now).await?;
    if !machine && first_open(tx, d, now).await? {
        state.events.publish(tx, "email.opened", payload(d)).await?;
    }
    Ok(())
}

/// A click on `url`: `clicked_at` (first), an open if none was seen (the images may have been
/// off), and `email.clicked`.
pub async fn click(state: &AppState, tx: &mut TenantTx, d: &Delivery, url: &str) -> sqlx::Result<()> {
    let now = state.clock.now();
    event(tx, d, "click", Some(url), false, json!({}), now).await?;
    sqlx::query("update email_deliveries set clicked_at = $3 where tenant_id = $1 and id = $2 and clicked_at is null")
        .bind(tx.tenant())
        .bind(d.id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    if first_open(tx, d, now).await? {
        event(tx, d, "open", None, false, json!({ "from": "click" }), now).await?;
        state.events.publish(tx, "email.opened", payload(d)).await?;
    }
    let mut p = payload(d);
    p["url"] = json!(url);
    state.events.publish(tx, "email.clicked", p).await?;
    Ok(())
}

/// The recipient said no to all mail (one-click or the preference centre): the address is
/// suppressed, the contact unsubscribed, the delivery marked. A second time changes nothing;
/// whether this one did.
pub async fn unsubscribe(state: &AppState, tx: &mut TenantTx, d: &Delivery, via: &str) -> sqlx::Result<bool> {
    let now = state.clock.now();
    let marked = sqlx::query(
        "update email_deliveries set unsubscribed_at = $3
         where tenant_id = $1 and id = $2 and unsubscribed_at is null",
    )
    .bind(tx.tenant())
    .bind(d.id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if marked {
        event(tx, d, "unsubscribe", None, false, json!({ "via": via }), now).await?;
    }
    // The contact as it was before: `suppress` marks it unsubscribed, and the event and the
    // activity belong to the first time only.
    let contact = match d.contact_id {
        Some(id) => store::contact(tx, id).await?,
        None => store::contact_by_email(tx, &d.to_email).await?,
    };
    suppression::suppress(tx, &d.to_email, "unsubscribe", via).await?;
    if let Some(c) = contact.filter(|c| c.status != "unsubscribed") {
        crate::contacts_store::set_status(tx, c.id, "unsubscribed", now).await?;
        store::insert_activity(tx, c.id, "unsubscribed", &json!({ "by": "contact", "via": via }), now).await?;
        let p = json!({ "contact_id": c.id, "email": c.email, "reason": "unsubscribe", "delivery_id": d.id });
        state.events.publish(tx, "contact.unsubscribed", p).await?;
    }
    Ok(marked)
}

/// The person asked, on their own preference page, for mail again: the unsubscribe (never a
/// bounce or complaint) comes off the suppression list and the contact is subscribed.
pub async fn resubscribe(state: &AppState, tx: &mut TenantTx, d: &Delivery) -> sqlx::Result<bool> {
    let now = state.clock.now();
    suppression::lift_unsubscribe(tx, &d.to_email).await?;
    let contact = match d.contact_id {
        Some(id) => store::contact(tx, id).await?,
        None => store::contact_by_email(tx, &d.to_email).await?,
    };
    let Some(c) = contact.filter(|c| c.status == "unsubscribed" && c.suppressed_at.is_none()) else {
        return Ok(false);
    };
    crate::contacts_store::set_status(tx, c.id, "subscribed", now).await?;
    store::insert_activity(tx, c.id, "resubscribed", &json!({ "by": "contact", "via": "preferences" }), now).await?;
    let p = json!({ "contact_id": c.id, "email": c.email, "source": { "kind": "preferences" } });
    state.events.publish(tx, "contact.subscribed", p).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_proxy_opens_are_machines() {
        let now = Utc::now();
        let sent = Some(now - chrono::Duration::minutes(10));
        assert!(is_machine("17.58.1.2", "Mozilla/5.0 (Macintosh)", sent, now));
        assert!(is_machine("203.0.113.9", "Mozilla/5.0", sent, now));
        assert!(is_machine("203.0.113.9", "Mozilla/5.0 (iPhone)", Some(now - chrono::Duration::seconds(2)), now));
        assert!(!is_machine("203.0.113.9", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)", sent, now));
        assert!(!is_machine("170.1.1.1", "Thunderbird", sent, now));
    }
}
