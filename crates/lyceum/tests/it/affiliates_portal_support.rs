//! Seeds an affiliate's numbers and ledger straight in SQL: clicks, a sign-up, a credited order
//! bought through their link, two commissions (one payable, one still held) and a paid payout.

use chrono::Duration;
use commerce::affiliates::{Affiliate, attribution};

use crate::{
    commerce_support::{buy, offer},
    support::{TestApp, TestSchool},
};

/// What [`seed`] made.
pub struct Seeded {
    pub order: uuid::Uuid,
    pub payout: uuid::Uuid,
}

/// Seeds `a`'s activity in `school` (the offer `course` at $100.00 is created here).
pub async fn seed(app: &TestApp, school: &TestSchool, a: &Affiliate) -> Seeded {
    offer(app, school, "course", "one_time", 10_000, &[]).await;
    buy(&app.browser(&school.school.slug), "course", "buyer@example.test", &[("ref", &a.code)]).await;
    let tid = school.school.id;
    let mut tx = app.state.db.tenant(tid).await.unwrap();
    let order: uuid::Uuid =
        sqlx::query_scalar("select id from orders order by created_at desc limit 1").fetch_one(&mut *tx).await.unwrap();
    attribution::referral_for_order(&app.state, &mut tx, commerce::OrderId(order)).await.unwrap().expect("credited");
    let now = app.state.clock.now();
    for days_ago in [1, 2, 2, 40] {
        sqlx::query(
            "insert into affiliate_clicks (tenant_id, id, affiliate_id, landing, at) values ($1, $2, $3, '/', $4)",
        )
        .bind(tid)
        .bind(uuid::Uuid::now_v7())
        .bind(a.id)
        .bind(now - Duration::days(days_ago))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    sqlx::query("insert into affiliate_signups (tenant_id, id, affiliate_id, email, at) values ($1, $2, $3, 'lead@example.test', $4)")
        .bind(tid)
        .bind(uuid::Uuid::now_v7())
        .bind(a.id)
        .bind(now - Duration::days(1))
        .execute(&mut *tx)
        .await
        .unwrap();
    let batch = uuid::Uuid::now_v7();
    let payout = uuid::Uuid::now_v7();
    sqlx::query("insert into affiliate_payout_batches (tenant_id, id, currency, status, paid_at) values ($1, $2, 'USD', 'paid', $3)")
        .bind(tid)
        .bind(batch)
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "insert into affiliate_payouts (tenant_id, id, batch_id, affiliate_id, currency, amount, method, status, number, paid_at)
         values ($1, $2, $3, $4, 'USD', 1000, 'paypal', 'paid', 'AP-0001', $5)",
    )
    .bind(tid)
    .bind(payout)
    .bind(batch)
    .bind(a.id)
    .bind(now)
    .execute(&mut *tx)
    .await
    .unwrap();
    // (key, amount, status, payable in days, payout)
    let rows: [(&str, i64, &str, i64, Option<uuid::Uuid>); 3] = [
        ("pay:a:1", 3000, "pending", -1, None),
        ("pay:b:1", 1500, "pending", 20, None),
        ("pay:c:1", 1000, "paid", -40, Some(payout)),
    ];
    for (key, amount, status, payable_in, paid_by) in rows {
        sqlx::query(
            "insert into affiliate_commissions (tenant_id, id, affiliate_id, order_id, level, kind, source_key, currency,
               basis, amount, rate_label, status, payable_at, payout_id, occurred_at)
             values ($1, $2, $3, $4, 1, 'sale', $5, 'USD', 10000, $6, 'rate 3000', $7, $8, $9, $10)",
        )
        .bind(tid)
        .bind(uuid::Uuid::now_v7())
        .bind(a.id)
        .bind(order)
        .bind(key)
        .bind(amount)
        .bind(status)
        .bind(now + Duration::days(payable_in))
        .bind(paid_by)
        .bind(now - Duration::days(2))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    Seeded { order, payout }
}
