//! `GET/POST /checkout/{offer}`: the order form. It shows what the buyer gets and the price
//! computed on the server (with the coupon, the bump and the tax of the buyer's country), and
//! on submit stores a checkout and sends the buyer to the school's payment provider.
//! `?coupon=CODE` pre-applies a coupon (shareable links).

use axum::{
    extract::{Path, Query},
    response::{IntoResponse, Redirect, Response},
};
use identity::Ctx;
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    checkout::{self, Request},
    model::{Coupon, Offer},
    pricing, provider, store,
};

/// The form's fields (also the query string of a shared link).
#[derive(Deserialize, Default, Clone)]
pub struct CheckoutForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    coupon: String,
    #[serde(default)]
    bump: Option<String>,
    /// `apply` re-prices with the coupon instead of paying.
    #[serde(default)]
    action: String,
}

async fn sellable(tx: &mut kernel::db::TenantTx, slug: &str) -> AppResult<Offer> {
    store::offer_by_slug(tx, slug).await?.ok_or(AppError::NotFound)
}

pub async fn page(ctx: Ctx, Path(slug): Path<String>, Query(q): Query<CheckoutForm>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let offer = sellable(&mut tx, &slug).await?;
    let mut f = q;
    if let Some(user) = &ctx.user {
        f.email = user.email.clone();
        f.name = user.name.clone();
    }
    let html = render(&ctx, &mut tx, &offer, &f, FieldErrors::default()).await?;
    tx.commit().await?;
    Ok(html)
}

async fn render(
    ctx: &Ctx,
    tx: &mut kernel::db::TenantTx,
    offer: &Offer,
    f: &CheckoutForm,
    mut errors: FieldErrors,
) -> AppResult<Response> {
    let closed = checkout::on_sale(&ctx.state, tx, offer).await?.err();
    let product = store::product(tx, offer.product_id).await?.ok_or(AppError::NotFound)?;
    let course_ids = store::product_course_ids(tx, &[product.id]).await?;
    let mut course_titles = Vec::new();
    for id in course_ids {
        if let Some(c) = courses::store::course(tx, id).await? {
            course_titles.push(c.title);
        }
    }
    let bump = checkout::bump_of(&ctx.state, tx, offer).await?;
    let coupon = applied_coupon(ctx, tx, offer, f, &mut errors).await?;
    let country = country(&f.country);
    let rule = checkout::tax_rule(tx, country.as_deref()).await?;
    let with_bump = f.bump.is_some() && bump.is_some();
    let quote = pricing::quote(offer, bump.as_ref().filter(|_| with_bump), coupon.as_ref(), rule);
    let html = ctx.render(
        "commerce/checkout.html",
        context! {
            offer => Serde(offer), product => Serde(&product), courses => course_titles,
            bump => Serde(&bump), bump_price => bump.as_ref().map(pricing::first_amount),
            quote => Serde(&quote), coupon => Serde(&coupon), closed => closed.map(|c| ctx.t(c.message_key())),
            form => context! { email => f.email.clone(), name => f.name.clone(), country => f.country.clone(),
                               coupon => f.coupon.clone(), bump => with_bump },
            errors => Serde(&errors),
        },
    )?;
    Ok((super::form_status(&errors), html).into_response())
}

async fn applied_coupon(
    ctx: &Ctx,
    tx: &mut kernel::db::TenantTx,
    offer: &Offer,
    f: &CheckoutForm,
    errors: &mut FieldErrors,
) -> AppResult<Option<Coupon>> {
    let code = f.coupon.trim();
    if code.is_empty() {
        return Ok(None);
    }
    match checkout::find_coupon(&ctx.state, tx, code, offer, &f.email).await? {
        Ok(c) => Ok(Some(c)),
        Err(refused) => {
            errors.add("coupon", ctx.t(refused.message_key()));
            Ok(None)
        }
    }
}

fn country(input: &str) -> Option<String> {
    let c = input.trim().to_ascii_uppercase();
    (c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase())).then_some(c)
}

pub async fn submit(ctx: Ctx, Path(slug): Path<String>, Form(f): Form<CheckoutForm>) -> AppResult<Response> {
    ctx.ensure_open()?;
    let mut tx = ctx.tx().await?;
    let offer = sellable(&mut tx, &slug).await?;
    let mut errors = FieldErrors::default();
    if f.action == "apply" {
        return render(&ctx, &mut tx, &offer, &f, errors).await;
    }
    if checkout::on_sale(&ctx.state, &mut tx, &offer).await?.is_err() {
        return render(&ctx, &mut tx, &offer, &f, errors).await;
    }
    let email = match &ctx.user {
        Some(user) => user.email.clone(),
        None => match identity::model::Email::parse(&f.email) {
            Some(e) => e.as_str().to_string(),
            None => {
                errors.add("email", ctx.t("validation-email-invalid"));
                String::new()
            }
        },
    };
    let coupon =
        applied_coupon(&ctx, &mut tx, &offer, &CheckoutForm { email: email.clone(), ..f.clone() }, &mut errors).await?;
    if !errors.is_empty() {
        return render(&ctx, &mut tx, &offer, &f, errors).await;
    }
    let bump = if f.bump.is_some() { checkout::bump_of(&ctx.state, &mut tx, &offer).await? } else { None };
    let provider = provider::of_school(&ctx.state, &mut tx).await?;
    let country = country(&f.country);
    let (checkout, _) = checkout::create(
        &ctx.state,
        &mut tx,
        provider.name(),
        Request {
            offer: &offer,
            bump: bump.as_ref(),
            coupon: coupon.as_ref(),
            user: ctx.user.as_ref().map(|u| u.id),
            email: &email,
            name: ctx.user.as_ref().map_or(f.name.as_str(), |u| u.name.as_str()),
            country: country.as_deref(),
            billing_address: "",
            parent_order: None,
            attribution: serde_json::json!({}),
        },
    )
    .await?;
    let to = provider.begin(&ctx.state, &mut tx, &ctx.school, &checkout).await.map_err(AppError::Internal)?;
    tx.commit().await?;
    Ok(Redirect::to(&to).into_response())
}
