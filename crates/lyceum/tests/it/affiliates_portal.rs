//! The affiliate portal: who sees what at `/affiliates/dashboard`, the numbers after seeded
//! activity, links and the link builder, and payout details sealed at rest.

use commerce::affiliates::{AffiliateId, portal};
use identity::Role;
use reqwest::StatusCode;

use crate::{
    affiliates_portal_support::seed,
    affiliates_support::{affiliate, enable},
    support::{PASSWORD, TestApp, TestSchool, location},
};

/// A page as text, with the escapes minijinja writes in attribute-safe output undone.
async fn fetch(b: &crate::support::Browser, path: &str) -> (StatusCode, String) {
    let (code, html) = b.page(path).await;
    (code, html.replace("&#x2f;", "/").replace("&#x27;", "'"))
}

async fn set_status(app: &TestApp, school: &TestSchool, id: AffiliateId, status: &str) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query("update affiliates set status = $2 where id = $1")
        .bind(id)
        .bind(status)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_dashboard_answers_each_kind_of_visitor() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;

    let res = app.browser("acme").get("/affiliates/dashboard").await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert!(location(&res).starts_with("/login"), "{}", location(&res));

    app.user(&acme, "Sam Student", "sam@acme.test", Role::Student).await;
    let sam = app.browser("acme");
    sam.login("sam@acme.test", PASSWORD).await;
    let res = sam.get("/affiliates/dashboard").await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/affiliates".into()));

    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let b = app.browser("acme");
    b.login("ana@acme.test", PASSWORD).await;
    set_status(&app, &acme, ana.id, "pending").await;
    let (code, page) = fetch(&b, "/affiliates/dashboard").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Your application is being reviewed"), "{page}");
    assert!(!page.contains("?ref=ana"));
    set_status(&app, &acme, ana.id, "suspended").await;
    let (_, page) = fetch(&b, "/affiliates/dashboard").await;
    assert!(page.contains("Your affiliate account is suspended"));
    let (_, page) = fetch(&b, "/affiliates/dashboard/payout").await;
    assert!(page.contains("Your affiliate account is suspended"), "no payout form for a suspended affiliate");
    set_status(&app, &acme, ana.id, "rejected").await;
    let (_, page) = fetch(&b, "/affiliates/dashboard/commissions").await;
    assert!(page.contains("Your application was not accepted"));

    set_status(&app, &acme, ana.id, "approved").await;
    let (code, page) = fetch(&b, "/affiliates/dashboard").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Your affiliate dashboard"));
    assert!(page.contains("No commissions yet"), "designed empty state");
    assert!(page.contains("/?ref=ana") && page.contains("/a/ana"));

    // Another school: the same person is nobody there.
    let globex = app.school("globex").await;
    app.user(&globex, "Gus", "gus@globex.test", Role::Student).await;
    let gus = app.browser("globex");
    gus.login("gus@globex.test", PASSWORD).await;
    let res = gus.get("/affiliates/dashboard").await;
    assert_eq!(location(&res), "/affiliates");
}

#[tokio::test]
async fn the_dashboard_shows_numbers_links_commissions_and_payouts() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let seeded = seed(&app, &acme, &ana).await;
    let b = app.browser("acme");
    b.login("ana@acme.test", PASSWORD).await;

    let (code, page) = fetch(&b, "/affiliates/dashboard?period=30").await;
    assert_eq!(code, StatusCode::OK, "{page}");
    let tile = |label: &str, value: &str| {
        let at = page.find(&format!("<span>{label}</span>")).unwrap_or_else(|| panic!("no {label} tile"));
        assert!(
            page[at..at + 1500].contains(&format!(">{value}</p>")),
            "{label} should be {value}: {}",
            &page[at..at + 1500]
        );
    };
    tile("Clicks", "3");
    tile("Sign-ups", "1");
    tile("Sales", "1");
    tile("Conversion", "33.3%");
    tile("Pending", "$15.00");
    tile("Ready to pay", "$30.00");
    tile("Paid", "$10.00");
    assert!(page.contains("/checkout/course?ref=ana"), "a checkout link per offer");
    assert!(page.contains("30% · on the first payment"), "the rate that applies");
    assert!(page.contains("Be honest about the course."), "the terms");
    assert!(page.contains(&format!("/affiliates/payouts/{}/statement.pdf", seeded.payout)));
    assert!(page.contains("Offer course"), "commissions name their offer");
    assert!(page.contains("<table"), "the chart has a table fallback");

    let (_, all) = fetch(&b, "/affiliates/dashboard?period=all").await;
    let at = all.find("<span>Clicks</span>").unwrap();
    assert!(all[at..at + 1500].contains(">4</p>"), "all time counts the old click");

    let (code, list) = fetch(&b, "/affiliates/dashboard/commissions").await;
    assert_eq!(code, StatusCode::OK);
    assert!(list.contains("3 commissions"));
    assert!(list.contains("Payable") && list.contains("Pending") && list.contains("Paid"));
}

#[tokio::test]
async fn the_link_builder_keeps_to_the_school_and_escapes_what_is_typed() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let b = app.browser("acme");
    b.login("ana@acme.test", PASSWORD).await;

    let (_, page) = fetch(
        &b,
        "/affiliates/dashboard?path=/p/launch&utm_source=youtube&utm_campaign=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    )
    .await;
    assert!(!page.contains("<script>alert(1)"), "typed markup never reaches the page as markup");
    assert!(
        page.contains(
            "/p/launch?ref=ana&amp;utm_source=youtube&amp;utm_campaign=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"
        ),
        "{page}"
    );
    assert!(page.contains("id=\"built-link\""));

    let (_, page) = fetch(&b, "/affiliates/dashboard?path=https://evil.test/x").await;
    assert!(page.contains("Use a page of this school"));
    assert!(!page.contains("evil.test/x?ref=ana"));
}

#[tokio::test]
async fn payout_details_are_checked_sealed_and_shown_masked() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let b = app.browser("acme");
    b.login("ana@acme.test", PASSWORD).await;
    let (code, page) = fetch(&b, "/affiliates/dashboard/payout").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Add where we should send your money."));

    let bank = [
        ("method", "bank"),
        ("holder", "Ana Affiliate"),
        ("iban", "DE89 3704 0044 0532 0130 01"),
        ("country", "DE"),
        ("currency", "EUR"),
    ];
    let res = b.post_form("/affiliates/dashboard/payout", &bank).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("This IBAN is not valid"));
    assert!(page.contains("value=\"Ana Affiliate\""), "what was typed is kept");

    let res = b.post_form("/affiliates/dashboard/payout", &[("method", "paypal"), ("paypal_email", "nope")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter the email address of your PayPal account"));

    let res = b
        .post_form("/affiliates/dashboard/payout", &[("method", "paypal"), ("paypal_email", "Ana.Pay@Example.com")])
        .await;
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/affiliates/dashboard/payout".into()));
    let (_, page) = fetch(&b, "/affiliates/dashboard/payout").await;
    assert!(page.contains("PayPal a•••@example.com") && page.contains("Your payout details are saved."));
    assert!(!page.contains("ana.pay@example.com"), "never shown back unmasked");

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (method, sealed, summary): (String, String, String) =
        sqlx::query_as("select payout_method, payout_sealed, payout_summary from affiliates where id = $1")
            .bind(ana.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    assert_eq!((method.as_str(), summary.as_str()), ("paypal", "PayPal a•••@example.com"));
    assert!(!sealed.to_lowercase().contains("example.com") && sealed.starts_with("v2."), "sealed at rest");
    let details = portal::payout_details(&app.state, &mut tx, ana.id).await.unwrap();
    assert_eq!(details, Some(portal::PayoutDetails::Paypal { email: "ana.pay@example.com".into() }));
    tx.commit().await.unwrap();

    let mut fixed = bank.to_vec();
    fixed[2] = ("iban", "DE89 3704 0044 0532 0130 00");
    let res = b.post_form("/affiliates/dashboard/payout", &fixed).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = fetch(&b, "/affiliates/dashboard").await;
    assert!(page.contains("Bank account ••••3000 (DE, EUR)") && !page.contains("DE89370400440532013000"));
}
