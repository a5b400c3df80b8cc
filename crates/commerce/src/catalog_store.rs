//! The catalog's SQL: products, offers and coupons as staff list and edit them, with the sales
//! and uses counted from orders. Every function takes the caller's tenant transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::Serialize;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::model::{Coupon, CouponId, Offer, OfferId, Product, ProductId};

use crate::store::{COUPON, OFFER};

/// An offer's checked fields, ready to store.
#[derive(Clone, Debug, Serialize)]
pub struct OfferDraft {
    /// The product sold.
    pub product: ProductId,
    /// Address, `/checkout/{slug}`.
    pub slug: String,
    /// Name.
    pub name: String,
    /// `one_time`, `plan` or `subscription`.
    pub kind: String,
    /// ISO 4217.
    pub currency: String,
    /// Each payment, minor units.
    pub amount: i64,
    /// `month` or `year` (plans and subscriptions).
    pub interval: Option<String>,
    /// Payments of a plan.
    pub installments: Option<i32>,
    /// Free days of a subscription.
    pub trial_days: i32,
    /// Charged with a subscription's first payment.
    pub setup_fee: i64,
    /// Listed publicly.
    pub visible: bool,
    /// At most this many orders.
    pub max_sales: Option<i32>,
    /// No sales after.
    pub closes_at: Option<DateTime<Utc>>,
    /// Offered as a checkbox on checkout.
    pub bump_offer_id: Option<OfferId>,
    /// The bump's line.
    pub bump_headline: String,
    /// Offered after payment.
    pub upsell_offer_id: Option<OfferId>,
}

/// A coupon's checked fields, ready to store.
#[derive(Clone, Debug, Serialize)]
pub struct CouponDraft {
    /// Upper case.
    pub code: String,
    /// A percentage, or …
    pub percent_off: Option<i32>,
    /// … an amount in `currency`.
    pub amount_off: Option<i64>,
    /// The amount's currency.
    pub currency: Option<String>,
    /// `once`, `forever` or `months`.
    pub duration: String,
    /// When `months`.
    pub duration_months: Option<i32>,
    /// Offers it applies to; `None` for all.
    pub offer_ids: Option<Vec<Uuid>>,
    /// Not accepted after.
    pub expires_at: Option<DateTime<Utc>>,
    /// Total uses.
    pub max_redemptions: Option<i32>,
    /// Uses per buyer.
    pub per_customer_limit: Option<i32>,
}

/// Every product, newest first (archived ones too; the page splits them).
pub async fn products(tx: &mut TenantTx) -> sqlx::Result<Vec<Product>> {
    sqlx::query_as(
        "select id, name, description, archived_at, created_at from products where tenant_id = $1
         order by archived_at nulls first, created_at desc",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Orders that hold each product (as the main offer or a bump), comps excluded.
pub async fn product_sales(tx: &mut TenantTx) -> sqlx::Result<HashMap<ProductId, i64>> {
    let rows: Vec<(ProductId, i64)> = sqlx::query_as(
        "select i.product_id, count(distinct i.order_id) from order_items i
         join orders o on o.tenant_id = i.tenant_id and o.id = i.order_id
         where i.tenant_id = $1 and o.source <> 'comp' group by i.product_id",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The courses of every product, in order.
pub async fn product_courses(tx: &mut TenantTx) -> sqlx::Result<Vec<(ProductId, courses::CourseId)>> {
    sqlx::query_as("select product_id, course_id from product_courses where tenant_id = $1 order by position")
        .bind(tx.tenant())
        .fetch_all(&mut **tx)
        .await
}

/// Changes a product's name and description.
pub async fn update_product(tx: &mut TenantTx, id: ProductId, name: &str, description: &str) -> sqlx::Result<()> {
    sqlx::query("update products set name = $3, description = $4 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(name)
        .bind(description)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Archives a product (stops its sales) or brings it back.
pub async fn set_product_archived(tx: &mut TenantTx, id: ProductId, at: Option<DateTime<Utc>>) -> sqlx::Result<()> {
    sqlx::query("update products set archived_at = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every offer of the school, by product then creation.
pub async fn offers(tx: &mut TenantTx) -> sqlx::Result<Vec<Offer>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {OFFER} from offers where tenant_id = $1 order by archived_at nulls first, created_at"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// A product's offers, live first.
pub async fn offers_of(tx: &mut TenantTx, product: ProductId) -> sqlx::Result<Vec<Offer>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {OFFER} from offers where tenant_id = $1 and product_id = $2 order by archived_at nulls first, created_at"
    )))
    .bind(tx.tenant())
    .bind(product)
    .fetch_all(&mut **tx)
    .await
}

/// Orders placed on each offer, comps excluded.
pub async fn offer_sales(tx: &mut TenantTx) -> sqlx::Result<HashMap<OfferId, i64>> {
    let rows: Vec<(OfferId, i64)> = sqlx::query_as(
        "select offer_id, count(*) from orders where tenant_id = $1 and source <> 'comp' group by offer_id",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// `base`, or `base-2`, `base-3` … whichever no offer uses yet.
pub async fn free_slug(tx: &mut TenantTx, base: &str) -> sqlx::Result<String> {
    let taken: Vec<String> =
        sqlx::query_scalar("select slug from offers where tenant_id = $1 and (slug = $2 or slug like $2 || '-%')")
            .bind(tx.tenant())
            .bind(base)
            .fetch_all(&mut **tx)
            .await?;
    if !taken.iter().any(|s| s == base) {
        return Ok(base.to_string());
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}-{n}");
        if !taken.contains(&candidate) {
            return Ok(candidate);
        }
        n += 1;
    }
}

/// Stores a new offer.
pub async fn insert_offer(tx: &mut TenantTx, d: &OfferDraft) -> sqlx::Result<OfferId> {
    let id = OfferId::new();
    sqlx::query(
        "insert into offers (tenant_id, id, product_id, slug, name, kind, currency, amount, interval, installments,
                             trial_days, setup_fee, visible, max_sales, closes_at, bump_offer_id, bump_headline,
                             upsell_offer_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(d.product)
    .bind(&d.slug)
    .bind(&d.name)
    .bind(&d.kind)
    .bind(&d.currency)
    .bind(d.amount)
    .bind(&d.interval)
    .bind(d.installments)
    .bind(d.trial_days)
    .bind(d.setup_fee)
    .bind(d.visible)
    .bind(d.max_sales)
    .bind(d.closes_at)
    .bind(d.bump_offer_id)
    .bind(&d.bump_headline)
    .bind(d.upsell_offer_id)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Changes an offer (its product stays).
pub async fn update_offer(tx: &mut TenantTx, id: OfferId, d: &OfferDraft) -> sqlx::Result<()> {
    sqlx::query(
        "update offers set slug = $3, name = $4, kind = $5, currency = $6, amount = $7, interval = $8,
                installments = $9, trial_days = $10, setup_fee = $11, visible = $12, max_sales = $13,
                closes_at = $14, bump_offer_id = $15, bump_headline = $16, upsell_offer_id = $17
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&d.slug)
    .bind(&d.name)
    .bind(&d.kind)
    .bind(&d.currency)
    .bind(d.amount)
    .bind(&d.interval)
    .bind(d.installments)
    .bind(d.trial_days)
    .bind(d.setup_fee)
    .bind(d.visible)
    .bind(d.max_sales)
    .bind(d.closes_at)
    .bind(d.bump_offer_id)
    .bind(&d.bump_headline)
    .bind(d.upsell_offer_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Archives an offer (its address stops selling) or brings it back.
pub async fn set_offer_archived(tx: &mut TenantTx, id: OfferId, at: Option<DateTime<Utc>>) -> sqlx::Result<()> {
    sqlx::query("update offers set archived_at = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every coupon, live first, newest first.
pub async fn coupons(tx: &mut TenantTx) -> sqlx::Result<Vec<Coupon>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {COUPON} from coupons where tenant_id = $1 order by archived_at nulls first, created_at desc"
    )))
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Orders each coupon was used on.
pub async fn coupon_uses(tx: &mut TenantTx) -> sqlx::Result<HashMap<CouponId, i64>> {
    let rows: Vec<(CouponId, i64)> = sqlx::query_as(
        "select coupon_id, count(*) from orders where tenant_id = $1 and coupon_id is not null group by coupon_id",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Whether a unique-index violation is the coupon code's or the offer address's.
pub fn is_duplicate(e: &sqlx::Error, index: &str) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.constraint() == Some(index))
}

/// Stores a new coupon.
pub async fn insert_coupon(tx: &mut TenantTx, d: &CouponDraft) -> sqlx::Result<CouponId> {
    let id = CouponId::new();
    sqlx::query(
        "insert into coupons (tenant_id, id, code, percent_off, amount_off, currency, duration, duration_months,
                              offer_ids, expires_at, max_redemptions, per_customer_limit)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&d.code)
    .bind(d.percent_off)
    .bind(d.amount_off)
    .bind(&d.currency)
    .bind(&d.duration)
    .bind(d.duration_months)
    .bind(&d.offer_ids)
    .bind(d.expires_at)
    .bind(d.max_redemptions)
    .bind(d.per_customer_limit)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Changes a coupon.
pub async fn update_coupon(tx: &mut TenantTx, id: CouponId, d: &CouponDraft) -> sqlx::Result<()> {
    sqlx::query(
        "update coupons set code = $3, percent_off = $4, amount_off = $5, currency = $6, duration = $7,
                duration_months = $8, offer_ids = $9, expires_at = $10, max_redemptions = $11, per_customer_limit = $12
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&d.code)
    .bind(d.percent_off)
    .bind(d.amount_off)
    .bind(&d.currency)
    .bind(&d.duration)
    .bind(d.duration_months)
    .bind(&d.offer_ids)
    .bind(d.expires_at)
    .bind(d.max_redemptions)
    .bind(d.per_customer_limit)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Archives a coupon (no longer accepted) or brings it back.
pub async fn set_coupon_archived(tx: &mut TenantTx, id: CouponId, at: Option<DateTime<Utc>>) -> sqlx::Result<()> {
    sqlx::query("update coupons set archived_at = $3 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A page of products for the API, by id descending (newest first), after the id `before`.
pub async fn products_page(tx: &mut TenantTx, before: Option<Uuid>, limit: i64) -> sqlx::Result<Vec<Product>> {
    sqlx::query_as(
        "select id, name, description, archived_at, created_at from products
         where tenant_id = $1 and ($2::uuid is null or id < $2) order by id desc limit $3",
    )
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// A page of offers for the API (of one product, or all), newest first, after the id `before`.
pub async fn offers_page(
    tx: &mut TenantTx,
    product: Option<ProductId>,
    before: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<Offer>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {OFFER} from offers where tenant_id = $1 and ($2::uuid is null or product_id = $2)
         and ($3::uuid is null or id < $3) order by id desc limit $4"
    )))
    .bind(tx.tenant())
    .bind(product)
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// A page of coupons for the API, newest first, after the id `before`.
pub async fn coupons_page(tx: &mut TenantTx, before: Option<Uuid>, limit: i64) -> sqlx::Result<Vec<Coupon>> {
    sqlx::query_as(AssertSqlSafe(format!(
        "select {COUPON} from coupons where tenant_id = $1 and ($2::uuid is null or id < $2) order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
