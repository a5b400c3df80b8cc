//! The admin's sales pages: the orders list (search, filters, totals, CSV), an order's page
//! with its history, refunds in part and in full (over-refunds refused, a double submit
//! refunding once), giving a product for free, subscriptions cancelled from the admin, the
//! person panel, and who may see any of it.

use identity::Role;
use reqwest::StatusCode;

use crate::{
    commerce_support::{buy, count, offer},
    courses_support::published_course,
    support::{PASSWORD, TestApp, TestSchool},
};

async fn one_id(app: &TestApp, school: &TestSchool, sql: &'static str) -> String {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id: uuid::Uuid = sqlx::query_scalar(sql).bind(school.school.id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    id.to_string()
}

async fn order_of(app: &TestApp, school: &TestSchool, email: &str) -> String {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id: uuid::Uuid = sqlx::query_scalar("select id from orders where tenant_id = $1 and email = $2")
        .bind(school.school.id)
        .bind(email)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id.to_string()
}

fn day(offset: i64, app: &TestApp) -> String {
    (app.state.clock.now() + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

#[tokio::test]
async fn the_orders_list_searches_filters_totals_and_exports() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;

    // Before any sale: the designed empty state.
    let (status, html) = owner.page("/admin/orders").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No orders yet"), "{html}");
    assert!(
        html.contains("&#x2f;admin&#x2f;orders\"") && html.contains("<span>Subscriptions</span>"),
        "sidebar: {html}"
    );

    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    let other = published_course(&app, &acme, "Ink", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    offer(&app, &acme, "ink", "one_time", 5_000, &[other.course.id]).await;
    buy(&app.browser("acme"), "watercolor", "ana@example.com", &[]).await;
    buy(&app.browser("acme"), "ink", "bob@example.com", &[]).await;
    app.run_jobs().await;
    // A buyer whose name a spreadsheet would run as a formula.
    {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        sqlx::query("update orders set name = '=HYPERLINK(\"http://evil\")' where email = 'bob@example.com'")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    let (status, html) = owner.page("/admin/orders").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("ana@example.com") && html.contains("bob@example.com"), "{html}");
    assert!(html.contains("2 orders"), "{html}");
    assert!(html.contains("$249.00"), "net total of both: {html}");
    assert!(html.contains("Product watercolor") && html.contains("Offer ink"));

    let (_, html) = owner.page("/admin/orders?q=ANA%40example").await;
    assert!(html.contains("ana@example.com") && !html.contains("bob@example.com"), "{html}");
    let ana_order = order_of(&app, &acme, "ana@example.com").await;
    let (_, html) = owner.page(&format!("/admin/orders?q={}", &ana_order[28..])).await;
    assert!(html.contains("ana@example.com") && !html.contains("bob@example.com"), "short number");
    let (_, html) = owner.page(&format!("/admin/orders?q={}", &ana_order)).await;
    assert!(html.contains("ana@example.com") && !html.contains("bob@example.com"), "whole id");
    let ink = one_id(&app, &acme, "select id from offers where tenant_id = $1 and slug = 'ink'").await;
    let (_, html) = owner.page(&format!("/admin/orders?offer={ink}")).await;
    assert!(!html.contains("ana@example.com") && html.contains("bob@example.com"), "offer filter");
    let (_, html) = owner.page(&format!("/admin/orders?from={}&to={}", day(-1, &app), day(1, &app))).await;
    assert!(html.contains("2 orders"), "date range: {html}");
    let (_, html) = owner.page("/admin/orders?from=2001-01-01&to=2001-01-31").await;
    assert!(html.contains("No orders match"), "{html}");

    // Refund part of Ana's order: the state filter sees it.
    let ana_payment = one_id(&app, &acme, "select y.id from payments y join orders o on o.tenant_id = y.tenant_id and o.id = y.order_id where y.tenant_id = $1 and o.email = 'ana@example.com'").await;
    let res = owner
        .post_form(
            &format!("/admin/orders/{ana_order}/refund"),
            &[("payment", &ana_payment), ("amount", "49.00"), ("access", "keep"), ("reason", "late"), ("key", "k1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = owner.page("/admin/orders?state=partly_refunded").await;
    assert!(html.contains("ana@example.com") && !html.contains("bob@example.com"), "{html}");
    assert!(html.contains("$150.00"), "net after the refund: {html}");
    let (_, html) = owner.page("/admin/orders?state=paid").await;
    assert!(!html.contains("ana@example.com") && html.contains("bob@example.com"));

    // The CSV holds the same filtered set, formulas kept as text.
    let res = owner.get("/admin/orders.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("orders-"));
    let body = res.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 3, "{body}");
    assert!(lines[0].starts_with("Order,Date,Name,Email"), "{body}");
    assert!(body.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), "{body}");
    assert!(body.contains("ana@example.com") && body.contains("199.00,199.00,49.00,150.00"), "{body}");
    let body = owner.get("/admin/orders.csv?state=paid").await.text().await.unwrap();
    assert_eq!(body.lines().count(), 2, "{body}");
    assert!(!body.contains("ana@example.com"));
}

#[tokio::test]
async fn an_order_page_shows_its_history_and_refunds_once_never_more_than_paid() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    buy(&app.browser("acme"), "watercolor", "ana@example.com", &[]).await;
    app.run_jobs().await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let order = order_of(&app, &acme, "ana@example.com").await;
    let path = format!("/admin/orders/{order}");

    let (status, html) = owner.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        "Checkout started",
        "Order placed for $199.00",
        "Payment of $199.00 succeeded",
        "Receipt R-000001",
        "/admin/receipts/",
        "Access to Watercolor granted",
        "Product watercolor",
        "/admin/people/",
        "name=\"key\"",
        "199.00",
    ] {
        assert!(html.contains(needle), "{needle}: {html}");
    }
    let payment = one_id(&app, &acme, "select id from payments where tenant_id = $1").await;

    // A part, then the same form again: refunded once.
    let form = |amount: &'static str, key: &'static str| {
        vec![
            ("payment", payment.clone()),
            ("amount", amount.into()),
            ("reason", "Asked nicely".into()),
            ("access", "revoke".into()),
            ("key", key.into()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let owner = &owner;
        let path = format!("{path}/refund");
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            owner.post_form(&path, &f).await
        }
    };
    assert_eq!(post(form("50", "first")).await.status(), StatusCode::SEE_OTHER);
    let (_, html) = owner.page(&path).await;
    assert!(html.contains("Refunded $50.00") && html.contains("Credit note CN-000001"), "{html}");
    assert!(html.contains("Partly refunded") && html.contains("Asked nicely"), "{html}");
    assert!(html.contains("/admin/credit-notes/"));
    assert_eq!(post(form("50", "first")).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, &acme, "select count(*) from refunds where tenant_id = $1").await, 1);

    // More than is left is refused with the amount left.
    let res = post(form("149.01", "second")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("At most $149.00 can be refunded"), "{html}");
    let res = post(form("abc", "third")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, &acme, "select count(*) from refunds where tenant_id = $1").await, 1);

    // The rest: refunded in full, and the course is taken back.
    assert_eq!(post(form("149.00", "fourth")).await.status(), StatusCode::SEE_OTHER);
    app.run_jobs().await;
    let (_, html) = owner.page(&path).await;
    assert!(html.contains("Refunded $149.00") && html.contains("Credit note CN-000002"), "{html}");
    assert!(html.contains("This order has been refunded in full"), "{html}");
    assert!(html.contains("Access to Watercolor taken away"), "{html}");
    assert_eq!(
        count(&app, &acme, "select count(*) from enrollments where tenant_id = $1 and revoked_at is not null").await,
        1
    );
    assert_eq!(count(&app, &acme, "select count(*) from refunds where tenant_id = $1").await, 2);
    // Nothing left: any further refund is refused.
    assert_eq!(post(form("1", "fifth")).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, &acme, "select count(*) from refunds where tenant_id = $1").await, 2);
}

#[tokio::test]
async fn giving_a_product_grants_access_once_and_can_be_taken_back() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    let product = one_id(&app, &acme, "select id from products where tenant_id = $1").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (_, html) = owner.page("/admin/orders").await;
    assert!(html.contains("Give a product") && html.contains("Product watercolor"), "{html}");

    let give = [("email", "nia@example.com"), ("name", "Nia Gift"), ("product", product.as_str())];
    let res = owner.post_form("/admin/orders/comp", &give).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let order_path = crate::support::location(&res);
    assert!(order_path.starts_with("/admin/orders/"), "{order_path}");
    // A double click finds the gift and gives nothing more.
    owner.post_form("/admin/orders/comp", &give).await;
    app.run_jobs().await;
    app.run_jobs().await;
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from orders where tenant_id = $1 and source = 'comp' and total = 0 and provider = 'none'"
        )
        .await,
        1
    );
    assert_eq!(count(&app, &acme, "select count(*) from payments where tenant_id = $1").await, 0);
    assert_eq!(
        count(&app, &acme, "select count(*) from enrollments where tenant_id = $1 and revoked_at is null").await,
        1
    );
    assert_eq!(count(&app, &acme, "select count(*) from events where tenant_id = $1 and kind = 'order.paid'").await, 1);

    let (_, html) = owner.page(&order_path).await;
    assert!(html.contains("Product given for free") && html.contains("Free or gift"), "{html}");
    assert!(html.contains("Access to Watercolor granted") && html.contains("Take the product away"), "{html}");
    let (_, html) = owner.page("/admin/orders?state=free").await;
    assert!(html.contains("nia@example.com"));

    // The person panel lists it, with the give form.
    let nia = one_id(&app, &acme, "select id from users where tenant_id = $1 and email = 'nia@example.com'").await;
    let (status, html) = owner.page(&format!("/admin/people/{nia}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Purchases") && html.contains(&order_path) && html.contains("Give a product"), "{html}");
    let res = owner
        .post_form(
            "/admin/orders/comp",
            &[("email", "nia@example.com"), ("product", &product), ("back", &format!("/admin/people/{nia}"))],
        )
        .await;
    assert_eq!(crate::support::location(&res), format!("/admin/people/{nia}"));

    // Taking it back.
    let res = owner.post_form(&format!("{order_path}/revoke"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        count(&app, &acme, "select count(*) from enrollments where tenant_id = $1 and revoked_at is not null").await,
        1
    );
    let (_, html) = owner.page(&order_path).await;
    assert!(html.contains("Access to Watercolor taken away"), "{html}");
    // Bad input: no address, an unknown product.
    let res = owner.post_form("/admin/orders/comp", &[("email", "nope"), ("product", &product)]).await;
    assert_eq!(crate::support::location(&res), "/admin/orders");
    let res = owner
        .post_form("/admin/orders/comp", &[("email", "x@example.com"), ("product", &uuid::Uuid::new_v4().to_string())])
        .await;
    assert_eq!(crate::support::location(&res), "/admin/orders");
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
}

#[tokio::test]
async fn staff_cancel_a_subscription_at_period_end_resume_it_and_cancel_now() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Club", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "club", "subscription", 2_900, &[course.course.id]).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (_, html) = owner.page("/admin/subscriptions").await;
    assert!(html.contains("No subscriptions yet"), "{html}");
    buy(&app.browser("acme"), "club", "ana@example.com", &[]).await;
    app.run_jobs().await;

    let (status, html) = owner.page("/admin/subscriptions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("ana@example.com") && html.contains("Active") && html.contains("$29.00"), "{html}");
    let (_, html) = owner.page("/admin/subscriptions?status=canceled").await;
    assert!(html.contains("No subscriptions match"), "{html}");
    let (_, html) = owner.page("/admin/subscriptions?q=nobody").await;
    assert!(!html.contains("ana@example.com"));
    let sub = one_id(&app, &acme, "select id from subscriptions where tenant_id = $1").await;
    let path = format!("/admin/subscriptions/{sub}");
    let (status, html) = owner.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Subscription started") && html.contains("Cancel at period end"), "{html}");

    let res = owner.post_form(&format!("{path}/cancel-at-period-end"), &[("reason", "Moving on")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = owner.page(&path).await;
    assert!(html.contains("Set to cancel at period end") && html.contains("Keep renewing"), "{html}");
    owner.post_form(&format!("{path}/resume"), &[]).await;
    let (_, html) = owner.page(&path).await;
    assert!(html.contains("Cancellation withdrawn"), "{html}");
    owner.post_form(&format!("{path}/cancel"), &[("reason", "Asked by email")]).await;
    assert_eq!(
        count(&app, &acme, "select count(*) from subscriptions where tenant_id = $1 and status = 'canceled'").await,
        1
    );
    let (_, html) = owner.page(&path).await;
    assert!(html.contains("Canceled") && html.contains("Asked by email"), "{html}");
    // Cancelling twice changes nothing; an unknown action is 404.
    owner.post_form(&format!("{path}/cancel"), &[]).await;
    assert_eq!(
        count(&app, &acme, "select count(*) from subscription_changes where tenant_id = $1 and kind = 'canceled'")
            .await,
        1
    );
    assert_eq!(owner.post_form(&format!("{path}/explode"), &[]).await.status(), StatusCode::NOT_FOUND);
    // The order page shows the subscription's changes too.
    let order = order_of(&app, &acme, "ana@example.com").await;
    let (_, html) = owner.page(&format!("/admin/orders/{order}")).await;
    assert!(html.contains("See the subscription") && html.contains("Subscription started"), "{html}");
}

#[tokio::test]
async fn support_staff_and_other_schools_see_no_sales() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let course = published_course(&app, &acme, "Club", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "club", "subscription", 2_900, &[course.course.id]).await;
    buy(&app.browser("acme"), "club", "ana@example.com", &[]).await;
    app.run_jobs().await;
    let order = order_of(&app, &acme, "ana@example.com").await;
    let sub = one_id(&app, &acme, "select id from subscriptions where tenant_id = $1").await;
    let payment = one_id(&app, &acme, "select id from payments where tenant_id = $1").await;
    let product = one_id(&app, &acme, "select id from products where tenant_id = $1").await;

    app.user(&acme, "Sue Support", "sue@acme.test", Role::Support).await;
    let support = app.browser("acme");
    support.login("sue@acme.test", PASSWORD).await;
    for path in [
        "/admin/orders",
        "/admin/orders.csv",
        &format!("/admin/orders/{order}"),
        "/admin/subscriptions",
        &format!("/admin/subscriptions/{sub}"),
    ] {
        assert_eq!(support.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for path in [
        &format!("/admin/orders/{order}/refund"),
        &format!("/admin/subscriptions/{sub}/cancel"),
        &"/admin/orders/comp".to_string(),
    ] {
        let res = support
            .post_form(path, &[("payment", &payment), ("amount", "1"), ("email", "x@y.test"), ("product", &product)])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let ana = one_id(&app, &acme, "select id from users where tenant_id = $1 and email = 'ana@example.com'").await;
    let (_, html) = support.page(&format!("/admin/people/{ana}")).await;
    assert!(!html.contains("Purchases"), "support sees no sales panel");

    // Another school's owner: 404 for every id, never data.
    let other = app.browser("globex");
    other.login(&globex.owner_email, PASSWORD).await;
    for path in
        [format!("/admin/orders/{order}"), format!("/admin/subscriptions/{sub}"), "/admin/orders/not-an-id".into()]
    {
        assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        format!("/admin/orders/{order}/refund"),
        format!("/admin/orders/{order}/revoke"),
        format!("/admin/subscriptions/{sub}/cancel"),
    ] {
        let res = other.post_form(&path, &[("payment", &payment), ("amount", "1"), ("key", "x")]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let res = other.post_form("/admin/orders/comp", &[("email", "ana@example.com"), ("product", &product)]).await;
    assert_eq!(crate::support::location(&res), "/admin/orders", "another school's product is unknown here");
    let (_, html) = other.page("/admin/orders").await;
    assert!(!html.contains("ana@example.com") && html.contains("No orders yet"));
    assert_eq!(other.get("/admin/orders.csv").await.text().await.unwrap().lines().count(), 1);
    let (_, html) = other.page("/admin/subscriptions").await;
    assert!(!html.contains("ana@example.com"));
    assert_eq!(count(&app, &acme, "select count(*) from refunds where tenant_id = $1").await, 0);
    assert_eq!(
        count(&app, &acme, "select count(*) from subscriptions where tenant_id = $1 and status = 'active'").await,
        1
    );
    assert_eq!(count(&app, &globex, "select count(*) from orders where tenant_id = $1").await, 0);
}
