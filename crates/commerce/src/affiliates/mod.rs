//! The affiliate program (issue 13): people who promote a school for a commission.
//!
//! - [`settings`]: the school's program (on/off, open or approved signup, terms, cookie window,
//!   first- or last-click, holding period, minimum payout) and its commission rules.
//! - [`program`]: applying at `/affiliates`, invitations, and staff deciding (approve, reject,
//!   suspend, personal rate); `/admin/affiliates`.
//! - [`attribution`]: clicks on `?ref=code` links, the signed referral cookie, and deciding once
//!   per order who referred it (link, cookie or a coupon tied to an affiliate), refusing
//!   self-referrals.
//! - [`commissions`]: the ledger, derived from `order.paid`, `subscription.renewed` and
//!   `order.refunded` through the outbox, each fact exactly once (`source_key`).
//! - [`balance`]: what each affiliate has pending, payable, in a payout and paid.
//! - [`portal`]: the affiliate's own dashboard at `/affiliates/dashboard`.
//! - [`payouts`]: batches, PayPal and Wise CSV exports, marking paid, statements.
//!
//! Events: `affiliate.approved`, `commission.created`, `commission.cancelled`, `payout.paid`.

pub mod attribution;
pub mod balance;
pub mod commissions;
pub mod demo;
pub mod model;
pub mod payouts;
pub mod portal;
pub mod program;
pub mod routes;
pub mod settings;
pub mod store;

pub use model::{Affiliate, AffiliateId, CommissionId, PayoutBatchId, PayoutId};

/// The program's jobs and event subscriptions.
pub fn wire(w: &mut kernel::state::Wiring) {
    attribution::wire(w);
    commissions::wire(w);
    payouts::wire(w);
}
