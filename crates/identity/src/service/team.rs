//! Team rules: inviting people, accepting an invitation, changing roles and removing access.
//! Every change is recorded in the audit log.

use std::time::Duration;

use kernel::{
    AppError, AppState,
    db::TenantTx,
    i18n::{self, Locale},
    ids::UserId,
    secret::{hash_token, random_token},
    web::{FieldErrors, School},
};
use minijinja::context;
use serde_json::json;

use super::{NewAccount, Recipient, create_account, send_mail};
use crate::{
    model::{Email, Role, User},
    store::{self, team::Invitation},
};

/// How long an invitation link works.
pub const INVITE_VALID: Duration = Duration::from_secs(7 * 24 * 3600);

/// Invitations one school may send per hour: plenty to bring a team on board, too few to use
/// the school's name (and text its team controls) for bulk mail.
pub const INVITES_PER_HOUR: u32 = 20;

/// A validated invitation form.
pub struct Invite {
    /// Who to invite.
    pub email: Email,
    /// The role they will get.
    pub role: Role,
}

impl Invite {
    /// Checks the address and that the role is one a team member can be given.
    pub fn parse(email: &str, role: &str, locale: Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = Email::parse(email);
        if email.is_none() {
            errors.add("email", i18n::t(locale, "validation-email-invalid"));
        }
        let role = Role::parse_assignable(role);
        if role.is_none() {
            errors.add("role", i18n::t(locale, "validation-role-unknown"));
        }
        match (email, role) {
            (Some(email), Some(role)) if errors.is_empty() => Ok(Self { email, role }),
            _ => Err(errors),
        }
    }
}

/// Sends an invitation (replacing an open one for the same address). An address that already
/// belongs to a team member is refused; a student of the school may be invited to the team.
pub async fn invite(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    inviter: &User,
    invite: &Invite,
    locale: Locale,
) -> Result<Result<(), FieldErrors>, AppError> {
    let existing = store::find_by_email(tx, invite.email.as_str()).await?.map(|(u, _)| u);
    if existing.as_ref().is_some_and(|u| u.role() != Role::Student) {
        let mut errors = FieldErrors::default();
        errors.add("email", i18n::t(locale, "validation-invite-already-team"));
        return Ok(Err(errors));
    }
    let limit = kernel::rate::Limit { max: INVITES_PER_HOUR, window: Duration::from_secs(3600) };
    if let Err(wait) = state.rate.check(&format!("team-invite:{}", school.id), limit) {
        let mut errors = FieldErrors::default();
        let args = [("max", i64::from(INVITES_PER_HOUR).into()), ("minutes", (wait.div_ceil(60) as i64).into())];
        errors.add("email", i18n::t_args(locale, "validation-invite-rate", &args));
        return Ok(Err(errors));
    }
    let token = random_token(32);
    let role = invite.role.as_str();
    store::team::replace_invitation(tx, invite.email.as_str(), role, &hash_token(&token), inviter.id, INVITE_VALID)
        .await?;
    let to_locale = existing.as_ref().map(|u| super::user_locale(u, school)).unwrap_or(school.default_locale);
    let to =
        Recipient { email: invite.email.as_str(), name: existing.as_ref().map_or("", |u| &u.name), locale: to_locale };
    let ctx = context! {
        inviter => inviter.name.clone(),
        role,
        url => format!("{}/invitations/{token}", school.base_url),
    };
    send_mail(state, tx, school, to, "identity/mail/invitation", "mail-invite-subject", ctx).await?;
    store::audit(tx, inviter.id, "team.invited", json!({ "email": invite.email.as_str(), "role": role })).await?;
    Ok(Ok(()))
}

/// Withdraws an open invitation; 404 when there is none with this id in the school.
pub async fn revoke(tx: &mut TenantTx, actor: &User, id: crate::model::InvitationId) -> Result<(), AppError> {
    let email = store::team::revoke(tx, id).await?.ok_or(AppError::NotFound)?;
    store::audit(tx, actor.id, "team.invitation_revoked", json!({ "invitation_id": id, "email": email })).await?;
    Ok(())
}

/// What came of accepting an invitation as a new person.
pub enum Joined {
    /// The account exists and has the invited role.
    Created(Box<User>),
    /// An account with the invited address appeared meanwhile: log in to accept.
    AddressTaken,
    /// The invitation was used or withdrawn meanwhile.
    Gone,
}

/// Creates the invited person's account (address confirmed by the link) with the invited role.
pub async fn accept_as_new(
    state: &AppState,
    tx: &mut TenantTx,
    invitation: &Invitation,
    account: &NewAccount,
) -> Result<Joined, AppError> {
    let role = Role::parse_assignable(&invitation.role).ok_or(AppError::NotFound)?;
    if !store::team::mark_accepted(tx, invitation.id).await? {
        return Ok(Joined::Gone);
    }
    let Some(user) = create_account(state, tx, account, role, true).await? else { return Ok(Joined::AddressTaken) };
    store::audit(tx, user.id, "team.joined", json!({ "invitation_id": invitation.id, "role": role.as_str() })).await?;
    Ok(Joined::Created(Box::new(user)))
}

/// Gives the logged-in person (whose address the invitation names) the invited role.
/// The owner keeps being the owner. False when the invitation was used meanwhile.
pub async fn accept_as_existing(tx: &mut TenantTx, invitation: &Invitation, user: &User) -> Result<bool, AppError> {
    if !user.email.eq_ignore_ascii_case(&invitation.email) {
        return Err(AppError::Forbidden);
    }
    let role = Role::parse_assignable(&invitation.role).ok_or(AppError::NotFound)?;
    if !store::team::mark_accepted(tx, invitation.id).await? {
        return Ok(false);
    }
    if user.role() != Role::Owner {
        store::set_role(tx, user.id, role).await?;
    }
    let detail = json!({ "invitation_id": invitation.id, "from": user.role_name, "role": role.as_str() });
    store::audit(tx, user.id, "team.joined", detail).await?;
    Ok(true)
}

/// The team member `target` may be changed by `actor`: they exist in this school and are on
/// the team (404 otherwise), and they are neither the owner nor the actor (403).
async fn changeable(tx: &mut TenantTx, actor: &User, target: UserId) -> Result<User, AppError> {
    let member = store::find(tx, target).await?.filter(|u| u.role() != Role::Student).ok_or(AppError::NotFound)?;
    if member.role() == Role::Owner || member.id == actor.id {
        return Err(AppError::Forbidden);
    }
    Ok(member)
}

/// Gives a team member another role (never owner or student).
pub async fn change_role(tx: &mut TenantTx, actor: &User, target: UserId, role: Role) -> Result<User, AppError> {
    let member = changeable(tx, actor, target).await?;
    if Role::parse_assignable(role.as_str()).is_none() {
        return Err(AppError::BadRequest("that role cannot be given".into()));
    }
    store::set_role(tx, member.id, role).await?;
    let detail = json!({ "user_id": member.id, "email": member.email, "from": member.role_name, "to": role.as_str() });
    store::audit(tx, actor.id, "team.role_changed", detail).await?;
    Ok(member)
}

/// Removes a team member's access: they stay a student of the school (keeping any courses
/// they bought) and every session of theirs ends.
pub async fn remove(tx: &mut TenantTx, actor: &User, target: UserId) -> Result<User, AppError> {
    let member = changeable(tx, actor, target).await?;
    store::set_role(tx, member.id, Role::Student).await?;
    store::delete_other_sessions(tx, member.id, None).await?;
    let detail = json!({ "user_id": member.id, "email": member.email, "from": member.role_name });
    store::audit(tx, actor.id, "team.removed", detail).await?;
    Ok(member)
}
