//! `make demo`'s school sells: its catalogue (in full, three payments, a membership with a
//! trial and a yearly price, a coupon, a bump and an upsell), and three months of sales made
//! through the real ledger, with renewals, refunds and a membership past due.

use reqwest::StatusCode;

use crate::support::TestApp;

async fn scalar(conn: &mut sqlx::PgConnection, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(conn).await.unwrap()
}

#[tokio::test]
async fn the_demo_school_sells_its_courses_and_has_a_believable_order_history() {
    let app = TestApp::new().await;
    lyceum::demo::seed(&app.state).await.unwrap();
    app.run_jobs().await;
    // Seeding again finds the school and changes nothing.
    lyceum::demo::seed(&app.state).await.unwrap();
    app.run_jobs().await;
    let mut conn = app.owner_conn().await;

    let offers: Vec<(String, String, i64, Option<i32>, i32)> =
        sqlx::query_as("select slug, kind, amount, installments, trial_days from offers order by slug")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(
        offers,
        vec![
            ("bloom-studio-monthly".into(), "subscription".into(), 2_900, None, 7),
            ("bloom-studio-yearly".into(), "subscription".into(), 29_000, None, 0),
            ("color-mixing-cheat-sheet".into(), "one_time".into(), 1_900, None, 0),
            ("watercolor-foundations".into(), "one_time".into(), 19_900, None, 0),
            ("watercolor-foundations-3-payments".into(), "plan".into(), 7_500, Some(3), 0),
        ]
    );
    assert_eq!(scalar(&mut conn, "select count(*) from products").await, 3);
    assert_eq!(
        scalar(&mut conn, "select count(*) from product_courses pc join products p on p.id = pc.product_id where p.name like 'Bloom Studio%'").await,
        3,
        "the membership opens every course"
    );
    assert_eq!(
        scalar(
            &mut conn,
            "select count(*) from offers where bump_offer_id is not null and upsell_offer_id is not null"
        )
        .await,
        2
    );
    assert_eq!(
        scalar(&mut conn, "select count(*) from coupons where code = 'SPRING20' and percent_off = 20 and expires_at > now() + interval '59 days'").await,
        1
    );
    assert_eq!(scalar(&mut conn, "select count(*) from tax_rates where country in ('ES', 'GB')").await, 2);
    assert_eq!(
        scalar(&mut conn, "select count(*) from commerce_settings where legal_name <> '' and tax_id <> ''").await,
        1
    );

    // About forty orders over three months, through the ledger.
    let orders = scalar(&mut conn, "select count(*) from orders").await;
    assert!((38..=45).contains(&orders), "{orders} orders");
    assert!(scalar(&mut conn, "select count(*) from orders where created_at < now() - interval '60 days'").await > 5);
    assert_eq!(scalar(&mut conn, "select count(*) from orders where created_at > now()").await, 0);
    assert_eq!(scalar(&mut conn, "select count(*) from orders where created_at < now() - interval '91 days'").await, 0);
    assert!(
        scalar(
            &mut conn,
            "select count(*) from orders o join order_items i on i.order_id = o.id where i.kind = 'bump'"
        )
        .await
            >= 5
    );
    assert!(scalar(&mut conn, "select count(*) from orders where coupon_id is not null").await >= 5);
    assert_eq!(scalar(&mut conn, "select count(*) from orders where source = 'upsell'").await, 1);
    assert_eq!(
        scalar(&mut conn, "select count(*) from events where kind = 'order.paid'").await,
        orders,
        "order.paid once per order"
    );
    // Renewals and instalments, a membership past due in its grace period, a scheduled
    // cancellation, a full and a partial refund.
    assert!(scalar(&mut conn, "select count(*) from payments where subscription_id is not null and status = 'succeeded' and occurred_at > (select created_at from subscriptions s where s.id = payments.subscription_id) + interval '1 day'").await >= 8);
    assert_eq!(
        scalar(&mut conn, "select count(*) from subscriptions where status = 'past_due' and grace_ends_at > now()")
            .await,
        1
    );
    assert_eq!(scalar(&mut conn, "select count(*) from payments where status = 'failed'").await, 1);
    assert!(scalar(&mut conn, "select count(*) from subscriptions where status = 'completed'").await >= 1);
    assert_eq!(scalar(&mut conn, "select count(*) from subscriptions where cancel_at_period_end").await, 1);
    assert_eq!(scalar(&mut conn, "select count(*) from refunds").await, 2);
    assert_eq!(
        scalar(&mut conn, "select count(distinct r.order_id) from enrollments e join refunds r on r.order_id::text = e.source_ref where e.revoked_at is not null").await,
        1,
        "the fully refunded order lost its course"
    );
    // Receipt numbers are gap-free and follow the dates.
    let receipts: Vec<String> = sqlx::query_scalar(
        "select receipt_number from payments where receipt_number is not null order by occurred_at, receipt_number",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let expected: Vec<String> = (1..=receipts.len()).map(|n| format!("R-{n:06}")).collect();
    assert_eq!(receipts, expected);
    // Every paid order's courses were granted once, and enrolments started with their order.
    assert_eq!(
        scalar(
            &mut conn,
            "select count(*) from orders o where not exists (select 1 from access_grants g where g.order_id = o.id)"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &mut conn,
            "select count(*) from (select user_id, course_id from enrollments group by 1, 2 having count(*) > 1) d"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(&mut conn, "select count(*) from (select payload->>'user_id', payload->>'course_id' from events where kind = 'enrollment.created' group by 1, 2 having count(*) > 1) d").await,
        0
    );

    // The demo students bought what they study.
    let bought: Vec<(String, String, String)> = sqlx::query_as(
        "select u.email, f.slug, coalesce(s.status, 'paid') from orders o join users u on u.id = o.user_id
         join offers f on f.id = o.offer_id left join subscriptions s on s.order_id = o.id
         where u.email like '%@example.test' and u.email in ('priya@example.test', 'tom@example.test', 'lucia@example.test')
         order by u.email",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        bought,
        vec![
            ("lucia@example.test".into(), "bloom-studio-monthly".into(), "trialing".into()),
            ("priya@example.test".into(), "watercolor-foundations".into(), "paid".into()),
            ("tom@example.test".into(), "watercolor-foundations-3-payments".into(), "active".into()),
        ]
    );
    assert_eq!(
        scalar(&mut conn, "select count(*) from enrollments where source_ref = 'demo-order'").await,
        0,
        "the courses seed's purchases point at their orders"
    );

    // The checkout pages render, with the bump and the trial.
    let visitor = app.browser("bloom");
    let (status, html) = visitor.page("/checkout/watercolor-foundations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Watercolor Foundations") && html.contains("$199.00"), "{html}");
    assert!(html.contains("Color Mixing Cheat Sheet") || html.contains("cheat sheet"), "the bump: {html}");
    let (status, html) = visitor.page("/checkout/bloom-studio-monthly?coupon=SPRING20").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("$29.00"), "{html}");
    let (status, _) = visitor.page("/checkout/watercolor-foundations-3-payments").await;
    assert_eq!(status, StatusCode::OK);
    // Another school has no such offer.
    app.school("acme").await;
    let (status, _) = app.browser("acme").page("/checkout/watercolor-foundations").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
