//! The lists of documents: a student's own, and one order's for staff.

use chrono::{DateTime, Utc};
use kernel::{db::TenantTx, ids::UserId};
use serde::Serialize;

use crate::model::OrderId;

/// One of a student's documents, for their list.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Entry {
    /// `receipt` or `credit_note`.
    pub kind: String,
    /// The payment's or the refund's id.
    pub id: uuid::Uuid,
    /// Its number.
    pub number: String,
    /// What was bought.
    pub product: String,
    /// The offer's name.
    pub offer: String,
    /// The amount (paid or given back).
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// For a credit note: the receipt it credits.
    pub credits: Option<String>,
}

/// `user`'s receipts and credit notes, newest first.
pub async fn for_user(tx: &mut TenantTx, user: UserId) -> sqlx::Result<Vec<Entry>> {
    list(tx, Some(user), None).await
}

/// The receipts and credit notes of one order, newest first (for the staff's order page).
pub async fn for_order(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<Vec<Entry>> {
    list(tx, None, Some(order)).await
}

async fn list(tx: &mut TenantTx, user: Option<UserId>, order: Option<OrderId>) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as(
        "select * from (
           select 'receipt' as kind, p.id, p.receipt_number as number, pr.name as product, f.name as offer,
                  p.amount, p.currency, p.occurred_at, null::text as credits
             from payments p
             join orders o on o.tenant_id = p.tenant_id and o.id = p.order_id
             join offers f on f.tenant_id = o.tenant_id and f.id = o.offer_id
             join products pr on pr.tenant_id = f.tenant_id and pr.id = f.product_id
            where p.tenant_id = $1 and ($2::uuid is null or o.user_id = $2)
              and ($3::uuid is null or o.id = $3) and p.status = 'succeeded'
              and p.receipt_number is not null
           union all
           select 'credit_note', r.id, r.credit_note_number, pr.name, f.name, r.amount, r.currency, r.occurred_at,
                  p.receipt_number
             from refunds r
             join payments p on p.tenant_id = r.tenant_id and p.id = r.payment_id
             join orders o on o.tenant_id = r.tenant_id and o.id = r.order_id
             join offers f on f.tenant_id = o.tenant_id and f.id = o.offer_id
             join products pr on pr.tenant_id = f.tenant_id and pr.id = f.product_id
            where r.tenant_id = $1 and ($2::uuid is null or o.user_id = $2)
              and ($3::uuid is null or o.id = $3) and r.credit_note_number is not null
         ) d order by occurred_at desc, number desc limit 500",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(order)
    .fetch_all(&mut **tx)
    .await
}
