//! The commission ledger from real sandbox checkouts: percentages, fixed amounts, personal
//! rates, subscriptions that earn on the first payment, for N months or forever, tiers, the
//! recruiter's second level, and a buyer who cannot earn on their own purchase.

use commerce::affiliates::commissions;
use identity::Role;

use crate::{
    affiliates_commissions_support::{Row, brief, exec, ledger, renew, rule},
    affiliates_support::{affiliate, enable},
    commerce_support::{buy, count, offer},
    courses_support::events,
    support::{PASSWORD, TestApp, TestSchool},
};

async fn order_ids(app: &TestApp, school: &TestSchool) -> Vec<commerce::OrderId> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v = sqlx::query_scalar("select id from orders order by created_at").fetch_all(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    v
}

#[tokio::test]
async fn a_referred_sale_earns_its_percentage_once_and_mails_the_affiliate_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    offer(&app, &acme, "course", "one_time", 10_005, &[]).await;

    let visitor = app.browser("acme");
    buy(&visitor, "course", "buyer@example.test", &[("ref", "ana")]).await;
    app.run_jobs().await;
    let rows = ledger(&app, &acme).await;
    let sale = Row {
        code: "ana".into(),
        level: 1,
        kind: "sale".into(),
        basis: 10_005,
        amount: 3_002,
        status: "pending".into(),
        rate_label: "rate 3000".into(),
    };
    assert_eq!(rows, vec![sale.clone()], "30 % of $100.05 is $30.015, rounded half-up");
    let held = count(
        &app,
        &acme,
        "select count(*) from affiliate_commissions c join payments p on p.id = c.payment_id
         where c.tenant_id = $1 and c.payable_at = p.occurred_at + interval '30 days'",
    )
    .await;
    assert_eq!(held, 1, "payable after the holding period");
    assert_eq!(events(&app, &acme, "commission.created").await, 1);

    // Every handler again, and the event again: nothing new, no second mail.
    let order = order_ids(&app, &acme).await[0];
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let again = commissions::reconcile(&app.state, &mut tx, order).await.unwrap();
    assert_eq!(again, commissions::Reconciled::default());
    assert_eq!(commissions::of_order(&mut tx, order).await.unwrap().len(), 1);
    tx.commit().await.unwrap();
    // The mail job delivered again, as a retry would.
    let again =
        "update jobs set status = 'queued', attempts = 0 where tenant_id = $1 and kind = 'affiliates.commission_email'";
    exec(&app, &acme, again).await;
    app.run_jobs().await;
    assert_eq!(ledger(&app, &acme).await, vec![sale]);
    let mails: Vec<_> = app
        .mails(&acme)
        .await
        .into_iter()
        .filter(|m| m.to_email == "ana@acme.test" && m.subject.starts_with("You earned"))
        .collect();
    assert_eq!(mails.len(), 1, "one mail per commission: {:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
    assert!(mails[0].subject.contains("$30.02"), "{}", mails[0].subject);
    assert!(
        mails[0].text.contains("from a sale of Offer course") && mails[0].text.contains("Payable from"),
        "{}",
        mails[0].text
    );
}

#[tokio::test]
async fn fixed_amounts_are_capped_at_the_sale_and_personal_rates_override_percentages() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    offer(&app, &acme, "mini", "one_time", 1_000, &[]).await;
    rule(&app, &acme, r#"kind = 'fixed', amounts = '{"USD": 2500, "EUR": 2000}'"#).await;
    let visitor = app.browser("acme");
    buy(&visitor, "course", "one@example.test", &[("ref", "ana")]).await;
    buy(&visitor, "mini", "two@example.test", &[("ref", "ana")]).await;
    app.run_jobs().await;
    let rows = ledger(&app, &acme).await;
    assert_eq!(
        rows.iter().map(|r| (r.amount, r.rate_label.as_str())).collect::<Vec<_>>(),
        [(2_500, "fixed USD 2500"), (1_000, "fixed USD 2500")]
    );

    rule(&app, &acme, "kind = 'percent', percent_bp = 2000").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update affiliates set personal_percent_bp = 4500 where id = $1")
        .bind(ana.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    buy(&visitor, "course", "three@example.test", &[("ref", "ana")]).await;
    app.run_jobs().await;
    let last = ledger(&app, &acme).await.pop().unwrap();
    assert_eq!((last.amount, last.rate_label.as_str()), (4_500, "personal 4500"));
}

/// Buys the monthly subscription through ana's link under `set` and renews it three times.
async fn subscription_under(set: &str) -> Vec<String> {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    offer(&app, &acme, "club", "subscription", 2_900, &[]).await;
    rule(&app, &acme, set).await;
    let visitor = app.browser("acme");
    buy(&visitor, "club", "member@example.test", &[("ref", "ana")]).await;
    app.run_jobs().await;
    for _ in 0..3 {
        renew(&app, &acme).await;
    }
    assert_eq!(count(&app, &acme, "select count(*) from payments where tenant_id = $1").await, 4);
    brief(&ledger(&app, &acme).await)
}

#[tokio::test]
async fn a_subscription_earns_on_its_first_payment_only_by_default() {
    assert_eq!(subscription_under("recurring = 'first'").await, ["ana 1 sale 870 pending"]);
}

#[tokio::test]
async fn a_subscription_earns_on_every_renewal_forever() {
    let rows = subscription_under("recurring = 'forever'").await;
    assert_eq!(
        rows,
        [
            "ana 1 sale 870 pending",
            "ana 1 recurring 870 pending",
            "ana 1 recurring 870 pending",
            "ana 1 recurring 870 pending"
        ]
    );
}

#[tokio::test]
async fn a_subscription_earns_for_its_first_months_only() {
    let rows = subscription_under("recurring = 'months', recurring_months = 2").await;
    assert_eq!(rows, ["ana 1 sale 870 pending", "ana 1 recurring 870 pending"]);
}

#[tokio::test]
async fn the_tier_rate_starts_after_enough_sales_in_the_month() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    rule(&app, &acme, "tier_sales = 2, tier_percent_bp = 5000").await;
    let visitor = app.browser("acme");
    for n in 0..3 {
        buy(&visitor, "course", &format!("buyer{n}@example.test"), &[("ref", "ana")]).await;
        app.run_jobs().await;
    }
    let labels: Vec<_> = ledger(&app, &acme).await.into_iter().map(|r| (r.amount, r.rate_label)).collect();
    assert_eq!(labels, [(3_000, "rate 3000".into()), (3_000, "rate 3000".into()), (5_000, "tier 5000".to_string())]);
}

#[tokio::test]
async fn the_recruiter_earns_a_second_level_share() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let bob = affiliate(&app, &acme, "Bob Affiliate", "bob@acme.test", "bob").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update affiliates set recruited_by = $1 where id = $2")
        .bind(ana.id)
        .bind(bob.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    rule(&app, &acme, "second_level_bp = 500").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    let visitor = app.browser("acme");
    buy(&visitor, "course", "buyer@example.test", &[("ref", "bob")]).await;
    app.run_jobs().await;
    let rows = ledger(&app, &acme).await;
    assert_eq!(brief(&rows), ["bob 1 sale 3000 pending", "ana 2 sale 500 pending"]);
    assert_eq!(rows[1].rate_label, "level2 500");
    assert!(
        app.mails(&acme)
            .await
            .iter()
            .any(|m| m.to_email == "ana@acme.test" && m.text.contains("affiliate you brought"))
    );
}

#[tokio::test]
async fn an_affiliate_earns_nothing_on_their_own_purchase() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    let ana = app.browser("acme");
    ana.login("ana@acme.test", PASSWORD).await;
    buy(&ana, "course", "ana@acme.test", &[("ref", "ana")]).await;
    app.run_jobs().await;
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
    assert!(ledger(&app, &acme).await.is_empty());
    assert_eq!(events(&app, &acme, "commission.created").await, 0);
    // Another school's buyer with the same code earns this affiliate nothing either.
    let globex = app.school("globex").await;
    offer(&app, &globex, "course", "one_time", 10_000, &[]).await;
    let _ = app.user(&globex, "Gus", "gus@globex.test", Role::Student).await;
    buy(&app.browser("globex"), "course", "gus@globex.test", &[("ref", "ana")]).await;
    app.run_jobs().await;
    assert!(ledger(&app, &globex).await.is_empty());
    assert!(ledger(&app, &acme).await.is_empty());
}
