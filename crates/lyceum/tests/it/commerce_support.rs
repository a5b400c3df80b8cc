//! Selling in tests without the admin pages: a product with an offer in the school's database,
//! and a visitor's purchase through the checkout and the sandbox's card form.

use commerce::{
    Offer,
    store::{self, NewOffer},
};
use reqwest::StatusCode;

use crate::support::{Browser, TestApp, TestSchool, location};

/// The sandbox's test cards.
pub const CARD_OK: &str = "4242 4242 4242 4242";
pub const CARD_DECLINED: &str = "4000 0000 0000 0002";
pub const CARD_FUNDS: &str = "4000 0000 0000 9995";
pub const CARD_3DS: &str = "4000 0027 6000 3184";

/// Creates a product that opens `courses` and one offer for it (`kind` `one_time`, `plan` or
/// `subscription`, monthly), in USD, at `/checkout/{slug}`.
pub async fn offer(
    app: &TestApp,
    school: &TestSchool,
    slug: &str,
    kind: &str,
    amount: i64,
    courses: &[courses::CourseId],
) -> Offer {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let product = store::insert_product(&mut tx, &format!("Product {slug}"), "").await.unwrap();
    store::set_product_courses(&mut tx, product, courses).await.unwrap();
    let id = store::insert_offer(
        &mut tx,
        &NewOffer {
            product,
            slug,
            name: &format!("Offer {slug}"),
            kind,
            currency: "USD",
            amount,
            interval: (kind != "one_time").then_some("month"),
            installments: (kind == "plan").then_some(3),
            trial_days: 0,
            setup_fee: 0,
        },
    )
    .await
    .unwrap();
    let offer = store::offer(&mut tx, id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    offer
}

/// Fills the checkout form of `slug` (with `extra` fields) and returns the card form's path.
pub async fn start_checkout(b: &Browser, slug: &str, email: &str, extra: &[(&str, &str)]) -> String {
    let mut fields = vec![("email", email), ("name", "Buyer Person")];
    fields.extend_from_slice(extra);
    let res = b.post_form(&format!("/checkout/{slug}"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "checkout refused: {}", res.text().await.unwrap_or_default());
    location(&res)
}

/// Pays a card form with `card`; returns the response.
pub async fn pay(b: &Browser, pay_path: &str, card: &str) -> reqwest::Response {
    b.post_form(pay_path, &[("number", card), ("expiry", "12/34"), ("cvc", "123")]).await
}

/// Buys `slug` as `email` with the good test card; returns the thank-you page's path.
pub async fn buy(b: &Browser, slug: &str, email: &str, extra: &[(&str, &str)]) -> String {
    let pay_path = start_checkout(b, slug, email, extra).await;
    let res = pay(b, &pay_path, CARD_OK).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res)
}

/// A count from the school's rows.
pub async fn count(app: &TestApp, school: &TestSchool, sql: &'static str) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let n: i64 = sqlx::query_scalar(sql).bind(school.school.id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}
