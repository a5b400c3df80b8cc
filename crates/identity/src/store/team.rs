//! SQL for the school's team: members and invitations.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use serde::Serialize;

use super::USER_COLUMNS;
use crate::model::{InvitationId, User};

/// An invitation to join the team.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Invitation {
    /// Invitation id.
    pub id: InvitationId,
    /// Who is invited.
    pub email: String,
    /// The role they get.
    pub role: String,
    /// Name of the team member who sent it, when they still have an account.
    pub invited_by_name: Option<String>,
    /// Until when the link works.
    pub expires_at: DateTime<Utc>,
    /// Whether the link has run out.
    pub expired: bool,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

const INVITATION_COLUMNS: &str = "i.id, i.email, i.role, u.name as invited_by_name, i.expires_at, \
                                  i.expires_at <= now() as expired, i.created_at";

/// Everyone on the team (not students), owner first, then by role and name.
pub async fn members(tx: &mut TenantTx) -> sqlx::Result<Vec<User>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users
         where tenant_id = $1 and role <> 'student'
         order by array_position(array['owner', 'admin', 'instructor', 'support', 'affiliate'], role), lower(name)"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Invitations not accepted yet (expired ones included, flagged), newest first.
pub async fn open_invitations(tx: &mut TenantTx) -> sqlx::Result<Vec<Invitation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {INVITATION_COLUMNS} from invitations i
         left join users u on u.tenant_id = i.tenant_id and u.id = i.invited_by
         where i.tenant_id = $1 and i.accepted_at is null
         order by i.created_at desc"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Creates an invitation, replacing any open one for the same address.
pub async fn replace_invitation(
    tx: &mut TenantTx,
    email: &str,
    role: &str,
    token_hash: &str,
    invited_by: UserId,
    valid_for: std::time::Duration,
) -> sqlx::Result<InvitationId> {
    sqlx::query("delete from invitations where tenant_id = $1 and lower(email) = lower($2) and accepted_at is null")
        .bind(tx.tenant())
        .bind(email)
        .execute(&mut **tx)
        .await?;
    let id = InvitationId::new();
    sqlx::query(
        "insert into invitations (tenant_id, id, email, role, token_hash, invited_by, expires_at)
         values ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(email)
    .bind(role)
    .bind(token_hash)
    .bind(invited_by)
    .bind(valid_for.as_secs_f64())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Withdraws an open invitation; `None` when there is no such open invitation.
pub async fn revoke(tx: &mut TenantTx, id: InvitationId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "delete from invitations where tenant_id = $1 and id = $2 and accepted_at is null returning email",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// An open, unexpired invitation by its link's token hash.
pub async fn live_by_token(tx: &mut TenantTx, token_hash: &str) -> sqlx::Result<Option<Invitation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {INVITATION_COLUMNS} from invitations i
         left join users u on u.tenant_id = i.tenant_id and u.id = i.invited_by
         where i.tenant_id = $1 and i.token_hash = $2 and i.accepted_at is null and i.expires_at > now()"
    )))
    .bind(tx.tenant())
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await
}

/// Marks an invitation accepted; false when someone got there first.
pub async fn mark_accepted(tx: &mut TenantTx, id: InvitationId) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update invitations set accepted_at = now()
         where tenant_id = $1 and id = $2 and accepted_at is null and expires_at > now()",
    )
    .bind(tx.tenant())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
