//! Payout tests' ledger: commission rows written straight in SQL, payout details sealed as the
//! portal seals them, and the school's minimum payout.

use chrono::{DateTime, Duration, Utc};
use commerce::affiliates::{Affiliate, portal::details::PURPOSE};

use crate::{
    commerce_support::{buy, offer},
    support::{TestApp, TestSchool},
};

/// One paid order of the school to hang commission rows on.
pub async fn an_order(app: &TestApp, school: &TestSchool, slug: &str) -> uuid::Uuid {
    offer(app, school, slug, "one_time", 10_000, &[]).await;
    buy(&app.browser(&school.school.slug), slug, &format!("buyer-{slug}@example.test"), &[]).await;
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id =
        sqlx::query_scalar("select id from orders order by created_at desc limit 1").fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// A ledger row for `a` on `order`: `kind`, `amount`, `status`, payable at `payable_at`.
pub async fn row(
    app: &TestApp,
    school: &TestSchool,
    a: &Affiliate,
    order: uuid::Uuid,
    (kind, amount, status): (&str, i64, &str),
    payable_at: DateTime<Utc>,
) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(
        "insert into affiliate_commissions (tenant_id, id, affiliate_id, order_id, kind, source_key, currency, basis,
                                            amount, rate_label, status, payable_at, occurred_at)
         values ($1, $2, $3, $4, $5, $6, 'USD', 10000, $7, 'rate 3000', $8, $9, $9 - interval '30 days')",
    )
    .bind(school.school.id)
    .bind(uuid::Uuid::now_v7())
    .bind(a.id)
    .bind(order)
    .bind(kind)
    .bind(format!("test:{}", uuid::Uuid::now_v7()))
    .bind(amount)
    .bind(status)
    .bind(payable_at)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// A day ago on the app's clock (past the holding period).
pub fn past(app: &TestApp) -> DateTime<Utc> {
    app.state.clock.now() - Duration::days(1)
}

/// Ten days ahead (still held).
pub fn held(app: &TestApp) -> DateTime<Utc> {
    app.state.clock.now() + Duration::days(10)
}

/// Gives `a` payout details as the portal stores them.
pub async fn details(app: &TestApp, school: &TestSchool, a: &Affiliate, json: serde_json::Value, summary: &str) {
    let method = json["method"].as_str().unwrap().to_string();
    // The portal's own shape (`email`, `account_number`, `routing_code`).
    let s = |k: &str| json[k].as_str().unwrap_or_default().to_string();
    let stored = if method == "paypal" {
        commerce::affiliates::portal::PayoutDetails::Paypal { email: s("paypal_email") }
    } else {
        commerce::affiliates::portal::PayoutDetails::Bank(commerce::affiliates::portal::BankAccount {
            holder: s("holder"),
            iban: s("iban"),
            account_number: s("account"),
            routing_code: s("routing"),
            country: s("country"),
            currency: s("currency"),
        })
    };
    let sealed = kernel::secret::seal(&app.state.config.keys, PURPOSE, &serde_json::to_string(&stored).unwrap());
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query("update affiliates set payout_method = $2, payout_sealed = $3, payout_summary = $4 where id = $1")
        .bind(a.id)
        .bind(method)
        .bind(sealed)
        .bind(summary)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Sets the school's minimum payout in USD.
pub async fn minimum_usd(app: &TestApp, school: &TestSchool, minor: i64) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query("update affiliate_settings set min_payout = jsonb_build_object('USD', $1::bigint)")
        .bind(minor)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A number from the school's rows.
pub async fn scalar(app: &TestApp, school: &TestSchool, sql: &str) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}
