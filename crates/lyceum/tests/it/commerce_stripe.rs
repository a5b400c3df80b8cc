//! Stripe Connect against a mock Stripe on loopback (wiremock serving Stripe-shaped JSON from
//! `fixtures/stripe/`): onboarding from the payment settings, checkout sessions with the
//! server's totals and the platform's fee on the connected account, refunds, and webhooks
//! checked against Stripe's signature scheme and applied exactly once.

use commerce::stripe::signature;
use identity::Role;
use reqwest::StatusCode;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{header, method, path},
};

use crate::{
    commerce_support::{count, offer},
    courses_support::published_course,
    support::{PASSWORD, TestApp, TestSchool, location},
};

const SECRET: &str = "whsec_test_5f1c0c4e8b2a4d7e9f3b6a1c";
const ACCOUNT: &str = "acct_1PqRsTuVwXyZ0001";

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/stripe").join(name);
    std::fs::read_to_string(p).unwrap()
}

fn json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

async fn stripe_app() -> (TestApp, MockServer) {
    let server = MockServer::start().await;
    let uri = server.uri();
    let app = TestApp::with(move |c| {
        c.stripe_secret_key = Some("sk_test_platform_51PlatformKey".into());
        c.stripe_webhook_secret = Some(SECRET.into());
        c.stripe_api_base = uri;
    })
    .await;
    (app, server)
}

/// Connects `school` to `account` and sells through Stripe, as onboarding would leave it.
async fn connected(app: &TestApp, school: &TestSchool, account: &str) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    commerce::stripe::account::set_account(&app.state, &mut tx, account, None).await.unwrap();
    commerce::stripe::account::set_provider(&mut tx, "stripe").await.unwrap();
    tx.commit().await.unwrap();
}

/// Posts a webhook body to `/hooks/stripe` on `host_browser` with a header signed at `t`.
async fn hook_signed(b: &crate::support::Browser, body: &str, header: &str) -> StatusCode {
    b.client
        .post(b.url("/hooks/stripe"))
        .header("content-type", "application/json")
        .header("stripe-signature", header)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .status()
}

async fn hook(app: &TestApp, b: &crate::support::Browser, body: &str) -> StatusCode {
    let t = app.state.clock.now().timestamp();
    hook_signed(b, body, &signature::sign(SECRET, t, body.as_bytes())).await
}

fn event(name: &str, checkout: &str, account: &str) -> String {
    fixture(name).replace("{{checkout_id}}", checkout).replace("{{account}}", account)
}

async fn mount_session(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/v1/checkout/sessions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("checkout_session.json")))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_intents/pi_3QsAbCdEfGhIjK0001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("payment_intent.json")))
        .mount(server)
        .await;
}

/// A school selling a $199 course through Stripe, and a visitor's checkout id.
async fn checkout_on_stripe(app: &TestApp, server: &MockServer, slug: &str) -> (TestSchool, String) {
    let school = app.school(slug).await;
    let course = published_course(app, &school, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(app, &school, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    connected(app, &school, ACCOUNT).await;
    mount_session(server).await;
    let visitor = app.browser(slug);
    let res = visitor.post_form("/checkout/watercolor", &[("email", "ana@example.com"), ("name", "Ana Buyer")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("https://checkout.stripe.com/c/pay/cs_test_"), "{}", location(&res));
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id: uuid::Uuid = sqlx::query_scalar("select id from checkouts").fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    (school, id.to_string())
}

fn form_of(req: &wiremock::Request) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(&req.body).unwrap()
}

fn field<'a>(form: &'a [(String, String)], k: &str) -> Option<&'a str> {
    form.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn without_a_platform_key_stripe_is_shown_disabled_and_the_sandbox_stays() {
    let app = TestApp::with(|c| {
        c.stripe_secret_key = None;
        c.stripe_webhook_secret = None;
    })
    .await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (status, html) = owner.page("/admin/settings/payments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-stripe=\"unconfigured\"") && html.contains("isn&#x27;t available"), "{html}");
    assert!(html.contains("data-provider=\"sandbox\""));
    let res = owner.post_form("/admin/settings/payments/connect", &[("kind", "standard")]).await;
    assert_eq!(location(&res), "/admin/settings/payments");
    let res = owner.post_form("/admin/settings/payments/provider", &[("provider", "stripe")]).await;
    assert_eq!(location(&res), "/admin/settings/payments");
    assert_eq!(
        count(&app, &acme, "select count(*) from commerce_settings where tenant_id = $1 and provider = 'stripe'").await,
        0
    );
    // A webhook with no secret configured is refused without processing.
    let b = app.platform_browser();
    assert_eq!(
        hook_signed(&b, "{}", &signature::sign(SECRET, app.state.clock.now().timestamp(), b"{}")).await,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn an_owner_connects_stripe_checks_the_status_and_switches_to_it() {
    let (app, server) = stripe_app().await;
    let acme = app.school("acme").await;
    Mock::given(method("POST"))
        .and(path("/v1/accounts"))
        .and(header("authorization", "Bearer sk_test_platform_51PlatformKey"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("account_pending.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/account_links"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("account_link.json")))
        .mount(&server)
        .await;
    // Pending at first, then enabled.
    Mock::given(method("GET"))
        .and(path(format!("/v1/accounts/{ACCOUNT}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("account_pending.json")))
        .up_to_n_times(3)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/accounts/{ACCOUNT}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("account.json")))
        .with_priority(2)
        .mount(&server)
        .await;

    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (status, html) = owner.page("/admin/settings/payments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("action=\"/admin/settings/payments/connect\"") && html.contains("value=\"express\""),
        "{html}"
    );

    let res = owner.post_form("/admin/settings/payments/connect", &[("kind", "standard")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("https://connect.stripe.com/setup/s/"), "{}", location(&res));
    let requests = server.received_requests().await.unwrap();
    let create = requests.iter().find(|r| r.url.path() == "/v1/accounts").unwrap();
    let f = form_of(create);
    assert_eq!(field(&f, "type"), Some("standard"));
    assert_eq!(field(&f, "email"), Some(acme.owner_email.as_str()));
    let link = requests.iter().find(|r| r.url.path() == "/v1/account_links").unwrap();
    let f = form_of(link);
    assert_eq!(field(&f, "account"), Some(ACCOUNT));
    assert_eq!(field(&f, "type"), Some("account_onboarding"));
    assert!(field(&f, "return_url").unwrap().ends_with("/admin/settings/payments/return"));
    assert!(field(&f, "refresh_url").unwrap().ends_with("/admin/settings/payments/refresh"));

    // Back from Stripe with the form unfinished: the status says so; switching is refused.
    let res = owner.get("/admin/settings/payments/return").await;
    assert_eq!(location(&res), "/admin/settings/payments");
    let (_, html) = owner.page("/admin/settings/payments").await;
    assert!(html.contains("data-charges=\"disabled\"") && html.contains(ACCOUNT), "{html}");
    let res = owner.post_form("/admin/settings/payments/provider", &[("provider", "stripe")]).await;
    assert_eq!(location(&res), "/admin/settings/payments");
    let (_, html) = owner.page("/admin/settings/payments").await;
    assert!(html.contains("data-provider=\"sandbox\""), "{html}");

    // Connecting again reuses the account (one account per school) and links back to Stripe.
    let res = owner.post_form("/admin/settings/payments/connect", &[]).await;
    assert!(location(&res).starts_with("https://connect.stripe.com/"));
    let res = owner.get("/admin/settings/payments/refresh").await;
    assert!(location(&res).starts_with("https://connect.stripe.com/"));

    // Enabled now: the switch works, and Stripe Tax can be turned on.
    let (_, html) = owner.page("/admin/settings/payments").await;
    assert!(html.contains("data-charges=\"enabled\"") && html.contains("Acme Watercolor School"), "{html}");
    let res = owner.post_form("/admin/settings/payments/provider", &[("provider", "stripe")]).await;
    assert_eq!(location(&res), "/admin/settings/payments");
    let res = owner.post_form("/admin/settings/payments/tax", &[("stripe_tax", "on")]).await;
    assert_eq!(location(&res), "/admin/settings/payments");
    let (_, html) = owner.page("/admin/settings/payments").await;
    assert!(html.contains("data-provider=\"stripe\"") && html.contains("Selling with Stripe"), "{html}");
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from commerce_settings where tenant_id = $1 and provider = 'stripe' and stripe_tax"
        )
        .await,
        1
    );

    // Another school cannot take the same account; the settings are the owner's alone.
    let globex = app.school("globex").await;
    {
        let mut tx = app.state.db.tenant(globex.school.id).await.unwrap();
        let res = commerce::stripe::account::set_account(&app.state, &mut tx, ACCOUNT, None).await;
        assert!(matches!(res, Err(commerce::stripe::account::ConnectError::Taken)));
    }
    let globex_owner = app.browser("globex");
    globex_owner.login(&globex.owner_email, PASSWORD).await;
    let (status, html) = globex_owner.page("/admin/settings/payments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains(ACCOUNT));
    // Globex's owner on Acme's site is a stranger there.
    let res = app.browser("acme").get("/admin/settings/payments").await;
    assert_ne!(res.status(), StatusCode::OK);
    app.user(&acme, "Sam Student", "sam@example.com", Role::Student).await;
    let student = app.browser("acme");
    student.login("sam@example.com", PASSWORD).await;
    let (status, _) = student.page("/admin/settings/payments").await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");
    let res = student.post_form("/admin/settings/payments/disconnect", &[]).await;
    assert!(res.status() == StatusCode::FORBIDDEN || res.status() == StatusCode::NOT_FOUND);

    // Disconnecting goes back to the sandbox.
    let res = owner.post_form("/admin/settings/payments/disconnect", &[]).await;
    assert_eq!(location(&res), "/admin/settings/payments");
    assert_eq!(
        count(&app, &acme, "select count(*) from commerce_settings where tenant_id = $1 and provider = 'sandbox' and stripe_account_id is null").await,
        1
    );
}

#[tokio::test]
async fn account_secrets_are_sealed_at_rest() {
    let (app, _server) = stripe_app().await;
    let acme = app.school("acme").await;
    let plaintext = "sk_live_51SchoolSecretValue";
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    commerce::stripe::account::set_account(&app.state, &mut tx, ACCOUNT, Some(plaintext)).await.unwrap();
    let stored: String =
        sqlx::query_scalar("select stripe_secret_sealed from commerce_settings").fetch_one(&mut *tx).await.unwrap();
    assert!(!stored.contains(plaintext) && !stored.contains("sk_live"), "{stored}");
    let opened = commerce::stripe::account::secret(&app.state, &mut tx).await.unwrap().unwrap();
    assert_eq!(opened.expose(), plaintext);
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_checkout_session_carries_the_server_totals_and_the_platform_fee() {
    let (app, server) = stripe_app().await;
    let plan = {
        let s = app.school("probe").await;
        s.school.plan.clone()
    };
    // The operator sets the fee on the plan page.
    let mut conn = app.owner_conn().await;
    sqlx::query("insert into operators (id, email, name, password_hash) values ($1, 'op@lyceum.test', 'Op', $2)")
        .bind(uuid::Uuid::now_v7())
        .bind(identity::password::hash(PASSWORD).unwrap())
        .execute(&mut conn)
        .await
        .unwrap();
    let op = app.platform_browser();
    let res = op.post_form("/operator/login", &[("email", "op@lyceum.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, html) = op.page("/operator/payments").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("name=\"fee_{plan}\"")), "{html}");
    let bad = op.post_form("/operator/payments", &[(&format!("fee_{plan}") as &str, "75")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = op.post_form("/operator/payments", &[(&format!("fee_{plan}") as &str, "2.5")]).await;
    assert_eq!(location(&res), "/operator/payments");
    let (_, html) = op.page("/operator/payments").await;
    assert!(html.contains("value=\"2.5\""), "{html}");
    // Strangers get the operator login.
    let res = app.platform_browser().get("/operator/payments").await;
    assert_eq!(location(&res), "/operator/login");

    let (acme, checkout) = checkout_on_stripe(&app, &server, "acme").await;
    let requests = server.received_requests().await.unwrap();
    let session = requests.iter().find(|r| r.url.path() == "/v1/checkout/sessions").unwrap();
    assert_eq!(session.headers.get("stripe-account").unwrap(), ACCOUNT);
    assert_eq!(session.headers.get("idempotency-key").unwrap().to_str().unwrap(), format!("session-{checkout}"));
    let f = form_of(session);
    assert_eq!(field(&f, "mode"), Some("payment"));
    assert_eq!(field(&f, "client_reference_id"), Some(checkout.as_str()));
    assert_eq!(field(&f, "metadata[checkout_id]"), Some(checkout.as_str()));
    assert_eq!(field(&f, "customer_email"), Some("ana@example.com"));
    assert_eq!(field(&f, "line_items[0][price_data][unit_amount]"), Some("19900"));
    assert_eq!(field(&f, "line_items[0][price_data][currency]"), Some("usd"));
    assert_eq!(field(&f, "payment_intent_data[application_fee_amount]"), Some("498"));
    assert!(field(&f, "success_url").unwrap().ends_with(&format!("/checkout/thanks/{checkout}")));
    assert!(field(&f, "cancel_url").unwrap().ends_with("/checkout/watercolor"));
    assert_eq!(field(&f, "automatic_tax[enabled]"), None);
    assert_eq!(
        count(&app, &acme, "select count(*) from checkouts where tenant_id = $1 and provider = 'stripe' and provider_ref = 'cs_test_a1B2c3D4e5F6g7H8i9J0'").await,
        1
    );

    // A subscription: mode subscription, a monthly price, the fee as a percentage.
    let course = published_course(&app, &acme, "Club", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "club", "subscription", 2_900, &[course.course.id]).await;
    let mut second = json("checkout_session.json");
    second["id"] = "cs_test_Subscription0000000002".into();
    Mock::given(method("POST"))
        .and(path("/v1/checkout/sessions"))
        .and(wiremock::matchers::body_string_contains("mode=subscription"))
        .respond_with(ResponseTemplate::new(200).set_body_json(second))
        .with_priority(1)
        .mount(&server)
        .await;
    let res = app.browser("acme").post_form("/checkout/club", &[("email", "bo@example.com"), ("name", "Bo")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let requests = server.received_requests().await.unwrap();
    let sessions: Vec<_> = requests.iter().filter(|r| r.url.path() == "/v1/checkout/sessions").collect();
    let f = form_of(sessions[1]);
    assert_eq!(field(&f, "mode"), Some("subscription"));
    assert_eq!(field(&f, "line_items[0][price_data][unit_amount]"), Some("2900"));
    assert_eq!(field(&f, "line_items[0][price_data][recurring][interval]"), Some("month"));
    assert_eq!(field(&f, "subscription_data[application_fee_percent]"), Some("2.5"));
    assert_eq!(field(&f, "payment_intent_data[application_fee_amount]"), None);
}

#[tokio::test]
async fn webhook_signatures_are_checked_per_stripes_scheme() {
    let (app, server) = stripe_app().await;
    let (acme, checkout) = checkout_on_stripe(&app, &server, "acme").await;
    let body = event("event_checkout_session_completed.json", &checkout, ACCOUNT);
    let b = app.platform_browser();
    let now = app.state.clock.now().timestamp();
    let orders = || count(&app, &acme, "select count(*) from orders where tenant_id = $1");

    assert_eq!(
        hook_signed(&b, &body, &signature::sign("whsec_wrong", now, body.as_bytes())).await,
        StatusCode::BAD_REQUEST
    );
    let tampered = body.replace("19900", "100");
    assert_eq!(
        hook_signed(&b, &tampered, &signature::sign(SECRET, now, body.as_bytes())).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        hook_signed(&b, &body, &signature::sign(SECRET, now - 301, body.as_bytes())).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(hook_signed(&b, &body, "").await, StatusCode::BAD_REQUEST);
    assert_eq!(
        b.client.post(b.url("/hooks/stripe")).body(body.clone()).send().await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(orders().await, 0);
    assert_eq!(count(&app, &acme, "select count(*) from provider_events where tenant_id = $1").await, 0);

    // Two v1 values (a rolled secret): one wrong, one right, is accepted.
    let wrong = signature::sign("whsec_previous", now, body.as_bytes());
    let right = signature::sign(SECRET, now, body.as_bytes());
    let header = format!("{},v1={}", wrong, right.split("v1=").nth(1).unwrap());
    assert_eq!(hook_signed(&b, &body, &header).await, StatusCode::OK);
    assert_eq!(orders().await, 1);
    // The card of the session is kept for one-click upsells.
    assert_eq!(
        count(&app, &acme, "select count(*) from payment_methods where tenant_id = $1 and provider_ref = 'pm_1QsAbCdEfGhIjK0001' and last4 = '4242'").await,
        1
    );
    // The app clock rules the tolerance.
    app.state.clock.advance(chrono::Duration::seconds(400));
    assert_eq!(hook_signed(&b, &body, &right).await, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_same_webhook_ten_times_makes_one_order() {
    let (app, server) = stripe_app().await;
    let (acme, checkout) = checkout_on_stripe(&app, &server, "acme").await;
    let body = event("event_checkout_session_completed.json", &checkout, ACCOUNT);
    // On the school's host as well as the platform's.
    let school_host = app.browser("acme");
    let platform = app.platform_browser();
    for i in 0..10 {
        let b = if i % 2 == 0 { &platform } else { &school_host };
        assert_eq!(hook(&app, b, &body).await, StatusCode::OK);
    }
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
    assert_eq!(
        count(&app, &acme, "select count(*) from payments where tenant_id = $1 and provider = 'stripe' and provider_ref = 'pi_3QsAbCdEfGhIjK0001'").await,
        1
    );
    assert_eq!(
        count(&app, &acme, "select count(*) from provider_events where tenant_id = $1 and provider = 'stripe'").await,
        1
    );
    app.run_jobs().await;
    app.run_jobs().await;
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from enrollments where tenant_id = $1 and source = 'purchase' and revoked_at is null"
        )
        .await,
        1
    );
    // The buyer lands on the thank-you page with the order.
    let (status, page) = app.browser("acme").page(&format!("/checkout/thanks/{checkout}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("R-000001"), "{page}");
}

#[tokio::test]
async fn events_out_of_order_are_retried_until_their_parent_arrives() {
    let (app, server) = stripe_app().await;
    let (acme, checkout) = checkout_on_stripe(&app, &server, "acme").await;
    let completed = event("event_checkout_session_completed.json", &checkout, ACCOUNT);
    let refunded = event("event_charge_refunded.json", &checkout, ACCOUNT);
    let b = app.platform_browser();

    // The refund first: not known yet → 500 so Stripe retries; nothing kept.
    assert_eq!(hook(&app, &b, &refunded).await, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(count(&app, &acme, "select count(*) from provider_events where tenant_id = $1").await, 0);
    assert_eq!(count(&app, &acme, "select count(*) from refunds where tenant_id = $1").await, 0);
    // Then both in order.
    assert_eq!(hook(&app, &b, &completed).await, StatusCode::OK);
    assert_eq!(hook(&app, &b, &refunded).await, StatusCode::OK);
    assert_eq!(hook(&app, &b, &refunded).await, StatusCode::OK);
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
    assert_eq!(
        count(&app, &acme, "select count(*) from refunds where tenant_id = $1 and provider_ref = 're_3QsAbCdEfGhIjK0001' and amount = 19900").await,
        1
    );
    app.run_jobs().await;
    app.run_jobs().await;
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from enrollments where tenant_id = $1 and source = 'purchase' and revoked_at is null"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn unknown_accounts_and_other_schools_checkouts_are_ignored() {
    let (app, server) = stripe_app().await;
    let (acme, acme_checkout) = checkout_on_stripe(&app, &server, "acme").await;
    let globex = app.school("globex").await;
    connected(&app, &globex, "acct_1GlobexAccount0002").await;
    let b = app.platform_browser();

    // An account no school has: acknowledged, nothing recorded anywhere.
    let body = event("event_checkout_session_completed.json", &acme_checkout, "acct_1NobodyHere000003");
    assert_eq!(hook(&app, &b, &body).await, StatusCode::OK);
    // Globex's account naming Acme's checkout: ignored (RLS hides it; no retry storm).
    let body = event("event_checkout_session_completed.json", &acme_checkout, "acct_1GlobexAccount0002")
        .replace("evt_1QsCompleted000001", "evt_1QsCompleted000002");
    assert_eq!(hook(&app, &b, &body).await, StatusCode::OK);
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 0);
    assert_eq!(count(&app, &globex, "select count(*) from orders where tenant_id = $1").await, 0);
    assert_eq!(count(&app, &acme, "select count(*) from provider_events where tenant_id = $1").await, 0);
    assert_eq!(count(&app, &acme, "select count(*) from checkouts where tenant_id = $1 and status = 'open'").await, 1);
}

#[tokio::test]
async fn refunds_go_to_stripe_with_an_idempotency_key() {
    let (app, server) = stripe_app().await;
    let (acme, checkout) = checkout_on_stripe(&app, &server, "acme").await;
    let b = app.platform_browser();
    assert_eq!(
        hook(&app, &b, &event("event_checkout_session_completed.json", &checkout, ACCOUNT)).await,
        StatusCode::OK
    );
    Mock::given(method("POST"))
        .and(path("/v1/refunds"))
        .and(header("stripe-account", ACCOUNT))
        .and(header("idempotency-key", "refund-key-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("refund.json")))
        .expect(1)
        .mount(&server)
        .await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let payment_id: uuid::Uuid = sqlx::query_scalar("select id from payments").fetch_one(&mut *tx).await.unwrap();
    let payment = commerce::store::payment(&mut tx, commerce::model::PaymentId(payment_id)).await.unwrap().unwrap();
    let stripe = commerce::provider::named(&app.state, "stripe");
    assert_eq!(stripe.name(), "stripe");
    let refund_ref = stripe.refund(&app.state, &mut tx, &payment, 5_000, "refund-key-1").await.unwrap();
    assert_eq!(refund_ref, "re_3QsAbCdEfGhIjK0002");
    tx.commit().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let call = requests.iter().find(|r| r.url.path() == "/v1/refunds").unwrap();
    let f = form_of(call);
    assert_eq!(field(&f, "payment_intent"), Some("pi_3QsAbCdEfGhIjK0001"));
    assert_eq!(field(&f, "amount"), Some("5000"));
}

fn invoice_paid(account: &str, event_id: &str, invoice: &str, reason: &str, intent: &str) -> String {
    fixture("event_invoice_paid.json")
        .replace("{{account}}", account)
        .replace("{{event_id}}", event_id)
        .replace("{{invoice_id}}", invoice)
        .replace("{{billing_reason}}", reason)
        .replace("pi_1QsRenewal0001", intent)
}

#[tokio::test]
async fn a_stripe_subscription_renews_fails_is_disputed_and_ends_through_webhooks() {
    let (app, server) = stripe_app().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Club", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "club", "subscription", 2_900, &[course.course.id]).await;
    connected(&app, &acme, ACCOUNT).await;
    let mut session = json("checkout_session.json");
    session["id"] = "cs_test_Subscription0000000002".into();
    Mock::given(method("POST"))
        .and(path("/v1/checkout/sessions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/invoices/in_1QsFirstInvoice0001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("invoice_first.json")))
        .mount(&server)
        .await;
    let res = app.browser("acme").post_form("/checkout/club", &[("email", "bo@example.com"), ("name", "Bo")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let checkout: uuid::Uuid = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from checkouts").fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        id
    };
    let b = app.platform_browser();
    let subs = |sql: &'static str| count(&app, &acme, sql);

    // Stripe may report the subscription's end before its start: retried later.
    let deleted = event("event_subscription_deleted.json", "", ACCOUNT);
    assert_eq!(hook(&app, &b, &deleted).await, StatusCode::INTERNAL_SERVER_ERROR);
    // The first invoice is the checkout's own payment: acknowledged, not a renewal.
    let first = invoice_paid(
        ACCOUNT,
        "evt_1QsInvoiceFirst",
        "in_1QsFirstInvoice0001",
        "subscription_create",
        "pi_1QsFirst0001",
    );
    assert_eq!(hook(&app, &b, &first).await, StatusCode::OK);

    let completed = event("event_subscription_session_completed.json", &checkout.to_string(), ACCOUNT);
    assert_eq!(hook(&app, &b, &completed).await, StatusCode::OK);
    assert_eq!(
        subs("select count(*) from subscriptions where tenant_id = $1 and provider = 'stripe' and provider_ref = 'sub_1QsSubscription0001' and status = 'active'").await,
        1
    );
    assert_eq!(
        subs(
            "select count(*) from payments where tenant_id = $1 and provider_ref = 'pi_1QsFirst0001' and amount = 2900"
        )
        .await,
        1
    );
    assert_eq!(
        subs("select count(*) from payment_methods where tenant_id = $1 and provider_ref = 'pm_1QsSubCard0001' and last4 = '4444'").await,
        1
    );

    // A renewal, delivered three times: one payment.
    let renewal = invoice_paid(
        ACCOUNT,
        "evt_1QsInvoicePaid0002",
        "in_1QsSecondInvoice0002",
        "subscription_cycle",
        "pi_1QsRenewal0001",
    );
    for _ in 0..3 {
        assert_eq!(hook(&app, &b, &renewal).await, StatusCode::OK);
    }
    assert_eq!(subs("select count(*) from payments where tenant_id = $1 and status = 'succeeded'").await, 2);
    assert_eq!(subs("select payments_made::bigint from subscriptions where tenant_id = $1").await, 2);

    // A failed renewal makes it past due.
    let failed = event("event_invoice_payment_failed.json", "", ACCOUNT);
    assert_eq!(hook(&app, &b, &failed).await, StatusCode::OK);
    assert_eq!(subs("select count(*) from subscriptions where tenant_id = $1 and status = 'past_due'").await, 1);

    // A chargeback on the renewal is recorded as a dispute against its payment.
    let dispute = event("event_dispute_created.json", "", ACCOUNT);
    assert_eq!(hook(&app, &b, &dispute).await, StatusCode::OK);
    assert_eq!(
        subs("select count(*) from refunds where tenant_id = $1 and kind = 'dispute' and provider_ref = 'dp_1QsDispute0001' and amount = 2900").await,
        1
    );

    // While Stripe still bills it, the account cannot be disconnected (its webhooks would
    // find no school).
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let res = owner.post_form("/admin/settings/payments/disconnect", &[]).await;
    assert_eq!(location(&res), "/admin/settings/payments");
    assert_eq!(
        subs("select count(*) from commerce_settings where tenant_id = $1 and stripe_account_id is not null").await,
        1
    );

    // Stripe ends it: canceled, once.
    assert_eq!(hook(&app, &b, &deleted).await, StatusCode::OK);
    assert_eq!(hook(&app, &b, &deleted).await, StatusCode::OK);
    assert_eq!(subs("select count(*) from subscriptions where tenant_id = $1 and status = 'canceled'").await, 1);
    let res = owner.post_form("/admin/settings/payments/disconnect", &[]).await;
    assert_eq!(location(&res), "/admin/settings/payments");
    assert_eq!(
        subs("select count(*) from commerce_settings where tenant_id = $1 and stripe_account_id is not null").await,
        0
    );
}

#[tokio::test]
async fn saved_cards_are_charged_off_session_on_the_connected_account() {
    let (app, server) = stripe_app().await;
    let acme = app.school("acme").await;
    connected(&app, &acme, ACCOUNT).await;
    Mock::given(method("GET"))
        .and(path("/v1/payment_methods/pm_1QsAbCdEfGhIjK0001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("payment_method.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .and(header("idempotency-key", "upsell-1"))
        .and(header("stripe-account", ACCOUNT))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("payment_intent_off_session.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .and(header("idempotency-key", "renewal-2"))
        .respond_with(ResponseTemplate::new(402).set_body_json(json("error_card_declined.json")))
        .mount(&server)
        .await;
    let method_row = commerce::model::PaymentMethod {
        id: Default::default(),
        user_id: kernel::ids::UserId::new(),
        provider: "stripe".into(),
        provider_ref: "pm_1QsAbCdEfGhIjK0001".into(),
        brand: "visa".into(),
        last4: "4242".into(),
        exp_month: 12,
        exp_year: 2034,
        fingerprint: String::new(),
    };
    let stripe = commerce::provider::named(&app.state, "stripe");
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let ok = stripe.charge_saved(&app.state, &mut tx, &method_row, 4_900, "USD", "upsell-1").await.unwrap();
    assert_eq!(ok, commerce::provider::Charge::Succeeded { provider_ref: "pi_3QsUpsell0001".into() });
    let declined = stripe.charge_saved(&app.state, &mut tx, &method_row, 2_900, "USD", "renewal-2").await.unwrap();
    assert_eq!(
        declined,
        commerce::provider::Charge::Failed {
            provider_ref: "pi_3QsDeclinedOffSession".into(),
            code: "insufficient_funds".into()
        }
    );
    tx.commit().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let call = requests.iter().find(|r| r.url.path() == "/v1/payment_intents").unwrap();
    let f = form_of(call);
    assert_eq!(field(&f, "amount"), Some("4900"));
    assert_eq!(field(&f, "currency"), Some("usd"));
    assert_eq!(field(&f, "customer"), Some("cus_R1aB2cD3eF4gH5"));
    assert_eq!(field(&f, "off_session"), Some("true"));
    assert_eq!(field(&f, "confirm"), Some("true"));
}

#[tokio::test]
async fn a_payment_plan_on_stripe_is_told_to_end_after_its_last_instalment() {
    let (app, server) = stripe_app().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Masterclass", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "masterclass", "plan", 10_000, &[course.course.id]).await;
    connected(&app, &acme, ACCOUNT).await;
    let mut session = json("checkout_session.json");
    session["id"] = "cs_test_Subscription0000000002".into();
    Mock::given(method("POST"))
        .and(path("/v1/checkout/sessions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/invoices/in_1QsFirstInvoice0001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json("invoice_first.json")))
        .mount(&server)
        .await;
    // Stripe is down the first time: the event fails and is retried.
    Mock::given(method("POST"))
        .and(path("/v1/subscriptions/sub_1QsSubscription0001"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(serde_json::json!({"error": {"type": "api_error", "message": "down"}})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/subscriptions/sub_1QsSubscription0001"))
        .and(header("idempotency-key", "plan-end-sub_1QsSubscription0001"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"id": "sub_1QsSubscription0001", "object": "subscription"})),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let res =
        app.browser("acme").post_form("/checkout/masterclass", &[("email", "cy@example.com"), ("name", "Cy")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let requests = server.received_requests().await.unwrap();
    let f = form_of(requests.iter().find(|r| r.url.path() == "/v1/checkout/sessions").unwrap());
    assert_eq!(field(&f, "mode"), Some("subscription"));
    assert_eq!(field(&f, "line_items[0][price_data][unit_amount]"), Some("10000"));
    let checkout: uuid::Uuid = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from checkouts").fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        id
    };
    let completed = event("event_subscription_session_completed.json", &checkout.to_string(), ACCOUNT);
    let b = app.platform_browser();
    assert_eq!(hook(&app, &b, &completed).await, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 0);
    assert_eq!(hook(&app, &b, &completed).await, StatusCode::OK);
    assert_eq!(count(&app, &acme, "select count(*) from orders where tenant_id = $1").await, 1);
    let requests = server.received_requests().await.unwrap();
    let end = requests.iter().rfind(|r| r.url.path() == "/v1/subscriptions/sub_1QsSubscription0001").unwrap();
    let f = form_of(end);
    let cancel_at: i64 = field(&f, "cancel_at").unwrap().parse().unwrap();
    let now = app.state.clock.now().timestamp();
    // Two more monthly instalments after the first, then a day: 59–63 days from now.
    let days = (cancel_at - now) / 86_400;
    assert!((59..=63).contains(&days), "{days}");
    assert_eq!(field(&f, "proration_behavior"), Some("none"));
}
