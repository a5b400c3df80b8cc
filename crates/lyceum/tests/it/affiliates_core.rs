//! The affiliate program's foundation: an order bought through a checkout link with an
//! approved affiliate's `ref` is theirs, decided once; an unknown code credits nobody.

use commerce::affiliates::attribution::{self, Via};

use crate::{
    affiliates_support::{affiliate, enable},
    commerce_support::{buy, offer},
    support::{TestApp, TestSchool},
};

async fn last_order(app: &TestApp, school: &TestSchool) -> commerce::OrderId {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id: commerce::OrderId =
        sqlx::query_scalar("select id from orders order by created_at desc limit 1").fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn a_checkout_links_ref_credits_its_affiliate_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;

    let visitor = app.browser("acme");
    buy(&visitor, "course", "buyer@example.test", &[("ref", "ana")]).await;
    let order = last_order(&app, &acme).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let first = attribution::referral_for_order(&app.state, &mut tx, order).await.unwrap().expect("credited");
    assert_eq!((first.affiliate.id, first.via), (ana.id, Via::Link));
    let again = attribution::referral_for_order(&app.state, &mut tx, order).await.unwrap().expect("same answer");
    assert_eq!(again.affiliate.id, ana.id);
    tx.commit().await.unwrap();

    buy(&visitor, "course", "other@example.test", &[("ref", "nobody")]).await;
    let order = last_order(&app, &acme).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(attribution::referral_for_order(&app.state, &mut tx, order).await.unwrap().is_none());
    tx.commit().await.unwrap();
}
