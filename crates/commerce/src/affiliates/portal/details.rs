//! An affiliate's payout details: a PayPal address or a bank account, checked, sealed at rest
//! with `kernel::secret` (purpose [`PURPOSE`]) and shown back only as a masked summary. The
//! details never reach a log: their `Debug` prints a redaction.

use std::fmt;

use kernel::{AppState, db::TenantTx, i18n::Locale, secret, web::FieldErrors};
use serde::{Deserialize, Serialize};

use crate::affiliates::model::AffiliateId;

/// What `kernel::secret::seal` binds payout details to.
pub const PURPOSE: &str = "affiliate-payout";

/// Where an affiliate is paid, unsealed. Only the payouts export reads it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum PayoutDetails {
    /// A PayPal account.
    Paypal {
        /// The PayPal account's address.
        email: String,
    },
    /// A bank account.
    Bank(BankAccount),
}

/// A bank account: an IBAN, or an account number with its routing or sort code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    /// The account holder's name.
    pub holder: String,
    /// The IBAN without spaces, upper case; empty when an account number is given.
    pub iban: String,
    /// The account number; empty with an IBAN.
    pub account_number: String,
    /// The routing number, sort code or BIC that goes with the account number.
    pub routing_code: String,
    /// The bank's country (ISO 3166-1 alpha-2).
    pub country: String,
    /// The account's currency (ISO 4217).
    pub currency: String,
}

impl fmt::Debug for PayoutDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PayoutDetails(***)")
    }
}

impl fmt::Debug for BankAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BankAccount(***)")
    }
}

impl PayoutDetails {
    /// `paypal` or `bank`, as stored in `payout_method`.
    pub fn method(&self) -> &'static str {
        match self {
            Self::Paypal { .. } => "paypal",
            Self::Bank(_) => "bank",
        }
    }

    /// A summary safe to show anyone who may see the affiliate: "PayPal a•••@example.com",
    /// "Bank account ••••4321 (DE, EUR)".
    pub fn summary(&self, locale: Locale) -> String {
        match self {
            Self::Paypal { email } => {
                let (local, domain) = email.split_once('@').unwrap_or((email, ""));
                let first: String = local.chars().take(1).collect();
                format!("PayPal {first}•••@{domain}")
            }
            Self::Bank(b) => {
                let number = if b.iban.is_empty() { &b.account_number } else { &b.iban };
                let tail: String = number.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
                let label = kernel::i18n::t(locale, "aff-portal-bank-summary");
                format!("{label} ••••{tail} ({}, {})", b.country, b.currency)
            }
        }
    }
}

/// The payout form as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct DetailsForm {
    /// `paypal` or `bank`.
    #[serde(default)]
    pub method: String,
    /// PayPal address.
    #[serde(default)]
    pub paypal_email: String,
    /// Bank: holder.
    #[serde(default)]
    pub holder: String,
    /// Bank: IBAN.
    #[serde(default)]
    pub iban: String,
    /// Bank: account number.
    #[serde(default)]
    pub account_number: String,
    /// Bank: routing or sort code.
    #[serde(default)]
    pub routing_code: String,
    /// Bank: country.
    #[serde(default)]
    pub country: String,
    /// Bank: currency.
    #[serde(default)]
    pub currency: String,
}

impl DetailsForm {
    /// The details, or a message per field.
    pub fn parse(&self, locale: Locale) -> Result<PayoutDetails, FieldErrors> {
        let t = |key: &str| kernel::i18n::t(locale, key);
        let mut errors = FieldErrors::default();
        match self.method.as_str() {
            "paypal" => match identity::model::Email::parse(&self.paypal_email) {
                Some(email) => return Ok(PayoutDetails::Paypal { email: email.as_str().to_string() }),
                None => errors.add("paypal_email", t("aff-portal-error-email")),
            },
            "bank" => {
                let holder = self.holder.trim().to_string();
                if holder.is_empty() || holder.chars().count() > 140 {
                    errors.add("holder", t("aff-portal-error-holder"));
                }
                let iban: String = self.iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
                let account: String = self.account_number.chars().filter(|c| !c.is_whitespace()).collect();
                let routing = self.routing_code.trim().to_string();
                if !iban.is_empty() {
                    if !iban_valid(&iban) {
                        errors.add("iban", t("aff-portal-error-iban"));
                    }
                } else if account.is_empty() {
                    errors.add("iban", t("aff-portal-error-account-missing"));
                } else {
                    if !(4..=34).contains(&account.len()) || !account.chars().all(|c| c.is_ascii_alphanumeric()) {
                        errors.add("account_number", t("aff-portal-error-account"));
                    }
                    let routing_ok = (3..=20).contains(&routing.len())
                        && routing.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ');
                    if !routing_ok {
                        errors.add("routing_code", t("aff-portal-error-routing"));
                    }
                }
                let country = self.country.trim().to_ascii_uppercase();
                if !crate::countries::is_known(&country) {
                    errors.add("country", t("aff-portal-error-country"));
                }
                let currency = self.currency.trim().to_ascii_uppercase();
                if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
                    errors.add("currency", t("aff-portal-error-currency"));
                }
                if errors.is_empty() {
                    let (account_number, routing_code) =
                        if iban.is_empty() { (account, routing) } else { (String::new(), routing) };
                    return Ok(PayoutDetails::Bank(BankAccount {
                        holder,
                        iban,
                        account_number,
                        routing_code,
                        country,
                        currency,
                    }));
                }
            }
            _ => errors.add("method", t("aff-portal-error-method")),
        }
        Err(errors)
    }
}

/// Whether `iban` (no spaces, upper case) has a valid shape and ISO 13616 checksum.
pub fn iban_valid(iban: &str) -> bool {
    let bytes = iban.as_bytes();
    if !(15..=34).contains(&bytes.len())
        || !bytes[..2].iter().all(u8::is_ascii_uppercase)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
        || !bytes.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut rest = 0u32;
    for &b in bytes[4..].iter().chain(&bytes[..4]) {
        let v = if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
        rest = if v >= 10 { (rest * 100 + v) % 97 } else { (rest * 10 + v) % 97 };
    }
    rest == 1
}

/// Seals and saves an affiliate's payout details with their masked summary.
pub async fn save(
    state: &AppState,
    tx: &mut TenantTx,
    affiliate: AffiliateId,
    details: &PayoutDetails,
    locale: Locale,
) -> sqlx::Result<()> {
    let json = serde_json::to_string(details).expect("payout details serialise");
    let sealed = secret::seal(&state.config.keys, PURPOSE, &json);
    sqlx::query(
        "update affiliates set payout_method = $3, payout_sealed = $4, payout_summary = $5
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(details.method())
    .bind(sealed)
    .bind(details.summary(locale))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An affiliate's payout details, unsealed (for the payouts export); `None` when they gave
/// none, or the sealed value no longer opens (a rotated deployment key).
pub async fn payout_details(
    state: &AppState,
    tx: &mut TenantTx,
    affiliate: AffiliateId,
) -> sqlx::Result<Option<PayoutDetails>> {
    let sealed: Option<Option<String>> =
        sqlx::query_scalar("select payout_sealed from affiliates where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(affiliate)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(sealed) = sealed.flatten() else { return Ok(None) };
    let opened = secret::open(&state.config.keys, PURPOSE, &sealed);
    Ok(opened.and_then(|json| serde_json::from_str(&json).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(method: &str) -> DetailsForm {
        DetailsForm { method: method.into(), ..Default::default() }
    }

    #[test]
    fn ibans_are_checked_by_their_checksum() {
        assert!(iban_valid("DE89370400440532013000"));
        assert!(iban_valid("GB82WEST12345698765432"));
        assert!(!iban_valid("DE89370400440532013001"));
        assert!(!iban_valid("DE8937"));
        assert!(!iban_valid("1289370400440532013000"));
    }

    #[test]
    fn paypal_needs_an_address_and_is_masked() {
        let mut f = form("paypal");
        f.paypal_email = "not an email".into();
        assert!(f.parse(Locale::En).unwrap_err().has("paypal_email"));
        f.paypal_email = " Jane@Example.com ".into();
        let d = f.parse(Locale::En).unwrap();
        assert_eq!(d, PayoutDetails::Paypal { email: "jane@example.com".into() });
        assert_eq!(d.summary(Locale::En), "PayPal j•••@example.com");
        assert_eq!(format!("{d:?}"), "PayoutDetails(***)");
    }

    #[test]
    fn a_bank_account_needs_an_iban_or_a_number_with_its_code() {
        let mut f = form("bank");
        f.holder = "Jane Doe".into();
        f.country = "de".into();
        f.currency = "eur".into();
        assert!(f.parse(Locale::En).unwrap_err().has("iban"));
        f.iban = "DE89 3704 0044 0532 0130 00".into();
        let d = f.parse(Locale::En).unwrap();
        assert!(d.summary(Locale::En).ends_with("••••3000 (DE, EUR)"));
        f.iban.clear();
        f.account_number = "12345678".into();
        assert!(f.parse(Locale::En).unwrap_err().has("routing_code"));
        f.routing_code = "110000000".into();
        assert!(matches!(f.parse(Locale::En), Ok(PayoutDetails::Bank(_))));
        assert!(form("cash").parse(Locale::En).unwrap_err().has("method"));
    }
}
