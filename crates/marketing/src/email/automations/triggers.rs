//! Triggers: events from marketing, commerce and courses enrol contacts, and wake runs that
//! wait for them. The daily triggers (no login for N days, a date field) run in the sweep.
//!
//! An event names a contact, an address or an account; a person with no contact yet gets one
//! that is *not subscribed* (buying or enrolling is not consent; the send step mails only the
//! subscribed). Each event enrols a contact at most once per automation: the run's
//! `entry_key` is the event id.

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, TenantId, db::TenantTx, events::Event, ids::UserId};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    model::{self, Automation, RunId},
    runner, store,
};
use crate::{
    contacts::{self, Incoming},
    contacts_store as cs,
    model::ContactId,
    store as mstore,
};

/// The events automations listen to: triggers, and waits for an event.
pub const EVENTS: &[&str] = &[
    "form.submitted",
    "contact.tagged",
    "order.paid",
    "checkout.abandoned",
    "enrollment.created",
    "lesson.completed",
    "course.completed",
    "quiz.failed",
    "subscription.past_due",
    "subscription.canceled",
];

pub(super) fn wire(w: &mut kernel::state::Wiring) {
    for kind in EVENTS {
        let job = format!("marketing.automation_{}", kind.replace('.', "_"));
        w.events.subscribe(&mut w.jobs, kind, &job, on_event);
    }
}

/// One event: enrols contacts in the automations it triggers and wakes runs waiting for it.
pub async fn on_event(state: AppState, event: Event) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(event.tenant).await?;
    let kind = model::TRIGGERS.iter().copied().find(|k| model::trigger_event(k) == Some(event.kind.as_str()));
    let automations = match kind {
        Some(k) => store::active_with_trigger(&mut tx, k).await?,
        None => Vec::new(),
    };
    let wanted: Vec<&Automation> = automations.iter().filter(|a| matches(&a.trigger, &event.payload)).collect();
    // Make a contact only when some automation wants this event (a wait may need one too).
    let contact = contact_of(&state, &mut tx, &event.payload, !wanted.is_empty()).await?;
    let Some(contact) = contact else {
        tx.commit().await?;
        return Ok(());
    };
    for a in wanted {
        enrol(&state, &mut tx, a, contact.0, &event.id.0.to_string(), &event.payload).await?;
    }
    let waiting = store::waiting_for(&mut tx, &event.kind, contact.0).await?;
    tx.commit().await?;
    for (run, seq) in waiting {
        runner::advance(&state, event.tenant, run, seq, true).await?;
    }
    Ok(())
}

/// Whether an event's payload fits a trigger's settings (an empty setting matches anything).
pub fn matches(trigger: &Value, payload: &Value) -> bool {
    let same = |key: &str| match trigger[key].as_str().map(str::trim) {
        None | Some("") => true,
        Some(want) => payload[key].as_str().is_some_and(|got| got.eq_ignore_ascii_case(want)),
    };
    let product = match trigger["product_id"].as_str().map(str::trim) {
        None | Some("") => true,
        Some(want) => {
            payload["product_ids"].as_array().is_some_and(|ids| ids.iter().any(|id| id.as_str() == Some(want)))
        }
    };
    ["form_id", "tag", "offer_id", "course_id", "lesson_id"].into_iter().all(same) && product
}

/// Enrols a contact in an automation unless this entry was made already or they may not enter
/// now; the new run's id.
pub async fn enrol(
    state: &AppState,
    tx: &mut TenantTx,
    a: &Automation,
    contact: Uuid,
    entry_key: &str,
    data: &Value,
) -> anyhow::Result<Option<RunId>> {
    if !store::may_enter(tx, a, contact).await? {
        return Ok(None);
    }
    let now = state.clock.now();
    let first = model::first(&a.tree());
    let Some(run) = store::insert_run(tx, a.id, contact, entry_key, first.as_deref(), data, now).await? else {
        return Ok(None);
    };
    store::record(tx, run, "trigger", "trigger", "entered", now).await?;
    if first.is_some() {
        runner::kick(state, tx, run, 0, None).await?;
    } else {
        store::move_run(tx, run, None, "done", now).await?;
    }
    runner::schedule_sweep(tx).await?;
    Ok(Some(run))
}

/// The contact an event is about: by id, address or account; made (not subscribed) when
/// missing and `create`.
async fn contact_of(state: &AppState, tx: &mut TenantTx, p: &Value, create: bool) -> anyhow::Result<Option<ContactId>> {
    if let Some(id) = p["contact_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()) {
        return Ok(mstore::contact(tx, ContactId(id)).await?.map(|c| c.id));
    }
    if let Some(email) = p["email"].as_str().and_then(contacts::normalise_email) {
        if let Some(c) = mstore::contact_by_email(tx, &email).await? {
            return Ok(Some(c.id));
        }
        if !create {
            return Ok(None);
        }
        let (first, last) = split(p["name"].as_str().unwrap_or_default());
        let user_id = p["user_id"].as_str().and_then(|s| s.parse().ok());
        let who = Incoming {
            email,
            first_name: Some(first),
            last_name: Some(last),
            user_id,
            source: json!({ "kind": "automation" }),
            status: Some("unsubscribed"),
            ..Default::default()
        };
        return Ok(Some(contacts::upsert(state, tx, who).await?.0));
    }
    let Some(user) = p["user_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()) else { return Ok(None) };
    if let Some(id) = cs::by_user(tx, user).await? {
        return Ok(Some(id));
    }
    if !create {
        return Ok(None);
    }
    let Some(account) = identity::store::find(tx, UserId(user)).await? else { return Ok(None) };
    let Some(email) = contacts::normalise_email(&account.email) else { return Ok(None) };
    if let Some(c) = mstore::contact_by_email(tx, &email).await? {
        return Ok(Some(c.id));
    }
    let (first, last) = split(&account.name);
    let who = Incoming {
        email,
        first_name: Some(first),
        last_name: Some(last),
        user_id: Some(user),
        source: json!({ "kind": "signup" }),
        status: Some("unsubscribed"),
        ..Default::default()
    };
    Ok(Some(contacts::upsert(state, tx, who).await?.0))
}

fn split(name: &str) -> (String, String) {
    match name.trim().split_once(' ') {
        Some((f, l)) => (f.to_string(), l.trim().to_string()),
        None => (name.trim().to_string(), String::new()),
    }
}

/// The daily triggers of one school, at the application's clock: "no login for N days" (from
/// identity's `last_login_at`, for contacts with an account) and "a date field" (a contact's
/// custom field holding `YYYY-MM-DD`, `offset_days` before or after, optionally every year).
/// Each enrols once per day at most (the entry key holds the date).
pub async fn daily(state: &AppState, tenant: TenantId) -> anyhow::Result<usize> {
    let now = state.clock.now();
    let today = now.date_naive();
    let mut tx = state.db.tenant(tenant).await?;
    let mut made = 0;
    for a in store::active_with_trigger(&mut tx, "no_login").await? {
        let days = a.trigger["days"].as_i64().or_else(|| a.trigger["days"].as_str().and_then(|s| s.parse().ok()));
        let days = days.unwrap_or(30).clamp(1, 3650);
        let people: Vec<(Uuid, Uuid, DateTime<Utc>)> = sqlx::query_as(
            "select id, user_id, created_at from contacts where tenant_id = $1 and user_id is not null order by id limit 5000",
        )
        .bind(tenant)
        .fetch_all(&mut *tx)
        .await?;
        let users: Vec<UserId> = people.iter().map(|p| UserId(p.1)).collect();
        let accounts = identity::store::find_many(&mut tx, &users).await?;
        for (contact, user, _) in &people {
            let Some(account) = accounts.iter().find(|u| u.id.0 == *user) else { continue };
            let last = account.last_login_at.unwrap_or(account.created_at);
            if now - last < Duration::days(days) {
                continue;
            }
            // One entry per absence: the key is the last login.
            let key = format!("no_login:{}", last.timestamp());
            let data = json!({ "days": days, "last_login_at": last });
            if enrol(state, &mut tx, &a, *contact, &key, &data).await?.is_some() {
                made += 1;
            }
        }
    }
    for a in store::active_with_trigger(&mut tx, "date_field").await? {
        let field = a.trigger["field"].as_str().unwrap_or_default().to_string();
        if field.is_empty() {
            continue;
        }
        let offset = a.trigger["offset_days"].as_i64().unwrap_or(0).clamp(-365, 365);
        let yearly = a.trigger["yearly"].as_bool().unwrap_or(false);
        let target = today - Duration::days(offset);
        let rows: Vec<(Uuid, String)> = sqlx::query_as(
            "select id, fields->>$2 from contacts where tenant_id = $1 and coalesce(fields->>$2, '') <> '' limit 20000",
        )
        .bind(tenant)
        .bind(&field)
        .fetch_all(&mut *tx)
        .await?;
        for (contact, value) in rows {
            let Ok(date) = chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") else { continue };
            let hit = if yearly {
                date.format("%m-%d").to_string() == target.format("%m-%d").to_string()
            } else {
                date == target
            };
            if hit {
                let key = format!("date:{field}:{today}");
                if enrol(state, &mut tx, &a, contact, &key, &json!({ "field": field, "date": value })).await?.is_some()
                {
                    made += 1;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(made)
}
