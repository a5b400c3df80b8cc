//! Abuse limits that let a classroom behind one address through but not a guesser: failures
//! counted per address and per account, the account lock-out and its email, and return paths
//! that never leave the site.

use identity::Role;
use kernel::web::client_ip::{DEFAULT_TRUSTED_PROXIES, parse_networks};
use reqwest::StatusCode;

use crate::support::{PASSWORD, TestApp, TestSchool, location};

/// An app behind a proxy on loopback (the test client's address), as with Caddy.
async fn behind_proxy() -> TestApp {
    TestApp::with(|c| {
        c.trust_proxy = true;
        c.trusted_proxies = parse_networks(DEFAULT_TRUSTED_PROXIES).unwrap();
    })
    .await
}

async fn lockout_row(app: &TestApp, school: &TestSchool, email: &str) -> Option<(i32, bool)> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let row = sqlx::query_as(
        "select failures, coalesce(locked_until > now(), false) from login_lockouts
         where tenant_id = $1 and factor = 'password' and subject = $2",
    )
    .bind(school.school.id)
    .bind(email)
    .fetch_optional(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    row
}

#[tokio::test]
async fn a_class_logging_in_from_one_address_is_not_blocked() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    for i in 0..30 {
        let email = format!("student{i}@acme.test");
        app.user(&acme, &format!("Student {i}"), &email, Role::Student).await;
        let b = app.browser("acme");
        if i % 3 == 0 {
            // Some mistype first; failures count, but a class's worth stays under the limit.
            let res = b.post_form("/login", &[("email", &email), ("password", "not my password")]).await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        }
        b.login(&email, PASSWORD).await;
    }
}

#[tokio::test]
async fn a_class_signs_up_from_one_address() {
    let app = TestApp::new().await;
    app.school("acme").await;
    for i in 0..8 {
        let b = app.browser("acme");
        let res = b.post_form("/signup", &[("name", "Kid"), ("email", "not an address"), ("password", PASSWORD)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let email = format!("kid{i}@acme.test");
        let res = b.post_form("/signup", &[("name", "Kid"), ("email", &email), ("password", PASSWORD)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-up {i}");
    }
}

#[tokio::test]
async fn typos_on_the_start_form_do_not_block_a_creator() {
    let app = TestApp::new().await;
    let p = app.platform_browser();
    let form = |slug: &'static str, email: &'static str| {
        [("school_name", "Sunrise Yoga"), ("slug", slug), ("name", "Ana"), ("email", email), ("password", PASSWORD)]
    };
    for _ in 0..8 {
        let res = p.post_form("/start", &form("sunrise", "not an address")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = p.post_form("/start", &form("sunrise", "ana@sunrise.test")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = p.post_form("/start", &form("sunrise", "ana@sunrise.test")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a taken address is a message, not a block");
}

#[tokio::test]
async fn rotating_addresses_does_not_get_past_the_account_lock_and_the_holder_is_told_once() {
    let app = behind_proxy().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sue", "sue@acme.test", Role::Student).await;
    let b = app.browser("acme");
    let wrong = [("email", "Sue@acme.test"), ("password", "guess guess guess")];
    for i in 1..kernel::lockout::LOCK_AFTER {
        let res = b.post_form_via_proxy("/login", &wrong, &format!("198.51.100.{i}")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "failure {i} is a message");
    }
    let res = b.post_form_via_proxy("/login", &wrong, "198.51.100.99").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "the fifth failure locks the account");

    // From yet another address, even the right password waits; the page keeps the address typed.
    let right = [("email", "Sue@acme.test"), ("password", PASSWORD)];
    let res = b.post_form_via_proxy("/login", &right, "203.0.113.7, 192.0.2.1").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap(), 60);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"value="Sue@acme.test""#), "what was typed is kept");
    assert!(page.contains("Try again in one minute"), "the wait is named: {page}");
    assert_eq!(lockout_row(&app, &acme, "sue@acme.test").await, Some((5, true)));

    let locked: Vec<_> = app.mails(&acme).await.into_iter().filter(|m| m.template == "identity/mail/locked").collect();
    assert_eq!(locked.len(), 1, "one email per lock");
    assert_eq!(locked[0].to_email, "sue@acme.test");
    assert!(locked[0].text.contains("paused for one minute") && locked[0].text.contains("/forgot-password"));

    // Once the wait is over, the right password gets in and the count starts over.
    let mut conn = app.owner_conn().await;
    sqlx::query("update login_lockouts set locked_until = now() - interval '1 second'")
        .execute(&mut conn)
        .await
        .unwrap();
    let res = b.post_form_via_proxy("/login", &right, "203.0.113.8").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(lockout_row(&app, &acme, "sue@acme.test").await, None);
}

#[tokio::test]
async fn after_the_lock_each_failure_doubles_the_wait() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    // No account has this address: it locks the same, so a lock says nothing about who exists.
    let wrong = [("email", "nobody@acme.test"), ("password", "guess guess guess")];
    let mut conn = app.owner_conn().await;
    for expected in [60, 120, 240] {
        let mut res = b.post_form("/login", &wrong).await;
        while res.status() == StatusCode::UNPROCESSABLE_ENTITY {
            res = b.post_form("/login", &wrong).await;
        }
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers()["retry-after"].to_str().unwrap(), expected.to_string());
        sqlx::query("update login_lockouts set locked_until = now()").execute(&mut conn).await.unwrap();
    }
    let mails = app.mails(&acme).await;
    assert!(mails.iter().all(|m| m.template != "identity/mail/locked"), "nobody to tell");
}

#[tokio::test]
async fn return_paths_that_leave_the_site_are_dropped() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sue", "sue@acme.test", Role::Student).await;

    // The page does not carry a bad `next` along, and a crafted form's is not followed.
    let b = app.browser("acme");
    let (status, page) = b.page("/login?next=/%09/evil.example").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("evil.example"));
    let res = b
        .post_form("/login", &[("email", "sue@acme.test"), ("password", PASSWORD), ("next", "/\t/evil.example")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/dashboard");

    let b = app.browser("acme");
    let (_, page) = b.page("/login?next=%2Fcourses%3Ftab%3D1").await;
    assert!(page.contains(r#"name="next""#) && page.contains("courses?tab=1"), "a local path is kept");
    let res = b.post_form("/login", &[("email", "sue@acme.test"), ("password", PASSWORD), ("next", "/courses")]).await;
    assert_eq!(location(&res), "/courses");

    for bad in ["/\t/evil.example", "//evil.example", "/\\evil.example", "/%5Cevil.example", "https://evil.example"] {
        let res = b.post_form("/language", &[("locale", "es"), ("next", bad)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/", "{bad:?}");
    }
    let res = b.post_form("/language", &[("locale", "en"), ("next", "/courses")]).await;
    assert_eq!(location(&res), "/courses");
}

#[tokio::test]
async fn wrong_two_factor_codes_lock_the_account_and_tell_the_holder_the_password_is_known() {
    use crate::identity_team::{code, stored_totp_secret, wrong_code};
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&acme.owner_email, PASSWORD).await;
    b.post_form("/account/2fa/setup", &[]).await;
    let secret = stored_totp_secret(&app, &acme).await;
    assert_eq!(b.post_form("/account/2fa/enable", &[("code", &code(&secret, 0))]).await.status(), StatusCode::OK);
    b.post_form("/logout", &[]).await;

    let res = b.post_form("/login", &[("email", &acme.owner_email), ("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/login/2fa");
    for _ in 1..kernel::lockout::LOCK_AFTER {
        let res = b.post_form("/login/2fa", &[("code", &wrong_code(&secret))]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = b.post_form("/login/2fa", &[("code", &wrong_code(&secret))]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = b.post_form("/login/2fa", &[("code", &code(&secret, 30))]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "even the right code waits");
    assert!(res.text().await.unwrap().contains("Try again in one minute"));
    let mails = app.mails(&acme).await;
    let locked = mails.iter().find(|m| m.template == "identity/mail/locked").expect("the holder is told");
    assert!(locked.text.contains("someone knows your password"));
}

#[tokio::test]
async fn an_account_form_past_its_limit_keeps_what_was_typed_and_names_the_wait() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sue", "sue@acme.test", Role::Student).await;
    let b = app.browser("acme");
    b.login("sue@acme.test", PASSWORD).await;
    let form = [("new_email", "sue.new@acme.test"), ("email_password", "not my password")];
    for _ in 0..identity::routes::ACCOUNT_LIMIT.max {
        assert_eq!(b.post_form("/account/email", &form).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = b.post_form("/account/email", &form).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"value="sue.new@acme.test""#) && page.contains("Try again in 15 minutes"), "{page}");
    // Counted per account, not per address: a classmate at the next desk is not held up.
    app.user(&acme, "Tom", "tom@acme.test", Role::Student).await;
    let t = app.browser("acme");
    t.login("tom@acme.test", PASSWORD).await;
    assert_eq!(t.post_form("/account/email", &form).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn counts_nobody_added_to_for_a_day_are_dropped() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    b.post_form("/login", &[("email", "old@acme.test"), ("password", "guess guess guess")]).await;
    let mut conn = app.owner_conn().await;
    sqlx::query("update login_lockouts set last_failed_at = now() - interval '25 hours'")
        .execute(&mut conn)
        .await
        .unwrap();
    b.post_form("/login", &[("email", "new@acme.test"), ("password", "guess guess guess")]).await;
    assert_eq!(lockout_row(&app, &acme, "old@acme.test").await, None);
    assert_eq!(lockout_row(&app, &acme, "new@acme.test").await, Some((1, false)));
}

#[tokio::test]
async fn a_spoofed_forwarded_for_does_not_dodge_the_address_limit() {
    let app = behind_proxy().await;
    app.school("acme").await;
    let b = app.browser("acme");
    // The client writes whatever it likes on the left; the proxy appends the real address.
    for i in 0..identity::routes::LOGIN_FAILURE_LIMIT.max {
        let email = format!("x{}@acme.test", i / 2);
        let chain = format!("6.6.{}.{}, 198.51.100.7", i / 256, i % 256);
        let res = b.post_form_via_proxy("/login", &[("email", &email), ("password", "wrong password")], &chain).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let wrong = [("email", "y@acme.test"), ("password", "wrong password")];
    let res = b.post_form_via_proxy("/login", &wrong, "7.7.7.7, 198.51.100.7").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = b.post_form_via_proxy("/login", &wrong, "198.51.100.8").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "another client behind the proxy is not held up");
}
