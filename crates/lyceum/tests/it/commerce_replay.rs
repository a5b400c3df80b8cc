//! Every provider event ten times, in random order: a school's realistic stream of sandbox
//! events (purchases with bumps, a plan, a subscription with renewals and a failed renewal,
//! partial and full refunds, a dispute) is delivered ten times over in a seeded random order.
//! Events that arrive before what they refer to fail with `LedgerError::Unknown` and are
//! delivered again later, as a provider retries. The ledger must come out exactly as if each
//! event had arrived once, in order.

use std::collections::{HashMap, HashSet};

use commerce::{
    checkout, inbox,
    ledger::{LedgerError, NewCard},
    store,
};
use serde_json::{Value, json};

use crate::{
    commerce_support::{count, offer},
    courses_support::published_course,
    support::{TestApp, TestSchool},
};

/// A column of text from the school's rows.
async fn strings(app: &TestApp, school: &TestSchool, sql: &'static str) -> Vec<String> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v: Vec<String> = sqlx::query_scalar(sql).fetch_all(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    v
}

/// SplitMix64: a seeded, reproducible shuffle without another dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// One provider event; `sub_of` names the checkout whose subscription it is about (the
/// provider knows the subscription's id once that checkout completed).
#[derive(Clone)]
struct Ev {
    id: String,
    kind: &'static str,
    payload: Value,
    sub_of: Option<commerce::CheckoutId>,
}

fn card(n: usize) -> Value {
    json!(NewCard {
        provider_ref: format!("pm_sb_ok_replay{n}"),
        brand: "visa".into(),
        last4: "4242".into(),
        exp_month: 12,
        exp_year: 2034,
        fingerprint: "fp_sb_4242".into(),
    })
}

#[tokio::test]
async fn every_provider_event_ten_times_in_random_order_leaves_the_ledger_as_if_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let painting = published_course(&app, &acme, "Painting", &[("Basics", &[("Welcome", "text")])]).await;
    let mixing = published_course(&app, &acme, "Mixing", &[("Basics", &[("Welcome", "text")])]).await;
    let florals = published_course(&app, &acme, "Florals", &[("Basics", &[("Welcome", "text")])]).await;
    let course = offer(&app, &acme, "painting", "one_time", 19_900, &[painting.course.id]).await;
    let bump = offer(&app, &acme, "mixing", "one_time", 1_900, &[mixing.course.id]).await;
    let plan = offer(&app, &acme, "painting-plan", "plan", 7_500, &[painting.course.id]).await;
    let club = offer(&app, &acme, "club", "subscription", 2_900, &[painting.course.id, florals.course.id]).await;
    // Another school's object must never be touched by this school's events.
    let other = app.school("other").await;
    let elsewhere = published_course(&app, &other, "Elsewhere", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &other, "elsewhere", "one_time", 5_000, &[elsewhere.course.id]).await;

    // The checkouts the buyers started (the checkout page's work), with the bump on two.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update offers set bump_offer_id = $2 where id = $1")
        .bind(course.id)
        .bind(bump.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    let course = store::offer(&mut tx, course.id).await.unwrap().unwrap();
    let buys = [
        ("ana@example.com", &course, true),
        ("ben@example.com", &course, false),
        ("chloe@example.com", &course, true),
        ("dev@example.com", &plan, false),
        ("emeka@example.com", &club, false),
        ("ben@example.com", &club, false),
    ];
    let mut checkouts = Vec::new();
    for (email, o, with_bump) in buys {
        let b = if with_bump { Some(&bump) } else { None };
        let (c, quote) = checkout::create(
            &app.state,
            &mut tx,
            "sandbox",
            checkout::Request {
                offer: o,
                bump: b,
                coupon: None,
                user: None,
                email,
                name: "Buyer",
                country: None,
                billing_address: "",
                parent_order: None,
                attribution: json!({}),
            },
        )
        .await
        .unwrap();
        checkouts.push((c, quote.total));
    }
    tx.commit().await.unwrap();

    let mut events = Vec::new();
    let mut ev = |kind: &'static str, payload: Value, sub_of: Option<commerce::CheckoutId>| {
        events.push(Ev { id: format!("evt_{}", events.len() + 1), kind, payload, sub_of });
    };
    for (i, (c, _)) in checkouts.iter().enumerate() {
        ev(
            "checkout.session.completed",
            json!({ "checkout_id": c.id, "charge": format!("ch_{i}"), "card": card(i) }),
            None,
        );
    }
    // Ana asks for her money back in full; Ben gets two partial refunds; Chloé disputes.
    ev("charge.refunded", json!({ "charge": "ch_0", "refund": "re_full", "amount": checkouts[0].1 }), None);
    ev("charge.refunded", json!({ "charge": "ch_1", "refund": "re_part1", "amount": 5_000 }), None);
    ev("charge.refunded", json!({ "charge": "ch_1", "refund": "re_part2", "amount": 2_500 }), None);
    ev("charge.dispute.created", json!({ "charge": "ch_2", "dispute": "dp_1", "amount": checkouts[2].1 }), None);
    // The plan's second and third instalments.
    for n in 2..=3 {
        ev(
            "invoice.paid",
            json!({ "charge": format!("ch_plan_{n}"), "amount": 7_500, "tax": 0 }),
            Some(checkouts[3].0.id),
        );
    }
    // Emeka's subscription renews twice, fails once, then pays again; the second renewal is
    // partly refunded.
    let emeka = Some(checkouts[4].0.id);
    ev("invoice.paid", json!({ "charge": "ch_sub_2", "amount": 2_900, "tax": 0 }), emeka);
    ev("invoice.paid", json!({ "charge": "ch_sub_3", "amount": 2_900, "tax": 0 }), emeka);
    ev("invoice.payment_failed", json!({ "charge": "ch_sub_4_failed", "code": "card_declined" }), emeka);
    ev("invoice.paid", json!({ "charge": "ch_sub_4", "amount": 2_900, "tax": 0 }), emeka);
    ev("charge.refunded", json!({ "charge": "ch_sub_3", "refund": "re_sub", "amount": 1_000 }), None);
    // An event about another school's object, and one about no object at all, are refused.
    let foreign = {
        let mut tx = app.state.db.tenant(other.school.id).await.unwrap();
        let o = store::offer_by_slug(&mut tx, "elsewhere").await.unwrap().unwrap();
        let (c, _) = checkout::create(
            &app.state,
            &mut tx,
            "sandbox",
            checkout::Request {
                offer: &o,
                bump: None,
                coupon: None,
                user: None,
                email: "x@example.com",
                name: "X",
                country: None,
                billing_address: "",
                parent_order: None,
                attribution: json!({}),
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        c.id
    };

    // Ten deliveries of each, shuffled.
    let mut deliveries: Vec<Ev> = events.iter().flat_map(|e| std::iter::repeat_n(e.clone(), 10)).collect();
    Rng(0x5eed_2026).shuffle(&mut deliveries);
    let total = deliveries.len();
    let mut queue = std::collections::VecDeque::from(deliveries);
    let mut applied: HashMap<String, usize> = HashMap::new();
    let mut retries = 0;
    let mut round = 0;
    while let Some(e) = queue.pop_front() {
        round += 1;
        assert!(round < total * 20, "the replay does not converge");
        let mut payload = e.payload.clone();
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        if let Some(checkout) = e.sub_of {
            // The provider names the subscription only once it exists.
            let sub: Option<uuid::Uuid> = sqlx::query_scalar(
                "select s.id from subscriptions s join orders o on o.id = s.order_id where o.checkout_id = $1",
            )
            .bind(checkout)
            .fetch_optional(&mut *tx)
            .await
            .unwrap();
            match sub {
                Some(id) => payload["subscription_id"] = json!(id),
                None => {
                    retries += 1;
                    queue.push_back(e);
                    continue;
                }
            }
        }
        match inbox::handle_sandbox(&app.state, &mut tx, &e.id, e.kind, &payload).await {
            Ok(handled) => {
                tx.commit().await.unwrap();
                if handled == inbox::Handled::Applied {
                    *applied.entry(e.id.clone()).or_default() += 1;
                }
            }
            Err(LedgerError::Unknown(_)) => {
                drop(tx);
                retries += 1;
                queue.push_back(e);
            }
            Err(other) => panic!("{} {}: {other}", e.id, e.kind),
        }
        // The worker runs now and then, between deliveries.
        if round % 25 == 0 {
            app.run_jobs().await;
        }
    }
    app.run_jobs().await;
    app.run_jobs().await;
    assert!(retries > 0, "some events arrived before what they refer to");
    assert_eq!(applied.len(), events.len(), "every event applied");
    assert!(applied.values().all(|n| *n == 1), "each event applied once: {applied:?}");

    // Another school's checkout and an unknown object are refused and leave nothing.
    for (id, payload) in [
        ("evt_foreign", json!({ "checkout_id": foreign, "charge": "ch_foreign", "card": card(99) })),
        ("evt_nothing", json!({ "checkout_id": uuid::Uuid::now_v7(), "charge": "ch_nothing", "card": card(98) })),
    ] {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let res = inbox::handle_sandbox(&app.state, &mut tx, id, "checkout.session.completed", &payload).await;
        assert!(matches!(res, Err(LedgerError::Unknown(_))), "{id}");
    }
    assert_eq!(count(&app, &other, "select count(*) from orders where tenant_id = $1").await, 0);

    // One order per checkout, one payment per charge.
    let orders = count(&app, &acme, "select count(*) from orders where tenant_id = $1").await;
    assert_eq!(orders, checkouts.len() as i64);
    assert_eq!(count(&app, &acme, "select count(distinct checkout_id) from orders where tenant_id = $1").await, orders);
    let charges: HashSet<String> = events
        .iter()
        .filter(|e| matches!(e.kind, "checkout.session.completed" | "invoice.paid" | "invoice.payment_failed"))
        .map(|e| e.payload["charge"].as_str().unwrap().to_string())
        .collect();
    // No trials here: every checkout charges on the spot.
    assert_eq!(count(&app, &acme, "select count(*) from payments where tenant_id = $1").await, charges.len() as i64);
    assert_eq!(
        count(&app, &acme, "select count(distinct provider_ref) from payments where tenant_id = $1").await,
        charges.len() as i64
    );
    assert_eq!(count(&app, &acme, "select count(*) from payments where tenant_id = $1 and status = 'failed'").await, 1);
    // Refunds recorded once each, never above their payment.
    assert_eq!(count(&app, &acme, "select count(*) from refunds where tenant_id = $1").await, 5);
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from payments p where tenant_id = $1 and
               (select coalesce(sum(amount), 0) from refunds r where r.payment_id = p.id) > p.amount"
        )
        .await,
        0
    );
    // Each access grant once: the bump's course on two orders, the subscription's two courses.
    let grants = count(&app, &acme, "select count(*) from access_grants where tenant_id = $1").await;
    assert_eq!(grants, 3 + 2 + 1 + 2 + 2);
    // `order.paid` once per order; `enrollment.created` once per (user, course).
    assert_eq!(
        count(&app, &acme, "select count(*) from events where tenant_id = $1 and kind = 'order.paid'").await,
        orders
    );
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(distinct payload->>'order_id') from events where tenant_id = $1 and kind = 'order.paid'"
        )
        .await,
        orders
    );
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from (select payload->>'user_id', payload->>'course_id' from events
               where tenant_id = $1 and kind = 'enrollment.created' group by 1, 2 having count(*) > 1) d"
        )
        .await,
        0
    );
    // Ana (painting + mixing), Ben (painting, then the club: painting again and florals),
    // Chloé (painting + mixing), Dev (painting), Emeka (painting + florals).
    assert_eq!(count(&app, &acme, "select count(*) from enrollments where tenant_id = $1").await, 2 + 2 + 2 + 1 + 2);
    // Ana's full refund and Chloé's dispute took their courses back; Ben's partial refunds took
    // nothing, and his club gives him painting a second time without a second enrolment.
    let open: Vec<(String, String)> = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let rows = sqlx::query_as(
            "select u.email, c.title from enrollments e join users u on u.id = e.user_id join courses c on c.id = e.course_id
             where e.revoked_at is null order by 1, 2",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        rows
    };
    let open: Vec<(&str, &str)> = open.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        open,
        vec![
            ("ben@example.com", "Florals"),
            ("ben@example.com", "Painting"),
            ("dev@example.com", "Painting"),
            ("emeka@example.com", "Florals"),
            ("emeka@example.com", "Painting"),
        ]
    );
    // Receipt numbers and credit notes without gaps.
    let receipts =
        strings(&app, &acme, "select receipt_number from payments where receipt_number is not null order by 1").await;
    assert_eq!(receipts, (1..=receipts.len()).map(|n| format!("R-{n:06}")).collect::<Vec<_>>());
    assert_eq!(receipts.len(), charges.len() - 1, "every successful charge has its receipt");
    let notes = strings(&app, &acme, "select credit_note_number from refunds order by 1").await;
    assert_eq!(notes, (1..=5).map(|n| format!("CN-{n:06}")).collect::<Vec<_>>());
    // The plan completed after its third instalment; each payment moved its subscription once.
    let subs =
        strings(&app, &acme, "select payments_made || ':' || (status = 'completed') from subscriptions order by 1")
            .await;
    assert_eq!(subs, ["1:false", "3:true", "4:false"]);
}
