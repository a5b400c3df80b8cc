//! Topics (`email_topics`), a contact's opt-outs of them (`contact_topic_optouts`), and the
//! school's attribution window (`email_tracking_settings`).

use kernel::db::TenantTx;
use serde::Serialize;

use crate::model::ContactId;

/// A kind of mail a contact may say no to, without saying no to everything.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Topic {
    /// Its key, which an email's `topic` names.
    pub key: String,
    /// What the contact reads.
    pub name: String,
    /// A line about it.
    pub description: String,
}

/// The school's topics, by name.
pub async fn topics(tx: &mut TenantTx) -> sqlx::Result<Vec<Topic>> {
    sqlx::query_as("select key, name, description from email_topics where tenant_id = $1 order by lower(name), key")
        .bind(tx.tenant())
        .fetch_all(&mut **tx)
        .await
}

/// `"Product news!"` → `"product-news"`.
pub fn key_of(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    key.trim_end_matches('-').chars().take(60).collect()
}

/// Adds a topic (its key made from the name); `None` when the name makes no key or the key is
/// taken.
pub async fn add_topic(tx: &mut TenantTx, name: &str, description: &str) -> sqlx::Result<Option<String>> {
    let key = key_of(name);
    if key.is_empty() {
        return Ok(None);
    }
    let made = sqlx::query(
        "insert into email_topics (tenant_id, key, name, description) values ($1, $2, $3, $4) on conflict do nothing",
    )
    .bind(tx.tenant())
    .bind(&key)
    .bind(name.trim())
    .bind(description.trim())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok((made == 1).then_some(key))
}

/// Removes a topic and the opt-outs of it; whether there was one.
pub async fn remove_topic(tx: &mut TenantTx, key: &str) -> sqlx::Result<bool> {
    sqlx::query("delete from contact_topic_optouts where tenant_id = $1 and topic = $2")
        .bind(tx.tenant())
        .bind(key)
        .execute(&mut **tx)
        .await?;
    let n = sqlx::query("delete from email_topics where tenant_id = $1 and key = $2")
        .bind(tx.tenant())
        .bind(key)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Whether the contact did not opt out of the topic.
pub async fn wants(tx: &mut TenantTx, contact: ContactId, topic: &str) -> sqlx::Result<bool> {
    let row: Option<(i32,)> =
        sqlx::query_as("select 1 from contact_topic_optouts where tenant_id = $1 and contact_id = $2 and topic = $3")
            .bind(tx.tenant())
            .bind(contact)
            .bind(topic)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.is_none())
}

/// The topics the contact opted out of.
pub async fn optouts(tx: &mut TenantTx, contact: ContactId) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("select topic from contact_topic_optouts where tenant_id = $1 and contact_id = $2")
        .bind(tx.tenant())
        .bind(contact)
        .fetch_all(&mut **tx)
        .await
}

/// Keeps the contact in the `wanted` topics and out of every other one.
pub async fn set_wanted(tx: &mut TenantTx, contact: ContactId, wanted: &[String]) -> sqlx::Result<()> {
    sqlx::query("delete from contact_topic_optouts where tenant_id = $1 and contact_id = $2")
        .bind(tx.tenant())
        .bind(contact)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "insert into contact_topic_optouts (tenant_id, contact_id, topic)
         select $1, $2, key from email_topics where tenant_id = $1 and not (key = any($3))",
    )
    .bind(tx.tenant())
    .bind(contact)
    .bind(wanted)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Days after a click in which a purchase is the email's (default 5).
pub async fn attribution_days(tx: &mut TenantTx) -> sqlx::Result<i32> {
    let days: Option<i32> =
        sqlx::query_scalar("select attribution_days from email_tracking_settings where tenant_id = $1")
            .bind(tx.tenant())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(days.unwrap_or(5))
}

/// Sets the attribution window (1 to 90 days).
pub async fn set_attribution_days(tx: &mut TenantTx, days: i32) -> sqlx::Result<()> {
    sqlx::query(
        "insert into email_tracking_settings (tenant_id, attribution_days) values ($1, $2)
         on conflict (tenant_id) do update set attribution_days = excluded.attribution_days",
    )
    .bind(tx.tenant())
    .bind(days.clamp(1, 90))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_slugs() {
        assert_eq!(super::key_of("  Product news! "), "product-news");
        assert_eq!(super::key_of("¡¡"), "");
    }
}
