//! The email a student gets when staff, a CSV import or an API client enrols them: it names the
//! course and leads to it, or, for an account made for the enrolment, to choosing a password
//! first. Purchases get their receipt from commerce, and a student who joins a free course
//! is already looking at it, so those sources send nothing here.

use std::time::Duration;

use kernel::{AppState, events::Event, i18n, mail, state::Wiring};
use minijinja::context;

use crate::store;

/// How long the link to choose a first password works: a week, since an enrolment email may
/// wait in an inbox longer than a reset request would.
const SET_PASSWORD_VALID: Duration = Duration::from_secs(7 * 24 * 3600);

/// Sends the enrolment email (subscriber of `enrollment.created`).
async fn enrolled(state: AppState, event: Event) -> anyhow::Result<()> {
    let source = event.payload["source"].as_str().unwrap_or_default();
    if !matches!(source, "staff" | "import" | "api") {
        return Ok(());
    }
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    let user_id = serde_json::from_value(event.payload["user_id"].clone())?;
    let course_id = serde_json::from_value(event.payload["course_id"].clone())?;
    let Some(user) = identity::store::find(&mut tx, user_id).await? else { return Ok(()) };
    let Some(course) = store::course(&mut tx, course_id).await? else { return Ok(()) };
    if user.deleted_at.is_some() || user.suspended_at.is_some() {
        return Ok(());
    }
    let new_account = !identity::service::people::has_password(&mut tx, &user).await?;
    let url = if new_account {
        let purpose = identity::store::tokens::Purpose::ResetPassword.as_str();
        let token = identity::service::issue_token(&mut tx, &user, purpose, SET_PASSWORD_VALID, None).await?;
        format!("{}/reset-password/{token}", school.base_url)
    } else {
        format!("{}/learn/{}", school.base_url, course.slug)
    };
    let locale = identity::service::user_locale(&user, &school);
    let subject = i18n::t_args(locale, "mail-enrolled-subject", &[("course", course.title.clone().into())]);
    let m = mail::compose(
        &state,
        &school,
        locale,
        (&user.email, &user.name),
        "courses/mail/enrolled",
        subject,
        context! { name => user.name.clone(), course => course.title.clone(), url, new_account },
    )?;
    mail::queue(&mut tx, &m).await?;
    tx.commit().await?;
    Ok(())
}

/// Subscribes the enrolment email.
pub fn wire(w: &mut Wiring) {
    w.events.subscribe(&mut w.jobs, "enrollment.created", "courses.enrolled_email", enrolled);
}
