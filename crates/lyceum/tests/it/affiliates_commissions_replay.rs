//! Every commission event ten times, in random order: a realistic school (two affiliates, one
//! recruited by the other; several sales, a subscription with renewals, a partial refund, a
//! full refund and a refunded renewal) builds its ledger once, in order, through the worker.
//! Then the ledger is deleted and every `order.paid`, `subscription.renewed` and
//! `order.refunded` event is handled ten times over in a seeded random order: the ledger must
//! come out exactly the same.

use commerce::affiliates::commissions;
use kernel::{events::Event, ids::EventId};

use crate::{
    affiliates_commissions_support::{charges, exec, ledger, refund, renew, rule},
    affiliates_support::{affiliate, enable},
    commerce_support::{buy, offer},
    support::{TestApp, TestSchool},
};

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

type Full = (String, i32, String, String, i64, i64, String, Option<String>, String, chrono::DateTime<chrono::Utc>);

/// Everything about the ledger but its ids and when rows were written.
async fn full_ledger(app: &TestApp, school: &TestSchool) -> Vec<Full> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let rows = sqlx::query_as(
        "select a.code, c.level, c.kind, c.source_key, c.basis, c.amount, c.status, c.cancel_reason, c.rate_label,
                c.payable_at
         from affiliate_commissions c join affiliates a on a.id = c.affiliate_id order by c.source_key",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    rows
}

#[tokio::test]
async fn every_commission_event_ten_times_in_random_order_leaves_the_ledger_as_if_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    rule(&app, &acme, "recurring = 'forever', second_level_bp = 500, tier_sales = 2, tier_percent_bp = 4000").await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let bob = affiliate(&app, &acme, "Bob Affiliate", "bob@acme.test", "bob").await;
    exec(&app, &acme, &format!("update affiliates set recruited_by = '{}' where id = '{}'", ana.id, bob.id)).await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    offer(&app, &acme, "club", "subscription", 2_900, &[]).await;

    let visitor = app.browser("acme");
    for (email, slug, code) in [
        ("one@example.test", "course", Some("ana")),
        ("two@example.test", "course", Some("bob")),
        ("three@example.test", "course", Some("ana")),
        ("four@example.test", "club", Some("ana")),
        ("five@example.test", "course", None),
        ("six@example.test", "course", Some("ana")),
    ] {
        let extra: Vec<(&str, &str)> = code.map(|c| ("ref", c)).into_iter().collect();
        buy(&visitor, slug, email, &extra).await;
        app.run_jobs().await;
    }
    renew(&app, &acme).await;
    renew(&app, &acme).await;
    let charges = charges(&app, &acme).await;
    assert_eq!(charges.len(), 8);
    refund(&app, &acme, &charges[0], "re_part", 4_000, false).await;
    refund(&app, &acme, &charges[2], "re_full", 10_000, false).await;
    refund(&app, &acme, &charges[7], "re_renewal", 1_000, false).await;
    refund(&app, &acme, &charges[4], "re_none", 10_000, false).await;

    let once = full_ledger(&app, &acme).await;
    let kinds: Vec<(&str, &str, &str)> = once.iter().map(|r| (r.0.as_str(), r.2.as_str(), r.6.as_str())).collect();
    for expected in [("ana", "sale", "cancelled"), ("ana", "clawback", "pending"), ("ana", "recurring", "pending")] {
        assert!(kinds.contains(&expected), "{expected:?} in {once:#?}");
    }
    assert!(once.iter().any(|r| r.8 == "tier 4000"), "the third sale of the month earns the tier: {once:#?}");
    assert!(once.iter().any(|r| r.0 == "ana" && r.1 == 2), "ana earns on bob's sale: {once:#?}");

    // The facts, as the outbox delivered them.
    let events: Vec<Event> = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let rows: Vec<(EventId, String, serde_json::Value, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
            "select id, kind, payload, created_at from events
             where kind in ('order.paid', 'subscription.renewed', 'order.refunded') order by created_at, id",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        rows.into_iter()
            .map(|(id, kind, payload, occurred_at)| Event { id, kind, payload, occurred_at, tenant: acme.school.id })
            .collect()
    };
    assert_eq!(events.len(), 6 + 2 + 4);

    exec(&app, &acme, "delete from affiliate_commissions where tenant_id = $1").await;
    let mut deliveries: Vec<Event> = events.iter().flat_map(|e| std::iter::repeat_n(e.clone(), 10)).collect();
    Rng(0x5eed_2026).shuffle(&mut deliveries);
    assert_ne!(deliveries[0].kind, "order.paid", "the seed starts out of order");
    for e in deliveries {
        commissions::on_event(app.state.clone(), e).await.unwrap();
    }
    assert_eq!(full_ledger(&app, &acme).await, once);
    let rows = ledger(&app, &acme).await;
    assert_eq!(rows.len(), once.len(), "each fact once");
    assert!(rows.iter().filter(|r| r.kind == "clawback").all(|r| r.amount < 0));

    // And all at once: workers racing on the same orders still write each row once.
    exec(&app, &acme, "delete from affiliate_commissions where tenant_id = $1").await;
    let racing = events.iter().flat_map(|e| std::iter::repeat_n(e.clone(), 3));
    let results = futures::future::join_all(racing.map(|e| commissions::on_event(app.state.clone(), e))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(full_ledger(&app, &acme).await, once);
}
