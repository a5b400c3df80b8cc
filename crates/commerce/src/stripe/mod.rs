//! Stripe Connect: a school connects its own Stripe account from its payment settings;
//! checkout sessions, saved-card charges and refunds run on that account (the `Stripe-Account`
//! header) with the platform's application fee for the school's plan; Stripe's webhooks reach
//! `/hooks/stripe`, are checked against the `Stripe-Signature` header and are applied once
//! through [`crate::inbox`] and [`crate::ledger`], the same path the sandbox's events take.
//!
//! The client is our own thin one over `reqwest` (STACK.md): a dozen form-encoded endpoints.

pub mod account;
pub mod client;
pub mod provider;
pub mod signature;
pub mod webhook;

pub use client::{Client, StripeError};
pub use provider::Stripe;
