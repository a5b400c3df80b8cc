//! `GET/POST /checkout/{offer}`: the order form, and `POST /checkout/{offer}/quote`, the order
//! summary it refreshes in place (htmx) when the coupon, the bump, the country or the email
//! change. The page shows what the buyer gets and the price computed on the server (with the
//! coupon, the bump and the tax of the buyer's country); on submit it stores a checkout and
//! sends the buyer to the school's payment provider. `?coupon=CODE` pre-applies a coupon
//! (shareable links); UTM parameters, `ref` and the landing page (`lp`, `lpv`) are kept on the checkout for attribution.

use axum::{
    extract::{Path, Query},
    http::{HeaderMap, header},
    response::{IntoResponse, Redirect, Response},
};
use identity::Ctx;
use kernel::{
    AppError, AppResult,
    rate::Limit,
    web::{FieldErrors, Form},
};
use minijinja::{Value, context, value::Serde};
use serde::Deserialize;

use crate::{
    buyer,
    checkout::{self, Request},
    countries,
    model::{Coupon, Offer},
    pricing, provider, store,
};

/// Checkout submissions one visitor may make in ten minutes.
const SUBMIT_LIMIT: Limit = Limit { max: 20, window: std::time::Duration::from_secs(600) };
/// Summary refreshes (coupon tries among them) one visitor may make in ten minutes.
const QUOTE_LIMIT: Limit = Limit { max: 120, window: std::time::Duration::from_secs(600) };

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
    billing_address: String,
    #[serde(default)]
    coupon: String,
    #[serde(default)]
    bump: Option<String>,
    /// `apply` re-prices with the coupon instead of paying.
    #[serde(default)]
    action: String,
    #[serde(default)]
    utm_source: String,
    #[serde(default)]
    utm_medium: String,
    #[serde(default)]
    utm_campaign: String,
    #[serde(default)]
    utm_content: String,
    #[serde(default)]
    utm_term: String,
    #[serde(default, rename = "ref")]
    referral: String,
    /// The built page the buyer came from (`?lp={page_slug}`), and its A/B variant (`lpv`).
    #[serde(default)]
    lp: String,
    #[serde(default)]
    lpv: String,
}

impl CheckoutForm {
    fn tracking(&self) -> [(&'static str, &str); 8] {
        [
            ("utm_source", &self.utm_source),
            ("utm_medium", &self.utm_medium),
            ("utm_campaign", &self.utm_campaign),
            ("utm_content", &self.utm_content),
            ("utm_term", &self.utm_term),
            ("ref", &self.referral),
            ("lp", &self.lp),
            ("lpv", &self.lpv),
        ]
    }
}

async fn sellable(tx: &mut kernel::db::TenantTx, slug: &str) -> AppResult<Offer> {
    store::offer_by_slug(tx, slug).await?.ok_or(AppError::NotFound)
}

pub async fn page(
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CheckoutForm>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let offer = sellable(&mut tx, &slug).await?;
    let mut f = q;
    if let Some(user) = &ctx.user {
        f.email = user.email.clone();
        f.name = user.name.clone();
    }
    if !countries::is_known(f.country.trim()) {
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        f.country = countries::from_accept_language(accept).unwrap_or_default();
    }
    let html = render(&ctx, &mut tx, &offer, &f, FieldErrors::default()).await?;
    tx.commit().await?;
    Ok(html)
}

/// The order summary and the totals for the form as it stands; records a refused coupon.
async fn summary(
    ctx: &Ctx,
    tx: &mut kernel::db::TenantTx,
    offer: &Offer,
    f: &CheckoutForm,
    errors: &mut FieldErrors,
) -> AppResult<Value> {
    let product = store::product(tx, offer.product_id).await?.ok_or(AppError::NotFound)?;
    let bump = checkout::bump_of(&ctx.state, tx, offer).await?;
    let coupon = applied_coupon(ctx, tx, offer, f, errors).await?;
    let country = country(&f.country);
    let rule = checkout::tax_rule(tx, country.as_deref()).await?;
    let tax_label = checkout::tax_label(tx, country.as_deref()).await?;
    let with_bump = f.bump.is_some() && bump.is_some();
    let quote = pricing::quote(offer, bump.as_ref().filter(|_| with_bump), coupon.as_ref(), rule);
    let courses = checkout::what_you_get(tx, &[product.id]).await?;
    let existing_account = ctx.user.is_none() && buyer::has_account(tx, &f.email).await?;
    Ok(context! {
        offer => Serde(offer), product => Serde(&product), courses => Serde(&courses),
        bump => Serde(&bump), bump_price => bump.as_ref().map(pricing::first_amount),
        quote => Serde(&quote), coupon => Serde(&coupon), tax_label,
        tax_rate => format!("{}", f64::from(rule.rate_bp) / 100.0),
        existing_account, login_url => format!("/login?next=/checkout/{}", offer.slug),
    })
}

async fn render(
    ctx: &Ctx,
    tx: &mut kernel::db::TenantTx,
    offer: &Offer,
    f: &CheckoutForm,
    mut errors: FieldErrors,
) -> AppResult<Response> {
    let closed = checkout::on_sale(&ctx.state, tx, offer).await?.err();
    let summary = summary(ctx, tx, offer, f, &mut errors).await?;
    let tracking: Vec<(String, String)> =
        f.tracking().into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let html = ctx.render(
        "commerce/checkout.html",
        context! {
            ..summary,
            ..context! {
                closed => closed.map(|c| ctx.t(c.message_key())),
                countries => countries::options(ctx.shell.locale),
                tracking,
                form => form_value(f),
                errors => Serde(&errors),
            }
        },
    )?;
    Ok((super::form_status(&errors), html).into_response())
}

fn form_value(f: &CheckoutForm) -> Value {
    context! { email => f.email.clone(), name => f.name.clone(), country => f.country.clone(),
    billing_address => f.billing_address.clone(), coupon => f.coupon.clone(), bump => f.bump.is_some() }
}

/// `POST /checkout/{offer}/quote`: the summary partial with the coupon's feedback, the pay
/// button's amount and the account notice swapped in beside it.
pub async fn quote(ctx: Ctx, Path(slug): Path<String>, Form(f): Form<CheckoutForm>) -> AppResult<Response> {
    ctx.rate_limit("checkout-quote", QUOTE_LIMIT)?;
    let mut tx = ctx.tx().await?;
    let offer = sellable(&mut tx, &slug).await?;
    let mut errors = FieldErrors::default();
    let mut f = f;
    if let Some(user) = &ctx.user {
        f.email = user.email.clone();
    }
    let summary = summary(&ctx, &mut tx, &offer, &f, &mut errors).await?;
    tx.commit().await?;
    let html = ctx.render(
        "commerce/_checkout_quote.html",
        context! { ..summary, ..context! { form => form_value(&f), errors => Serde(&errors) } },
    )?;
    Ok(html.into_response())
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
    match checkout::find_coupon(&ctx.state, tx, code, offer, f.email.trim()).await? {
        Ok(c) => Ok(Some(c)),
        Err(refused) => {
            errors.add("coupon", ctx.t(refused.message_key()));
            Ok(None)
        }
    }
}

fn country(input: &str) -> Option<String> {
    let c = input.trim().to_ascii_uppercase();
    countries::is_known(&c).then_some(c)
}

pub async fn submit(
    ctx: Ctx,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(f): Form<CheckoutForm>,
) -> AppResult<Response> {
    ctx.ensure_open()?;
    let mut tx = ctx.tx().await?;
    let offer = sellable(&mut tx, &slug).await?;
    let mut errors = FieldErrors::default();
    if f.action == "apply" {
        return render(&ctx, &mut tx, &offer, &f, errors).await;
    }
    if let Err(wait) = ctx.rate_check("checkout-submit", SUBMIT_LIMIT) {
        errors.add("email", ctx.t_args("checkout-slow-down", &[("minutes", (wait.div_ceil(60) as i64).into())]));
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
    if !f.country.trim().is_empty() && country(&f.country).is_none() {
        errors.add("country", ctx.t("checkout-country-invalid"));
    }
    if f.billing_address.chars().count() > 500 {
        errors.add("billing_address", ctx.t("checkout-billing-too-long"));
    }
    let coupon =
        applied_coupon(&ctx, &mut tx, &offer, &CheckoutForm { email: email.clone(), ..f.clone() }, &mut errors).await?;
    if !errors.is_empty() {
        return render(&ctx, &mut tx, &offer, &f, errors).await;
    }
    let bump = if f.bump.is_some() { checkout::bump_of(&ctx.state, &mut tx, &offer).await? } else { None };
    let provider = provider::of_school(&ctx.state, &mut tx).await?;
    let country = country(&f.country);
    let referral_cookie = crate::affiliates::attribution::verified_cookie(&ctx.state, &mut tx, &headers).await?;
    let attribution = checkout::attribution(&f.tracking(), referral_cookie.as_ref());
    let new_account = ctx.user.is_none() && !buyer::has_account(&mut tx, &email).await?;
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
            billing_address: &f.billing_address,
            parent_order: None,
            attribution,
        },
    )
    .await?;
    let browser = buyer::browser_token(&headers);
    buyer::record(&mut tx, checkout.id, &browser, new_account).await?;
    crate::abandon::schedule(&mut tx).await?;
    let to = provider.begin(&ctx.state, &mut tx, &ctx.school, &checkout).await.map_err(AppError::Internal)?;
    tx.commit().await?;
    let cookie = buyer::cookie(&browser, ctx.visitor.is_https());
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response())
}
