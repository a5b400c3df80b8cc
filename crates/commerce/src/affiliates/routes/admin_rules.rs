//! `/admin/affiliates/rules`: an offer may pay differently from the default rule (a higher
//! rate on the flagship course, a fixed amount on a cheap one). Deleting an offer's rule
//! makes it follow the default again.

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    format::CURRENCIES,
    web::{FieldErrors, Form},
};
use minijinja::{Value, context, value::Serde};

use crate::{
    affiliates::{program::rule_form, settings},
    catalog::Fields,
    catalog_store as cs,
    model::{Offer, OfferId},
    store,
};

/// Every offer with the rule it follows.
pub async fn list(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let mut tx = ctx.tx().await?;
    let rules = settings::rules(&mut tx).await?;
    let offers = cs::offers(&mut tx).await?;
    tx.commit().await?;
    let default = rules.iter().find(|r| r.offer_id.is_none()).cloned().unwrap_or_default();
    let rows: Vec<Value> = offers
        .iter()
        .filter(|o| o.archived_at.is_none() || rules.iter().any(|r| r.offer_id == Some(o.id)))
        .map(|o| {
            let own = rules.iter().find(|r| r.offer_id == Some(o.id));
            let rate = rule_form::percent_label(own.unwrap_or(&default).percent_bp, ctx.shell.locale);
            context! {
                id => o.id.to_string(), name => o.name.clone(), amount => o.amount, currency => o.currency.clone(),
                own => own.is_some(), rate, rule => Serde(own.unwrap_or(&default)),
            }
        })
        .collect();
    let html = ctx.render("commerce/affiliates/rules.html", context! { rows, default => Serde(&default) })?;
    Ok(html.into_response())
}

async fn offer(ctx: &Ctx, id: &str) -> AppResult<Offer> {
    let id: OfferId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let offer = store::offer(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(offer)
}

/// An offer's rule form: its own rule, or the default's values to start from.
pub async fn form(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let offer = offer(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let rule = settings::rule_for(&mut tx, offer.id).await?;
    tx.commit().await?;
    let own = rule.offer_id.is_some();
    page(&ctx, &offer, own, &Fields(rule_form::rule_fields(&rule, &ctx.school.currency)), &FieldErrors::default())
}

fn page(ctx: &Ctx, offer: &Offer, own: bool, f: &Fields, errors: &FieldErrors) -> AppResult<Response> {
    let html = ctx.render(
        "commerce/affiliates/rule_form.html",
        context! {
            offer => context! { id => offer.id.to_string(), name => offer.name.clone(), currency => offer.currency.clone() },
            own, form => super::form_values(f), errors => Serde(errors),
            currencies => super::currencies_in(f, &ctx.school.currency, &["amount"]),
            all_currencies => CURRENCIES.to_vec(),
        },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

/// Saves an offer's rule.
pub async fn save(ctx: Ctx, Path(id): Path<String>, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let offer = offer(&ctx, &id).await?;
    let f = Fields(fields);
    let mut errors = FieldErrors::default();
    let rule = rule_form::rule_from(&f, &ctx.school.currency, ctx.shell.locale, &mut errors);
    if !errors.is_empty() {
        let mut tx = ctx.tx().await?;
        let own = settings::rule_for(&mut tx, offer.id).await?.offer_id.is_some();
        tx.commit().await?;
        return page(&ctx, &offer, own, &f, &errors);
    }
    let mut tx = ctx.tx().await?;
    rule_form::save_rule(&mut tx, Some(offer.id), &rule).await?;
    tx.commit().await?;
    let message = ctx.t_args("program-aff-rule-saved", &[("offer", offer.name.into())]);
    Ok(ctx.redirect_with("/admin/affiliates/rules", "success", message).into_response())
}

/// Deletes an offer's own rule.
pub async fn delete(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let offer = offer(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    rule_form::delete_rule(&mut tx, offer.id).await?;
    tx.commit().await?;
    let message = ctx.t_args("program-aff-rule-deleted", &[("offer", offer.name.into())]);
    Ok(ctx.redirect_with("/admin/affiliates/rules", "success", message).into_response())
}
