//! The affiliate's own dashboard: links, clicks, sign-ups, sales, earnings, payout details.
//!
//! - [`stats`]: the numbers for a period, the daily series, commissions and payouts.
//! - [`links`]: the link builder.
//! - [`details`]: payout details, sealed at rest; [`payout_details`] unseals them for the
//!   payouts export.
//! - [`listing`]: affiliates, commissions and payouts as the REST API lists them.

pub mod details;
pub mod links;
pub mod listing;
pub mod stats;

pub use details::{BankAccount, DetailsForm, PayoutDetails, payout_details};
pub use stats::Period;
