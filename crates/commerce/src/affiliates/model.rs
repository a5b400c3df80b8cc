//! The affiliate program's ids and rows.

use chrono::{DateTime, Utc};
use kernel::ids::UserId;
use serde::Serialize;

kernel::id_type!(
    /// A person in a school's affiliate program.
    AffiliateId
);
kernel::id_type!(
    /// One row of the commission ledger.
    CommissionId
);
kernel::id_type!(
    /// A batch of payouts.
    PayoutBatchId
);
kernel::id_type!(
    /// One affiliate's payout in a batch.
    PayoutId
);
kernel::id_type!(
    /// A click on an affiliate link.
    ClickId
);
kernel::id_type!(
    /// A commission rule.
    RuleId
);

/// An affiliate as pages and services use it (never the sealed payout details).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Affiliate {
    /// Its id.
    pub id: AffiliateId,
    /// The person.
    pub user_id: UserId,
    /// The public referral code.
    pub code: String,
    /// `pending`, `approved`, `rejected` or `suspended`.
    pub status: String,
    /// Who recruited them.
    pub recruited_by: Option<AffiliateId>,
    /// A personal rate (basis points) overriding every rule's percentage.
    pub personal_percent_bp: Option<i32>,
    /// What they wrote when applying.
    pub pitch: String,
    /// Their site or channel.
    pub website: String,
    /// When they accepted the terms.
    pub terms_accepted_at: DateTime<Utc>,
    /// `paypal` or `bank`, once given.
    pub payout_method: Option<String>,
    /// A masked summary of the payout details, safe to show.
    pub payout_summary: String,
    /// A connected Stripe Express account.
    pub stripe_account_id: Option<String>,
    /// Staff's note.
    pub staff_note: String,
    /// When staff last decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// When they applied.
    pub created_at: DateTime<Utc>,
}

impl Affiliate {
    /// The columns [`Affiliate`] reads, for `select {COLUMNS} from affiliates`.
    pub const COLUMNS: &'static str = "id, user_id, code, status, recruited_by, personal_percent_bp, pitch, website,
        terms_accepted_at, payout_method, payout_summary, stripe_account_id, staff_note, decided_at, created_at";

    /// Whether they earn and may use the portal.
    pub fn approved(&self) -> bool {
        self.status == "approved"
    }
}

/// One row of the commission ledger.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Commission {
    /// Its id.
    pub id: CommissionId,
    /// Who earns it.
    pub affiliate_id: AffiliateId,
    /// The order it comes from.
    pub order_id: uuid::Uuid,
    /// The payment it is for (sales and recurring).
    pub payment_id: Option<uuid::Uuid>,
    /// The refund it takes back (clawbacks).
    pub refund_id: Option<uuid::Uuid>,
    /// 1 or 2.
    pub level: i32,
    /// `sale`, `recurring` or `clawback`.
    pub kind: String,
    /// ISO 4217.
    pub currency: String,
    /// The sale net of tax it was computed on.
    pub basis: i64,
    /// The commission in minor units (negative for a clawback).
    pub amount: i64,
    /// How it was computed.
    pub rate_label: String,
    /// `pending`, `paid` or `cancelled`.
    pub status: String,
    /// When it stops being held.
    pub payable_at: DateTime<Utc>,
    /// The payout that settles it.
    pub payout_id: Option<PayoutId>,
    /// When and why it was cancelled.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// When the payment or refund happened.
    pub occurred_at: DateTime<Utc>,
}

impl Commission {
    /// The columns [`Commission`] reads.
    pub const COLUMNS: &'static str = "id, affiliate_id, order_id, payment_id, refund_id, level, kind, currency, basis,
        amount, rate_label, status, payable_at, payout_id, cancelled_at, cancel_reason, occurred_at";

    /// The state an affiliate sees: `pending` (held), `payable`, `in_payout`, `paid` or
    /// `cancelled`.
    pub fn state(&self, now: DateTime<Utc>) -> &'static str {
        match self.status.as_str() {
            "cancelled" => "cancelled",
            "paid" => "paid",
            _ if self.payout_id.is_some() => "in_payout",
            _ if self.payable_at <= now => "payable",
            _ => "pending",
        }
    }
}
