//! Sign-in links: how the platform host hands a school's staff member over to the school's own
//! host, where their session lives (cookies are per host). A link is a single-use token in
//! `user_tokens`, stored hashed, bound to one school and one account, and short-lived; opening
//! it on the school's host starts the session the normal way (two-factor still asks its code).
//!
//! Two doors lead here: "Create my school" (the token is made in the transaction that creates
//! the school) and the platform's `/login`, which mails a link for each school where an address
//! belongs to the team.

use std::time::Duration;

use kernel::{
    AppError, AppState,
    db::{PlatformTx, TenantTx},
    i18n, mail,
    secret::hash_token,
    web::School,
};
use minijinja::context;

use super::{issue_token, user_locale};
use crate::{
    model::{Email, User},
    store::{
        self,
        tokens::{self, Purpose},
    },
};

/// How long a sign-in link works: long enough to switch to the inbox, short enough that an old
/// message is no key to the school.
pub const SIGN_IN_VALID: Duration = Duration::from_secs(15 * 60);

/// Creates a sign-in link for `user` of the transaction's school and returns its URL.
pub async fn issue_link(tx: &mut TenantTx, school: &School, user: &User) -> sqlx::Result<String> {
    let token = issue_token(tx, user, Purpose::SignIn.as_str(), SIGN_IN_VALID, None).await?;
    Ok(format!("{}/login/link/{token}", school.base_url))
}

/// Uses a sign-in link up and returns whose it is; `None` when it is unknown, used, expired, or
/// from another school (the transaction only sees its own school's links), or when the person
/// is no longer on the team.
pub async fn redeem(tx: &mut TenantTx, token: &str) -> Result<Option<User>, AppError> {
    let Some(t) = tokens::consume(tx, Purpose::SignIn, &hash_token(token)).await? else { return Ok(None) };
    Ok(store::find(tx, t.user_id).await?.filter(|u| u.role().is_staff()))
}

/// The schools where `email` belongs to the team, with the account in each.
///
/// This is the one place that reads accounts across schools. It runs in a [`PlatformTx`], the
/// same narrow door the operator's school list uses (every tenant table's `_platform` policy),
/// so Row-Level Security is neither loosened nor bypassed, and it returns only ids: nothing of
/// a school's data leaves here but "this address is on this team".
async fn staff_schools(
    tx: &mut PlatformTx,
    email: &Email,
) -> sqlx::Result<Vec<(kernel::TenantId, kernel::ids::UserId)>> {
    sqlx::query_as(
        "select u.tenant_id, u.id from users u join tenants t on t.id = u.tenant_id
         where lower(u.email) = $1 and u.role in ('owner', 'admin', 'instructor', 'support')
         order by t.name",
    )
    .bind(email.as_str())
    .fetch_all(&mut **tx)
    .await
}

/// Mails a sign-in link for every school where `email` is on the team, from the platform's
/// address; returns how many were sent (none for an address that is on no team, which the
/// caller must not reveal).
///
/// Each school gets its own message, kept in that school's mail: a single message listing
/// every school would have to be stored under one of them, and that school's mailbox would then
/// hold one-time links into the others.
pub async fn mail_links(state: &AppState, email: &Email) -> Result<usize, AppError> {
    let mut ptx = state.db.platform().await?;
    let found = staff_schools(&mut ptx, email).await?;
    ptx.commit().await?;
    let platform = mail::platform_sender(&state.config.mail_from);
    for (tenant, user_id) in &found {
        let school = state.school(*tenant).await.map_err(AppError::Internal)?;
        let mut tx = state.db.tenant(*tenant).await?;
        let Some(user) = store::find(&mut tx, *user_id).await? else { continue };
        let url = issue_link(&mut tx, &school, &user).await?;
        let locale = user_locale(&user, &school);
        let subject = i18n::t_args(locale, "mail-sign-in-subject", &[("school", school.name.clone().into())]);
        let ctx = context! { name => user.name.clone(), url };
        let mut m =
            mail::compose(state, &school, locale, (&user.email, &user.name), "identity/mail/sign_in", subject, ctx)?;
        // The person asked the platform, not the school: the platform answers.
        (m.from_name, m.from_email, m.reply_to) = (platform.name.clone(), platform.email.clone(), None);
        mail::queue(&mut tx, &m).await?;
        tx.commit().await?;
    }
    Ok(found.len())
}
