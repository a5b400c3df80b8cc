//! Sales on the admin dashboard, kept from commerce's events: today's and this month's revenue
//! net of refunds, the latest orders, counted once however often an event is handled, and
//! shown only to those who manage sales, in their own school.

use identity::Role;
use kernel::events::Event;
use reqwest::StatusCode;

use crate::{
    commerce_support::{buy, offer},
    courses_support::published_course,
    support::{PASSWORD, TestApp},
};

fn figure(html: &str, marker: &str) -> String {
    let start = html.find(marker).unwrap_or_else(|| panic!("{marker}: {html}")) + marker.len() + 1;
    html[start..].split('<').next().unwrap().trim().to_string()
}

#[tokio::test]
async fn the_dashboard_shows_revenue_net_of_refunds_and_the_latest_orders() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (status, html) = owner.page("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Revenue today") && html.contains("No orders yet. They appear here"), "{html}");

    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    offer(&app, &acme, "ink", "one_time", 5_000, &[course.course.id]).await;
    buy(&app.browser("acme"), "watercolor", "ana@example.com", &[]).await;
    buy(&app.browser("acme"), "ink", "bob@example.com", &[]).await;
    app.run_jobs().await;
    let (order, payment): (uuid::Uuid, uuid::Uuid) = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let row = sqlx::query_as(
            "select o.id, y.id from orders o join payments y on y.tenant_id = o.tenant_id and y.order_id = o.id
             where o.email = 'ana@example.com'",
        )
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        row
    };
    let res = owner
        .post_form(
            &format!("/admin/orders/{order}/refund"),
            &[("payment", &payment.to_string()), ("amount", "49"), ("access", "keep"), ("key", "once")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.run_jobs().await;

    let (_, html) = owner.page("/admin").await;
    // $199 + $50 − $49.
    assert_eq!(figure(&html, "data-sales-today"), "$200.00", "{html}");
    assert_eq!(figure(&html, "data-sales-month"), "$200.00");
    assert!(html.contains("ana@example.com") || html.contains("Buyer Person"), "{html}");
    assert!(html.contains("Offer ink") && html.contains("Offer watercolor"), "{html}");
    assert!(html.contains(&format!("/admin/orders/{order}")));

    // Handling the same events again counts nothing more.
    let events: Vec<(uuid::Uuid, String, serde_json::Value, chrono::DateTime<chrono::Utc>)> = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let rows = sqlx::query_as(
            "select id, kind, payload, created_at from events
             where kind in ('order.paid', 'payment.succeeded', 'order.refunded')",
        )
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        rows
    };
    assert_eq!(events.len(), 5);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    for (id, kind, payload, occurred_at) in events {
        let event = Event { id: kernel::ids::EventId(id), kind, payload, occurred_at, tenant: acme.school.id };
        assert!(!insights::sales::record(&mut tx, &event, "UTC").await.unwrap());
    }
    tx.commit().await.unwrap();
    let (_, html) = owner.page("/admin").await;
    assert_eq!(figure(&html, "data-sales-today"), "$200.00");

    // Support staff see no revenue; another school sees none of this one's.
    app.user(&acme, "Sue Support", "sue@acme.test", Role::Support).await;
    let support = app.browser("acme");
    support.login("sue@acme.test", PASSWORD).await;
    let (_, html) = support.page("/admin").await;
    assert!(!html.contains("data-sales-today") && !html.contains("Revenue today"));
    let other = app.browser("globex");
    other.login(&globex.owner_email, PASSWORD).await;
    let (_, html) = other.page("/admin").await;
    assert_eq!(figure(&html, "data-sales-today"), "$0.00", "{html}");
    assert!(!html.contains("ana@example.com") && !html.contains("Offer ink"));
}
