//! `POST /hooks/stripe`, on the platform host and on every school's host: Stripe's Connect
//! webhooks. No session and no CSRF token (the `/hooks/` prefix is exempt): the
//! `Stripe-Signature` header is the only credential. See [`crate::stripe::webhook`].

pub use crate::stripe::webhook::receive;
