//! A product's offers: `GET/POST /admin/products/{id}/offers/new` adds one, `GET/POST
//! /admin/offers/{id}` edits one, `POST /admin/offers/{id}/archive|restore` takes it off sale or
//! puts it back. An offer is how the product is sold: once, in N monthly payments, or as a
//! subscription; with its address `/checkout/{slug}`, visibility, sales limit, closing date,
//! order bump and upsell.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, format::CURRENCIES, web::FieldErrors, web::Form};
use minijinja::{Value, context, value::Serde};

use super::{admin_products::load as load_product, form_status};
use crate::{
    catalog::{self, Fields, amount_input, local_input},
    catalog_store as cs,
    model::{Offer, OfferId, Product},
    store,
};

async fn load(tx: &mut kernel::db::TenantTx, id: &str) -> AppResult<(Offer, Product)> {
    let id: OfferId = id.parse().map_err(|_| AppError::NotFound)?;
    let offer = store::offer(tx, id).await?.ok_or(AppError::NotFound)?;
    let product = store::product(tx, offer.product_id).await?.ok_or(AppError::NotFound)?;
    Ok((offer, product))
}

/// The form's values for a stored offer.
fn stored(o: &Offer, zone: &str) -> Fields {
    let mut v = vec![
        ("name", o.name.clone()),
        ("slug", o.slug.clone()),
        ("kind", o.kind.clone()),
        ("currency", o.currency.clone()),
        ("amount", amount_input(o.amount, &o.currency)),
        ("interval", o.interval.clone().unwrap_or_else(|| "month".into())),
        ("installments", o.installments.map(|n| n.to_string()).unwrap_or_default()),
        ("trial_days", o.trial_days.to_string()),
        ("setup_fee", if o.setup_fee > 0 { amount_input(o.setup_fee, &o.currency) } else { String::new() }),
        ("max_sales", o.max_sales.map(|n| n.to_string()).unwrap_or_default()),
        ("closes_at", o.closes_at.map(|at| local_input(at, zone)).unwrap_or_default()),
        ("bump_offer_id", o.bump_offer_id.map(|id| id.to_string()).unwrap_or_default()),
        ("bump_headline", o.bump_headline.clone()),
        ("upsell_offer_id", o.upsell_offer_id.map(|id| id.to_string()).unwrap_or_default()),
    ];
    if o.visible {
        v.push(("visible", "on".into()));
    }
    Fields(v.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

async fn page(
    ctx: &Ctx,
    product: &Product,
    offer: Option<&Offer>,
    f: &Fields,
    errors: &FieldErrors,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let all = cs::offers(&mut tx).await?;
    let products = cs::products(&mut tx).await?;
    let sales = match offer {
        Some(o) => store::offer_sales(&mut tx, o.id).await?,
        None => 0,
    };
    tx.commit().await?;
    let product_name =
        |o: &Offer| products.iter().find(|p| p.id == o.product_id).map(|p| p.name.clone()).unwrap_or_default();
    // Offers that may be picked as the bump (one-time) or the upsell: live, not this one.
    let others: Vec<Value> = all
        .iter()
        .filter(|o| o.archived_at.is_none() && Some(o.id) != offer.map(|x| x.id))
        .map(|o| {
            context! {
                id => o.id.to_string(), name => o.name.clone(), product => product_name(o), kind => o.kind.clone(),
                currency => o.currency.clone(), amount => o.amount,
            }
        })
        .collect();
    let form = context! {
        name => f.get("name"), slug => f.get("slug"), kind => f.get("kind"), currency => f.get("currency"),
        amount => f.get("amount"), interval => f.get("interval"), installments => f.get("installments"),
        trial_days => f.get("trial_days"), setup_fee => f.get("setup_fee"), visible => f.on("visible"),
        max_sales => f.get("max_sales"), closes_at => f.get("closes_at"), bump_offer_id => f.get("bump_offer_id"),
        bump_headline => f.get("bump_headline"), upsell_offer_id => f.get("upsell_offer_id"),
    };
    let html = ctx.render(
        "commerce/admin/offer_form.html",
        context! {
            product => Serde(product), offer => Serde(&offer), form, errors => Serde(errors), others,
            currencies => CURRENCIES.to_vec(), sales, zone => ctx.school.time_zone.clone(),
        },
    )?;
    Ok((form_status(errors), html).into_response())
}

/// The form for a new offer of a product.
pub async fn new(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let mut tx = ctx.tx().await?;
    let product = load_product(&mut tx, &id).await?;
    tx.commit().await?;
    let defaults = Fields(vec![
        ("kind".into(), "one_time".into()),
        ("currency".into(), ctx.school.currency.clone()),
        ("interval".into(), "month".into()),
        ("installments".into(), "3".into()),
        ("trial_days".into(), "0".into()),
        ("visible".into(), "on".into()),
    ]);
    page(&ctx, &product, None, &defaults, &FieldErrors::default()).await
}

/// Adds an offer to a product.
pub async fn create(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let f = Fields(fields);
    let mut tx = ctx.tx().await?;
    let product = load_product(&mut tx, &id).await?;
    let draft = catalog::offer_draft(&mut tx, &f, product.id, None, &ctx.school.time_zone, ctx.shell.locale).await?;
    let draft = match draft {
        Ok(d) => d,
        Err(errors) => {
            tx.commit().await?;
            return page(&ctx, &product, None, &f, &errors).await;
        }
    };
    match cs::insert_offer(&mut tx, &draft).await {
        Ok(id) => {
            let payload = serde_json::json!({
                "offer_id": id, "product_id": product.id, "slug": draft.slug, "kind": draft.kind,
                "currency": draft.currency, "amount": draft.amount,
            });
            ctx.state.events.publish(&mut tx, "offer.created", payload).await?;
        }
        Err(e) if cs::is_duplicate(&e, "offers_slug") => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("slug", ctx.t("catalog-error-slug-taken-now"));
            return page(&ctx, &product, None, &f, &errors).await;
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    let flash = ctx.t_args("catalog-offer-created", &[("name", draft.name.into())]);
    Ok(ctx.redirect_with(&format!("/admin/products/{}#offers", product.id), "success", flash).into_response())
}

/// An offer's form as stored.
pub async fn edit(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let mut tx = ctx.tx().await?;
    let (offer, product) = load(&mut tx, &id).await?;
    tx.commit().await?;
    let f = stored(&offer, &ctx.school.time_zone);
    page(&ctx, &product, Some(&offer), &f, &FieldErrors::default()).await
}

/// Saves an offer's changes (orders already placed keep what they paid).
pub async fn save(ctx: Ctx, Path(id): Path<String>, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let f = Fields(fields);
    let mut tx = ctx.tx().await?;
    let (offer, product) = load(&mut tx, &id).await?;
    let draft =
        catalog::offer_draft(&mut tx, &f, product.id, Some(offer.id), &ctx.school.time_zone, ctx.shell.locale).await?;
    let draft = match draft {
        Ok(d) => d,
        Err(errors) => {
            tx.commit().await?;
            return page(&ctx, &product, Some(&offer), &f, &errors).await;
        }
    };
    match cs::update_offer(&mut tx, offer.id, &draft).await {
        Ok(()) => {}
        Err(e) if cs::is_duplicate(&e, "offers_slug") => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("slug", ctx.t("catalog-error-slug-taken-now"));
            return page(&ctx, &product, Some(&offer), &f, &errors).await;
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    let flash = ctx.t_args("catalog-offer-saved", &[("name", draft.name.into())]);
    Ok(ctx.redirect_with(&format!("/admin/products/{}#offers", product.id), "success", flash).into_response())
}

/// Takes an offer off sale: its address shows that it is closed.
pub async fn archive(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_archived(ctx, id, true).await
}

/// Puts an archived offer back on sale.
pub async fn restore(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_archived(ctx, id, false).await
}

async fn set_archived(ctx: Ctx, id: String, archived: bool) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let mut tx = ctx.tx().await?;
    let (offer, product) = load(&mut tx, &id).await?;
    cs::set_offer_archived(&mut tx, offer.id, archived.then(|| ctx.state.clock.now())).await?;
    tx.commit().await?;
    let flash = if archived { "catalog-offer-archived" } else { "catalog-offer-restored" };
    let message = ctx.t_args(flash, &[("name", offer.name.into())]);
    Ok(ctx.redirect_with(&format!("/admin/products/{}#offers", product.id), "success", message).into_response())
}
