//! The affiliate's own dashboard: links, clicks, sign-ups, sales, earnings, payout details.
