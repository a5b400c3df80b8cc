//! Commerce (ARCHITECTURE §8): products and offers, checkout, payment providers (the built-in
//! sandbox and Stripe Connect), subscriptions, coupons, refunds and receipts.
//!
//! Money facts are written only by [`ledger`] (idempotent on the provider's object ids);
//! totals only by [`pricing`]; access changes only through [`access`], which reacts to
//! `order.paid` and `order.refunded` and calls the courses crate's enrolment service. Other
//! domains learn about sales from the events `order.paid`, `order.refunded`,
//! `payment.succeeded`, `subscription.created|renewed|past_due|canceled` and
//! `checkout.abandoned`.

pub mod access;
pub mod checkout;
pub mod demo;
pub mod inbox;
pub mod ledger;
pub mod model;
pub mod pricing;
pub mod provider;
pub mod routes;
pub mod sandbox;
pub mod store;
pub mod subscriptions;

pub use model::{CheckoutId, Offer, OfferId, Order, OrderId, ProductId, SubscriptionId};

/// Registers the commerce templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Commerce's jobs and event subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    access::wire(w);
}

/// Routes on a school's site.
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}
