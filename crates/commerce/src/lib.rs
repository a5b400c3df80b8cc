//! Commerce (ARCHITECTURE §8): products and offers, checkout, payment providers (the built-in
//! sandbox and Stripe Connect), subscriptions, coupons, refunds and receipts.
//!
//! Money facts are written only by [`ledger`] (idempotent on the provider's object ids);
//! totals only by [`pricing`]; access changes only through [`access`], which reacts to
//! `order.paid` and `order.refunded` and calls the courses crate's enrolment service. Other
//! domains learn about sales from the events `order.paid`, `order.refunded`,
//! `payment.succeeded`, `subscription.created|renewed|past_due|canceled` and
//! `checkout.abandoned`.

pub mod abandon;
pub mod access;
pub mod affiliates;
pub mod billing;
pub mod buyer;
pub mod catalog;
pub mod catalog_store;
pub mod checkout;
pub mod comp;
pub mod countries;
pub mod demo;
pub mod dunning;
pub mod inbox;
pub mod ledger;
pub mod model;
pub mod plan_change;
pub mod pricing;
pub mod provider;
pub mod receipts;
pub mod refunds;
pub mod routes;
pub mod sales;
pub mod sales_panel;
pub mod sales_store;
pub mod sandbox;
pub mod store;
pub mod stripe;
pub mod subscriptions;

pub use model::{CheckoutId, Offer, OfferId, Order, OrderId, ProductId, SubscriptionId};

/// Registers the commerce templates.
pub fn templates(env: &mut minijinja::Environment<'static>) {
    minijinja_embed::load_templates!(*env);
}

/// Commerce's jobs and event subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    access::wire(w);
    affiliates::wire(w);
    billing::wire(w);
    dunning::wire(w);
    receipts::mail::wire(w);
    abandon::wire(w);
    buyer::wire(w);
    sales_panel::register(w);
}

/// Routes on a school's site.
pub fn router() -> axum::Router<kernel::AppState> {
    routes::router()
}

/// Routes on the platform host (Stripe's webhooks, the operator's plan fees).
pub fn platform_router(state: &kernel::AppState) -> axum::Router<kernel::AppState> {
    routes::platform_router(state)
}
