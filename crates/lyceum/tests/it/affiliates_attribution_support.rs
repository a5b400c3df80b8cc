//! Affiliate attribution in tests: a person's browser (a real user agent, a cookie jar the test
//! can write into), reading the referral cookie a response sets, and the referral of the last
//! order.

use commerce::affiliates::attribution::{self, Referral};
use reqwest::{Response, cookie::Jar, redirect::Policy};
use std::sync::Arc;

use crate::support::{Browser, TestApp, TestSchool};

/// What a desktop Chrome sends.
pub const CHROME: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

/// A browser on a school's site whose cookie jar the test can add to.
pub fn browser_with_jar(app: &TestApp, slug: &str) -> (Browser, Arc<Jar>) {
    let host = format!("{slug}.localhost");
    let jar = Arc::new(Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(Policy::none())
        .resolve(&host, app.addr)
        .build()
        .unwrap();
    (Browser { client, base: format!("http://{host}:{}", app.addr.port()) }, jar)
}

/// Puts a `lyceum_ref` cookie with `value` in the jar of `b`.
pub fn plant(b: &Browser, jar: &Jar, value: &str) {
    jar.add_cookie_str(&format!("lyceum_ref={value}; Path=/"), &b.url("/").parse().unwrap());
}

/// A GET as a person's browser would make it.
pub async fn visit(b: &Browser, path: &str) -> Response {
    b.client.get(b.url(path)).header("user-agent", CHROME).header("accept", "text/html").send().await.unwrap()
}

/// The `lyceum_ref` cookie a response sets (the whole `Set-Cookie` line).
pub fn ref_set_cookie(res: &Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("lyceum_ref="))
        .map(str::to_string)
}

/// The school's latest order.
pub async fn last_order(app: &TestApp, school: &TestSchool) -> commerce::OrderId {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id = sqlx::query_scalar("select id from orders order by created_at desc, id desc limit 1")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

/// Decides the referral of the latest order; with its stored `(status, reason, via)`.
pub async fn decide(
    app: &TestApp,
    school: &TestSchool,
) -> (Option<Referral>, Option<(String, Option<String>, String)>) {
    let order = last_order(app, school).await;
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let referral = attribution::referral_for_order(&app.state, &mut tx, order).await.unwrap();
    let row = sqlx::query_as("select status, reason, via from affiliate_referrals where order_id = $1")
        .bind(order)
        .fetch_optional(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (referral, row)
}

/// The latest order's stored attribution.
pub async fn order_attribution(app: &TestApp, school: &TestSchool) -> serde_json::Value {
    let order = last_order(app, school).await;
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let a = sqlx::query_scalar("select attribution from orders where id = $1")
        .bind(order)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    a
}

/// Switches the school's program to first- or last-click.
pub async fn set_attribution(app: &TestApp, school: &TestSchool, rule: &str) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query("update affiliate_settings set attribution = $2 where tenant_id = $1")
        .bind(school.school.id)
        .bind(rule)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}
