//! `/admin/affiliates/settings`: the program's switch, signup mode, terms, the default
//! commission, cookie window, attribution, holding period and minimum payouts.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppResult,
    format::CURRENCIES,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};

use crate::{
    affiliates::{program::rule_form, settings},
    catalog::Fields,
};

/// The form as saved.
pub async fn form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let mut tx = ctx.tx().await?;
    let s = settings::load(&mut tx).await?;
    let rule = settings::rules(&mut tx).await?.into_iter().find(|r| r.offer_id.is_none()).unwrap_or_default();
    tx.commit().await?;
    let mut fields = rule_form::settings_fields(&s);
    fields.extend(rule_form::rule_fields(&rule, &ctx.school.currency));
    page(&ctx, &Fields(fields), &FieldErrors::default())
}

pub(super) fn page(ctx: &Ctx, f: &Fields, errors: &FieldErrors) -> AppResult<Response> {
    let html = ctx.render(
        "commerce/affiliates/settings.html",
        context! {
            form => super::form_values(f), errors => Serde(errors),
            currencies => super::currencies_in(f, &ctx.school.currency, &["amount", "min"]),
            all_currencies => CURRENCIES.to_vec(),
        },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

/// Saves the settings and the default rule.
pub async fn save(ctx: Ctx, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let f = Fields(fields);
    let mut errors = FieldErrors::default();
    let s = rule_form::settings_from(&f, ctx.shell.locale, &mut errors);
    let rule = rule_form::rule_from(&f, &ctx.school.currency, ctx.shell.locale, &mut errors);
    if !errors.is_empty() {
        return page(&ctx, &f, &errors);
    }
    let mut tx = ctx.tx().await?;
    rule_form::save_settings(&mut tx, &s, &rule).await?;
    tx.commit().await?;
    let message = ctx.t(if s.enabled { "program-aff-settings-saved-on" } else { "program-aff-settings-saved-off" });
    Ok(ctx.redirect_with("/admin/affiliates/settings", "success", message).into_response())
}
