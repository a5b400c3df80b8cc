//! Delivering what a form promised, once the contact's address is known to be theirs: a
//! library file by a guarded download link (`/lm/{token}`, stored hashed, [`MAX_USES`] downloads
//! for [`LINK_DAYS`] days), a free course by enrolment (an account is made for an unknown
//! address, as staff enrolment does), or nothing yet for a mini email course, which the email
//! automation starts from `form.submitted`.

use chrono::Duration;
use kernel::{
    AppState,
    db::TenantTx,
    i18n::{self, Locale},
    mail,
    secret::{hash_token, random_token},
    web::School,
};
use minijinja::context;
use serde_json::Value;

use crate::{
    forms_store,
    model::{Contact, Form},
};

/// Downloads a link allows.
pub const MAX_USES: i32 = 5;
/// Days a link works.
pub const LINK_DAYS: i64 = 30;

/// Sends `contact` what `form` promises (nothing for `none` and `sequence`).
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn deliver(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    locale: Locale,
    form: &Form,
    contact: &Contact,
) -> anyhow::Result<()> {
    let m = &form.lead_magnet;
    match m.get("kind").and_then(Value::as_str) {
        Some("file") => {
            let Some(id) = m.get("media_id").and_then(Value::as_str).and_then(|s| s.parse().ok()) else {
                return Ok(());
            };
            let Some(item) = media::store::find(tx, id).await? else { return Ok(()) };
            send_file(state, tx, school, locale, form, contact, &item).await
        }
        Some("course") => {
            let Some(id) = m.get("course_id").and_then(Value::as_str).and_then(|s| s.parse().ok()) else {
                return Ok(());
            };
            let Some(course) = courses::store::course(tx, id).await? else { return Ok(()) };
            let Some(email) = identity::model::Email::parse(&contact.email) else { return Ok(()) };
            let name = format!("{} {}", contact.first_name, contact.last_name).trim().to_string();
            let name =
                if name.is_empty() { contact.email.split('@').next().unwrap_or_default().to_string() } else { name };
            let source = courses::enrollment::Source::SelfServe;
            courses::roster::enroll_by_email(state, tx, &course, &email, &name, None, source).await?;
            let url = format!("{}/learn/{}", school.base_url, course.slug);
            let subject = i18n::t_args(locale, "forms-mail-course-subject", &[("course", course.title.clone().into())]);
            let ctx = context! { name => contact.first_name.clone(), url, course => course.title.clone() };
            queue(state, tx, school, locale, contact, "marketing/mail/lead_course", subject, ctx).await
        }
        _ => Ok(()),
    }
}

/// Makes a fresh download link for `item` and mails it to `contact`.
pub async fn send_file(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    locale: Locale,
    form: &Form,
    contact: &Contact,
    item: &media::Media,
) -> anyhow::Result<()> {
    let token = random_token(24);
    let expires = state.clock.now() + Duration::days(LINK_DAYS);
    forms_store::insert_link(tx, form.id, contact.id, item.id, &hash_token(&token), MAX_USES, expires).await?;
    let url = format!("{}/lm/{token}", school.base_url);
    let subject = i18n::t_args(locale, "forms-mail-file-subject", &[("title", item.title.clone().into())]);
    let ctx = context! {
        name => contact.first_name.clone(), url, title => item.title.clone(), days => LINK_DAYS, uses => MAX_USES,
    };
    queue(state, tx, school, locale, contact, "marketing/mail/lead_file", subject, ctx).await
}

/// Composes and queues one message to `contact`.
#[expect(clippy::too_many_arguments, reason = "one message, all of it needed")]
pub(crate) async fn queue(
    state: &AppState,
    tx: &mut TenantTx,
    school: &School,
    locale: Locale,
    contact: &Contact,
    template: &str,
    subject: String,
    ctx: minijinja::Value,
) -> anyhow::Result<()> {
    let name = format!("{} {}", contact.first_name, contact.last_name).trim().to_string();
    let m = mail::compose(state, school, locale, (&contact.email, &name), template, subject, ctx)?;
    mail::queue(tx, &m).await?;
    Ok(())
}
