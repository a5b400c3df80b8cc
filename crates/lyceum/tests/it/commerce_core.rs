//! The thin slice of selling: a visitor buys a course through the checkout and the sandbox's
//! card form, the order is recorded once, `order.paid` enrols them, a refund takes the course
//! back, and another school sees none of it.

use commerce::ledger::{self, RefundFact};
use identity::Role;
use reqwest::StatusCode;

use crate::{
    commerce_support::{CARD_3DS, CARD_DECLINED, CARD_FUNDS, CARD_OK, buy, count, offer, pay, start_checkout},
    courses_support::{events, published_course},
    support::{TestApp, location},
};

#[tokio::test]
async fn a_visitor_buys_a_course_and_is_enrolled_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;

    let visitor = app.browser("acme");
    let (status, html) = visitor.page("/checkout/watercolor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Watercolor") && html.contains("$199.00"), "{html}");

    let pay_path = start_checkout(&visitor, "watercolor", "ana@example.com", &[]).await;
    assert!(pay_path.starts_with("/checkout/pay/"));
    let res = pay(&visitor, &pay_path, CARD_OK).await;
    let thanks = location(&res);
    assert!(thanks.starts_with("/checkout/thanks/"));
    // A double click on "pay" finds the order made and changes nothing.
    let again = pay(&visitor, &pay_path, CARD_OK).await;
    assert_eq!(location(&again), thanks);
    let (_, page) = visitor.page(&thanks).await;
    assert!(page.contains("R-000001"), "{page}");

    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
    assert_eq!(count(&app, &acme, "select count(*) from payments where tenant_id = $1").await, 1);
    app.run_jobs().await;
    app.run_jobs().await;
    assert_eq!(events(&app, &acme, "order.paid").await, 1);
    assert_eq!(events(&app, &acme, "enrollment.created").await, 1);
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from enrollments where tenant_id = $1 and source = 'purchase' and revoked_at is null"
        )
        .await,
        1
    );

    // A full refund takes the course back, once, however often it is reported.
    let charge: String = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let c = sqlx::query_scalar("select provider_ref from payments").fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        c
    };
    for _ in 0..3 {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let fact = RefundFact {
            charge_ref: &charge,
            refund_ref: "re_1",
            amount: 19_900,
            dispute: false,
            reason: "",
            actor: None,
            revoke_access: None,
        };
        ledger::refund(&app.state, &mut tx, fact).await.unwrap();
        tx.commit().await.unwrap();
    }
    app.run_jobs().await;
    assert_eq!(events(&app, &acme, "order.refunded").await, 1);
    assert_eq!(
        count(&app, &acme, "select count(*) from enrollments where tenant_id = $1 and revoked_at is not null").await,
        1
    );
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let over = RefundFact {
        charge_ref: &charge,
        refund_ref: "re_2",
        amount: 1,
        dispute: false,
        reason: "",
        actor: None,
        revoke_access: None,
    };
    assert!(matches!(ledger::refund(&app.state, &mut tx, over).await, Err(ledger::LedgerError::OverRefund)));
}

#[tokio::test]
async fn refused_cards_say_why_and_charge_nothing() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    let visitor = app.browser("acme");
    let pay_path = start_checkout(&visitor, "watercolor", "ana@example.com", &[]).await;
    for (card, message) in [
        (CARD_DECLINED, "Your card was declined"),
        (CARD_FUNDS, "insufficient funds"),
        ("4242 4242 4242 4241", "isn&#x27;t valid"),
        ("5555 5555 5555 4444", "use a test card"),
    ] {
        let res = pay(&visitor, &pay_path, card).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains(message), "{card}");
    }
    // The confirmation card asks first; cancelling it charges nothing, confirming pays.
    let res = pay(&visitor, &pay_path, CARD_3DS).await;
    assert!(res.text().await.unwrap().contains("confirm this payment"));
    let res = visitor.post_form(&pay_path, &[("step", "confirm"), ("outcome", "fail")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 0);
    pay(&visitor, &pay_path, CARD_3DS).await;
    let res = visitor.post_form(&pay_path, &[("step", "confirm"), ("outcome", "approve")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
}

#[tokio::test]
async fn another_school_cannot_see_a_checkout() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    let buyer = app.browser("acme");
    let pay_path = start_checkout(&buyer, "watercolor", "ana@example.com", &[]).await;
    let thanks = buy(&buyer, "watercolor", "ana@example.com", &[]).await;
    app.user(&globex, "Gus", "gus@globex.test", Role::Owner).await;
    let other = app.browser("globex");
    assert_eq!(other.get("/checkout/watercolor").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.get(&pay_path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(pay(&other, &pay_path, CARD_OK).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.get(&thanks).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(count(&app, &globex, "select count(*) from orders where tenant_id = $1").await, 0);
}

async fn sandbox_event(
    app: &TestApp,
    school: &crate::support::TestSchool,
    id: &str,
    kind: &str,
    payload: serde_json::Value,
) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    commerce::inbox::handle_sandbox(&app.state, &mut tx, id, kind, &payload).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_subscription_renews_lapses_and_recovers_through_provider_events() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Membership", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "monthly", "subscription", 2_900, &[course.course.id]).await;
    let visitor = app.browser("acme");
    buy(&visitor, "monthly", "ana@example.com", &[]).await;
    app.run_jobs().await;
    let sub: uuid::Uuid = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from subscriptions").fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        id
    };
    let open = "select count(*) from enrollments where tenant_id = $1 and paused_at is null and revoked_at is null";
    assert_eq!(count(&app, &acme, open).await, 1);

    let paid = serde_json::json!({ "subscription_id": sub, "charge": "ch_2", "amount": 2_900, "tax": 0 });
    for _ in 0..3 {
        sandbox_event(&app, &acme, "evt_2", "invoice.paid", paid.clone()).await;
    }
    // The same charge under another event id is still one payment.
    sandbox_event(&app, &acme, "evt_2b", "invoice.paid", paid).await;
    assert_eq!(count(&app, &acme, "select payments_made::bigint from subscriptions where tenant_id = $1").await, 2);

    let failed = serde_json::json!({ "subscription_id": sub, "charge": "ch_3", "code": "card_declined" });
    sandbox_event(&app, &acme, "evt_3", "invoice.payment_failed", failed.clone()).await;
    sandbox_event(&app, &acme, "evt_3", "invoice.payment_failed", failed).await;
    assert_eq!(events(&app, &acme, "subscription.past_due").await, 1);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(commerce::subscriptions::lapse(&app.state, &mut tx, commerce::SubscriptionId(sub)).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(count(&app, &acme, open).await, 0, "a lapsed subscription pauses access");

    let recovered = serde_json::json!({ "subscription_id": sub, "charge": "ch_4", "amount": 2_900, "tax": 0 });
    sandbox_event(&app, &acme, "evt_4", "invoice.paid", recovered).await;
    assert_eq!(count(&app, &acme, open).await, 1, "a successful payment opens it again");
    assert_eq!(
        count(&app, &acme, "select count(*) from subscriptions where tenant_id = $1 and status = 'active'").await,
        1
    );
    assert_eq!(
        count(&app, &acme, "select count(*) from payments where tenant_id = $1 and status = 'succeeded'").await,
        3
    );
}
