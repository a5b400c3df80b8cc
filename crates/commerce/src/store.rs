//! Commerce's SQL. Every function takes the caller's tenant transaction.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use serde_json::Value;
use sqlx::AssertSqlSafe;

use crate::{
    ledger::NewCard,
    model::{
        Checkout, CheckoutId, Coupon, CouponId, Offer, OfferId, Order, OrderId, Payment, PaymentId, PaymentMethod,
        PaymentMethodId, Product, ProductId, Subscription, SubscriptionId,
    },
};

/// The columns of an offer row.
pub(crate) const OFFER: &str =
    "id, product_id, slug, name, kind, currency, amount, interval, installments, trial_days, setup_fee,
    visible, max_sales, closes_at, bump_offer_id, bump_headline, upsell_offer_id, archived_at, created_at";
const CHECKOUT: &str =
    "id, offer_id, user_id, email, name, country, billing_address, coupon_id, with_bump, currency, subtotal, discount,
    tax, total, tax_rate_bp, tax_inclusive, parent_order_id, status, provider, provider_ref, attribution, created_at";
const ORDER: &str = "id, checkout_id, user_id, email, name, country, billing_address, offer_id, coupon_id, currency, subtotal, discount,
    tax, total, source, provider, attribution, created_at";
const PAYMENT: &str =
    "id, order_id, subscription_id, status, currency, amount, tax, provider, provider_ref, failure_code,
    receipt_number, occurred_at";
/// The columns of a coupon row.
pub(crate) const COUPON: &str =
    "id, code, percent_off, amount_off, currency, duration, duration_months, offer_ids, expires_at,
    max_redemptions, per_customer_limit, archived_at, created_at";
/// The columns of a subscription row, for queries elsewhere in the crate.
pub const SUBSCRIPTION: &str =
    "id, user_id, offer_id, order_id, coupon_id, status, currency, amount, current_period_start,
    current_period_end, cancel_at_period_end, payments_made, retry_at, failed_attempts, grace_ends_at,
    payment_method_id, provider, provider_ref, canceled_at, created_at";
const METHOD: &str = "id, user_id, provider, provider_ref, brand, last4, exp_month, exp_year, fingerprint";

/// A school's commerce settings (defaults when never saved).
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct Settings {
    /// Seller's legal name on receipts.
    pub legal_name: String,
    /// Seller's address on receipts.
    pub address: String,
    /// Seller's tax id on receipts.
    pub tax_id: String,
    /// Whether prices include tax.
    pub prices_include_tax: bool,
    /// `revoke` or `keep` on refunds and chargebacks.
    pub refund_access: String,
    /// Days a failed renewal keeps access.
    pub grace_days: i32,
    /// `sandbox` or `stripe`.
    pub provider: String,
}

/// The school's settings.
pub async fn settings(tx: &mut TenantTx) -> sqlx::Result<Settings> {
    let row: Option<Settings> = sqlx::query_as(
        "select legal_name, address, tax_id, prices_include_tax, refund_access, grace_days, provider
         from commerce_settings where tenant_id = $1",
    )
    .bind(tx.tenant())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.unwrap_or(Settings {
        legal_name: String::new(),
        address: String::new(),
        tax_id: String::new(),
        prices_include_tax: false,
        refund_access: "revoke".into(),
        grace_days: 7,
        provider: "sandbox".into(),
    }))
}

/// The tax rate for buyers in `country`, in basis points (0 when none is set).
pub async fn tax_rate(tx: &mut TenantTx, country: Option<&str>) -> sqlx::Result<i32> {
    let Some(country) = country else { return Ok(0) };
    let rate: Option<i32> = sqlx::query_scalar("select rate_bp from tax_rates where tenant_id = $1 and country = $2")
        .bind(tx.tenant())
        .bind(country)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(rate.unwrap_or(0))
}

/// A product.
pub async fn product(tx: &mut TenantTx, id: ProductId) -> sqlx::Result<Option<Product>> {
    sqlx::query_as(
        "select id, name, description, archived_at, created_at from products where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Creates a product.
pub async fn insert_product(tx: &mut TenantTx, name: &str, description: &str) -> sqlx::Result<ProductId> {
    let id = ProductId::new();
    sqlx::query("insert into products (tenant_id, id, name, description) values ($1, $2, $3, $4)")
        .bind(tx.tenant())
        .bind(id)
        .bind(name)
        .bind(description)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Replaces the courses a product opens.
pub async fn set_product_courses(
    tx: &mut TenantTx,
    product: ProductId,
    courses: &[courses::CourseId],
) -> sqlx::Result<()> {
    sqlx::query("delete from product_courses where tenant_id = $1 and product_id = $2")
        .bind(tx.tenant())
        .bind(product)
        .execute(&mut **tx)
        .await?;
    for (i, course) in courses.iter().enumerate() {
        sqlx::query("insert into product_courses (tenant_id, product_id, course_id, position) values ($1, $2, $3, $4)")
            .bind(tx.tenant())
            .bind(product)
            .bind(course)
            .bind(i as i32)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The courses products open: product by product as given, each in its own order.
pub async fn product_course_ids(tx: &mut TenantTx, products: &[ProductId]) -> sqlx::Result<Vec<courses::CourseId>> {
    sqlx::query_scalar(
        "select course_id from product_courses where tenant_id = $1 and product_id = any($2)
         order by array_position($2, product_id), position",
    )
    .bind(tx.tenant())
    .bind(products.iter().map(|p| p.0).collect::<Vec<_>>())
    .fetch_all(&mut **tx)
    .await
}

/// An offer.
pub async fn offer(tx: &mut TenantTx, id: OfferId) -> sqlx::Result<Option<Offer>> {
    sqlx::query_as(AssertSqlSafe(format!("select {OFFER} from offers where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// An offer by its address.
pub async fn offer_by_slug(tx: &mut TenantTx, slug: &str) -> sqlx::Result<Option<Offer>> {
    sqlx::query_as(AssertSqlSafe(format!("select {OFFER} from offers where tenant_id = $1 and slug = $2")))
        .bind(tx.tenant())
        .bind(slug)
        .fetch_optional(&mut **tx)
        .await
}

/// The field values of a new offer.
#[derive(Clone, Debug)]
pub struct NewOffer<'a> {
    /// The product sold.
    pub product: ProductId,
    /// Address.
    pub slug: &'a str,
    /// Name.
    pub name: &'a str,
    /// `one_time`, `plan`, `subscription`.
    pub kind: &'a str,
    /// ISO 4217.
    pub currency: &'a str,
    /// Each payment.
    pub amount: i64,
    /// `month` or `year`.
    pub interval: Option<&'a str>,
    /// Payments of a plan.
    pub installments: Option<i32>,
    /// Free days.
    pub trial_days: i32,
    /// Setup fee.
    pub setup_fee: i64,
}

/// Creates an offer.
pub async fn insert_offer(tx: &mut TenantTx, o: &NewOffer<'_>) -> sqlx::Result<OfferId> {
    let id = OfferId::new();
    sqlx::query(
        "insert into offers (tenant_id, id, product_id, slug, name, kind, currency, amount, interval, installments,
                             trial_days, setup_fee)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(o.product)
    .bind(o.slug)
    .bind(o.name)
    .bind(o.kind)
    .bind(o.currency)
    .bind(o.amount)
    .bind(o.interval)
    .bind(o.installments)
    .bind(o.trial_days)
    .bind(o.setup_fee)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Orders placed on an offer (for its sales limit); comps do not count.
pub async fn offer_sales(tx: &mut TenantTx, offer: OfferId) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from orders where tenant_id = $1 and offer_id = $2 and source <> 'comp'")
        .bind(tx.tenant())
        .bind(offer)
        .fetch_one(&mut **tx)
        .await
}

/// A coupon by the code a buyer typed (case-insensitive).
pub async fn coupon_by_code(tx: &mut TenantTx, code: &str) -> sqlx::Result<Option<Coupon>> {
    sqlx::query_as(AssertSqlSafe(format!("select {COUPON} from coupons where tenant_id = $1 and code = upper($2)")))
        .bind(tx.tenant())
        .bind(code.trim())
        .fetch_optional(&mut **tx)
        .await
}

/// A coupon.
pub async fn coupon(tx: &mut TenantTx, id: CouponId) -> sqlx::Result<Option<Coupon>> {
    sqlx::query_as(AssertSqlSafe(format!("select {COUPON} from coupons where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Orders that used a coupon: in all, and by one address.
pub async fn coupon_uses(tx: &mut TenantTx, coupon: CouponId, email: &str) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "select count(*), count(*) filter (where lower(email) = lower($3))
         from orders where tenant_id = $1 and coupon_id = $2",
    )
    .bind(tx.tenant())
    .bind(coupon)
    .bind(email)
    .fetch_one(&mut **tx)
    .await
}

/// Stores a checkout.
pub async fn insert_checkout(tx: &mut TenantTx, c: &Checkout) -> sqlx::Result<()> {
    sqlx::query(
        "insert into checkouts (tenant_id, id, offer_id, user_id, email, name, country, coupon_id, with_bump, currency,
                                subtotal, discount, tax, total, tax_rate_bp, tax_inclusive, parent_order_id, provider,
                                attribution, created_at, billing_address)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
    )
    .bind(tx.tenant())
    .bind(c.id)
    .bind(c.offer_id)
    .bind(c.user_id)
    .bind(&c.email)
    .bind(&c.name)
    .bind(&c.country)
    .bind(c.coupon_id)
    .bind(c.with_bump)
    .bind(&c.currency)
    .bind(c.subtotal)
    .bind(c.discount)
    .bind(c.tax)
    .bind(c.total)
    .bind(c.tax_rate_bp)
    .bind(c.tax_inclusive)
    .bind(c.parent_order_id)
    .bind(&c.provider)
    .bind(&c.attribution)
    .bind(c.created_at)
    .bind(&c.billing_address)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A checkout.
pub async fn checkout(tx: &mut TenantTx, id: CheckoutId) -> sqlx::Result<Option<Checkout>> {
    sqlx::query_as(AssertSqlSafe(format!("select {CHECKOUT} from checkouts where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// A checkout, locked until the transaction ends (two payments of one checkout queue here).
pub async fn checkout_for_update(tx: &mut TenantTx, id: CheckoutId) -> sqlx::Result<Option<Checkout>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {CHECKOUT} from checkouts where tenant_id = $1 and id = $2 for update"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Sets the provider's reference on a checkout (its session id, or a card awaiting confirmation).
pub async fn set_checkout_ref(tx: &mut TenantTx, id: CheckoutId, provider_ref: Option<&str>) -> sqlx::Result<()> {
    sqlx::query("update checkouts set provider_ref = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(provider_ref)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An order.
pub async fn order(tx: &mut TenantTx, id: OrderId) -> sqlx::Result<Option<Order>> {
    sqlx::query_as(AssertSqlSafe(format!("select {ORDER} from orders where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// The order a checkout became.
pub async fn order_of_checkout(tx: &mut TenantTx, checkout: CheckoutId) -> sqlx::Result<Option<Order>> {
    sqlx::query_as(AssertSqlSafe(format!("select {ORDER} from orders where tenant_id = $1 and checkout_id = $2")))
        .bind(tx.tenant())
        .bind(checkout)
        .fetch_optional(&mut **tx)
        .await
}

/// Adds a line to an order.
pub async fn insert_order_item(
    tx: &mut TenantTx,
    order: OrderId,
    offer: &Offer,
    kind: &str,
    amount: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into order_items (tenant_id, order_id, offer_id, product_id, kind, amount) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tx.tenant())
    .bind(order)
    .bind(offer.id)
    .bind(offer.product_id)
    .bind(kind)
    .bind(amount)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The products an order holds.
pub async fn order_products(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Vec<ProductId>> {
    sqlx::query_scalar("select product_id from order_items where tenant_id = $1 and order_id = $2 order by kind desc")
        .bind(tx.tenant())
        .bind(order)
        .fetch_all(&mut **tx)
        .await
}

/// What an order took and gave back in all.
pub async fn order_money(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "select coalesce((select sum(amount) from payments where tenant_id = $1 and order_id = $2 and status = 'succeeded'), 0)::bigint,
                coalesce((select sum(amount) from refunds where tenant_id = $1 and order_id = $2), 0)::bigint",
    )
    .bind(tx.tenant())
    .bind(order)
    .fetch_one(&mut **tx)
    .await
}

/// Saves a card for `user` (the same provider reference twice is one card). A reference
/// already saved for someone else is refused (`RowNotFound`), never handed to this user.
pub async fn save_card(
    tx: &mut TenantTx,
    user: UserId,
    provider: &str,
    card: &NewCard,
) -> sqlx::Result<PaymentMethodId> {
    sqlx::query_scalar(
        "insert into payment_methods (tenant_id, id, user_id, provider, provider_ref, brand, last4, exp_month, exp_year, fingerprint)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (tenant_id, provider, provider_ref) do update set detached_at = null
           where payment_methods.user_id = excluded.user_id
         returning id",
    )
    .bind(tx.tenant())
    .bind(PaymentMethodId::new())
    .bind(user)
    .bind(provider)
    .bind(&card.provider_ref)
    .bind(&card.brand)
    .bind(&card.last4)
    .bind(card.exp_month)
    .bind(card.exp_year)
    .bind(&card.fingerprint)
    .fetch_one(&mut **tx)
    .await
}

/// A saved card.
pub async fn payment_method(tx: &mut TenantTx, id: PaymentMethodId) -> sqlx::Result<Option<PaymentMethod>> {
    sqlx::query_as(AssertSqlSafe(format!("select {METHOD} from payment_methods where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// A person's saved cards, newest first.
pub async fn payment_methods_of(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Vec<PaymentMethod>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {METHOD} from payment_methods where tenant_id = $1 and user_id = $2 and detached_at is null
         order by created_at desc"
    )))
    .bind(tx.tenant())
    .bind(user)
    .fetch_all(&mut **tx)
    .await
}

/// A payment to record (see [`insert_payment`]).
#[derive(Clone, Debug)]
pub struct NewPayment<'a> {
    /// The order paid.
    pub order: OrderId,
    /// The subscription charged, if any.
    pub subscription: Option<SubscriptionId>,
    /// `succeeded` or `failed`.
    pub status: &'a str,
    /// ISO 4217.
    pub currency: &'a str,
    /// Amount.
    pub amount: i64,
    /// Tax within it.
    pub tax: i64,
    /// `sandbox` or `stripe`.
    pub provider: &'a str,
    /// The provider's charge id.
    pub provider_ref: &'a str,
    /// Why it failed.
    pub failure_code: Option<&'a str>,
    /// The card charged.
    pub payment_method: Option<PaymentMethodId>,
    /// The receipt's number (successful payments; may be set later in the transaction).
    pub receipt_number: Option<&'a str>,
    /// When.
    pub at: DateTime<Utc>,
}

/// Records a payment once per provider charge; `None` when that charge is already recorded.
pub async fn insert_payment(tx: &mut TenantTx, p: &NewPayment<'_>) -> sqlx::Result<Option<PaymentId>> {
    let id = PaymentId::new();
    let inserted = sqlx::query(
        "insert into payments (tenant_id, id, order_id, subscription_id, status, currency, amount, tax, provider,
                               provider_ref, failure_code, payment_method_id, receipt_number, occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         on conflict (tenant_id, provider, provider_ref) do nothing",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(p.order)
    .bind(p.subscription)
    .bind(p.status)
    .bind(p.currency)
    .bind(p.amount)
    .bind(p.tax)
    .bind(p.provider)
    .bind(p.provider_ref)
    .bind(p.failure_code)
    .bind(p.payment_method)
    .bind(p.receipt_number)
    .bind(p.at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok((inserted == 1).then_some(id))
}

/// A payment by the provider's charge id, locked.
pub async fn payment_by_ref_for_update(tx: &mut TenantTx, charge_ref: &str) -> sqlx::Result<Option<Payment>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {PAYMENT} from payments where tenant_id = $1 and provider_ref = $2 and status = 'succeeded' for update"
    )))
    .bind(tx.tenant())
    .bind(charge_ref)
    .fetch_optional(&mut **tx)
    .await
}

/// An order's payments, oldest first.
pub async fn payments_of_order(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Vec<Payment>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {PAYMENT} from payments where tenant_id = $1 and order_id = $2 order by occurred_at, id"
    )))
    .bind(tx.tenant())
    .bind(order)
    .fetch_all(&mut **tx)
    .await
}

/// A payment.
pub async fn payment(tx: &mut TenantTx, id: PaymentId) -> sqlx::Result<Option<Payment>> {
    sqlx::query_as(AssertSqlSafe(format!("select {PAYMENT} from payments where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Whether a provider refund is recorded.
pub async fn refund_exists(tx: &mut TenantTx, provider: &str, refund_ref: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from refunds where tenant_id = $1 and provider = $2 and provider_ref = $3)",
    )
    .bind(tx.tenant())
    .bind(provider)
    .bind(refund_ref)
    .fetch_one(&mut **tx)
    .await
}

/// What was given back of a payment.
pub async fn refunded_total(tx: &mut TenantTx, payment: PaymentId) -> sqlx::Result<i64> {
    sqlx::query_scalar("select coalesce(sum(amount), 0)::bigint from refunds where tenant_id = $1 and payment_id = $2")
        .bind(tx.tenant())
        .bind(payment)
        .fetch_one(&mut **tx)
        .await
}

/// A subscription.
pub async fn subscription(tx: &mut TenantTx, id: SubscriptionId) -> sqlx::Result<Option<Subscription>> {
    sqlx::query_as(AssertSqlSafe(format!("select {SUBSCRIPTION} from subscriptions where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// The subscription an order started.
pub async fn subscription_of_order(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Option<Subscription>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {SUBSCRIPTION} from subscriptions where tenant_id = $1 and order_id = $2"
    )))
    .bind(tx.tenant())
    .bind(order)
    .fetch_optional(&mut **tx)
    .await
}

/// Appends a change to a subscription's history.
#[allow(clippy::too_many_arguments)]
pub async fn log_subscription_change(
    tx: &mut TenantTx,
    subscription: SubscriptionId,
    kind: &str,
    from: Option<&str>,
    to: &str,
    detail: Value,
    actor: Option<UserId>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into subscription_changes (tenant_id, id, subscription_id, kind, from_status, to_status, detail, actor_id, occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(tx.tenant())
    .bind(uuid::Uuid::now_v7())
    .bind(subscription)
    .bind(kind)
    .bind(from)
    .bind(to)
    .bind(detail)
    .bind(actor)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
