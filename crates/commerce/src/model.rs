//! Commerce's types: ids, offer kinds, and the rows as pages and services use them.

use chrono::{DateTime, Months, Utc};
use serde::Serialize;
use uuid::Uuid;

kernel::id_type!(
    /// Something a school sells: a bundle of courses.
    ProductId
);
kernel::id_type!(
    /// One way to buy a product (a price, a plan, a subscription).
    OfferId
);
kernel::id_type!(
    /// A discount code.
    CouponId
);
kernel::id_type!(
    /// One buyer's attempt at an offer.
    CheckoutId
);
kernel::id_type!(
    /// A paid (or comped) purchase.
    OrderId
);
kernel::id_type!(
    /// Money taken, or a charge that failed.
    PaymentId
);
kernel::id_type!(
    /// Money given back.
    RefundId
);
kernel::id_type!(
    /// A subscription or payment plan.
    SubscriptionId
);
kernel::id_type!(
    /// A saved card.
    PaymentMethodId
);

/// How an offer charges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    /// One payment.
    OneTime,
    /// A fixed number of payments, then access for good.
    Plan,
    /// Payments until cancelled.
    Subscription,
}

impl OfferKind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OneTime => "one_time",
            Self::Plan => "plan",
            Self::Subscription => "subscription",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "one_time" => Some(Self::OneTime),
            "plan" => Some(Self::Plan),
            "subscription" => Some(Self::Subscription),
            _ => None,
        }
    }
}

/// A product, as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Product {
    /// Id.
    pub id: ProductId,
    /// Name shown to buyers.
    pub name: String,
    /// A short description shown on checkout.
    pub description: String,
    /// Archived products are no longer sold (past orders keep them).
    pub archived_at: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
}

/// An offer, as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Offer {
    /// Id.
    pub id: OfferId,
    /// The product it sells.
    pub product_id: ProductId,
    /// Its address, `/checkout/{slug}`.
    pub slug: String,
    /// Name shown to buyers ("Pay in full", "3 payments").
    pub name: String,
    /// `one_time`, `plan` or `subscription` (see [`Offer::kind`]).
    pub kind: String,
    /// ISO 4217.
    pub currency: String,
    /// Each payment, in minor units.
    pub amount: i64,
    /// `month` or `year` for plans and subscriptions.
    pub interval: Option<String>,
    /// Number of payments of a plan.
    pub installments: Option<i32>,
    /// Free days before a subscription's first payment.
    pub trial_days: i32,
    /// Charged with a subscription's first payment.
    pub setup_fee: i64,
    /// Listed publicly (hidden offers sell through their link only).
    pub visible: bool,
    /// At most this many orders.
    pub max_sales: Option<i32>,
    /// No sales after this moment.
    pub closes_at: Option<DateTime<Utc>>,
    /// An extra offer shown as a checkbox on this checkout.
    pub bump_offer_id: Option<OfferId>,
    /// The line shown beside the bump's checkbox.
    pub bump_headline: String,
    /// The offer proposed after payment.
    pub upsell_offer_id: Option<OfferId>,
    /// No longer sold.
    pub archived_at: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
}

impl Offer {
    /// How the offer charges.
    pub fn kind(&self) -> OfferKind {
        OfferKind::parse(&self.kind).unwrap_or(OfferKind::OneTime)
    }

    /// Whether it charges more than once.
    pub fn is_recurring(&self) -> bool {
        self.kind() != OfferKind::OneTime
    }

    /// The end of a billing period that starts at `from`.
    pub fn period_end(&self, from: DateTime<Utc>) -> DateTime<Utc> {
        let months = if self.interval.as_deref() == Some("year") { 12 } else { 1 };
        from.checked_add_months(Months::new(months)).unwrap_or(from)
    }
}

/// A coupon, as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Coupon {
    /// Id.
    pub id: CouponId,
    /// The code buyers type, upper case.
    pub code: String,
    /// A percentage off, or …
    pub percent_off: Option<i32>,
    /// … an amount off in `currency`.
    pub amount_off: Option<i64>,
    /// The currency of `amount_off`.
    pub currency: Option<String>,
    /// `once`, `forever` or `months`.
    pub duration: String,
    /// Payments discounted when `duration` is `months`.
    pub duration_months: Option<i32>,
    /// The offers it applies to (all when `None`).
    pub offer_ids: Option<Vec<Uuid>>,
    /// Not accepted after this moment.
    pub expires_at: Option<DateTime<Utc>>,
    /// Orders it may be used on in total.
    pub max_redemptions: Option<i32>,
    /// Orders one buyer may use it on.
    pub per_customer_limit: Option<i32>,
    /// No longer accepted.
    pub archived_at: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
}

/// A checkout, as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Checkout {
    /// Id.
    pub id: CheckoutId,
    /// The offer bought.
    pub offer_id: OfferId,
    /// The buyer's account, once known.
    pub user_id: Option<kernel::ids::UserId>,
    /// The buyer's address.
    pub email: String,
    /// The buyer's name.
    pub name: String,
    /// The buyer's country (for tax).
    pub country: Option<String>,
    /// The buyer's billing address, as typed (for receipts).
    pub billing_address: String,
    /// The coupon applied.
    pub coupon_id: Option<CouponId>,
    /// Whether the bump is taken.
    pub with_bump: bool,
    /// ISO 4217.
    pub currency: String,
    /// Before discount and tax.
    pub subtotal: i64,
    /// Discount.
    pub discount: i64,
    /// Tax (included in `total` either way).
    pub tax: i64,
    /// Charged now.
    pub total: i64,
    /// Tax rate, in basis points.
    pub tax_rate_bp: i32,
    /// Whether prices included tax.
    pub tax_inclusive: bool,
    /// For an upsell: the order whose card it charges.
    pub parent_order_id: Option<OrderId>,
    /// `open`, `paid` or `abandoned`.
    pub status: String,
    /// `sandbox` or `stripe`.
    pub provider: String,
    /// The provider's session id.
    pub provider_ref: Option<String>,
    /// UTM and referral details.
    pub attribution: serde_json::Value,
    /// When created.
    pub created_at: DateTime<Utc>,
}

/// An order, as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Order {
    /// Id.
    pub id: OrderId,
    /// The checkout paid (none for a comp).
    pub checkout_id: Option<CheckoutId>,
    /// The buyer.
    pub user_id: kernel::ids::UserId,
    /// The buyer's address at the time.
    pub email: String,
    /// The buyer's name at the time.
    pub name: String,
    /// The buyer's country.
    pub country: Option<String>,
    /// The buyer's billing address.
    pub billing_address: String,
    /// The main offer.
    pub offer_id: OfferId,
    /// The coupon used.
    pub coupon_id: Option<CouponId>,
    /// ISO 4217.
    pub currency: String,
    /// Before discount.
    pub subtotal: i64,
    /// Discount.
    pub discount: i64,
    /// Tax.
    pub tax: i64,
    /// First payment.
    pub total: i64,
    /// `checkout`, `upsell` or `comp`.
    pub source: String,
    /// `sandbox`, `stripe` or `none` (comps).
    pub provider: String,
    /// UTM and referral details.
    pub attribution: serde_json::Value,
    /// When paid.
    pub created_at: DateTime<Utc>,
}

/// A saved card.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct PaymentMethod {
    /// Id.
    pub id: PaymentMethodId,
    /// Whose.
    pub user_id: kernel::ids::UserId,
    /// `sandbox` or `stripe`.
    pub provider: String,
    /// The provider's reference.
    pub provider_ref: String,
    /// `visa`, `mastercard` …
    pub brand: String,
    /// Last four digits.
    pub last4: String,
    /// Expiry month.
    pub exp_month: i32,
    /// Expiry year.
    pub exp_year: i32,
    /// Same card, same fingerprint.
    pub fingerprint: String,
}

/// A subscription or payment plan, as it stands.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Subscription {
    /// Id.
    pub id: SubscriptionId,
    /// The subscriber.
    pub user_id: kernel::ids::UserId,
    /// The offer subscribed to.
    pub offer_id: OfferId,
    /// The order that started it.
    pub order_id: OrderId,
    /// The coupon (for its duration).
    pub coupon_id: Option<CouponId>,
    /// `trialing`, `active`, `past_due`, `paused`, `canceled`, `completed`.
    pub status: String,
    /// ISO 4217.
    pub currency: String,
    /// Each payment, before a coupon.
    pub amount: i64,
    /// The period paid for.
    pub current_period_start: DateTime<Utc>,
    /// When the next payment is due.
    pub current_period_end: DateTime<Utc>,
    /// Ends at the period's end instead of renewing.
    pub cancel_at_period_end: bool,
    /// Successful payments so far.
    pub payments_made: i32,
    /// When past due: the next retry.
    pub retry_at: Option<DateTime<Utc>>,
    /// Failed attempts since the last success.
    pub failed_attempts: i32,
    /// When past due: when access pauses.
    pub grace_ends_at: Option<DateTime<Utc>>,
    /// The card charged.
    pub payment_method_id: Option<PaymentMethodId>,
    /// `sandbox` or `stripe`.
    pub provider: String,
    /// The provider's subscription id.
    pub provider_ref: Option<String>,
    /// When it ended.
    pub canceled_at: Option<DateTime<Utc>>,
    /// When it started.
    pub created_at: DateTime<Utc>,
}

/// A payment, as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Payment {
    /// Id.
    pub id: PaymentId,
    /// The order paid.
    pub order_id: OrderId,
    /// The subscription renewed, if any.
    pub subscription_id: Option<SubscriptionId>,
    /// `succeeded` or `failed`.
    pub status: String,
    /// ISO 4217.
    pub currency: String,
    /// Amount.
    pub amount: i64,
    /// Tax within it.
    pub tax: i64,
    /// `sandbox` or `stripe`.
    pub provider: String,
    /// The provider's charge id.
    pub provider_ref: String,
    /// Why it failed.
    pub failure_code: Option<String>,
    /// The receipt's number.
    pub receipt_number: Option<String>,
    /// When.
    pub occurred_at: DateTime<Utc>,
}
