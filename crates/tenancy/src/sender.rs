//! Sender verification: a school's address becomes the `From` of its mail only once the school
//! has published a TXT record with its own token on the address's domain, the same proof as
//! for custom domains ([`crate::domains`]). Until then [`kernel::mail::sender`] sends from the
//! platform's address with the school's address as Reply-To.

use kernel::{AppError, AppState, db::TenantTx, web::School};
use serde::Serialize;

/// The sender address's domain and the record that verifies it.
#[derive(Clone, Debug, Serialize)]
pub struct SenderDomain {
    /// The domain of the school's sender address.
    pub domain: String,
    /// Where the TXT record goes.
    pub txt_name: String,
    /// What the TXT record must say.
    pub txt_value: String,
    /// Whether the school has verified this domain.
    pub verified: bool,
}

/// What a verification attempt found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The record is published; mail now comes from the school's address.
    Verified,
    /// No record with the school's token.
    NotFound,
    /// The DNS look-up itself failed.
    LookupFailed,
}

/// The school's sender domain; `None` when the school sends from the platform's address.
pub async fn domain(tx: &mut TenantTx, school: &School) -> sqlx::Result<Option<SenderDomain>> {
    let Some((_, domain)) = school.sender_email.rsplit_once('@') else { return Ok(None) };
    let token: String = sqlx::query_scalar("select sender_token from tenant_settings where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await?;
    let domain = domain.to_ascii_lowercase();
    Ok(Some(SenderDomain {
        txt_name: format!("_lyceum.{domain}"),
        txt_value: format!("lyceum-sender={token}"),
        domain,
        verified: school.sender_verified,
    }))
}

/// Looks up the sender domain's TXT record and, when it carries the school's token, records
/// the domain as verified. No transaction is held open during the DNS query.
pub async fn verify(state: &AppState, school: &School) -> Result<Option<Outcome>, AppError> {
    let mut tx = state.db.tenant(school.id).await?;
    let Some(sender) = domain(&mut tx, school).await? else { return Ok(None) };
    tx.commit().await?;
    let found = match crate::domains::txt_values(state, &sender.txt_name).await {
        Ok(values) => values.contains(&sender.txt_value),
        Err(e) => {
            tracing::info!(domain = %sender.domain, error = %e, "TXT look-up failed");
            return Ok(Some(Outcome::LookupFailed));
        }
    };
    if !found {
        return Ok(Some(Outcome::NotFound));
    }
    let mut tx = state.db.tenant(school.id).await?;
    sqlx::query("update tenant_settings set sender_verified_domain = $2 where tenant_id = $1")
        .bind(school.id)
        .bind(&sender.domain)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    crate::resolve::forget(state);
    tracing::info!(tenant_id = %school.id, domain = %sender.domain, "sender domain verified");
    Ok(Some(Outcome::Verified))
}
