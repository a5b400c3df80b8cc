//! The school's contacts: one row per address, made or updated by forms, imports, purchases,
//! sign-ups, staff and the API, always through [`upsert`], which publishes `contact.created`
//! and `contact.subscribed`; tags through [`tag`] (`contact.tagged`).

use kernel::{AppState, db::TenantTx};
use serde_json::{Value, json};

use crate::{model::ContactId, store};

/// What is known of a person arriving.
#[derive(Clone, Debug, Default)]
pub struct Incoming {
    /// Their address, as typed (checked and lower-cased here).
    pub email: String,
    /// First name, when given.
    pub first_name: Option<String>,
    /// Last name, when given.
    pub last_name: Option<String>,
    /// Custom fields, merged over what is stored.
    pub fields: serde_json::Map<String, Value>,
    /// Their account, when they have one.
    pub user_id: Option<uuid::Uuid>,
    /// How they arrived (kept from the first time only).
    pub source: Value,
    /// What they agreed to, when they did (replaces an older record).
    pub consent: Option<Value>,
    /// `Some("pending")` for a double opt-in waiting for confirmation, `Some("subscribed")`
    /// when they asked for email now; `None` leaves the status as it is (a new contact is
    /// subscribed). An unsubscribed contact is never subscribed again except by their own
    /// opt-in (`Some("subscribed")`).
    pub status: Option<&'static str>,
    /// Whether they bought something.
    pub customer: bool,
}

/// Why a contact was refused.
#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    /// The address is missing or not an address.
    #[error("not an email address")]
    Email,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// `email` trimmed and lower-cased when it looks like an address someone can receive mail at.
pub fn normalise_email(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && e.len() <= 254
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !e.chars().any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c))
        && !domain.contains('@');
    ok.then_some(e)
}

/// Makes or updates the contact for `who`; returns its id and whether it is new.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn upsert(state: &AppState, tx: &mut TenantTx, who: Incoming) -> Result<(ContactId, bool), ContactError> {
    let email = normalise_email(&who.email).ok_or(ContactError::Email)?;
    let first = who.first_name.as_deref().map(|s| s.trim().chars().take(100).collect::<String>());
    let last = who.last_name.as_deref().map(|s| s.trim().chars().take(100).collect::<String>());
    // Serialised per address: two forms posted at once make one contact.
    sqlx::query("select pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 7))")
        .bind(tx.tenant().to_string())
        .bind(&email)
        .execute(&mut **tx)
        .await?;
    let now = state.clock.now();
    let existing = store::contact_by_email(tx, &email).await?;
    let (id, created, before) = match &existing {
        Some(c) => (c.id, false, c.status.clone()),
        None => (ContactId::new(), true, String::new()),
    };
    let status = match (who.status, existing.as_ref()) {
        (Some(s), Some(c)) if c.status == "unsubscribed" && s == "pending" => "pending",
        (Some(s), _) => s,
        (None, Some(c)) => match c.status.as_str() {
            "pending" => "pending",
            "unsubscribed" => "unsubscribed",
            _ => "subscribed",
        },
        (None, None) => "subscribed",
    };
    let status = if before == "subscribed" && status == "pending" { "subscribed" } else { status };
    sqlx::query(
        "insert into contacts (tenant_id, id, email, first_name, last_name, fields, user_id, status, consent, source, is_customer, \
                               unsubscribed_at) \
         values ($1, $2, $3, coalesce($4, ''), coalesce($5, ''), $6, $7, $8, $9, $10, $11, null) \
         on conflict (tenant_id, email) do update set \
           first_name = case when coalesce($4, '') <> '' then $4 else contacts.first_name end, \
           last_name = case when coalesce($5, '') <> '' then $5 else contacts.last_name end, \
           fields = contacts.fields || excluded.fields, \
           user_id = coalesce(contacts.user_id, excluded.user_id), \
           status = excluded.status, \
           unsubscribed_at = case when excluded.status = 'unsubscribed' then contacts.unsubscribed_at end, \
           consent = coalesce(excluded.consent, contacts.consent), \
           is_customer = contacts.is_customer or excluded.is_customer",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&email)
    .bind(first.filter(|s| !s.is_empty()))
    .bind(last.filter(|s| !s.is_empty()))
    .bind(Value::Object(who.fields))
    .bind(who.user_id)
    .bind(status)
    .bind(&who.consent)
    .bind(if who.source.is_null() { json!({}) } else { who.source.clone() })
    .bind(who.customer)
    .execute(&mut **tx)
    .await?;
    if created {
        store::insert_activity(tx, id, "created", &who.source, now).await?;
        state
            .events
            .publish(
                tx,
                "contact.created",
                json!({ "contact_id": id, "email": email, "source": who.source, "status": status }),
            )
            .await?;
    }
    if status == "subscribed" && before != "subscribed" {
        state
            .events
            .publish(tx, "contact.subscribed", json!({ "contact_id": id, "email": email, "source": who.source }))
            .await?;
    }
    Ok((id, created))
}

/// Puts tags on a contact (made when missing); publishes `contact.tagged` for each new one.
pub async fn tag(
    state: &AppState,
    tx: &mut TenantTx,
    contact: ContactId,
    names: &[String],
) -> sqlx::Result<Vec<String>> {
    let mut added = Vec::new();
    for name in names {
        let name: String = name.trim().chars().take(60).collect();
        if name.is_empty() {
            continue;
        }
        let tag = store::tag_id(tx, &name).await?;
        if store::add_tag(tx, contact, tag).await? {
            state.events.publish(tx, "contact.tagged", json!({ "contact_id": contact, "tag": name })).await?;
            added.push(name);
        }
    }
    Ok(added)
}

/// Takes tags off a contact; returns the names that were on them.
pub async fn untag(tx: &mut TenantTx, contact: ContactId, names: &[String]) -> sqlx::Result<Vec<String>> {
    let mut removed = Vec::new();
    for name in names {
        let name = name.trim();
        let Some(tag) = crate::contacts_store::find_tag(tx, name).await? else { continue };
        if store::remove_tag(tx, contact, tag).await? {
            removed.push(name.to_string());
        }
    }
    Ok(removed)
}

/// Staff turn marketing email off (`unsubscribed`) or back on (`subscribed`) for a contact,
/// with a line in their activity saying who; `contact.subscribed` when it is turned on.
/// Whether anything changed.
pub async fn set_status(
    state: &AppState,
    tx: &mut TenantTx,
    contact: &crate::model::Contact,
    status: &'static str,
    by: Option<uuid::Uuid>,
) -> sqlx::Result<bool> {
    if contact.status == status || !["subscribed", "unsubscribed"].contains(&status) {
        return Ok(false);
    }
    let now = state.clock.now();
    crate::contacts_store::set_status(tx, contact.id, status, now).await?;
    let kind = if status == "subscribed" { "resubscribed" } else { "unsubscribed" };
    store::insert_activity(tx, contact.id, kind, &json!({ "by": "staff", "user_id": by }), now).await?;
    if status == "subscribed" {
        let source = json!({ "kind": "staff" });
        let payload = json!({ "contact_id": contact.id, "email": contact.email, "source": source });
        state.events.publish(tx, "contact.subscribed", payload).await?;
    }
    Ok(true)
}

/// Erases a contact: their row, tags and activity are deleted, and `contact.erased` (with the
/// id only) tells other domains to forget them too. Whether there was one.
pub async fn erase(state: &AppState, tx: &mut TenantTx, contact: ContactId) -> sqlx::Result<bool> {
    if !crate::contacts_store::delete(tx, contact).await? {
        return Ok(false);
    }
    state.events.publish(tx, "contact.erased", json!({ "contact_id": contact })).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_and_lower_cased() {
        assert_eq!(normalise_email("  Ana@Example.COM ").as_deref(), Some("ana@example.com"));
        for bad in ["", "ana", "ana@", "@x.com", "ana@x", "a b@x.com", "ana@x..com", "<a>@x.com", "a@b@c.com"] {
            assert_eq!(normalise_email(bad), None, "{bad}");
        }
    }
}
