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

use super::Payout;
use crate::{
    affiliates::portal::{BankAccount, PayoutDetails},
    catalog::amount_input,
};

/// The reference a payment service shows for a payout (unique per payout).
pub fn reference(p: &Payout) -> String {
    format!("LYC-{}", p.id.0.simple())
}

/// The PayPal Payouts CSV of the payouts paid by PayPal; `details` gives each one's details.
pub fn paypal(payouts: &[(Payout, Option<PayoutDetails>)], note: &str) -> String {
    let mut out = String::new();
    for (p, d) in payouts.iter().filter(|(p, _)| p.method == "paypal") {
        let email = match d {
            Some(PayoutDetails::Paypal { email }) if !email.is_empty() => email,
            _ => &p.email,
        };
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
pub fn wise(payouts: &[(Payout, Option<PayoutDetails>)], currency: &str) -> String {
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
        let bank = match d {
            Some(PayoutDetails::Bank(b)) => Some(b),
            _ => None,
        };
        // A field of the bank account, trimmed; empty without one.
        let field = |f: fn(&BankAccount) -> &str| bank.map_or("", |b| f(b).trim());
        let holder = field(|b| &b.holder);
        let holder = if holder.is_empty() { p.name.clone() } else { holder.to_string() };
        let target = field(|b| &b.currency);
        let target = if target.is_empty() { p.currency.clone() } else { target.to_uppercase() };
        out.push_str(&csv::row(&[
            holder,
            p.email.clone(),
            "PRIVATE".into(),
            "source".into(),
            amount_input(p.amount, &p.currency),
            p.currency.clone(),
            target,
            field(|b| &b.iban).replace(' ', ""),
            field(|b| &b.account_number).to_string(),
            field(|b| &b.routing_code).to_string(),
            field(|b| &b.country).to_uppercase(),
            reference(p),
        ]));
    }
    out
}
