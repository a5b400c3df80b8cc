//! Who can be paid now: an approved or suspended affiliate whose payable balance in a currency
//! is above zero and at least the school's minimum, with payout details (or a connected Stripe
//! account when the school sells through Stripe). Everyone else's balance carries forward, with
//! the reason shown to staff.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;

use crate::affiliates::{balance, model::AffiliateId, settings};

/// Why a balance is not paid in this batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Carried {
    /// The affiliate is pending or rejected.
    NotApproved,
    /// Clawbacks exceed what was earned: the next commissions pay it off first.
    Negative,
    /// Below the school's minimum payout in this currency.
    BelowMinimum,
    /// No PayPal or bank details yet (and no Stripe account to transfer to).
    NoDetails,
}

/// How an eligible payout is paid, or why it is carried forward.
pub fn decide(
    status: &str,
    payable: i64,
    minimum: i64,
    payout_method: Option<&str>,
    stripe_ready: bool,
) -> Result<&'static str, Carried> {
    if status != "approved" && status != "suspended" {
        return Err(Carried::NotApproved);
    }
    if payable <= 0 {
        return Err(Carried::Negative);
    }
    if payable < minimum {
        return Err(Carried::BelowMinimum);
    }
    match payout_method {
        Some("paypal") => Ok("paypal"),
        Some("bank") => Ok("bank"),
        _ if stripe_ready => Ok("stripe"),
        _ => Err(Carried::NoDetails),
    }
}

/// An affiliate as payouts need them.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Payee {
    /// Their id.
    pub id: AffiliateId,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
    /// Their referral code.
    pub code: String,
    /// `approved`, `suspended` …
    pub status: String,
    /// `paypal` or `bank`.
    pub payout_method: Option<String>,
    /// The masked details.
    pub payout_summary: String,
    /// A connected Stripe account.
    pub stripe_account_id: Option<String>,
}

/// The affiliates in `ids`, by id.
pub async fn payees(tx: &mut TenantTx, ids: &[AffiliateId]) -> sqlx::Result<BTreeMap<AffiliateId, Payee>> {
    let rows: Vec<Payee> = sqlx::query_as(
        "select a.id, u.name, u.email, a.code, a.status, a.payout_method, a.payout_summary, a.stripe_account_id
           from affiliates a join users u on u.tenant_id = a.tenant_id and u.id = a.user_id
          where a.tenant_id = $1 and a.id = any($2)",
    )
    .bind(tx.tenant())
    .bind(ids.iter().map(|id| id.0).collect::<Vec<_>>())
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|p| (p.id, p)).collect())
}

/// Whether the school pays by Stripe transfer at all (it sells through Stripe).
pub async fn stripe_school(tx: &mut TenantTx) -> sqlx::Result<bool> {
    Ok(crate::stripe::account::settings(tx).await?.provider == "stripe")
}

/// One affiliate's payable balance in one currency, and what happens to it.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    /// Who.
    pub payee: Payee,
    /// ISO 4217.
    pub currency: String,
    /// Ready to pay (negative after clawbacks).
    pub payable: i64,
    /// Still held.
    pub pending: i64,
    /// `paypal`, `bank` or `stripe` when it will be paid.
    pub method: Option<&'static str>,
    /// Why it carries forward otherwise.
    pub carried: Option<Carried>,
    /// The school's minimum in this currency.
    pub minimum: i64,
}

/// Every balance with something payable (or owed back), by currency then name.
pub async fn lines(tx: &mut TenantTx, now: DateTime<Utc>) -> sqlx::Result<Vec<Line>> {
    let settings = settings::load(tx).await?;
    let stripe = stripe_school(tx).await?;
    let balances: Vec<_> = balance::balances(tx, None, now).await?.into_iter().filter(|b| b.payable != 0).collect();
    let ids: Vec<AffiliateId> = balances.iter().map(|b| b.affiliate_id).collect();
    let payees = payees(tx, &ids).await?;
    let mut lines: Vec<Line> = balances
        .into_iter()
        .filter_map(|b| {
            let payee = payees.get(&b.affiliate_id)?.clone();
            let minimum = settings.min_payout_in(&b.currency);
            let ready = stripe && payee.stripe_account_id.is_some();
            let decision = decide(&payee.status, b.payable, minimum, payee.payout_method.as_deref(), ready);
            Some(Line {
                payee,
                currency: b.currency,
                payable: b.payable,
                pending: b.pending,
                method: decision.ok(),
                carried: decision.err(),
                minimum,
            })
        })
        .collect();
    lines.sort_by(|a, b| {
        (&a.currency, a.payee.name.to_lowercase(), a.payee.id).cmp(&(
            &b.currency,
            b.payee.name.to_lowercase(),
            b.payee.id,
        ))
    });
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_positive_balance_over_the_minimum_with_details_is_paid() {
        assert_eq!(decide("approved", 5000, 5000, Some("paypal"), false), Ok("paypal"));
        assert_eq!(decide("suspended", 100, 0, Some("bank"), false), Ok("bank"));
        assert_eq!(decide("approved", 100, 0, None, true), Ok("stripe"));
        assert_eq!(decide("approved", 4999, 5000, Some("paypal"), false), Err(Carried::BelowMinimum));
        assert_eq!(decide("approved", -300, 0, Some("paypal"), false), Err(Carried::Negative));
        assert_eq!(decide("approved", 0, 0, Some("paypal"), false), Err(Carried::Negative));
        assert_eq!(decide("approved", 100, 0, None, false), Err(Carried::NoDetails));
        assert_eq!(decide("rejected", 100, 0, Some("paypal"), false), Err(Carried::NotApproved));
    }
}
