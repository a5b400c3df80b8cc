//! Giving a product to a student ("comp"): an order with `source = 'comp'`, provider `none`
//! and nothing charged, its line, and `order.paid`, so access comes through the same path as
//! a sale (and is granted once). No payment and no receipt. Taking it back is
//! [`crate::access::revoke`] on that order.

use kernel::{AppState, db::TenantTx, ids::UserId};
use serde_json::json;

use crate::{
    ledger::LedgerError,
    model::{Offer, OrderId, ProductId},
    store,
};

/// What giving did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Given {
    /// A new comp order.
    Created(OrderId),
    /// The student already holds this product by a comp that was not taken back: that order.
    AlreadyHas(OrderId),
}

/// The offer a comp order records: the product's oldest live one-time offer, else its oldest
/// offer (orders always name an offer; the amount recorded is zero whatever it sells for).
async fn offer_for(tx: &mut TenantTx, product: ProductId) -> sqlx::Result<Option<Offer>> {
    let id: Option<crate::OfferId> = sqlx::query_scalar(
        "select id from offers where tenant_id = $1 and product_id = $2
         order by (archived_at is null) desc, (kind = 'one_time') desc, created_at, id limit 1",
    )
    .bind(tx.tenant())
    .bind(product)
    .fetch_optional(&mut **tx)
    .await?;
    match id {
        Some(id) => store::offer(tx, id).await,
        None => Ok(None),
    }
}

/// Gives `product` to `user` on behalf of `actor`, in the caller's transaction.
#[tracing::instrument(skip_all, fields(tenant_id = %tx.tenant()))]
pub async fn give(
    state: &AppState,
    tx: &mut TenantTx,
    user: UserId,
    product: ProductId,
    actor: UserId,
) -> Result<Given, LedgerError> {
    // One comp at a time per student: a double click waits here and then finds the first.
    crate::access::lock_person(tx, user).await?;
    let person =
        identity::store::find(tx, user).await?.map(|u| (u.email, u.name)).ok_or(LedgerError::Unknown("student"))?;
    let held: Option<OrderId> = sqlx::query_scalar(
        "select o.id from orders o join order_items i on i.tenant_id = o.tenant_id and i.order_id = o.id
         where o.tenant_id = $1 and o.user_id = $2 and i.product_id = $3 and o.source = 'comp'
           and not exists (select 1 from access_grants g where g.tenant_id = o.tenant_id and g.order_id = o.id
                             and g.revoked_at is not null)
         order by o.created_at desc limit 1",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(product)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(order) = held {
        return Ok(Given::AlreadyHas(order));
    }
    let product_row = store::product(tx, product).await?.ok_or(LedgerError::Unknown("product"))?;
    let offer = offer_for(tx, product).await?.ok_or(LedgerError::Unknown("offer"))?;
    let now = state.clock.now();
    let id = OrderId::new();
    sqlx::query(
        "insert into orders (tenant_id, id, user_id, email, name, offer_id, currency, subtotal, discount, tax, total,
                             source, provider, attribution, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, 0, 0, 0, 0, 'comp', 'none', $8, $9)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(user)
    .bind(&person.0)
    .bind(&person.1)
    .bind(offer.id)
    .bind(&offer.currency)
    .bind(json!({ "given_by": actor }))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    store::insert_order_item(tx, id, &offer, "main", 0).await?;
    state
        .events
        .publish(
            tx,
            "order.paid",
            json!({
                "order_id": id, "user_id": user, "email": person.0, "name": person.1,
                "offer_id": offer.id, "offer_name": offer.name, "product_ids": [product_row.id],
                "currency": offer.currency, "total": 0, "tax": 0, "discount": 0,
                "coupon_id": null, "source": "comp", "subscription_id": null,
                "attribution": { "given_by": actor }, "provider": "none",
            }),
        )
        .await?;
    Ok(Given::Created(id))
}
