//! Joining the program: applications, invitations, and staff's decisions.
//!
//! A person joins with one row in `affiliates` (their role does not change). The school's
//! signup mode decides whether an application is approved at once; an invitation always is.
//! Approving publishes `affiliate.approved` and mails the person; rejecting mails a kind note.

pub mod fraud;
pub mod invites;
pub mod numbers;
pub mod rule_form;

use chrono::{DateTime, Utc};
use identity::User;
use kernel::{AppError, AppState, db::TenantTx, i18n, ids::UserId, mail, web::School};
use minijinja::context;
use serde_json::json;

use super::{
    model::{Affiliate, AffiliateId},
    store,
};

/// Why a chosen code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// Not 3–40 lowercase letters, digits and hyphens, starting with a letter or digit.
    Malformed,
    /// Another affiliate of the school has it.
    Taken,
}

impl CodeError {
    /// The message id for the form.
    pub fn message(self) -> &'static str {
        match self {
            CodeError::Malformed => "program-aff-error-code-malformed",
            CodeError::Taken => "program-aff-error-code-taken",
        }
    }
}

/// A referral code as typed: trimmed and lowercased, checked against the stored format.
pub fn parse_code(input: &str) -> Result<String, CodeError> {
    let code = input.trim().to_ascii_lowercase();
    let len = code.chars().count();
    let mut chars = code.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if (3..=40).contains(&len) && first_ok && rest_ok { Ok(code) } else { Err(CodeError::Malformed) }
}

/// A free code derived from a person's name ("Ana María" → `ana-maria`, then `ana-maria-2`).
pub async fn suggest_code(tx: &mut TenantTx, name: &str) -> sqlx::Result<String> {
    let mut base: String = crate::catalog::slugify(name).chars().take(34).collect();
    base = base.trim_matches('-').to_string();
    if base.chars().count() < 3 {
        base = format!("{base}{}", if base.is_empty() { "partner" } else { "-ref" });
    }
    let mut candidate = base.clone();
    for n in 2..1000 {
        if store::by_code(tx, &candidate).await?.is_none() {
            return Ok(candidate);
        }
        candidate = format!("{base}-{n}");
    }
    Ok(format!("{base}-{}", &uuid::Uuid::now_v7().simple().to_string()[..5]))
}

/// What a person gives when joining.
#[derive(Clone, Debug, Default)]
pub struct Joining {
    /// Their referral code (already parsed).
    pub code: String,
    /// Where and how they will promote.
    pub pitch: String,
    /// Their site or channel.
    pub website: String,
    /// The approved affiliate whose link brought them.
    pub recruited_by: Option<AffiliateId>,
    /// A personal rate from an invitation (basis points).
    pub personal_percent_bp: Option<i32>,
}

/// Adds `user` to the program, approved at once or pending; `Err(Taken)` when the code is
/// taken. Approval publishes `affiliate.approved` and mails the person.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn join(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    user: &User,
    joining: &Joining,
    approved: bool,
    decided_by: Option<UserId>,
) -> Result<Result<Affiliate, CodeError>, AppError> {
    let now = state.clock.now();
    let id = AffiliateId::new();
    sqlx::query("savepoint affiliate_join").execute(&mut **tx).await?;
    let inserted = sqlx::query(
        "insert into affiliates (tenant_id, id, user_id, code, status, recruited_by, personal_percent_bp, pitch,
                                 website, terms_accepted_at, decided_by, decided_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(user.id)
    .bind(&joining.code)
    .bind(if approved { "approved" } else { "pending" })
    .bind(joining.recruited_by)
    .bind(joining.personal_percent_bp)
    .bind(&joining.pitch)
    .bind(&joining.website)
    .bind(now)
    .bind(decided_by)
    .bind(approved.then_some(now))
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => {
            sqlx::query("release savepoint affiliate_join").execute(&mut **tx).await?;
        }
        Err(sqlx::Error::Database(d)) if d.constraint() == Some("affiliates_code") => {
            sqlx::query("rollback to savepoint affiliate_join").execute(&mut **tx).await?;
            return Ok(Err(CodeError::Taken));
        }
        Err(e) => return Err(e.into()),
    }
    let affiliate = store::affiliate(tx, id).await?.ok_or(AppError::NotFound)?;
    if approved {
        announce_approval(state, tx, school, user, &affiliate).await?;
    }
    Ok(Ok(affiliate))
}

/// A decision staff take on an affiliate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Pending or rejected → approved.
    Approve,
    /// Pending → rejected.
    Reject,
    /// Approved → suspended (links stop earning).
    Suspend,
    /// Suspended → approved again.
    Reinstate,
}

impl Decision {
    /// From the action in the URL.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "approve" => Some(Decision::Approve),
            "reject" => Some(Decision::Reject),
            "suspend" => Some(Decision::Suspend),
            "reinstate" => Some(Decision::Reinstate),
            _ => None,
        }
    }

    /// The statuses it applies to, and the one it leads to.
    fn transition(self) -> (&'static [&'static str], &'static str) {
        match self {
            Decision::Approve => (&["pending", "rejected"], "approved"),
            Decision::Reject => (&["pending"], "rejected"),
            Decision::Suspend => (&["approved"], "suspended"),
            Decision::Reinstate => (&["suspended"], "approved"),
        }
    }

    /// As written in messages and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
            Decision::Suspend => "suspend",
            Decision::Reinstate => "reinstate",
        }
    }
}

/// Takes `decision` on `affiliate`; `Ok(false)` when it does not apply to its status (a
/// second click, another tab). Approving publishes the event and mails; rejecting mails.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn decide(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    affiliate: &Affiliate,
    decision: Decision,
    actor: UserId,
) -> Result<bool, AppError> {
    let (from, to) = decision.transition();
    if !from.contains(&affiliate.status.as_str()) {
        return Ok(false);
    }
    let now: DateTime<Utc> = state.clock.now();
    sqlx::query("update affiliates set status = $3, decided_by = $4, decided_at = $5 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(affiliate.id)
        .bind(to)
        .bind(actor)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let user = identity::store::find(tx, affiliate.user_id).await?.ok_or(AppError::NotFound)?;
    match decision {
        Decision::Approve => {
            let fresh = store::affiliate(tx, affiliate.id).await?.ok_or(AppError::NotFound)?;
            announce_approval(state, tx, school, &user, &fresh).await?;
        }
        Decision::Reject => notify(state, tx, school, &user, affiliate, "rejected").await?,
        Decision::Suspend | Decision::Reinstate => {}
    }
    Ok(true)
}

/// Sets the personal rate (basis points, `None` = the rules) and staff's note.
pub async fn save_staff_fields(
    tx: &mut TenantTx,
    affiliate: AffiliateId,
    personal_percent_bp: Option<i32>,
    note: &str,
) -> sqlx::Result<()> {
    sqlx::query("update affiliates set personal_percent_bp = $3, staff_note = $4 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(affiliate)
        .bind(personal_percent_bp)
        .bind(note)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn announce_approval(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    user: &User,
    affiliate: &Affiliate,
) -> Result<(), AppError> {
    let payload = json!({
        "affiliate_id": affiliate.id, "user_id": user.id, "code": affiliate.code,
        "email": user.email, "name": user.name,
    });
    state.events.publish(tx, "affiliate.approved", payload).await?;
    notify(state, tx, school, user, affiliate, "approved").await
}

/// Mails `user` about their application: `approved` or `rejected`.
async fn notify(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    user: &User,
    affiliate: &Affiliate,
    which: &str,
) -> Result<(), AppError> {
    let locale = identity::service::user_locale(user, school);
    let subject =
        i18n::t_args(locale, &format!("program-aff-mail-{which}-subject"), &[("school", school.name.clone().into())]);
    let url = format!("{}/affiliates/dashboard", school.base_url);
    let link = format!("{}/?ref={}", school.base_url, affiliate.code);
    let m = mail::compose(
        state,
        school,
        locale,
        (&user.email, &user.name),
        &format!("commerce/affiliates/mail/{which}"),
        subject,
        context! { name => user.name.clone(), url, link, code => affiliate.code.clone() },
    )
    .map_err(AppError::Internal)?;
    mail::queue(tx, &m).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_lowercase_slugs_of_3_to_40() {
        assert_eq!(parse_code(" Ana-Maria "), Ok("ana-maria".into()));
        assert_eq!(parse_code("ab"), Err(CodeError::Malformed));
        assert_eq!(parse_code("-ana"), Err(CodeError::Malformed));
        assert_eq!(parse_code("ana maria"), Err(CodeError::Malformed));
        assert_eq!(parse_code(&"a".repeat(41)), Err(CodeError::Malformed));
        assert_eq!(parse_code("año"), Err(CodeError::Malformed));
    }
}
