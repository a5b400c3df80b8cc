//! `GET /account` (profile, password, email and notifications in one page), `POST /account/profile`
//! and `POST /account/notifications`.

use axum::response::{IntoResponse, Response};
use kernel::{
    AppResult,
    i18n::Locale,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{Ctx, model::User, service::account::Profile, store};

/// What the person typed into one of the account forms, kept when it comes back with errors.
#[derive(Default)]
pub(super) struct Typed {
    pub name: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub new_email: Option<String>,
}

/// The layout for a person's own pages: the admin's for the team, the school's site otherwise.
pub(super) fn layout_for(user: &User) -> &'static str {
    if user.role().is_staff() { "kernel/admin.html" } else { "kernel/public.html" }
}

/// Whether the security tab (two-factor login) applies to this person.
pub(super) fn has_security_tab(user: &User) -> bool {
    user.role().is_staff() || user.totp_enabled_at.is_some()
}

/// Renders the account page (422 when `errors` has messages).
pub(super) async fn page(ctx: &Ctx, typed: Typed, errors: &FieldErrors) -> AppResult<Response> {
    let user = ctx.user()?;
    let mut tx = ctx.tx().await?;
    let unlock_emails = crate::preferences::unlock_emails(&mut tx, user.id).await?;
    tx.commit().await?;
    // The first option of each list is "the school's default", named so the person sees what
    // it is today; it is the selected one (value "") while they have made no choice.
    let school_language = ctx.school.default_locale.native_name();
    let default_language = ctx.t_args("account-default-language", &[("language", school_language.into())]);
    let locales: Vec<(&str, String)> = std::iter::once(("", default_language))
        .chain(Locale::ALL.iter().map(|l| (l.code(), l.native_name().to_string())))
        .collect();
    let school_zone = kernel::zones::label(&ctx.school.time_zone);
    let default_zone = ctx.t_args("account-default-time-zone", &[("zone", school_zone.into())]);
    let html = ctx.render(
        "identity/account.html",
        context! {
            layout => layout_for(user),
            security_tab => has_security_tab(user),
            me => Serde(user),
            form => context! {
                name => typed.name.unwrap_or_else(|| user.name.clone()),
                locale => typed.locale.unwrap_or_else(|| user.locale.clone().unwrap_or_default()),
                time_zone => typed.time_zone.unwrap_or_else(|| user.time_zone.clone().unwrap_or_default()),
                new_email => typed.new_email.unwrap_or_default(),
            },
            locales => Serde(locales),
            zones => Serde(kernel::zones::groups(user.time_zone.as_deref())),
            default_zone,
            unlock_emails,
            errors => Serde(errors),
        },
    )?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn show(ctx: Ctx) -> AppResult<Response> {
    page(&ctx, Typed::default(), &FieldErrors::default()).await
}

/// The profile form's fields.
#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn profile(ctx: Ctx, Form(f): Form<ProfileForm>) -> AppResult<Response> {
    let user = ctx.user()?;
    let p = match Profile::parse(&f.name, &f.locale, &f.time_zone, user.time_zone.as_deref(), ctx.shell.locale) {
        Ok(p) => p,
        Err(errors) => {
            let typed = Typed {
                name: Some(f.name),
                locale: Some(f.locale),
                time_zone: Some(f.time_zone),
                ..Default::default()
            };
            return page(&ctx, typed, &errors).await;
        }
    };
    let mut tx = ctx.tx().await?;
    store::update_profile(&mut tx, user.id, &p.name, p.locale.map(Locale::code), p.time_zone.as_deref()).await?;
    tx.commit().await?;
    // The cookie keeps the language after logging out; without a choice there is none to keep.
    match p.locale {
        Some(locale) => ctx.visitor.set_language(locale),
        None => ctx.visitor.clear_language(),
    }
    let msg = kernel::i18n::t(p.locale.unwrap_or(ctx.school.default_locale), "account-profile-saved");
    Ok(ctx.redirect_with("/account", "success", msg).into_response())
}

/// The notifications form: a checkbox is sent only when ticked.
#[derive(Deserialize)]
pub struct NotificationsForm {
    #[serde(default)]
    unlock_emails: Option<String>,
}

/// Saves the notification preferences.
pub async fn notifications(ctx: Ctx, Form(f): Form<NotificationsForm>) -> AppResult<Response> {
    let user = ctx.user()?;
    let on = f.unlock_emails.is_some();
    let mut tx = ctx.tx().await?;
    crate::preferences::set_unlock_emails(&mut tx, user.id, on).await?;
    tx.commit().await?;
    let msg = ctx.t(if on { "account-notify-saved-on" } else { "account-notify-saved-off" });
    Ok(ctx.redirect_with("/account", "success", msg).into_response())
}
