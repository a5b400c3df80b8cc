//! `GET /checkout/thanks/{checkout}`: after payment, what was bought and where to go next.
//! Until the payment is recorded (a provider's webhook may arrive a moment later) it says so
//! and refreshes itself.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};

use crate::{model::CheckoutId, store};

pub async fn page(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let id: CheckoutId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let checkout = store::checkout(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let offer = store::offer(&mut tx, checkout.offer_id).await?.ok_or(AppError::NotFound)?;
    let order = store::order_of_checkout(&mut tx, checkout.id).await?;
    let receipt = match &order {
        Some(o) => store::payments_of_order(&mut tx, o.id).await?.into_iter().find_map(|p| p.receipt_number),
        None => None,
    };
    let first_course = match &order {
        Some(o) => {
            let products = store::order_products(&mut tx, o.id).await?;
            match store::product_course_ids(&mut tx, &products).await?.first() {
                Some(id) => courses::store::course(&mut tx, *id).await?.map(|c| c.slug),
                None => None,
            }
        }
        None => None,
    };
    tx.commit().await?;
    let html = ctx.render(
        "commerce/thanks.html",
        context! { checkout => Serde(&checkout), offer => Serde(&offer), order => Serde(&order), receipt, first_course },
    )?;
    Ok(html.into_response())
}
