//! `make demo`'s affiliate program: partners with links, a podcast coupon and a recruited
//! student; commissions written by the real ledger from the sales history (a refunded sale's
//! cancelled, the recruiter's second level on his recruit's sales), and last month's payout
//! paid. Priya, who bought with her own card, still earns on her classmates' purchases.

use reqwest::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn the_demo_school_runs_an_affiliate_program_with_commissions_and_a_paid_payout() {
    let app = TestApp::new().await;
    lyceum::demo::seed(&app.state).await.unwrap();
    app.run_jobs().await;
    let mut conn = app.owner_conn().await;

    let partners: Vec<(String, String)> =
        sqlx::query_as("select code, status from affiliates order by code").fetch_all(&mut conn).await.unwrap();
    assert_eq!(
        partners,
        vec![
            ("brushstrokes".into(), "approved".into()),
            ("leo-grant".into(), "pending".into()),
            ("priya".into(), "approved".into()),
            ("sketchbook-sam".into(), "approved".into()),
        ]
    );
    let referrals: Vec<(String, String, String, i64)> = sqlx::query_as(
        "select a.code, r.via, r.status, count(*) from affiliate_referrals r join affiliates a on a.id = r.affiliate_id
         group by 1, 2, 3 order by 1, 2, 3",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(referrals.iter().all(|r| r.2 == "credited"), "nobody in the demo refers themselves: {referrals:?}");
    let count = |code: &str, via: &str| referrals.iter().find(|r| r.0 == code && r.1 == via).map_or(0, |r| r.3);
    assert!(count("sketchbook-sam", "link") >= 8, "{referrals:?}");
    assert_eq!(count("priya", "link"), 4, "{referrals:?}");
    assert_eq!(count("brushstrokes", "coupon"), 4, "{referrals:?}");

    // Each credited payment earned once; the refunded sale's commission was cancelled; Sam
    // earns a second level on Priya's sales.
    let dup: i64 = sqlx::query_scalar(
        "select count(*) from (select payment_id, level from affiliate_commissions where kind <> 'clawback'
                               group by 1, 2 having count(*) > 1) d",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(dup, 0);
    let cancelled: i64 = sqlx::query_scalar("select count(*) from affiliate_commissions where status = 'cancelled'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(cancelled >= 1, "the refunded sale's commission is cancelled");
    let second: i64 = sqlx::query_scalar(
        "select count(*) from affiliate_commissions c join affiliates a on a.id = c.affiliate_id
          where c.level = 2 and a.code = 'sketchbook-sam'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(second >= 4, "Sam earns on Priya's sales ({second})");

    // Last month's batch is paid, and what it paid is exactly the commissions it settled.
    let (batches, paid_total, settled): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from affiliate_payout_batches where status = 'paid'),
                (select coalesce(sum(amount), 0)::bigint from affiliate_payouts where status = 'paid'),
                (select coalesce(sum(amount), 0)::bigint from affiliate_commissions where status = 'paid')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(batches, 1);
    assert!(paid_total > 0);
    assert_eq!(paid_total, settled);
    let pending: i64 = sqlx::query_scalar("select count(*) from affiliate_commissions where status = 'pending'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(pending > 0, "recent sales are still in their holding period");

    // Priya's portal shows her link and her earnings; the owner's list shows the partners.
    let priya = app.browser("bloom");
    priya.login("priya@example.test", lyceum::demo::DEMO_PASSWORD).await;
    let (status, html) = priya.page("/affiliates/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("ref=priya"), "{html}");
    let owner = app.browser("bloom");
    owner.login("maya@bloom.test", lyceum::demo::DEMO_PASSWORD).await;
    let (status, html) = owner.page("/admin/affiliates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Sam Rivera") && html.contains("Nadia Petrova"), "{html}");
    // Sam's refunded sale gives him a refund rate on the fraud view, as the viewer writes it.
    let (status, html) = owner.page("/admin/affiliates/fraud").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("sketchbook-sam") && html.contains("%</td>"), "{html}");
    let (status, html) = owner.page("/admin/affiliates/payouts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Sam Rivera"), "the paid batch lists Sam: {html}");
}
