//! `GET /checkout/thanks/{checkout}`: after payment, what was bought, the receipt number and
//! where to go next (the course, or first the one-click upsell when the offer has one). A
//! buyer whose account this payment created is signed in here, once, in the browser that paid;
//! a buyer who already had an account is asked to log in. Until the payment is recorded (a
//! provider's webhook may arrive a moment later) the page says so and refreshes itself.

use axum::{
    extract::Path,
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{
    AppError, AppResult,
    web::{Flash, ShellUser},
};
use minijinja::{context, value::Serde};

use crate::{buyer, checkout, model::CheckoutId, store};

pub async fn page(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap) -> AppResult<Response> {
    let id: CheckoutId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let checkout = store::checkout(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let offer = store::offer(&mut tx, checkout.offer_id).await?.ok_or(AppError::NotFound)?;
    let product =
        store::product(&mut tx, offer.product_id).await?.map(|p| p.name).unwrap_or_else(|| offer.name.clone());
    let order = store::order_of_checkout(&mut tx, checkout.id).await?;
    let mut ctx = ctx;
    if let Some(o) = &order
        && ctx.user.is_none()
        && let Some(user) = buyer::claim_sign_in(&ctx.state, &mut tx, &checkout, o.created_at, &headers)
            .await
            .map_err(AppError::Internal)?
    {
        identity::service::start_session(&ctx.state, &mut tx, &ctx.visitor, &user, false, &ctx.device()).await?;
        signed_in_now(&mut ctx, user);
    }
    let receipt = match &order {
        Some(o) => store::payments_of_order(&mut tx, o.id).await?.into_iter().find_map(|p| p.receipt_number),
        None => None,
    };
    let (first_course, bought) = match &order {
        Some(o) => {
            let products = store::order_products(&mut tx, o.id).await?;
            let slug = match store::product_course_ids(&mut tx, &products).await?.first() {
                Some(id) => courses::store::course(&mut tx, *id).await?.map(|c| c.slug),
                None => None,
            };
            (slug, checkout::what_you_get(&mut tx, &products).await?)
        }
        None => (None, Vec::new()),
    };
    let mine = ctx.user.as_ref().is_some_and(|u| Some(u.id) == order.as_ref().map(|o| o.user_id))
        || buyer::is_buyers_browser(&mut tx, checkout.id, &headers).await?;
    let upsell = match (&order, offer.upsell_offer_id, checkout.parent_order_id) {
        (Some(_), Some(up), None) if mine => match store::offer(&mut tx, up).await? {
            Some(u) if checkout::on_sale(&ctx.state, &mut tx, &u).await?.is_ok() => Some(u),
            _ => None,
        },
        _ => None,
    };
    let upsell_taken =
        match (&order, &upsell) {
            (Some(o), Some(u)) => sqlx::query_scalar::<_, bool>(
                "select exists (select 1 from checkouts where tenant_id = $1 and parent_order_id = $2 and offer_id = $3
                            and status = 'paid')",
            )
            .bind(tx.tenant())
            .bind(o.id)
            .bind(u.id)
            .fetch_one(&mut *tx)
            .await?,
            _ => false,
        };
    tx.commit().await?;
    let start = first_course.as_ref().map(|slug| format!("/learn/{slug}"));
    let login_url = format!("/login?next={}", start.as_deref().unwrap_or("/dashboard"));
    let html = ctx.render(
        "commerce/thanks.html",
        context! {
            checkout => Serde(&checkout), offer => Serde(&offer), product, order => Serde(&order), receipt, start,
            bought => Serde(&bought), upsell => Serde(&upsell.filter(|_| !upsell_taken)), login_url,
            signed_in => ctx.user.is_some(),
        },
    )?;
    Ok(html.into_response())
}

/// Shows this very page as the buyer just signed in sees it (the session cookie goes out with
/// it), with the toast saying so.
fn signed_in_now(ctx: &mut Ctx, user: identity::User) {
    ctx.visitor.logged_in();
    ctx.shell.user = Some(ShellUser {
        name: user.name.clone(),
        email: user.email.clone(),
        role: user.role_name.clone(),
        is_staff: user.role().is_staff(),
        initials: user.initials(),
        can: user.role().permission_names(),
    });
    ctx.shell.flash.push(Flash { kind: "success".into(), text: ctx.t("thanks-signed-in") });
    ctx.user = Some(std::sync::Arc::new(user));
}
