//! Money given back takes commissions back: a full refund or a chargeback while the commission
//! is held cancels it (and takes it out of an open payout); a refund after the payout, or a
//! partial one, writes a negative clawback netted against the next payout; an order nobody
//! referred has nothing to take back.

use crate::{
    affiliates_commissions_support::{brief, charges, ledger, open_payout, pay_out_everything, refund},
    affiliates_support::{affiliate, enable},
    commerce_support::{buy, count, offer},
    courses_support::events,
    support::{TestApp, TestSchool},
};

/// acme with ana's program at 30 % and `n` purchases of a $100 course through her link.
async fn school_with_sales(n: usize) -> (TestApp, TestSchool) {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    let visitor = app.browser("acme");
    for i in 0..n {
        buy(&visitor, "course", &format!("buyer{i}@example.test"), &[("ref", "ana")]).await;
    }
    app.run_jobs().await;
    (app, acme)
}

#[tokio::test]
async fn a_full_refund_or_a_chargeback_in_the_holding_period_cancels_the_commission() {
    let (app, acme) = school_with_sales(2).await;
    let charges = charges(&app, &acme).await;
    refund(&app, &acme, &charges[0], "re_1", 10_000, false).await;
    refund(&app, &acme, &charges[1], "dp_1", 10_000, true).await;
    assert_eq!(brief(&ledger(&app, &acme).await), ["ana 1 sale 3000 cancelled", "ana 1 sale 3000 cancelled"]);
    let reasons = count(
        &app,
        &acme,
        "select count(*) from affiliate_commissions where tenant_id = $1 and cancelled_at is not null
           and (cancel_reason, refund_id is not null) in (('refund', true), ('chargeback', true))",
    )
    .await;
    assert_eq!(reasons, 2);
    assert_eq!(events(&app, &acme, "commission.cancelled").await, 2);
    // Reported again: nothing more.
    refund(&app, &acme, &charges[0], "re_1", 10_000, false).await;
    assert_eq!(ledger(&app, &acme).await.len(), 2);
    assert_eq!(events(&app, &acme, "commission.cancelled").await, 2);
}

#[tokio::test]
async fn a_refund_after_the_payout_claws_the_commission_back() {
    let (app, acme) = school_with_sales(1).await;
    pay_out_everything(&app, &acme).await;
    let charge = charges(&app, &acme).await.remove(0);
    refund(&app, &acme, &charge, "re_1", 10_000, false).await;
    assert_eq!(brief(&ledger(&app, &acme).await), ["ana 1 sale 3000 paid", "ana 1 clawback -3000 pending"]);
    let now_payable = count(
        &app,
        &acme,
        "select count(*) from affiliate_commissions c join refunds r on r.id = c.refund_id
         where c.tenant_id = $1 and c.kind = 'clawback' and c.payable_at = r.occurred_at and c.payout_id is null",
    )
    .await;
    assert_eq!(now_payable, 1, "netted against the next payout");
    let cancelled = count(&app, &acme, "select count(*) from events where tenant_id = $1 and kind = 'commission.cancelled' and (payload->>'amount')::bigint = -3000").await;
    assert_eq!(cancelled, 1);
}

#[tokio::test]
async fn partial_refunds_take_back_their_share_and_never_more_than_the_commission() {
    let (app, acme) = school_with_sales(1).await;
    let charge = charges(&app, &acme).await.remove(0);
    refund(&app, &acme, &charge, "re_1", 3_333, false).await;
    assert_eq!(brief(&ledger(&app, &acme).await), ["ana 1 sale 3000 pending", "ana 1 clawback -1000 pending"]);
    refund(&app, &acme, &charge, "re_2", 3_333, false).await;
    refund(&app, &acme, &charge, "re_3", 3_334, false).await;
    let rows = ledger(&app, &acme).await;
    assert_eq!(rows.len(), 4, "the sale and three clawbacks: {:?}", brief(&rows));
    assert_eq!(rows[0].status, "pending", "part of it was taken back already: the rest is a clawback");
    assert_eq!(rows.iter().map(|r| r.amount).sum::<i64>(), 0, "exactly the commission taken back");
}

#[tokio::test]
async fn a_refund_takes_its_commission_out_of_an_open_payout() {
    let (app, acme) = school_with_sales(2).await;
    open_payout(&app, &acme).await;
    assert_eq!(count(&app, &acme, "select amount from affiliate_payouts where tenant_id = $1").await, 6_000);
    let charges = charges(&app, &acme).await;
    refund(&app, &acme, &charges[0], "re_1", 10_000, false).await;
    assert_eq!(brief(&ledger(&app, &acme).await), ["ana 1 sale 3000 cancelled", "ana 1 sale 3000 pending"]);
    assert_eq!(count(&app, &acme, "select amount from affiliate_payouts where tenant_id = $1").await, 3_000);
    assert_eq!(
        count(&app, &acme, "select count(*) from affiliate_commissions where tenant_id = $1 and payout_id is not null")
            .await,
        1
    );
    // The last one too: the payout has nothing left to pay and goes.
    refund(&app, &acme, &charges[1], "re_2", 10_000, false).await;
    assert_eq!(count(&app, &acme, "select count(*) from affiliate_payouts where tenant_id = $1").await, 0);
    assert_eq!(brief(&ledger(&app, &acme).await), ["ana 1 sale 3000 cancelled", "ana 1 sale 3000 cancelled"]);
}

#[tokio::test]
async fn a_refund_of_an_order_nobody_referred_does_nothing() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    buy(&app.browser("acme"), "course", "buyer@example.test", &[]).await;
    app.run_jobs().await;
    let charge = charges(&app, &acme).await.remove(0);
    refund(&app, &acme, &charge, "re_1", 10_000, false).await;
    assert!(ledger(&app, &acme).await.is_empty());
    assert_eq!(events(&app, &acme, "commission.cancelled").await, 0);
}
