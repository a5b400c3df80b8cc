//! The sandbox provider: a built-in hosted card form with Stripe's test numbers, so a school
//! can sell (and a test or the demo can buy) without any account anywhere. It reports what
//! happened as provider events through [`crate::inbox`], exactly as a webhook would, and its
//! saved cards renew on the application's clock, so trials, renewals and failed renewals
//! happen when the operator moves time forward.
//!
//! | number              | at checkout               | later charges          |
//! |---------------------|---------------------------|------------------------|
//! | 4242 4242 4242 4242 | succeeds                  | succeed until expiry   |
//! | 4000 0000 0000 0002 | declined (`card_declined`) | –                     |
//! | 4000 0000 0000 9995 | `insufficient_funds`      | –                      |
//! | 4000 0027 6000 3184 | asks for a confirmation   | `authentication_required` |
//! | 4000 0000 0000 0341 | succeeds                  | declined               |

use async_trait::async_trait;
use chrono::Datelike;
use kernel::{AppState, db::TenantTx, web::School};

use crate::{
    model::{Checkout, Payment, PaymentMethod},
    provider::{Charge, PaymentProvider},
};

/// The built-in provider.
pub struct Sandbox;

/// How a test card behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestCard {
    /// Pays.
    Succeeds,
    /// Refused at once.
    Declined,
    /// Refused for lack of funds.
    InsufficientFunds,
    /// Pays once the buyer confirms (3-D Secure); later charges need the buyer.
    RequiresConfirmation,
    /// Pays at checkout; every later charge is declined.
    FailsLater,
}

impl TestCard {
    fn tag(self) -> &'static str {
        match self {
            Self::Succeeds => "ok",
            Self::Declined => "declined",
            Self::InsufficientFunds => "funds",
            Self::RequiresConfirmation => "3ds",
            Self::FailsLater => "later",
        }
    }

    fn from_tag(tag: &str) -> Self {
        match tag {
            "declined" => Self::Declined,
            "funds" => Self::InsufficientFunds,
            "3ds" => Self::RequiresConfirmation,
            "later" => Self::FailsLater,
            _ => Self::Succeeds,
        }
    }
}

/// Why a card was refused before any charge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardError {
    /// Not a card number (wrong length or check digit).
    Invalid,
    /// A real-looking number that is not one of the test cards.
    NotATestCard,
    /// Expiry in the past or unreadable.
    Expired,
}

/// A card as typed on the hosted form.
#[derive(Clone, Debug)]
pub struct CardInput {
    /// Digits (spaces allowed).
    pub number: String,
    /// `MM/YY` or `MM/YYYY`.
    pub expiry: String,
}

/// A card the form accepted: its behaviour and what is kept of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCardDetails {
    /// How it behaves.
    pub card: TestCard,
    /// Last four digits.
    pub last4: String,
    /// Expiry month.
    pub exp_month: i32,
    /// Expiry year.
    pub exp_year: i32,
}

/// Reads a typed card against the test numbers and the application's date.
pub fn read_card(input: &CardInput, today: chrono::NaiveDate) -> Result<TestCardDetails, CardError> {
    let digits: String = input.number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if !(12..=19).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) || !luhn(&digits) {
        return Err(CardError::Invalid);
    }
    let card = match digits.as_str() {
        "4242424242424242" => TestCard::Succeeds,
        "4000000000000002" => TestCard::Declined,
        "4000000000009995" => TestCard::InsufficientFunds,
        "4000002760003184" => TestCard::RequiresConfirmation,
        "4000000000000341" => TestCard::FailsLater,
        _ => return Err(CardError::NotATestCard),
    };
    let (month, year) = parse_expiry(&input.expiry).ok_or(CardError::Expired)?;
    if (year, month) < (today.year(), today.month() as i32) {
        return Err(CardError::Expired);
    }
    Ok(TestCardDetails { card, last4: digits[digits.len() - 4..].to_string(), exp_month: month, exp_year: year })
}

fn parse_expiry(s: &str) -> Option<(i32, i32)> {
    let (m, y) = s.trim().split_once('/')?;
    let month: i32 = m.trim().parse().ok().filter(|m| (1..=12).contains(m))?;
    let year: i32 = y.trim().parse().ok()?;
    let year = if year < 100 { 2000 + year } else { year };
    (2000..=2200).contains(&year).then_some((month, year))
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    sum.is_multiple_of(10)
}

/// The provider reference a sandbox card is saved under: its behaviour and a random part.
pub fn card_ref(card: TestCard) -> String {
    format!("pm_sb_{}_{}", card.tag(), uuid::Uuid::new_v4().simple())
}

/// The behaviour of a saved sandbox card.
pub fn behaviour(method: &PaymentMethod) -> TestCard {
    let tag = method.provider_ref.strip_prefix("pm_sb_").and_then(|r| r.split('_').next()).unwrap_or("ok");
    TestCard::from_tag(tag)
}

/// What charging a saved sandbox card does at `now`.
pub fn charge_outcome(method: &PaymentMethod, now: chrono::DateTime<chrono::Utc>) -> Result<(), &'static str> {
    if (method.exp_year, method.exp_month) < (now.year(), now.month() as i32) {
        return Err("expired_card");
    }
    match behaviour(method) {
        TestCard::Succeeds => Ok(()),
        TestCard::RequiresConfirmation => Err("authentication_required"),
        TestCard::InsufficientFunds => Err("insufficient_funds"),
        TestCard::Declined | TestCard::FailsLater => Err("card_declined"),
    }
}

/// A new sandbox object id (`ch_sb_…`, `re_sb_…`, `evt_sb_…`).
pub fn object_id(prefix: &str) -> String {
    format!("{prefix}_sb_{}", uuid::Uuid::new_v4().simple())
}

#[async_trait]
impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn begin(
        &self,
        _state: &AppState,
        _tx: &mut TenantTx,
        _school: &School,
        checkout: &Checkout,
    ) -> anyhow::Result<String> {
        Ok(format!("/checkout/pay/{}", checkout.id))
    }

    async fn charge_saved(
        &self,
        state: &AppState,
        _tx: &mut TenantTx,
        method: &PaymentMethod,
        _amount: i64,
        _currency: &str,
        key: &str,
    ) -> anyhow::Result<Charge> {
        // The key makes the charge id stable, as Stripe's idempotency keys do: a retried job
        // reports the same charge, which the ledger then records once.
        let provider_ref = format!("ch_sb_{}", short_hash(key));
        Ok(match charge_outcome(method, state.clock.now()) {
            Ok(()) => Charge::Succeeded { provider_ref },
            Err(code) => Charge::Failed { provider_ref, code: code.into() },
        })
    }

    async fn refund(
        &self,
        _state: &AppState,
        _tx: &mut TenantTx,
        _payment: &Payment,
        _amount: i64,
        key: &str,
    ) -> anyhow::Result<String> {
        Ok(format!("re_sb_{}", short_hash(key)))
    }
}

fn short_hash(key: &str) -> String {
    // Stable across processes (unlike `RandomState`): FNV-1a over the key with two seeds.
    let fnv = |seed: u64| key.as_bytes().iter().fold(seed, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3));
    format!("{:016x}{:016x}", fnv(0xcbf29ce484222325), fnv(0x84222325cbf29ce4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(number: &str, expiry: &str) -> Result<TestCard, CardError> {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        read_card(&CardInput { number: number.into(), expiry: expiry.into() }, today).map(|d| d.card)
    }

    #[test]
    fn the_test_numbers_behave_as_documented() {
        assert_eq!(read("4242 4242 4242 4242", "12/30"), Ok(TestCard::Succeeds));
        assert_eq!(read("4000 0000 0000 0002", "12/30"), Ok(TestCard::Declined));
        assert_eq!(read("4000 0000 0000 9995", "12/2030"), Ok(TestCard::InsufficientFunds));
        assert_eq!(read("4000 0027 6000 3184", "01/27"), Ok(TestCard::RequiresConfirmation));
        assert_eq!(read("4000000000000341", "11/26"), Ok(TestCard::FailsLater));
    }

    #[test]
    fn bad_cards_are_refused_before_any_charge() {
        assert_eq!(read("4242 4242 4242 4241", "12/30"), Err(CardError::Invalid));
        assert_eq!(read("hello", "12/30"), Err(CardError::Invalid));
        assert_eq!(read("5555 5555 5555 4444", "12/30"), Err(CardError::NotATestCard));
        assert_eq!(read("4242 4242 4242 4242", "10/26"), Err(CardError::Expired));
        assert_eq!(read("4242 4242 4242 4242", "13/30"), Err(CardError::Expired));
    }

    #[test]
    fn saved_cards_fail_after_expiry() {
        let method = PaymentMethod {
            id: Default::default(),
            user_id: kernel::ids::UserId::new(),
            provider: "sandbox".into(),
            provider_ref: card_ref(TestCard::Succeeds),
            brand: "visa".into(),
            last4: "4242".into(),
            exp_month: 1,
            exp_year: 2027,
            fingerprint: String::new(),
        };
        let at = |y, m| chrono::NaiveDate::from_ymd_opt(y, m, 15).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc();
        assert_eq!(charge_outcome(&method, at(2027, 1)), Ok(()));
        assert_eq!(charge_outcome(&method, at(2027, 2)), Err("expired_card"));
        let later = PaymentMethod { provider_ref: card_ref(TestCard::FailsLater), ..method };
        assert_eq!(charge_outcome(&later, at(2026, 12)), Err("card_declined"));
    }
}
