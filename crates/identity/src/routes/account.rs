//! `GET /account` (profile, password and email in one page) and `POST /account/profile`.

use axum::response::{IntoResponse, Response};
use kernel::{
    AppResult,
    i18n::Locale,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{Ctx, model::User, service, service::account::Profile, store};

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

fn current_zone(ctx: &Ctx, user: &User) -> String {
    user.time_zone.clone().unwrap_or_else(|| ctx.school.time_zone.clone())
}

/// Renders the account page (422 when `errors` has messages).
pub(super) fn page(ctx: &Ctx, typed: Typed, errors: &FieldErrors) -> AppResult<Response> {
    let user = ctx.user()?;
    let zone = current_zone(ctx, user);
    let locale = user.locale.clone().unwrap_or_else(|| ctx.shell.locale.code().to_string());
    let locales: Vec<(&str, &str)> = Locale::ALL.iter().map(|l| (l.code(), l.native_name())).collect();
    let zones: Vec<(String, String)> =
        service::account::time_zone_choices(&zone).into_iter().map(|z| (z.clone(), z.replace('_', " "))).collect();
    let html = ctx.render(
        "identity/account.html",
        context! {
            layout => layout_for(user),
            security_tab => has_security_tab(user),
            me => Serde(user),
            form => context! {
                name => typed.name.unwrap_or_else(|| user.name.clone()),
                locale => typed.locale.unwrap_or(locale),
                time_zone => typed.time_zone.unwrap_or(zone),
                new_email => typed.new_email.unwrap_or_default(),
            },
            locales => Serde(locales),
            zones => Serde(zones),
            errors => Serde(errors),
        },
    )?;
    Ok((super::form_status(errors), html).into_response())
}

pub async fn show(ctx: Ctx) -> AppResult<Response> {
    page(&ctx, Typed::default(), &FieldErrors::default())
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
    let zones = service::account::time_zone_choices(&current_zone(&ctx, user));
    let p = match Profile::parse(&f.name, &f.locale, &f.time_zone, &zones, ctx.shell.locale) {
        Ok(p) => p,
        Err(errors) => {
            let typed = Typed {
                name: Some(f.name),
                locale: Some(f.locale),
                time_zone: Some(f.time_zone),
                ..Default::default()
            };
            return page(&ctx, typed, &errors);
        }
    };
    let mut tx = ctx.tx().await?;
    store::update_profile(&mut tx, user.id, &p.name, p.locale.code(), &p.time_zone).await?;
    tx.commit().await?;
    ctx.visitor.set_language(p.locale);
    let msg = kernel::i18n::t(p.locale, "account-profile-saved");
    Ok(ctx.redirect_with("/account", "success", msg).into_response())
}
