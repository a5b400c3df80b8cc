//! The catalog in the admin: an owner makes a product of courses, sells it through offers (a
//! one-time price, a payment plan, a subscription with a trial, a bump) and makes a coupon with
//! its shareable links; each bad field is refused beside it; hidden, limited, closed and
//! archived offers behave on their checkout; and another school's staff find none of it.

use identity::Role;
use reqwest::StatusCode;

use crate::{
    commerce_support::{buy, count, offer},
    courses_support::{events, published_course},
    support::{Browser, PASSWORD, TestApp, TestSchool, location},
};

async fn owner(app: &TestApp, school: &TestSchool) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

/// One value from the school's rows.
async fn scalar<T>(app: &TestApp, school: &TestSchool, sql: &'static str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v: T = sqlx::query_scalar(sql).bind(school.school.id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    v
}

/// An offer as stored: slug, kind, amount, interval, installments, trial, setup fee, has a bump.
type OfferRow = (String, String, i64, Option<String>, Option<i32>, i32, i64, bool);

/// Submits an offer form and returns the response.
async fn post_offer(b: &Browser, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut all = vec![("visible", "on")];
    all.extend_from_slice(fields);
    b.post_form(path, &all).await
}

#[tokio::test]
async fn an_owner_sells_a_bundle_with_offers_and_a_coupon() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let paint = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    let draw = published_course(&app, &acme, "Drawing", &[("Lines", &[("Pencils", "text")])]).await;
    let b = owner(&app, &acme).await;

    // The sidebar has the Sell group; the empty list says what to do.
    let (status, html) = b.page("/admin/products").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(">Sell</p>") && html.contains("<span>Products</span>"), "{html}");
    assert!(html.contains("&#x2f;admin&#x2f;coupons") && html.contains("<span>Coupons</span>"), "{html}");
    assert!(html.contains("Nothing for sale yet"), "{html}");

    let res = b.post_form("/admin/products", &[("name", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Give it a name."));
    let res = b.post_form("/admin/products", &[("name", "Art Bundle")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let product_path = location(&res);
    let (status, html) = b.page(&product_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Product created") && html.contains("No offers yet"), "{html}");

    // Courses are added one at a time, then ordered.
    let (p, d) = (paint.course.id.to_string(), draw.course.id.to_string());
    let base = [("name", "Art Bundle"), ("description", "Paint & draw")];
    let res = b.post_form(&product_path, &[&base[..], &[("add_course", &p), ("action", "add")]].concat()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = b
        .post_form(&product_path, &[&base[..], &[("course", &p), ("add_course", &d), ("action", "add")]].concat())
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let up = format!("up:{d}");
    let res =
        b.post_form(&product_path, &[&base[..], &[("course", &p), ("course", &d), ("action", &up)]].concat()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let titles: Vec<String> = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let t = sqlx::query_scalar(
            "select c.title from product_courses pc join courses c on c.tenant_id = pc.tenant_id and c.id = pc.course_id
             order by pc.position",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        t
    };
    assert_eq!(titles, ["Drawing", "Watercolor"]);
    let (_, html) = b.page(&product_path).await;
    assert!(html.contains("Paint &amp; draw") && html.contains("Courses updated"), "{html}");

    // A one-time offer: the address comes from the name, the price is typed in dollars.
    let new_offer = format!("{product_path}/offers/new");
    let (status, html) = b.page(&new_offer).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("How buyers pay") && html.contains(r#"value="USD" selected"#), "{html}");
    let res = post_offer(
        &b,
        &new_offer,
        &[("name", "Pay in full"), ("slug", ""), ("kind", "one_time"), ("currency", "USD"), ("amount", "199.50")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    // A workbook to bump, a 3-payment plan, and a yearly subscription with a trial and a fee.
    let res = post_offer(
        &b,
        &new_offer,
        &[("name", "Workbook"), ("slug", "workbook"), ("kind", "one_time"), ("currency", "USD"), ("amount", "19")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let workbook: uuid::Uuid =
        scalar(&app, &acme, "select id from offers where tenant_id = $1 and slug = 'workbook'").await;
    let res = post_offer(
        &b,
        &new_offer,
        &[
            ("name", "Three payments"),
            ("slug", "three-payments"),
            ("kind", "plan"),
            ("currency", "USD"),
            ("amount", "70"),
            ("installments", "3"),
            ("bump_offer_id", &workbook.to_string()),
            ("bump_headline", "Add the workbook"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post_offer(
        &b,
        &new_offer,
        &[
            ("name", "Yearly membership"),
            ("slug", "yearly"),
            ("kind", "subscription"),
            ("currency", "EUR"),
            ("amount", "120,00"),
            ("interval", "year"),
            ("trial_days", "14"),
            ("setup_fee", "10"),
            ("closes_at", "2099-01-01T12:00"),
            ("max_sales", "50"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let rows: Vec<OfferRow> = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let r = sqlx::query_as(
            "select slug, kind, amount, interval, installments, trial_days, setup_fee, bump_offer_id is not null
             from offers order by created_at",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        r
    };
    assert_eq!(
        rows,
        [
            ("pay-in-full".into(), "one_time".into(), 19_950, None, None, 0, 0, false),
            ("workbook".into(), "one_time".into(), 1_900, None, None, 0, 0, false),
            ("three-payments".into(), "plan".into(), 7_000, Some("month".into()), Some(3), 0, 0, true),
            ("yearly".into(), "subscription".into(), 12_000, Some("year".into()), None, 14, 1_000, false),
        ]
    );

    // The product page lists the offers with their links; the list shows the bundle.
    let (_, html) = b.page(&product_path).await;
    assert!(html.contains("/checkout/pay-in-full") && html.contains("data-copy="), "{html}");
    assert!(html.contains("3 × $70.00 monthly") && html.contains("14-day free trial"), "{html}");
    assert!(html.contains("0 of 50 sold") && html.contains("Preview checkout"), "{html}");
    let (_, html) = b.page("/admin/products").await;
    assert!(html.contains("Art Bundle") && html.contains("Drawing") && html.contains("$199.50"), "{html}");
    let (_, html) = b.page("/admin/products?q=bundle").await;
    assert!(html.contains("Art Bundle") && !html.contains("No matches"), "{html}");
    let (_, html) = b.page("/admin/products?q=sculpture").await;
    assert!(!html.contains("Art Bundle") && html.contains("No matches"), "{html}");

    // The edit form shows what is stored, in the school's units; a save keeps it.
    let plan: uuid::Uuid =
        scalar(&app, &acme, "select id from offers where tenant_id = $1 and slug = 'three-payments'").await;
    let (status, html) = b.page(&format!("/admin/offers/{plan}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"value="70.00""#) && html.contains("Add the workbook"), "{html}");
    let res = post_offer(
        &b,
        &format!("/admin/offers/{plan}"),
        &[
            ("name", "Three easy payments"),
            ("slug", "three-payments"),
            ("kind", "plan"),
            ("currency", "USD"),
            ("amount", "75"),
            ("installments", "3"),
            ("bump_offer_id", &workbook.to_string()),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        scalar::<i64>(&app, &acme, "select amount from offers where tenant_id = $1 and slug = 'three-payments'").await,
        7_500
    );
    let (_, checkout) = app.browser("acme").page("/checkout/three-payments").await;
    assert!(checkout.contains("Workbook") && checkout.contains("$19.00"), "the bump is offered: {checkout}");

    // A coupon for the plan only, with its link.
    let (status, html) = b.page("/admin/coupons").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No coupons yet"), "{html}");
    let (status, _) = b.page("/admin/coupons/new").await;
    assert_eq!(status, StatusCode::OK);
    let res = b
        .post_form(
            "/admin/coupons",
            &[
                ("code", "launch-20"),
                ("discount", "percent"),
                ("percent_off", "20"),
                ("duration", "forever"),
                ("applies", "chosen"),
                ("offer", &plan.to_string()),
                ("max_redemptions", "100"),
                ("per_customer_limit", "1"),
                ("expires_at", "2099-06-30T23:59"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let coupon_path = location(&res);
    let (status, html) = b.page(&coupon_path).await;
    assert_eq!(status, StatusCode::OK);
    let html = html.replace("&#x2f;", "/");
    assert!(html.contains("/checkout/three-payments?coupon=LAUNCH-20"), "{html}");
    assert!(!html.contains("/checkout/pay-in-full?coupon="), "only the chosen offers get a link");

    // The link pre-applies it; a purchase with it counts as a use.
    let visitor = app.browser("acme");
    let (_, page) = visitor.page("/checkout/three-payments?coupon=LAUNCH-20").await;
    assert!(page.contains("LAUNCH-20") && page.contains("$60.00"), "{page}");
    buy(&visitor, "three-payments", "ana@example.com", &[("coupon", "launch-20")]).await;
    let (_, html) = b.page("/admin/coupons").await;
    assert!(html.contains("LAUNCH-20") && html.contains("1 of 100 used") && html.contains("20% off"), "{html}");
    let (_, html) = b.page("/admin/coupons?q=launch").await;
    assert!(html.contains("LAUNCH-20"), "{html}");
    let (_, html) = b.page("/admin/coupons?q=summer").await;
    assert!(!html.contains(">LAUNCH-20<") && html.contains("No matches"), "{html}");
    let (_, html) = b.page("/admin/products").await;
    assert!(html.contains("1 sale"), "{html}");

    // Each creation was announced once.
    for (kind, n) in [("product.created", 1), ("offer.created", 4), ("coupon.created", 1)] {
        assert_eq!(events(&app, &acme, kind).await, n, "{kind}");
    }

    // Editing the coupon: a fixed amount in euros for every offer.
    let res = b
        .post_form(
            &coupon_path,
            &[
                ("code", "LAUNCH-20"),
                ("discount", "amount"),
                ("amount_off", "5"),
                ("currency", "EUR"),
                ("duration", "months"),
                ("duration_months", "3"),
                ("applies", "all"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let stored: (Option<i32>, Option<i64>, Option<String>, Option<i32>, bool) = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let r = sqlx::query_as(
            "select percent_off, amount_off, currency::text, duration_months, offer_ids is null from coupons",
        )
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        r
    };
    assert_eq!(stored, (None, Some(500), Some("EUR".into()), Some(3), true));

    // Archive and restore a coupon.
    let res = b.post_form(&format!("{coupon_path}/archive"), &[]).await;
    assert_eq!(location(&res), "/admin/coupons");
    let (_, page) = app.browser("acme").page("/checkout/yearly?coupon=LAUNCH-20").await;
    assert!(page.contains("This coupon has expired."), "an archived coupon is refused: {page}");
    b.post_form(&format!("{coupon_path}/restore"), &[]).await;
    assert_eq!(
        count(&app, &acme, "select count(*) from coupons where tenant_id = $1 and archived_at is null").await,
        1
    );
}

/// Posts the offer form `ok` with `changes` and expects a 422 with `message`.
async fn refused(b: &Browser, path: &str, ok: &[(&str, &str)], changes: &[(&str, &str)], message: &str) {
    let mut all = ok.to_vec();
    for (k, v) in changes {
        all.retain(|(name, _)| name != k);
        all.push((k, v));
    }
    let res = post_offer(b, path, &all).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{all:?}");
    let html = res.text().await.unwrap();
    assert!(html.contains(message), "{message} for {all:?}: {html}");
}

#[tokio::test]
async fn each_bad_field_is_refused_beside_it() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let res = b.post_form("/admin/products", &[("name", "Course")]).await;
    let new_offer = format!("{}/offers/new", location(&res));
    let ok = [("name", "Full"), ("slug", "full"), ("kind", "one_time"), ("currency", "USD"), ("amount", "100")];
    assert_eq!(post_offer(&b, &new_offer, &ok).await.status(), StatusCode::SEE_OTHER);

    refused(&b, &new_offer, &ok, &[("slug", "other"), ("amount", "12a")], "Type a number such as 199 or 199.50.").await;
    refused(&b, &new_offer, &ok, &[("slug", "other"), ("amount", "")], "Type a price.").await;
    refused(&b, &new_offer, &ok, &[("slug", "other"), ("amount", "19.999")], "USD amounts have 2 decimals at most.")
        .await;
    refused(
        &b,
        &new_offer,
        &ok,
        &[("slug", "other"), ("currency", "JPY"), ("amount", "15.5")],
        "JPY amounts have no decimals",
    )
    .await;
    refused(
        &b,
        &new_offer,
        &ok,
        &[("slug", "other"), ("currency", "XYZ")],
        "Choose one of the currencies in the list.",
    )
    .await;
    refused(&b, &new_offer, &ok, &[("slug", "full")], "already uses this address").await;
    refused(&b, &new_offer, &ok, &[("slug", "Not Valid!")], "Use lowercase letters, numbers and single dashes").await;
    refused(
        &b,
        &new_offer,
        &ok,
        &[("slug", "other"), ("kind", "plan"), ("installments", "")],
        "A payment plan has from 2 to 36 payments.",
    )
    .await;
    refused(
        &b,
        &new_offer,
        &ok,
        &[("slug", "other"), ("kind", "plan"), ("installments", "40")],
        "A payment plan has from 2 to 36",
    )
    .await;
    refused(
        &b,
        &new_offer,
        &ok,
        &[("slug", "other"), ("kind", "subscription"), ("interval", "week")],
        "Choose monthly or yearly.",
    )
    .await;
    refused(&b, &new_offer, &ok, &[("slug", "other"), ("max_sales", "-3")], "Type a whole number from 1").await;
    refused(&b, &new_offer, &ok, &[("slug", "other"), ("closes_at", "soon")], "Choose a date and time.").await;
    // A bump in another currency, and a recurring bump.
    let euro = [("name", "Euro"), ("slug", "euro"), ("kind", "one_time"), ("currency", "EUR"), ("amount", "9")];
    assert_eq!(post_offer(&b, &new_offer, &euro).await.status(), StatusCode::SEE_OTHER);
    let euro_id: uuid::Uuid = scalar(&app, &acme, "select id from offers where tenant_id = $1 and slug = 'euro'").await;
    let monthly = [
        ("name", "Monthly"),
        ("slug", "monthly"),
        ("kind", "subscription"),
        ("currency", "USD"),
        ("amount", "9"),
        ("interval", "month"),
    ];
    assert_eq!(post_offer(&b, &new_offer, &monthly).await.status(), StatusCode::SEE_OTHER);
    let monthly_id: uuid::Uuid =
        scalar(&app, &acme, "select id from offers where tenant_id = $1 and slug = 'monthly'").await;
    let (euro_s, monthly_s) = (euro_id.to_string(), monthly_id.to_string());
    refused(&b, &new_offer, &ok, &[("slug", "other"), ("bump_offer_id", &euro_s)], "This bump is priced in EUR").await;
    refused(
        &b,
        &new_offer,
        &ok,
        &[("slug", "other"), ("bump_offer_id", &monthly_s)],
        "An order bump must be a one-time offer.",
    )
    .await;
    refused(
        &b,
        &new_offer,
        &ok,
        &[("slug", "other"), ("bump_offer_id", "not-an-offer")],
        "Choose one of your live offers.",
    )
    .await;
    assert_eq!(count(&app, &acme, "select count(*) from offers where tenant_id = $1").await, 3);

    // Coupons.
    let coupon = |fields: &[(&'static str, &'static str)]| {
        let mut all = vec![("discount", "percent"), ("percent_off", "10"), ("duration", "once"), ("applies", "all")];
        for (k, v) in fields {
            all.retain(|(name, _)| name != k);
            all.push((k, v));
        }
        all
    };
    let res = b.post_form("/admin/coupons", &coupon(&[("code", "SAVE10")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for (fields, message) in [
        (coupon(&[("code", "save10")]), "Another coupon already uses this code."),
        (coupon(&[("code", "BIG"), ("percent_off", "150")]), "more than 100%"),
        (coupon(&[("code", "ZERO"), ("percent_off", "0")]), "Type a whole percentage from 1 to 100."),
        (coupon(&[("code", "no way")]), "Use 3 to 40 letters"),
        (
            coupon(&[("code", "CASH"), ("discount", "amount"), ("amount_off", "abc"), ("currency", "USD")]),
            "Type a number",
        ),
        (
            coupon(&[("code", "MONTHS"), ("duration", "months"), ("duration_months", "0")]),
            "number of months from 1 to 120",
        ),
        (coupon(&[("code", "PICK"), ("applies", "chosen")]), "Choose at least one offer"),
        (coupon(&[("code", "LIMIT"), ("max_redemptions", "0")]), "Type a whole number from 1"),
    ] {
        let res = b.post_form("/admin/coupons", &fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{message}: {html}");
    }
    assert_eq!(count(&app, &acme, "select count(*) from coupons where tenant_id = $1").await, 1);
}

#[tokio::test]
async fn hidden_limited_closed_and_archived_offers_on_checkout() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    let limited = offer(&app, &acme, "limited", "one_time", 5_000, &[course.course.id]).await;
    let b = owner(&app, &acme).await;
    let edit = format!("/admin/offers/{}", limited.id);
    // Hidden (the checkbox left out) and limited to one sale.
    let res = b
        .post_form(
            &edit,
            &[
                ("name", "Early bird"),
                ("slug", "limited"),
                ("kind", "one_time"),
                ("currency", "USD"),
                ("amount", "50"),
                ("max_sales", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(!scalar::<bool>(&app, &acme, "select visible from offers where tenant_id = $1").await);
    // A hidden offer still sells through its link.
    let visitor = app.browser("acme");
    let (status, page) = visitor.page("/checkout/limited").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Early bird") || page.contains("$50.00"), "{page}");
    buy(&visitor, "limited", "ana@example.com", &[]).await;
    // Sold out after its one sale.
    let (status, page) = app.browser("acme").page("/checkout/limited").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("This offer is sold out.") && !page.contains(r#"action="/checkout/limited""#), "{page}");
    let (_, html) = b.page(&format!("/admin/products/{}", limited.product_id)).await;
    assert!(html.contains("1 of 1 sold"), "{html}");

    // Closed after its date (typed in the school's zone): the page says so.
    let closing = offer(&app, &acme, "closing", "one_time", 5_000, &[course.course.id]).await;
    let when = (app.state.clock.now() + chrono::Duration::days(2)).format("%Y-%m-%dT%H:%M").to_string();
    let res = b
        .post_form(
            &format!("/admin/offers/{}", closing.id),
            &[
                ("name", "Spring"),
                ("slug", "closing"),
                ("kind", "one_time"),
                ("currency", "USD"),
                ("amount", "50"),
                ("visible", "on"),
                ("closes_at", &when),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.browser("acme").page("/checkout/closing").await;
    assert!(page.contains(r#"action="/checkout/closing""#), "open before the date: {page}");
    app.state.clock.advance(chrono::Duration::days(3));
    let (_, page) = app.browser("acme").page("/checkout/closing").await;
    assert!(page.contains("Sales for this offer have closed."), "{page}");
    assert!(!page.contains(r#"action="/checkout/closing""#), "{page}");

    // Archived: closed; restored: on sale again. Archiving the product closes its offers.
    let open = offer(&app, &acme, "open", "one_time", 5_000, &[course.course.id]).await;
    let res = b.post_form(&format!("/admin/offers/{}/archive", open.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.browser("acme").page("/checkout/open").await;
    assert!(
        page.contains("This offer is no longer available.") && !page.contains(r#"action="/checkout/open""#),
        "{page}"
    );
    b.post_form(&format!("/admin/offers/{}/restore", open.id), &[]).await;
    let (_, page) = app.browser("acme").page("/checkout/open").await;
    assert!(page.contains(r#"action="/checkout/open""#), "{page}");
    let res = b.post_form(&format!("/admin/products/{}/archive", open.product_id), &[]).await;
    assert_eq!(location(&res), "/admin/products");
    let (_, page) = app.browser("acme").page("/checkout/open").await;
    assert!(!page.contains(r#"action="/checkout/open""#), "{page}");
    let (_, html) = b.page("/admin/products").await;
    assert!(html.contains("1 archived product"), "{html}");
    let (_, html) = b.page(&format!("/admin/products/{}", open.product_id)).await;
    assert!(html.contains("This product is archived"), "{html}");
    b.post_form(&format!("/admin/products/{}/restore", open.product_id), &[]).await;
    let (_, page) = app.browser("acme").page("/checkout/open").await;
    assert!(page.contains(r#"action="/checkout/open""#), "{page}");
}

#[tokio::test]
async fn another_school_and_students_find_no_catalog() {
    let app = TestApp::new().await;
    let (acme, globex) = (app.school("acme").await, app.school("globex").await);
    let sold = offer(&app, &acme, "acme-offer", "one_time", 5_000, &[]).await;
    let b = owner(&app, &acme).await;
    let res = b
        .post_form(
            "/admin/coupons",
            &[("code", "ACME"), ("discount", "percent"), ("percent_off", "10"), ("applies", "all")],
        )
        .await;
    let coupon = location(&res);
    let (product, offer_id) = (sold.product_id.to_string(), sold.id.to_string());

    let intruder = owner(&app, &globex).await;
    let fields = [("name", "Stolen"), ("code", "STOLEN"), ("discount", "percent"), ("percent_off", "10")];
    for path in [
        format!("/admin/products/{product}"),
        format!("/admin/products/{product}/offers/new"),
        format!("/admin/offers/{offer_id}"),
        coupon.clone(),
    ] {
        assert_eq!(intruder.get(&path).await.status(), StatusCode::NOT_FOUND, "GET {path}");
        assert_eq!(intruder.post_form(&path, &fields).await.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    for path in [
        format!("/admin/products/{product}/archive"),
        format!("/admin/products/{product}/restore"),
        format!("/admin/offers/{offer_id}/archive"),
        format!("/admin/offers/{offer_id}/restore"),
        format!("{coupon}/archive"),
        format!("{coupon}/restore"),
    ] {
        assert_eq!(intruder.post_form(&path, &[]).await.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    assert_eq!(intruder.get("/admin/offers/not-an-id").await.status(), StatusCode::NOT_FOUND);
    let (_, html) = intruder.page("/admin/products").await;
    assert!(!html.contains("Product acme-offer"), "{html}");
    let (_, html) = intruder.page("/admin/coupons").await;
    assert!(!html.contains("ACME"), "{html}");
    assert_eq!(
        count(&app, &acme, "select count(*) from products where tenant_id = $1 and archived_at is null").await,
        1
    );

    // A student (or an instructor) of the school is not shown the catalog.
    app.user(&acme, "Stu", "stu@acme.test", Role::Student).await;
    let student = app.browser("acme");
    student.login("stu@acme.test", PASSWORD).await;
    for path in ["/admin/products", "/admin/coupons", "/admin/coupons/new"] {
        assert_eq!(student.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
}
