//! Invitations by email: staff invite an address (with an optional personal rate); the link
//! `/affiliates/join/{token}` makes whoever accepts it an approved affiliate at once. Tokens are
//! stored hashed, last 14 days and work once.

use chrono::{DateTime, Duration, Utc};
use kernel::{
    AppError, AppState,
    db::TenantTx,
    i18n::{self, Locale},
    ids::UserId,
    mail,
    secret::{hash_token, random_token},
    web::School,
};
use minijinja::context;
use serde::Serialize;

/// How long an invitation link works.
pub const VALID_DAYS: i64 = 14;

/// A stored invitation.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Invite {
    /// Its id.
    pub id: uuid::Uuid,
    /// Who was invited.
    pub email: String,
    /// The personal rate it grants (basis points).
    pub personal_percent_bp: Option<i32>,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was used.
    pub accepted_at: Option<DateTime<Utc>>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, email, personal_percent_bp, expires_at, accepted_at, created_at";

/// Why a link cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteProblem {
    /// No such token in this school (mistyped, forged, or another school's).
    Unknown,
    /// Past its 14 days.
    Expired,
    /// Already accepted.
    Used,
}

impl InviteProblem {
    /// The message id shown on the join page.
    pub fn message(self) -> &'static str {
        match self {
            InviteProblem::Unknown => "program-aff-join-unknown",
            InviteProblem::Expired => "program-aff-join-expired",
            InviteProblem::Used => "program-aff-join-used",
        }
    }
}

/// Creates an invitation and queues its email in `locale`.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn invite(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    email: &str,
    personal_percent_bp: Option<i32>,
    by: UserId,
    locale: Locale,
) -> Result<Invite, AppError> {
    let token = random_token(32);
    let expires = state.clock.now() + Duration::days(VALID_DAYS);
    let invite: Invite = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into affiliate_invites (tenant_id, id, email, token_hash, invited_by, expires_at, personal_percent_bp)
         values ($1, $2, $3, $4, $5, $6, $7) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(uuid::Uuid::now_v7())
    .bind(email)
    .bind(hash_token(&token))
    .bind(by)
    .bind(expires)
    .bind(personal_percent_bp)
    .fetch_one(&mut **tx)
    .await?;
    let url = format!("{}/affiliates/join/{token}", school.base_url);
    let subject = i18n::t_args(locale, "program-aff-mail-invite-subject", &[("school", school.name.clone().into())]);
    let rate = personal_percent_bp.map(|bp| super::rule_form::percent_label(bp, locale)).unwrap_or_default();
    let m = mail::compose(
        state,
        school,
        locale,
        (email, ""),
        "commerce/affiliates/mail/invite",
        subject,
        context! { url, rate, days => VALID_DAYS },
    )
    .map_err(AppError::Internal)?;
    mail::queue(tx, &m).await?;
    Ok(invite)
}

/// The invitation behind a link, if it can still be used.
pub async fn usable(tx: &mut TenantTx, token: &str, now: DateTime<Utc>) -> sqlx::Result<Result<Invite, InviteProblem>> {
    let found: Option<Invite> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from affiliate_invites where tenant_id = $1 and token_hash = $2"
    )))
    .bind(tx.tenant())
    .bind(hash_token(token.trim()))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match found {
        None => Err(InviteProblem::Unknown),
        Some(i) if i.accepted_at.is_some() => Err(InviteProblem::Used),
        Some(i) if i.expires_at <= now => Err(InviteProblem::Expired),
        Some(i) => Ok(i),
    })
}

/// Marks an invitation used; `false` when another request used it first.
pub async fn mark_used(tx: &mut TenantTx, id: uuid::Uuid, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update affiliate_invites set accepted_at = $3 where tenant_id = $1 and id = $2 and accepted_at is null",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The latest invitations, newest first.
pub async fn recent(tx: &mut TenantTx, limit: i64) -> sqlx::Result<Vec<Invite>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from affiliate_invites where tenant_id = $1 order by created_at desc limit $2"
    )))
    .bind(tx.tenant())
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
