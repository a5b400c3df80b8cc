//! `GET/POST /admin/settings/billing`: the seller's legal details printed on receipts, whether
//! prices include tax, what a refund does to access and the grace days of a failed renewal.
//! `POST /admin/settings/billing/rates` adds a country's tax rate or changes it;
//! `POST /admin/settings/billing/rates/{country}/delete` removes it.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde_json::json;

use crate::{
    countries,
    receipts::{
        self,
        settings::{self, Billing, BillingForm, RateForm, TaxRate},
    },
    store,
};

const HERE: &str = "/admin/settings/billing";

pub async fn form(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    let mut tx = ctx.tx().await?;
    let saved = store::settings(&mut tx).await?;
    tx.commit().await?;
    page(
        &ctx,
        &BillingForm::from_settings(&saved),
        &FieldErrors::default(),
        &RateForm::default(),
        &FieldErrors::default(),
    )
    .await
}

async fn page(
    ctx: &Ctx,
    f: &BillingForm,
    errors: &FieldErrors,
    rate: &RateForm,
    rate_errors: &FieldErrors,
) -> AppResult<Response> {
    let locale = ctx.shell.locale;
    let mut tx = ctx.tx().await?;
    let rates = settings::rates(&mut tx).await?;
    tx.commit().await?;
    let rows: Vec<_> = rates
        .iter()
        .map(|r| {
            json!({
                "country": r.country, "name": countries::name(&r.country, locale),
                "rate": receipts::percent(r.rate_bp, locale), "label": r.label,
            })
        })
        .collect();
    let status = super::form_status(if errors.is_empty() { rate_errors } else { errors });
    let html = ctx.render(
        "commerce/admin/billing_settings.html",
        context! {
            form => Serde(f),
            errors => Serde(errors),
            rate => Serde(rate),
            rate_errors => Serde(rate_errors),
            rates => Serde(rows),
            countries => Serde(std::iter::once(("", ctx.t("receipts-rates-choose"))).chain(countries::options(locale).into_iter().map(|(c, n)| (c, format!("{n} ({c})")))).collect::<Vec<_>>()),
            refund_options => Serde(vec![
                ("revoke", ctx.t("receipts-refund-revoke")),
                ("keep", ctx.t("receipts-refund-keep")),
            ]),
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn save(ctx: Ctx, Form(f): Form<BillingForm>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let billing = match Billing::parse(&f, ctx.shell.locale) {
        Ok(b) => b,
        Err(errors) => return page(&ctx, &f, &errors, &RateForm::default(), &FieldErrors::default()).await,
    };
    let mut tx = ctx.tx().await?;
    settings::save(&mut tx, &billing).await?;
    identity::store::audit(
        &mut tx,
        user,
        "commerce.billing_settings_updated",
        json!({ "prices_include_tax": billing.prices_include_tax, "refund_access": billing.refund_access,
                "grace_days": billing.grace_days }),
    )
    .await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(HERE, "success", ctx.t("receipts-settings-saved")).into_response())
}

pub async fn save_rate(ctx: Ctx, Form(f): Form<RateForm>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let rate = match TaxRate::parse(&f, ctx.shell.locale) {
        Ok(r) => r,
        Err(errors) => {
            let mut tx = ctx.tx().await?;
            let saved = store::settings(&mut tx).await?;
            tx.commit().await?;
            return page(&ctx, &BillingForm::from_settings(&saved), &FieldErrors::default(), &f, &errors).await;
        }
    };
    let mut tx = ctx.tx().await?;
    settings::upsert_rate(&mut tx, &rate).await?;
    identity::store::audit(
        &mut tx,
        user,
        "commerce.tax_rate_saved",
        json!({ "country": rate.country, "rate_bp": rate.rate_bp, "label": rate.label }),
    )
    .await?;
    tx.commit().await?;
    let name = countries::name(&rate.country, ctx.shell.locale);
    let msg = ctx.t_args("receipts-rate-saved", &[("country", name.into())]);
    Ok(ctx.redirect_with(HERE, "success", msg).into_response())
}

pub async fn delete_rate(ctx: Ctx, Path(country): Path<String>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let country = country.to_uppercase();
    if !countries::is_known(&country) {
        return Err(AppError::NotFound);
    }
    let mut tx = ctx.tx().await?;
    if !settings::delete_rate(&mut tx, &country).await? {
        return Err(AppError::NotFound);
    }
    identity::store::audit(&mut tx, user, "commerce.tax_rate_removed", json!({ "country": country })).await?;
    tx.commit().await?;
    let name = countries::name(&country, ctx.shell.locale);
    let msg = ctx.t_args("receipts-rate-removed", &[("country", name.into())]);
    Ok(ctx.redirect_with(HERE, "success", msg).into_response())
}
