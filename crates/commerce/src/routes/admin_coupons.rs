//! `/admin/coupons`: the school's discount codes with their uses (counted from orders) against
//! their limit; creating, editing, archiving and restoring one. Each coupon's page gives a link
//! per offer that opens the checkout with the code already applied.

use axum::{
    extract::{Path, Query},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, format::CURRENCIES, web::FieldErrors, web::Form};
use minijinja::{Value, context, value::Serde};

use super::{
    admin_products::{ListQuery, search},
    form_status,
};
use crate::{
    affiliates::{AffiliateId, attribution::coupons as affiliate_coupons},
    catalog::{self, CouponInput, Fields, amount_input, local_input},
    catalog_store as cs,
    model::{Coupon, CouponId},
    store,
};

/// The list.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let q = search(q.text());
    let mut tx = ctx.tx().await?;
    let coupons = cs::coupons(&mut tx).await?;
    let uses = cs::coupon_uses(&mut tx).await?;
    let offers = cs::offers(&mut tx).await?;
    let affiliates = affiliate_coupons::labels(&mut tx).await?;
    tx.commit().await?;
    let needle = q.to_uppercase();
    let rows: Vec<Value> = coupons
        .iter()
        .filter(|c| needle.is_empty() || c.code.contains(&needle))
        .map(|c| {
            let applies: Vec<String> = c
                .offer_ids
                .iter()
                .flatten()
                .filter_map(|id| offers.iter().find(|o| o.id.0 == *id).map(|o| o.name.clone()))
                .collect();
            let affiliate = affiliates.get(&c.id).cloned();
            context! { coupon => Serde(c), uses => uses.get(&c.id).copied().unwrap_or(0), applies, affiliate }
        })
        .collect();
    let html = ctx.render("commerce/admin/coupons.html", context! { rows, total => coupons.len(), q })?;
    Ok(html.into_response())
}

async fn load(tx: &mut kernel::db::TenantTx, id: &str) -> AppResult<Coupon> {
    let id: CouponId = id.parse().map_err(|_| AppError::NotFound)?;
    store::coupon(tx, id).await?.ok_or(AppError::NotFound)
}

/// The form's values for a stored coupon tied to `affiliate`.
fn stored(c: &Coupon, affiliate: Option<AffiliateId>, zone: &str) -> Fields {
    let currency = c.currency.clone().unwrap_or_default();
    let mut v = vec![
        ("code", c.code.clone()),
        ("discount", if c.percent_off.is_some() { "percent" } else { "amount" }.to_string()),
        ("percent_off", c.percent_off.map(|p| p.to_string()).unwrap_or_default()),
        ("amount_off", c.amount_off.map(|a| amount_input(a, &currency)).unwrap_or_default()),
        ("currency", currency.clone()),
        ("duration", c.duration.clone()),
        ("duration_months", c.duration_months.map(|n| n.to_string()).unwrap_or_default()),
        ("applies", if c.offer_ids.is_some() { "chosen" } else { "all" }.to_string()),
        ("expires_at", c.expires_at.map(|at| local_input(at, zone)).unwrap_or_default()),
        ("max_redemptions", c.max_redemptions.map(|n| n.to_string()).unwrap_or_default()),
        ("per_customer_limit", c.per_customer_limit.map(|n| n.to_string()).unwrap_or_default()),
        ("affiliate", affiliate.map(|a| a.to_string()).unwrap_or_default()),
    ];
    for id in c.offer_ids.iter().flatten() {
        v.push(("offer", id.to_string()));
    }
    Fields(v.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

async fn page(ctx: &Ctx, coupon: Option<&Coupon>, f: &Fields, errors: &FieldErrors) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let offers = cs::offers(&mut tx).await?;
    let products = cs::products(&mut tx).await?;
    let uses = match coupon {
        Some(c) => cs::coupon_uses(&mut tx).await?.get(&c.id).copied().unwrap_or(0),
        None => 0,
    };
    let current = match coupon {
        Some(c) => affiliate_coupons::current(&mut tx, c.id).await?,
        None => None,
    };
    let affiliates = affiliate_coupons::choices(&mut tx, current).await?;
    tx.commit().await?;
    let chosen = f.all("offer");
    let options: Vec<Value> = offers
        .iter()
        .filter(|o| o.archived_at.is_none() || chosen.contains(&o.id.to_string().as_str()))
        .map(|o| {
            let product = products.iter().find(|p| p.id == o.product_id).map(|p| p.name.clone()).unwrap_or_default();
            context! {
                id => o.id.to_string(), name => o.name.clone(), product, slug => o.slug.clone(),
                currency => o.currency.clone(), amount => o.amount, kind => o.kind.clone(),
                chosen => chosen.contains(&o.id.to_string().as_str()),
            }
        })
        .collect();
    // The links that pre-apply a saved coupon: to the offers it covers that are on sale.
    let links: Vec<Value> = match coupon {
        Some(c) => offers
            .iter()
            .filter(|o| o.archived_at.is_none())
            .filter(|o| c.offer_ids.as_ref().is_none_or(|ids| ids.contains(&o.id.0)))
            .map(|o| context! { name => o.name.clone(), slug => o.slug.clone() })
            .collect(),
        None => Vec::new(),
    };
    let form = context! {
        code => f.get("code"), discount => f.get("discount"), percent_off => f.get("percent_off"),
        amount_off => f.get("amount_off"), currency => f.get("currency"), duration => f.get("duration"),
        duration_months => f.get("duration_months"), applies => f.get("applies"), expires_at => f.get("expires_at"),
        max_redemptions => f.get("max_redemptions"), per_customer_limit => f.get("per_customer_limit"),
        affiliate => f.get("affiliate"),
    };
    let html = ctx.render(
        "commerce/admin/coupons_form.html",
        context! {
            coupon => Serde(&coupon), form, errors => Serde(errors), options, links, uses, affiliates => Serde(&affiliates),
            currencies => CURRENCIES.to_vec(), zone => ctx.school.time_zone.clone(),
        },
    )?;
    Ok((form_status(errors), html).into_response())
}

/// The form for a new coupon.
pub async fn new(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let defaults = Fields(vec![
        ("discount".into(), "percent".into()),
        ("currency".into(), ctx.school.currency.clone()),
        ("duration".into(), "once".into()),
        ("applies".into(), "all".into()),
    ]);
    page(&ctx, None, &defaults, &FieldErrors::default()).await
}

/// Creates a coupon.
pub async fn create(ctx: Ctx, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    submit(ctx, None, Fields(fields)).await
}

/// A coupon's form as stored.
pub async fn edit(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let mut tx = ctx.tx().await?;
    let coupon = load(&mut tx, &id).await?;
    let affiliate = affiliate_coupons::current(&mut tx, coupon.id).await?;
    tx.commit().await?;
    page(&ctx, Some(&coupon), &stored(&coupon, affiliate, &ctx.school.time_zone), &FieldErrors::default()).await
}

/// Saves a coupon's changes.
pub async fn save(ctx: Ctx, Path(id): Path<String>, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let mut tx = ctx.tx().await?;
    let coupon = load(&mut tx, &id).await?;
    tx.commit().await?;
    submit(ctx, Some(coupon), Fields(fields)).await
}

async fn submit(ctx: Ctx, coupon: Option<Coupon>, f: Fields) -> AppResult<Response> {
    let mut errors = FieldErrors::default();
    let input = CouponInput::from_form(&f, &ctx.school.time_zone, ctx.shell.locale, &mut errors);
    let mut tx = ctx.tx().await?;
    let current = match &coupon {
        Some(c) => affiliate_coupons::current(&mut tx, c.id).await?,
        None => None,
    };
    let affiliate = affiliate_coupons::parse_choice(&mut tx, f.get("affiliate"), current).await?.unwrap_or_else(|()| {
        errors.add("affiliate", ctx.t("affiliates-coupon-affiliate-unknown"));
        None
    });
    let draft =
        match catalog::coupon_draft(&mut tx, &input, coupon.as_ref().map(|c| c.id), ctx.shell.locale, errors).await? {
            Ok(d) => d,
            Err(errors) => {
                tx.commit().await?;
                return page(&ctx, coupon.as_ref(), &f, &errors).await;
            }
        };
    let saved = match &coupon {
        Some(c) => cs::update_coupon(&mut tx, c.id, &draft).await.map(|()| c.id),
        None => cs::insert_coupon(&mut tx, &draft).await,
    };
    let id = match saved {
        Ok(id) => id,
        Err(e) if cs::is_duplicate(&e, "coupons_code") => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("code", ctx.t("catalog-error-code-taken"));
            return page(&ctx, coupon.as_ref(), &f, &errors).await;
        }
        Err(e) => return Err(e.into()),
    };
    affiliate_coupons::set(&mut tx, id, affiliate).await?;
    if coupon.is_none() {
        let payload = serde_json::json!({ "coupon_id": id, "code": draft.code });
        ctx.state.events.publish(&mut tx, "coupon.created", payload).await?;
    }
    tx.commit().await?;
    let flash = if coupon.is_some() { "catalog-coupon-saved" } else { "catalog-coupon-created" };
    let message = ctx.t_args(flash, &[("code", draft.code.into())]);
    Ok(ctx.redirect_with(&format!("/admin/coupons/{id}"), "success", message).into_response())
}

/// Stops accepting a coupon.
pub async fn archive(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_archived(ctx, id, true).await
}

/// Accepts an archived coupon again.
pub async fn restore(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_archived(ctx, id, false).await
}

async fn set_archived(ctx: Ctx, id: String, archived: bool) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let mut tx = ctx.tx().await?;
    let coupon = load(&mut tx, &id).await?;
    cs::set_coupon_archived(&mut tx, coupon.id, archived.then(|| ctx.state.clock.now())).await?;
    tx.commit().await?;
    let flash = if archived { "catalog-coupon-archived" } else { "catalog-coupon-restored" };
    let message = ctx.t_args(flash, &[("code", coupon.code.into())]);
    Ok(ctx.redirect_with("/admin/coupons", "success", message).into_response())
}
