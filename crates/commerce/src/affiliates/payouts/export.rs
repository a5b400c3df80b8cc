//! The batch as files the payment services import. Every cell goes through `kernel::csv`, so a
//! name such as `=HYPERLINK(…)` stays text in a spreadsheet.
//!
//! **PayPal Payouts** (the simple CSV the PayPal Payouts web upload takes, no header row), one
//! line per payout paid by PayPal, five columns:
//! `recipient email, amount, currency, reference id, note`: the amount with a dot and the
//! currency's decimals (`12.50`, `1250` for JPY), the reference the payout's id (unique, so
//! PayPal refuses a file uploaded twice for the same payout), the note the school's name and
//! the statement's purpose.
//!
//! **Wise** (the "send to bank accounts" batch template), one line per payout paid to a bank
//! account, with Wise's header row: `name, recipientEmail, receiverType, amountCurrency,
//! amount, sourceCurrency, targetCurrency, IBAN, accountNumber, {routing}, addressCountryCode,
//! paymentReference`. `amountCurrency` is `source`: the school sends exactly the amount owed in
//! the batch's currency. The routing column is named as Wise names it for the account's
//! currency (`sortCode` for GBP, `abartn` for USD, `bsbCode` for AUD, `BIC` otherwise).

use kernel::csv;

use super::{Details, Payout};
use crate::catalog::amount_input;

/// The reference a payment service shows for a payout (unique per payout).
pub fn reference(p: &Payout) -> String {
    format!("LYC-{}", p.id.0.simple())
}

/// The PayPal Payouts CSV of the payouts paid by PayPal; `details` gives each one's details.
pub fn paypal(payouts: &[(Payout, Option<Details>)], note: &str) -> String {
    let mut out = String::new();
    for (p, d) in payouts.iter().filter(|(p, _)| p.method == "paypal") {
        let email = d.as_ref().map(|d| d.paypal_email.as_str()).filter(|e| !e.is_empty()).unwrap_or(&p.email);
        out.push_str(&csv::row(&[
            email.to_string(),
            amount_input(p.amount, &p.currency),
            p.currency.clone(),
            reference(p),
            note.to_string(),
        ]));
    }
    out
}

/// Wise's name for the routing column of an account in `currency`.
fn routing_column(currency: &str) -> &'static str {
    match currency {
        "GBP" => "sortCode",
        "USD" => "abartn",
        "AUD" => "bsbCode",
        _ => "BIC",
    }
}

/// The Wise batch CSV of the payouts paid to a bank account, in `currency`.
pub fn wise(payouts: &[(Payout, Option<Details>)], currency: &str) -> String {
    let mut out = csv::row(&[
        "name",
        "recipientEmail",
        "receiverType",
        "amountCurrency",
        "amount",
        "sourceCurrency",
        "targetCurrency",
        "IBAN",
        "accountNumber",
        routing_column(currency),
        "addressCountryCode",
        "paymentReference",
    ]);
    for (p, d) in payouts.iter().filter(|(p, _)| p.method == "bank") {
        let d = d.clone().unwrap_or_default();
        let holder = if d.holder.trim().is_empty() { p.name.clone() } else { d.holder.trim().to_string() };
        let target = if d.currency.trim().is_empty() { p.currency.clone() } else { d.currency.trim().to_uppercase() };
        out.push_str(&csv::row(&[
            holder,
            p.email.clone(),
            "PRIVATE".into(),
            "source".into(),
            amount_input(p.amount, &p.currency),
            p.currency.clone(),
            target,
            d.iban.replace(' ', ""),
            d.account.trim().to_string(),
            d.routing.trim().to_string(),
            d.country.trim().to_uppercase(),
            reference(p),
        ]));
    }
    out
}
