//! A student's orders and subscriptions on their page in the admin (`/admin/people/{id}`),
//! through identity's [`PersonPanel`], with the form that gives them a product. Shown to
//! staff who manage sales only.

use std::sync::Arc;

use identity::{Ctx, Permission, User, panel::PersonPanel};
use kernel::{AppResult, db::TenantTx, state::Wiring};
use minijinja::{context, value::Serde};

use crate::sales_store::{self, OrderFilter, SubscriptionFilter};

/// Orders shown on the panel (the rest through the orders list, filtered by address).
const SHOWN: i64 = 10;

struct Sales;

#[async_trait::async_trait]
impl PersonPanel for Sales {
    async fn render(&self, ctx: &Ctx, tx: &mut TenantTx, person: &User) -> AppResult<Option<String>> {
        if !ctx.can(Permission::ManageSales) {
            return Ok(None);
        }
        let (orders, order_count) =
            sales_store::orders(tx, &OrderFilter { user: Some(person.id), ..Default::default() }, 0, SHOWN).await?;
        let (subscriptions, _) = sales_store::subscriptions(
            tx,
            &SubscriptionFilter { user: Some(person.id), ..Default::default() },
            0,
            SHOWN,
        )
        .await?;
        let products = sales_store::giftable_products(tx).await?;
        let html = ctx.render(
            "commerce/admin/_person_sales.html",
            context! {
                person => Serde(person), orders => Serde(&orders), order_count, subscriptions => Serde(&subscriptions),
                products => Serde(&products),
            },
        )?;
        Ok(Some(html.0))
    }
}

/// Registers the panel (called from [`crate::wire`]).
pub fn register(w: &mut Wiring) {
    identity::panel::register(w, Arc::new(Sales));
}
