//! The buyer's side of checkout: the page and its live totals (coupon, bump, tax), tampered
//! and refused input, accounts (a new buyer is signed in and asked to choose a password, an
//! existing one is asked to log in), the one-click upsell, abandoned checkouts, attribution,
//! and another school seeing none of it.

use identity::Role;
use reqwest::StatusCode;

use crate::{
    commerce_support::{CARD_DECLINED, CARD_OK, buy, count, offer, pay, start_checkout},
    courses_support::{events, published_course},
    support::{PASSWORD, TestApp, TestSchool, location},
};

async fn sql(app: &TestApp, school: &TestSchool, statement: &str) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(statement.to_string())).bind(school.school.id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

async fn scalar<T>(app: &TestApp, school: &TestSchool, query: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v: T = sqlx::query_scalar(sqlx::AssertSqlSafe(query.to_string()))
        .bind(school.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    v
}

/// A course of two lessons sold at `main` ($100) with a $20 bump, a 10% coupon `SAVE10`, and
/// 19% VAT for Germany.
/// The page's text with the entities minijinja writes for `/`, `'` and `&` turned back.
fn plain(html: String) -> String {
    html.replace("&#x2f;", "/").replace("&#x27;", "'").replace("&amp;", "&")
}

async fn shop(app: &TestApp, school: &TestSchool) -> commerce::Offer {
    let course =
        published_course(app, school, "Oil Painting", &[("Basics", &[("Brushes", "text"), ("Colour", "text")])]).await;
    let main = offer(app, school, "main", "one_time", 10_000, &[course.course.id]).await;
    let extra = published_course(app, school, "Framing", &[("Frames", &[("Wood", "text")])]).await;
    let bump = offer(app, school, "frames", "one_time", 2_000, &[extra.course.id]).await;
    sql(app, school, &format!("update offers set bump_offer_id = '{}', bump_headline = 'Add framing lessons' where tenant_id = $1 and id = '{}'", bump.id.0, main.id.0)).await;
    sql(
        app,
        school,
        "insert into coupons (tenant_id, id, code, percent_off) values ($1, gen_random_uuid(), 'SAVE10', 10)",
    )
    .await;
    sql(app, school, "insert into tax_rates (tenant_id, country, rate_bp, label) values ($1, 'DE', 1900, 'VAT')").await;
    main
}

#[tokio::test]
async fn the_page_shows_what_you_get_and_totals_with_coupon_bump_and_tax() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    shop(&app, &acme).await;
    let visitor = app.browser("acme");

    // A shared link pre-applies its coupon; the country comes from the browser's language.
    let res = visitor
        .client
        .get(visitor.url("/checkout/main?coupon=SAVE10&utm_source=news&ref=ana"))
        .header("accept-language", "de-DE,de;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.map(plain).unwrap();
    assert!(html.contains("Oil Painting") && html.contains("2 lessons"), "{html}");
    assert!(html.contains(r#"value="DE" selected"#), "country from Accept-Language");
    assert!(html.contains("SAVE10 applied"), "{html}");
    assert!(html.contains("Add framing lessons") && html.contains("$20.00"));
    // $100 − 10% = $90, plus 19% VAT = $107.10.
    assert!(html.contains("VAT (19%)") && html.contains("$17.10") && html.contains("$107.10"), "{html}");
    assert!(html.contains(r#"name="utm_source" value="news""#) && html.contains(r#"name="ref" value="ana""#));
    assert!(html.contains("hx-post=\"/checkout/main/quote\""));

    // Ticking the bump re-prices in place: ($100 + $20) − 10% = $108, + 19% = $128.52.
    let fields = [("email", "buyer@x.test"), ("country", "DE"), ("coupon", "SAVE10"), ("bump", "1")];
    let res = visitor.post_form("/checkout/main/quote", &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let part = res.text().await.map(plain).unwrap();
    assert!(part.contains(r#"id="summary""#) && part.contains("$128.52") && part.contains("$20.52"), "{part}");
    assert!(part.contains(r#"id="pay-amount" hx-swap-oob="true">$128.52"#), "{part}");
    assert!(!part.contains("<html"), "a partial, not a page");

    // The school switches to prices that include tax: the total is the price.
    sql(&app, &acme, "insert into commerce_settings (tenant_id, prices_include_tax) values ($1, true)").await;
    let part = visitor.post_form("/checkout/main/quote", &fields).await.text().await.map(plain).unwrap();
    assert!(part.contains("Includes VAT (19%)") && part.contains("$108.00") && part.contains("$17.24"), "{part}");
    sql(&app, &acme, "update commerce_settings set prices_include_tax = false where tenant_id = $1").await;

    // Paying stores what the server computed, the billing address and where the buyer came from.
    let mut all = fields.to_vec();
    all.extend([("billing_address", "Ada GmbH\nBerlin"), ("utm_source", "news"), ("ref", "ana")]);
    let pay_path = start_checkout(&visitor, "main", "buyer@x.test", &all[1..]).await;
    let (total, tax, billing, attribution): (i64, i64, String, serde_json::Value) = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let row = sqlx::query_as("select total, tax, billing_address, attribution from checkouts")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        row
    };
    assert_eq!((total, tax), (12_852, 2_052));
    assert_eq!(billing, "Ada GmbH\nBerlin");
    assert_eq!(attribution, serde_json::json!({ "utm_source": "news", "ref": "ana" }));
    let res = pay(&visitor, &pay_path, CARD_OK).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from orders where tenant_id = $1 and total = 12852 and attribution->>'ref' = 'ana'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn tampered_totals_are_ignored_and_bad_coupons_refused_keeping_what_was_typed() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    shop(&app, &acme).await;
    let other = offer(&app, &acme, "other", "one_time", 5_000, &[]).await;
    sql(&app, &acme, &format!("insert into coupons (tenant_id, id, code, amount_off, currency, offer_ids) values ($1, gen_random_uuid(), 'OTHERONLY', 1000, 'USD', array['{}'::uuid])", other.id.0)).await;
    sql(&app, &acme, "insert into coupons (tenant_id, id, code, percent_off, max_redemptions) values ($1, gen_random_uuid(), 'ONCE', 50, 1)").await;
    let visitor = app.browser("acme");

    // A total, price or discount in the form changes nothing.
    start_checkout(
        &visitor,
        "main",
        "t@x.test",
        &[("total", "1"), ("price", "1"), ("amount", "1"), ("discount", "9999")],
    )
    .await;
    assert_eq!(
        count(&app, &acme, "select count(*) from checkouts where tenant_id = $1 and total = 10000 and discount = 0")
            .await,
        1
    );

    // A coupon for another offer is refused beside the field; what was typed stays.
    let res = visitor
        .post_form("/checkout/main", &[("email", "t@x.test"), ("name", "Tam Per"), ("coupon", "OTHERONLY")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.map(plain).unwrap();
    assert!(html.contains("can't be used on this offer"), "{html}");
    assert!(
        html.contains(r#"value="t@x.test""#)
            && html.contains(r#"value="Tam Per""#)
            && html.contains(r#"value="OTHERONLY""#)
    );

    // A coupon past its limit.
    buy(&visitor, "main", "first@x.test", &[("coupon", "ONCE")]).await;
    let res = visitor.post_form("/checkout/main", &[("email", "second@x.test"), ("coupon", "ONCE")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.map(plain).unwrap().contains("used as many times as allowed"));
    let part = visitor.post_form("/checkout/main/quote", &[("coupon", "ONCE")]).await.text().await.map(plain).unwrap();
    assert!(part.contains("used as many times as allowed") && part.contains("$100.00"), "{part}");

    // An unknown country is refused; a declined card leaves no order.
    let res = visitor.post_form("/checkout/main", &[("email", "c@x.test"), ("country", "ZZ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let pay_path = start_checkout(&visitor, "main", "d@x.test", &[]).await;
    assert_eq!(pay(&visitor, &pay_path, CARD_DECLINED).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
}

#[tokio::test]
async fn submitting_too_often_is_slowed_down() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    shop(&app, &acme).await;
    // Card attempts: after fifteen declines the form asks to wait, keeping what was typed.
    let buyer = app.browser("acme");
    let pay_path = start_checkout(&buyer, "main", "cards@x.test", &[]).await;
    for _ in 0..15 {
        assert_eq!(pay(&buyer, &pay_path, CARD_DECLINED).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let html = pay(&buyer, &pay_path, CARD_OK).await.text().await.map(plain).unwrap();
    assert!(html.contains("Too many attempts") && html.contains("4242 4242 4242 4242"), "{html}");
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 0);

    // Checkout submissions (the one above counts).
    let visitor = app.browser("acme");
    for i in 0..19 {
        start_checkout(&visitor, "main", &format!("r{i}@x.test"), &[]).await;
    }
    let res = visitor.post_form("/checkout/main", &[("email", "late@x.test")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.map(plain).unwrap();
    assert!(html.contains("Too many attempts") && html.contains(r#"value="late@x.test""#));
}

#[tokio::test]
async fn closed_offers_say_so_and_hidden_offers_still_sell() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    shop(&app, &acme).await;
    sql(&app, &acme, "update offers set visible = false where tenant_id = $1 and slug = 'main'").await;
    let visitor = app.browser("acme");
    buy(&visitor, "main", "h@x.test", &[]).await;
    sql(&app, &acme, "update offers set closes_at = now() - interval '1 day' where tenant_id = $1 and slug = 'main'")
        .await;
    let (status, html) = visitor.page("/checkout/main").await;
    let html = plain(html);
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Sales for this offer have closed") && !html.contains("id=\"checkout-form\""));
    let res = visitor.post_form("/checkout/main", &[("email", "late@x.test")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(count(&app, &acme, "select count(*) from checkouts where tenant_id = $1").await, 1);
}

#[tokio::test]
async fn a_new_buyer_is_signed_in_once_and_emailed_a_link_to_choose_a_password() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    shop(&app, &acme).await;
    let visitor = app.browser("acme");
    let thanks = buy(&visitor, "main", "new@x.test", &[]).await;

    // Another browser with the link sees the receipt but is not signed in.
    let stranger = app.browser("acme");
    let (status, html) = stranger.page(&thanks).await;
    let html = plain(html);
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Log in to start"), "{html}");

    // The buyer's browser is signed in on the page.
    let (status, html) = visitor.page(&thanks).await;
    let html = plain(html);
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("signed in") && html.contains("/learn/oil-painting") && html.contains("R-000001"), "{html}");
    let (status, _) = visitor.page("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    // Only once: after logging out, the page does not sign the buyer in again.
    assert_eq!(visitor.post_form("/logout", &[]).await.status(), StatusCode::SEE_OTHER);
    let (_, html) = visitor.page(&thanks).await;
    assert!(html.contains("Log in to start"), "{html}");

    app.run_jobs().await;
    let link = app.link_in_mail(&acme, "new@x.test", "/reset-password/").await;
    let (status, page) = app.browser("acme").page(&link).await;
    assert_eq!(status, StatusCode::OK, "{page}");
}

#[tokio::test]
async fn an_existing_email_is_asked_to_log_in_and_the_purchase_goes_to_that_account() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    shop(&app, &acme).await;
    let ana = app.user(&acme, "Ana", "ana@x.test", Role::Student).await;
    let visitor = app.browser("acme");

    let part =
        visitor.post_form("/checkout/main/quote", &[("email", "Ana@X.test")]).await.text().await.map(plain).unwrap();
    assert!(part.contains("You already have an account") && part.contains("/login?next=/checkout/main"), "{part}");
    let part =
        visitor.post_form("/checkout/main/quote", &[("email", "nobody@x.test")]).await.text().await.map(plain).unwrap();
    assert!(!part.contains("You already have an account"));

    let thanks = buy(&visitor, "main", "ana@x.test", &[]).await;
    let res = visitor.get(&thanks).await;
    assert_eq!(res.status(), StatusCode::OK, "not signed in");
    let html = res.text().await.map(plain).unwrap();
    assert!(html.contains("Log in to start") && html.contains("/login?next=/learn/oil-painting"), "{html}");
    let owner: uuid::Uuid = scalar(&app, &acme, "select user_id from orders where tenant_id = $1").await;
    assert_eq!(owner, ana.id.0);
    app.run_jobs().await;
    assert!(app.mails(&acme).await.iter().all(|m| !m.text.contains("/reset-password/")));
}

#[tokio::test]
async fn a_logged_in_buyer_buys_as_themselves() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    shop(&app, &acme).await;
    let ana = app.user(&acme, "Ana", "ana@x.test", Role::Student).await;
    let b = app.browser("acme");
    b.login("ana@x.test", PASSWORD).await;
    let (_, html) = b.page("/checkout/main").await;
    let html = plain(html);
    assert!(html.contains("Buying as ana@x.test"), "{html}");
    let thanks = buy(&b, "main", "someone-else@x.test", &[]).await;
    let (status, html) = b.page(&thanks).await;
    let html = plain(html);
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Start learning"));
    let owner: uuid::Uuid = scalar(&app, &acme, "select user_id from orders where tenant_id = $1").await;
    assert_eq!(owner, ana.id.0);
    assert_eq!(
        count(&app, &acme, "select count(*) from checkouts where tenant_id = $1 and email = 'ana@x.test'").await,
        1
    );
}

#[tokio::test]
async fn the_one_click_upsell_charges_the_saved_card_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let main = shop(&app, &acme).await;
    let vip = published_course(&app, &acme, "Masterclass", &[("Live", &[("Session", "text")])]).await;
    let up = offer(&app, &acme, "masterclass", "one_time", 4_900, &[vip.course.id]).await;
    sql(
        &app,
        &acme,
        &format!("update offers set upsell_offer_id = '{}' where tenant_id = $1 and id = '{}'", up.id.0, main.id.0),
    )
    .await;

    let visitor = app.browser("acme");
    let thanks = buy(&visitor, "main", "up@x.test", &[]).await;
    let checkout = thanks.trim_start_matches("/checkout/thanks/").to_string();
    let (_, html) = visitor.page(&thanks).await; // signs the new buyer in
    let html = plain(html);
    let upsell = format!("/checkout/upsell/{checkout}");
    assert!(html.contains(&upsell), "{html}");

    let (status, html) = visitor.page(&upsell).await;
    let html = plain(html);
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Masterclass") && html.contains("$49.00") && html.contains("ending in 4242"), "{html}");
    // Nobody else may see or accept it.
    let stranger = app.browser("acme");
    assert_eq!(stranger.get(&upsell).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(stranger.post_form(&upsell, &[]).await.status(), StatusCode::NOT_FOUND);

    // A double click (two requests at once, then a third) charges once.
    let (a, b) = tokio::join!(visitor.post_form(&upsell, &[]), visitor.post_form(&upsell, &[]));
    let c = visitor.post_form(&upsell, &[]).await;
    assert_eq!(a.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&a), location(&b));
    assert_eq!(location(&a), location(&c));
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 2);
    assert_eq!(count(&app, &acme, "select count(*) from payments where tenant_id = $1").await, 2);
    assert_eq!(
        count(&app, &acme, "select count(*) from orders where tenant_id = $1 and source = 'upsell' and total = 4900")
            .await,
        1
    );
    let (_, done) = visitor.page(&location(&a)).await;
    let done = plain(done);
    assert!(done.contains("Masterclass") && done.contains("R-000002"), "{done}");
    // Once taken, the page goes to its receipt instead of offering it again.
    assert_eq!(location(&visitor.get(&upsell).await), location(&a));
    app.run_jobs().await;
    assert_eq!(count(&app, &acme, "select count(*) from enrollments where tenant_id = $1").await, 2);
}

#[tokio::test]
async fn an_abandoned_checkout_is_announced_once_and_can_still_be_paid() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    shop(&app, &acme).await;
    let visitor = app.browser("acme");
    let pay_path = start_checkout(&visitor, "main", "gone@x.test", &[("coupon", "SAVE10")]).await;
    app.run_jobs().await; // the sweep is scheduled with the checkout and finds nothing yet
    assert_eq!(events(&app, &acme, "checkout.abandoned").await, 0);

    app.state.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(commerce::abandon::sweep(&app.state, acme.school.id).await.unwrap(), 1);
    assert_eq!(commerce::abandon::sweep(&app.state, acme.school.id).await.unwrap(), 0);
    assert_eq!(events(&app, &acme, "checkout.abandoned").await, 1);
    let payload: serde_json::Value =
        scalar(&app, &acme, "select payload from events where tenant_id = $1 and kind = 'checkout.abandoned'").await;
    assert_eq!(payload["email"], "gone@x.test");
    assert_eq!(payload["offer_name"], "Offer main");
    assert_eq!(payload["total"], 9_000);
    assert_eq!(payload["currency"], "USD");
    assert!(payload["checkout_url"].as_str().unwrap().ends_with("/checkout/main?coupon=SAVE10"), "{payload}");
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from checkouts where tenant_id = $1 and status = 'abandoned' and abandoned_at is not null"
        )
        .await,
        1
    );

    let res = pay(&visitor, &pay_path, CARD_OK).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, &acme, "select count(*) from checkouts where tenant_id = $1 and status = 'paid'").await, 1);
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
}

#[tokio::test]
async fn another_school_gets_404_for_every_checkout_address() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let main = shop(&app, &acme).await;
    let up = offer(&app, &acme, "vip", "one_time", 4_900, &[]).await;
    sql(
        &app,
        &acme,
        &format!("update offers set upsell_offer_id = '{}' where tenant_id = $1 and id = '{}'", up.id.0, main.id.0),
    )
    .await;
    let visitor = app.browser("acme");
    let pay_path = start_checkout(&visitor, "main", "x@x.test", &[]).await;
    let id = pay_path.trim_start_matches("/checkout/pay/").to_string();
    pay(&visitor, &pay_path, CARD_OK).await;

    let other = app.browser("globex");
    let intruder = app.user(&globex, "Eve", "eve@x.test", Role::Owner).await;
    other.login(&intruder.email, PASSWORD).await;
    for path in [
        "/checkout/main".to_string(),
        format!("/checkout/pay/{id}"),
        format!("/checkout/thanks/{id}"),
        format!("/checkout/upsell/{id}"),
    ] {
        let (status, html) = other.page(&path).await;
        let html = plain(html);
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!html.contains("x@x.test"));
    }
    for path in ["/checkout/main".to_string(), "/checkout/main/quote".to_string(), format!("/checkout/upsell/{id}")] {
        assert_eq!(other.post_form(&path, &[("email", "eve@x.test")]).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
}
