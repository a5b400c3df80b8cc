//! The commission ledger in tests: reading it, changing the school's rule, renewing a
//! subscription on the clock and refunding a payment as the provider reports it.

use chrono::Duration;
use commerce::ledger::{self, RefundFact};

use crate::support::{TestApp, TestSchool};

/// A ledger row as the assertions read it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Row {
    pub code: String,
    pub level: i32,
    pub kind: String,
    pub basis: i64,
    pub amount: i64,
    pub status: String,
    pub rate_label: String,
}

/// The school's ledger, oldest first.
pub async fn ledger(app: &TestApp, school: &TestSchool) -> Vec<Row> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let rows = sqlx::query_as(
        "select a.code, c.level, c.kind, c.basis, c.amount, c.status, c.rate_label
         from affiliate_commissions c join affiliates a on a.id = c.affiliate_id
         order by c.occurred_at, c.kind <> 'clawback', c.level, c.source_key",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    rows
}

/// A short form of a row: `code L kind amount status`.
pub fn brief(rows: &[Row]) -> Vec<String> {
    rows.iter().map(|r| format!("{} {} {} {} {}", r.code, r.level, r.kind, r.amount, r.status)).collect()
}

/// Runs `sql` (with `$1` the school's id) in the school.
pub async fn exec(app: &TestApp, school: &TestSchool, sql: &str) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).bind(school.school.id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// Changes the school's default rule: `set` is the SQL after `set`.
pub async fn rule(app: &TestApp, school: &TestSchool, set: &str) {
    exec(app, school, &format!("update affiliate_rules set {set} where tenant_id = $1 and offer_id is null")).await;
}

/// The provider references of the school's succeeded payments, oldest first.
pub async fn charges(app: &TestApp, school: &TestSchool) -> Vec<String> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v = sqlx::query_scalar("select provider_ref from payments where status = 'succeeded' order by occurred_at, id")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    v
}

/// Refunds `amount` of the payment `charge` as the provider reports it (`dispute`: a
/// chargeback), then runs the jobs.
pub async fn refund(app: &TestApp, school: &TestSchool, charge: &str, refund_ref: &str, amount: i64, dispute: bool) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let fact =
        RefundFact { charge_ref: charge, refund_ref, amount, dispute, reason: "", actor: None, revoke_access: None };
    ledger::refund(&app.state, &mut tx, fact).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
}

/// Moves the clock past the school's (only) subscription's period and runs the billing sweep
/// and the jobs: one renewal.
pub async fn renew(app: &TestApp, school: &TestSchool) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let end: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select max(current_period_end) from subscriptions").fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let by = end - app.state.clock.now() + Duration::minutes(1);
    if by > Duration::zero() {
        app.state.clock.advance(by);
    }
    let sweep = commerce::billing::run(&app.state, school.school.id).await.unwrap();
    assert_eq!(sweep.paid, 1, "{sweep:?}");
    app.run_jobs().await;
}

/// Marks every commission of the school paid through one paid payout per affiliate, as the
/// payouts pages would.
pub async fn pay_out_everything(app: &TestApp, school: &TestSchool) {
    payout(app, school, "paid").await;
}

/// Puts every pending commission of the school in an open payout (one per affiliate).
pub async fn open_payout(app: &TestApp, school: &TestSchool) {
    payout(app, school, "open").await;
}

async fn payout(app: &TestApp, school: &TestSchool, status: &str) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let batch = uuid::Uuid::now_v7();
    sqlx::query("insert into affiliate_payout_batches (tenant_id, id, currency, status) values ($1, $2, 'USD', $3)")
        .bind(school.school.id)
        .bind(batch)
        .bind(status)
        .execute(&mut *tx)
        .await
        .unwrap();
    let affiliates: Vec<(uuid::Uuid, i64)> = sqlx::query_as(
        "select affiliate_id, sum(amount)::bigint from affiliate_commissions where status = 'pending' group by 1",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    for (affiliate, amount) in affiliates {
        let id = uuid::Uuid::now_v7();
        sqlx::query(
            "insert into affiliate_payouts (tenant_id, id, batch_id, affiliate_id, currency, amount, method, status)
             values ($1, $2, $3, $4, 'USD', $5, 'paypal', $6)",
        )
        .bind(school.school.id)
        .bind(id)
        .bind(batch)
        .bind(affiliate)
        .bind(amount)
        .bind(status)
        .execute(&mut *tx)
        .await
        .unwrap();
        let new_status = if status == "paid" { "paid" } else { "pending" };
        sqlx::query(
            "update affiliate_commissions set payout_id = $2, status = $3 where affiliate_id = $1 and status = 'pending'",
        )
        .bind(affiliate)
        .bind(id)
        .bind(new_status)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}
