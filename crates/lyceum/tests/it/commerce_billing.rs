//! Subscriptions on the application's clock: the billing sweep charges trials and renewals,
//! retries failed ones, sends the dunning emails, pauses access after the grace period and
//! opens it again when the student gives a card that works; cancellation at period end;
//! plans that complete; upgrades with proration and downgrades at renewal; and the student's
//! `/account/billing` pages, which nobody else can reach.

use chrono::{Datelike, Duration, Months};
use commerce::{
    billing,
    store::{self, NewOffer},
};
use identity::Role;
use reqwest::StatusCode;

use crate::{
    commerce_support::{CARD_OK, count, offer, start_checkout},
    courses_support::{events, published_course},
    support::{Browser, PASSWORD, TestApp, TestSchool, location},
};

const OPEN: &str = "select count(*) from enrollments where tenant_id = $1 and paused_at is null and revoked_at is null";
const PAID: &str = "select count(*) from payments where tenant_id = $1 and status = 'succeeded'";

/// A student of acme, logged in, who bought `slug` with `card` (expiring `expiry`).
async fn subscriber(app: &TestApp, school: &TestSchool, slug: &str, card: &str, expiry: &str) -> (Browser, uuid::Uuid) {
    app.user(school, "Ana Subscriber", "ana@example.com", Role::Student).await;
    let b = app.browser(&school.school.slug);
    b.login("ana@example.com", PASSWORD).await;
    let pay_path = start_checkout(&b, slug, "ana@example.com", &[]).await;
    let res = b.post_form(&pay_path, &[("number", card), ("expiry", expiry), ("cvc", "123")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.run_jobs().await;
    let sub = scalar::<uuid::Uuid>(app, school, "select id from subscriptions where tenant_id = $1").await;
    (b, sub)
}

async fn scalar<T>(app: &TestApp, school: &TestSchool, sql: &'static str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v: T = sqlx::query_scalar(sql).bind(school.school.id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    v
}

async fn status(app: &TestApp, school: &TestSchool) -> String {
    scalar(app, school, "select status from subscriptions where tenant_id = $1").await
}

/// Moves the clock a minute past the subscription's current period.
async fn to_period_end(app: &TestApp, school: &TestSchool) {
    let end: chrono::DateTime<chrono::Utc> =
        scalar(app, school, "select current_period_end from subscriptions where tenant_id = $1").await;
    let by = end - app.state.clock.now() + Duration::minutes(1);
    if by > Duration::zero() {
        app.state.clock.advance(by);
    }
}

async fn sweep(app: &TestApp, school: &TestSchool) -> billing::Sweep {
    billing::run(&app.state, school.school.id).await.unwrap()
}

async fn exec(app: &TestApp, school: &TestSchool, sql: &'static str) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(sql).bind(school.school.id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_trial_renews_fails_lapses_and_comes_back_with_a_new_card() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Membership", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "monthly", "subscription", 2_900, &[course.course.id]).await;
    exec(&app, &acme, "update offers set trial_days = 7 where tenant_id = $1").await;
    // The card expires in the month of the second charge: the third one fails.
    let second = (app.state.clock.now() + Duration::days(7)).checked_add_months(Months::new(1)).unwrap();
    let expiry = format!("{:02}/{}", second.month(), second.year());
    let (b, sub) = subscriber(&app, &acme, "monthly", CARD_OK, &expiry).await;
    assert_eq!(status(&app, &acme).await, "trialing");
    let schedules = "select count(*) from job_schedules where tenant_id = $1 and kind = 'commerce.billing'";
    assert_eq!(count(&app, &acme, schedules).await, 1, "the first subscription schedules the sweep");
    assert_eq!(count(&app, &acme, OPEN).await, 1);
    assert_eq!(count(&app, &acme, PAID).await, 0, "a trial without a setup fee charges nothing");
    assert_eq!(sweep(&app, &acme).await, billing::Sweep::default(), "nothing is due during the trial");

    to_period_end(&app, &acme).await;
    assert_eq!(sweep(&app, &acme).await.paid, 1, "the trial's end takes the first payment");
    assert_eq!(status(&app, &acme).await, "active");
    to_period_end(&app, &acme).await;
    assert_eq!(sweep(&app, &acme).await.paid, 1);
    assert_eq!(count(&app, &acme, PAID).await, 2);
    assert_eq!(count(&app, &acme, "select payments_made::bigint from subscriptions where tenant_id = $1").await, 2);

    to_period_end(&app, &acme).await;
    assert_eq!(sweep(&app, &acme).await.failed, 1, "the expired card is refused");
    assert_eq!(status(&app, &acme).await, "past_due");
    assert_eq!(count(&app, &acme, OPEN).await, 1, "access is kept during the grace period");
    app.run_jobs().await;
    assert_eq!(events(&app, &acme, "subscription.past_due").await, 1);
    let link = app.link_in_mail(&acme, "ana@example.com", "/account/billing").await;
    assert!(link.ends_with("/account/billing"), "{link}");
    let mail = app.mails(&acme).await.into_iter().find(|m| m.subject.contains("failed")).expect("dunning mail");
    assert!(mail.text.contains("$29.00") && mail.text.contains("try again"), "{}", mail.text);

    // Retried a day later, and again three days after that: still refused.
    app.state.clock.advance(Duration::days(1) + Duration::minutes(1));
    assert_eq!(sweep(&app, &acme).await.failed, 1);
    assert_eq!(sweep(&app, &acme).await, billing::Sweep::default(), "a retry runs once");
    app.state.clock.advance(Duration::days(6));
    let s = sweep(&app, &acme).await;
    assert_eq!((s.failed, s.lapsed), (1, 1), "{s:?}");
    assert_eq!(status(&app, &acme).await, "paused");
    assert_eq!(count(&app, &acme, OPEN).await, 0, "the grace period is over: access pauses");
    app.run_jobs().await;
    assert!(app.mails(&acme).await.iter().any(|m| m.subject.contains("paused")));

    let (code, page) = b.page("/account/billing").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Access paused") && page.contains("$29.00"), "{page}");
    let card_path = format!("/account/billing/{sub}/card");
    let (code, page) = b.page(&card_path).await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Save card and pay $29.00"), "{page}");
    let bad = b.post_form(&card_path, &[("number", "4242 4242 4242 4241"), ("expiry", "12/34"), ("cvc", "123")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = b.post_form(&card_path, &[("number", CARD_OK), ("expiry", "12/34"), ("cvc", "123")]).await;
    assert_eq!(location(&res), "/account/billing");
    assert_eq!(status(&app, &acme).await, "active");
    assert_eq!(count(&app, &acme, OPEN).await, 1, "the new card paid: access is back");
    assert_eq!(count(&app, &acme, PAID).await, 3);
    app.run_jobs().await;
    assert!(app.mails(&acme).await.iter().any(|m| m.subject.contains("You're back")));
    let (_, page) = b.page("/account/billing").await;
    assert!(page.contains("Active") && page.contains("ending in 4242"), "{page}");
    assert_eq!(events(&app, &acme, "subscription.renewed").await, 3);
    assert_eq!(events(&app, &acme, "subscription.created").await, 1);
    // A lapsed subscription paid again starts a fresh period from today.
    let end: chrono::DateTime<chrono::Utc> =
        scalar(&app, &acme, "select current_period_end from subscriptions where tenant_id = $1").await;
    assert!(end > app.state.clock.now() + Duration::days(27));
}

#[tokio::test]
async fn cancelling_at_period_end_keeps_access_until_then() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Membership", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "monthly", "subscription", 2_900, &[course.course.id]).await;
    let (b, sub) = subscriber(&app, &acme, "monthly", CARD_OK, "12/34").await;

    // A new card while nothing is owed is saved for the next payments and charges nothing.
    let card_path = format!("/account/billing/{sub}/card");
    let res = b.post_form(&card_path, &[("number", "4000 0027 6000 3184"), ("expiry", "11/33"), ("cvc", "321")]).await;
    assert_eq!(location(&res), "/account/billing");
    assert_eq!(count(&app, &acme, PAID).await, 1);
    let (_, page) = b.page("/account/billing").await;
    assert!(page.contains("ending in 3184") && page.contains("11/2033"), "{page}");
    let changes = "select count(*) from subscription_changes where tenant_id = $1 and kind = 'card_updated'";
    assert_eq!(count(&app, &acme, changes).await, 1);

    let res = b.post_form(&format!("/account/billing/{sub}/cancel"), &[]).await;
    assert_eq!(location(&res), "/account/billing");
    let (_, page) = b.page("/account/billing").await;
    assert!(page.contains("Keep my subscription") && page.contains("Access until"), "{page}");
    b.post_form(&format!("/account/billing/{sub}/keep"), &[]).await;
    assert_eq!(
        count(&app, &acme, "select count(*) from subscriptions where tenant_id = $1 and cancel_at_period_end").await,
        0
    );
    b.post_form(&format!("/account/billing/{sub}/cancel"), &[]).await;

    app.state.clock.advance(Duration::days(20));
    assert_eq!(sweep(&app, &acme).await, billing::Sweep::default());
    assert_eq!(count(&app, &acme, OPEN).await, 1, "access stays until the period ends");
    to_period_end(&app, &acme).await;
    assert_eq!(sweep(&app, &acme).await.canceled, 1);
    assert_eq!(status(&app, &acme).await, "canceled");
    assert_eq!(count(&app, &acme, OPEN).await, 0);
    assert_eq!(count(&app, &acme, PAID).await, 1, "nothing is charged after a cancellation");
    app.run_jobs().await;
    assert_eq!(events(&app, &acme, "subscription.canceled").await, 1);
    let kinds = count(
        &app,
        &acme,
        "select count(*) from subscription_changes where tenant_id = $1
         and kind in ('cancel_scheduled', 'cancel_withdrawn', 'canceled')",
    )
    .await;
    assert_eq!(kinds, 4);
    let (_, page) = b.page("/account/billing").await;
    assert!(page.contains("Cancelled"), "{page}");
}

#[tokio::test]
async fn a_plan_completes_after_three_payments_and_keeps_access() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Masterclass", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "three", "plan", 10_000, &[course.course.id]).await;
    let (b, sub) = subscriber(&app, &acme, "three", CARD_OK, "12/34").await;
    let refused = b.post_form(&format!("/account/billing/{sub}/cancel"), &[]).await;
    assert_eq!(location(&refused), "/account/billing");
    assert_eq!(status(&app, &acme).await, "active", "a student cannot cancel a plan");
    for _ in 0..2 {
        to_period_end(&app, &acme).await;
        assert_eq!(sweep(&app, &acme).await.paid, 1);
    }
    assert_eq!(status(&app, &acme).await, "completed");
    to_period_end(&app, &acme).await;
    assert_eq!(sweep(&app, &acme).await, billing::Sweep::default(), "a completed plan charges no more");
    assert_eq!(count(&app, &acme, PAID).await, 3);
    assert_eq!(count(&app, &acme, OPEN).await, 1, "a paid-off plan keeps its access");
    let (_, page) = b.page("/account/billing").await;
    assert!(page.contains("Paid off") && page.contains("3 of 3"), "{page}");
}

#[tokio::test]
async fn an_upgrade_is_prorated_and_a_downgrade_waits_for_the_renewal() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Membership", &[("Basics", &[("Welcome", "text")])]).await;
    let basic = offer(&app, &acme, "basic", "subscription", 2_000, &[course.course.id]).await;
    let pro = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let o = NewOffer {
            product: basic.product_id,
            slug: "pro",
            name: "Pro",
            kind: "subscription",
            currency: "USD",
            amount: 5_000,
            interval: Some("month"),
            installments: None,
            trial_days: 0,
            setup_fee: 0,
        };
        let id = store::insert_offer(&mut tx, &o).await.unwrap();
        tx.commit().await.unwrap();
        id
    };
    let (b, sub) = subscriber(&app, &acme, "basic", CARD_OK, "12/34").await;
    let period: i64 = scalar(
        &app,
        &acme,
        "select extract(epoch from current_period_end - current_period_start)::bigint from subscriptions where tenant_id = $1",
    )
    .await;
    let started: chrono::DateTime<chrono::Utc> =
        scalar(&app, &acme, "select current_period_start from subscriptions where tenant_id = $1").await;
    app.state.clock.advance(started + Duration::seconds(period / 2) - app.state.clock.now());

    let plan_path = format!("/account/billing/{sub}/plan");
    let (code, page) = b.page(&plan_path).await;
    assert_eq!(code, StatusCode::OK);
    // Half a period left: a credit of $10.00 against $25.00 of Pro.
    assert!(page.contains("Pro") && page.contains("$15.00") && page.contains("$10.00"), "{page}");
    let pro_id = pro.to_string();
    let res = b.post_form(&plan_path, &[("offer", &pro_id)]).await;
    assert_eq!(location(&res), "/account/billing");
    let last: i64 = scalar(
        &app,
        &acme,
        "select amount from payments where tenant_id = $1 order by occurred_at desc, created_at desc limit 1",
    )
    .await;
    assert_eq!(last, 1_500);
    // Choosing it again changes and charges nothing.
    b.post_form(&plan_path, &[("offer", &pro_id)]).await;
    assert_eq!(count(&app, &acme, PAID).await, 2);
    assert_eq!(count(&app, &acme, "select amount from subscriptions where tenant_id = $1").await, 5_000);

    let basic_id = basic.id.to_string();
    b.post_form(&plan_path, &[("offer", &basic_id)]).await;
    assert_eq!(count(&app, &acme, "select amount from subscriptions where tenant_id = $1").await, 5_000);
    let (_, page) = b.page("/account/billing").await;
    assert!(page.contains("Moves to Offer basic"), "{page}");
    to_period_end(&app, &acme).await;
    assert_eq!(sweep(&app, &acme).await.paid, 1);
    let last: i64 = scalar(
        &app,
        &acme,
        "select amount from payments where tenant_id = $1 order by occurred_at desc, created_at desc limit 1",
    )
    .await;
    assert_eq!(last, 2_000, "the downgrade applies from the renewal");
    let kinds = count(
        &app,
        &acme,
        "select count(*) from subscription_changes where tenant_id = $1 and kind in ('upgraded', 'downgrade_scheduled', 'downgraded')",
    )
    .await;
    assert_eq!(kinds, 3);
}

#[tokio::test]
async fn two_sweeps_at_the_same_moment_charge_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Membership", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "monthly", "subscription", 2_900, &[course.course.id]).await;
    subscriber(&app, &acme, "monthly", CARD_OK, "12/34").await;
    to_period_end(&app, &acme).await;
    let (a, b) = tokio::join!(sweep(&app, &acme), sweep(&app, &acme));
    assert_eq!(a.paid + b.paid, 1);
    assert_eq!(sweep(&app, &acme).await, billing::Sweep::default());
    assert_eq!(count(&app, &acme, PAID).await, 2);
    assert_eq!(count(&app, &acme, "select payments_made::bigint from subscriptions where tenant_id = $1").await, 2);
    app.run_jobs().await;
    assert_eq!(events(&app, &acme, "subscription.renewed").await, 1);
    // Stripe bills its own subscriptions: the sweep leaves them alone.
    exec(&app, &acme, "update subscriptions set provider = 'stripe' where tenant_id = $1").await;
    to_period_end(&app, &acme).await;
    assert_eq!(sweep(&app, &acme).await, billing::Sweep::default());
    assert_eq!(count(&app, &acme, PAID).await, 2);
}

#[tokio::test]
async fn nobody_else_reaches_a_students_billing() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let course = published_course(&app, &acme, "Membership", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "monthly", "subscription", 2_900, &[course.course.id]).await;
    let (_, sub) = subscriber(&app, &acme, "monthly", CARD_OK, "12/34").await;

    app.user(&acme, "Bob", "bob@example.com", Role::Student).await;
    let bob = app.browser("acme");
    bob.login("bob@example.com", PASSWORD).await;
    let (code, page) = bob.page("/account/billing").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Nothing to pay for") && !page.contains("Product monthly"), "{page}");
    app.user(&globex, "Gus", "gus@globex.test", Role::Owner).await;
    let gus = app.browser("globex");
    gus.login("gus@globex.test", PASSWORD).await;
    for other in [&bob, &gus] {
        for path in ["plan", "card"] {
            assert_eq!(other.get(&format!("/account/billing/{sub}/{path}")).await.status(), StatusCode::NOT_FOUND);
        }
        for path in ["cancel", "keep", "plan"] {
            let res = other.post_form(&format!("/account/billing/{sub}/{path}"), &[("offer", "x")]).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        }
        let res = other
            .post_form(
                &format!("/account/billing/{sub}/card"),
                &[("number", CARD_OK), ("expiry", "12/34"), ("cvc", "123")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(status(&app, &acme).await, "active");
    assert_eq!(
        count(&app, &acme, "select count(*) from subscriptions where tenant_id = $1 and cancel_at_period_end").await,
        0
    );
    let (_, page) = gus.page("/account/billing").await;
    assert!(!page.contains("Product monthly"));
    let anonymous = app.browser("acme");
    assert_ne!(anonymous.get("/account/billing").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_refused_upgrade_changes_nothing() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Membership", &[("Basics", &[("Welcome", "text")])]).await;
    let basic = offer(&app, &acme, "basic", "subscription", 2_000, &[course.course.id]).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let o = NewOffer {
        product: basic.product_id,
        slug: "pro",
        name: "Pro",
        kind: "subscription",
        currency: "USD",
        amount: 50_000,
        interval: Some("year"),
        installments: None,
        trial_days: 0,
        setup_fee: 0,
    };
    let pro = store::insert_offer(&mut tx, &o).await.unwrap().to_string();
    tx.commit().await.unwrap();
    // This card pays at checkout and refuses every later charge.
    let (b, sub) = subscriber(&app, &acme, "basic", "4000 0000 0000 0341", "12/34").await;
    app.state.clock.advance(Duration::days(3));
    let plan_path = format!("/account/billing/{sub}/plan");
    let res = b.post_form(&plan_path, &[("offer", &pro)]).await;
    assert_eq!(location(&res), plan_path);
    let (_, page) = b.page(&plan_path).await;
    assert!(page.contains("Your card was declined."), "{page}");
    assert_eq!(count(&app, &acme, PAID).await, 1);
    assert_eq!(count(&app, &acme, "select amount from subscriptions where tenant_id = $1").await, 2_000);
    let failed = "select count(*) from subscription_changes where tenant_id = $1 and kind = 'upgrade_failed'";
    assert_eq!(count(&app, &acme, failed).await, 1);
    assert_eq!(status(&app, &acme).await, "active", "a refused upgrade is not a missed payment");
}
