//! Payouts: batches of what is payable, exported for PayPal Payouts or Wise, marked paid, and
//! a statement to each affiliate.

/// Subscribes the handlers.
pub fn wire(_w: &mut kernel::state::Wiring) {}
