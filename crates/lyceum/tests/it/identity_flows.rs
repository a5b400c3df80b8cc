//! Account flows: confirming the address, resetting and changing the password, the profile,
//! moving to a new address, and links that must not work on another school.

use reqwest::StatusCode;

use crate::support::{PASSWORD, TestApp, TestSchool, location};

const NEW_PASSWORD: &str = "a brand new password 2026";

/// The path (and query) of a full URL from a mail.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.find('/').map(|i| rest[i..].to_string()).unwrap_or_else(|| "/".into())
}

async fn db_user(app: &TestApp, school: &TestSchool, email: &str) -> (String, bool) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let row: (String, bool) = sqlx::query_as(
        "select email, email_verified_at is not null from users where tenant_id = $1 and lower(email) = lower($2)",
    )
    .bind(school.school.id)
    .bind(email)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    row
}

async fn signup(app: &TestApp, slug: &str, name: &str, email: &str) -> crate::support::Browser {
    let b = app.browser(slug);
    let res = b.post_form("/signup", &[("name", name), ("email", email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    b
}

#[tokio::test]
async fn a_reset_link_works_once_confirms_the_address_and_ends_other_sessions() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let elsewhere = signup(&app, "acme", "Sam Student", "sam@acme.test").await;
    assert_eq!(elsewhere.get("/dashboard").await.status(), StatusCode::OK);
    assert!(!db_user(&app, &acme, "sam@acme.test").await.1);

    let b = app.browser("acme");
    let res = b.post_form("/forgot-password", &[("email", "SAM@acme.test")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Check your inbox"));
    let link = path_of(&app.link_in_mail(&acme, "sam@acme.test", "/reset-password/").await);

    let (status, form) = b.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Choose a new password"));
    let res = b.post_form(&link, &[("password", "short")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Use at least 10 characters"));

    let res = b.post_form(&link, &[("password", NEW_PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/dashboard");
    let (status, dash) = b.page("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(dash.contains("Your new password is set"));
    assert!(db_user(&app, &acme, "sam@acme.test").await.1, "the reset proves the address");

    let res = elsewhere.get("/dashboard").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the other browser was logged out");
    assert!(location(&res).starts_with("/login"));

    let (status, again) = app.browser("acme").page(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(again.contains("reset link doesn"));
    let res = app.browser("acme").post_form(&link, &[("password", "yet another password 1")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let fresh = app.browser("acme");
    let res = fresh.post_form("/login", &[("email", "sam@acme.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the old password is gone");
    fresh.login("sam@acme.test", NEW_PASSWORD).await;
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_unknown_addresses() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    let known = b.post_form("/forgot-password", &[("email", &acme.owner_email)]).await;
    assert_eq!(known.status(), StatusCode::OK);
    let known = known.text().await.unwrap().replace(&acme.owner_email, "ADDRESS");
    let unknown = b.post_form("/forgot-password", &[("email", "nobody@acme.test")]).await;
    assert_eq!(unknown.status(), StatusCode::OK);
    let unknown = unknown.text().await.unwrap().replace("nobody@acme.test", "ADDRESS");
    assert_eq!(known, unknown);
    let mails = app.mails(&acme).await;
    assert!(mails.iter().any(|m| m.to_email == acme.owner_email && m.template == "identity/mail/reset"));
    assert!(!mails.iter().any(|m| m.to_email == "nobody@acme.test"));

    let res = b.post_form("/forgot-password", &[("email", "not an address")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("valid email address") && body.contains(r#"value="not an address""#));
}

#[tokio::test]
async fn reset_requests_are_rate_limited() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let b = app.browser("acme");
    for _ in 0..3 {
        let res = b.post_form("/forgot-password", &[("email", "not an address")]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "typos do not count");
    }
    for _ in 0..identity::routes::RESET_LIMIT.max {
        let res = b.post_form("/forgot-password", &[("email", "someone@acme.test")]).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = b.post_form("/forgot-password", &[("email", "someone@acme.test")]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 0 && wait <= 900);
    let page = res.text().await.unwrap();
    assert!(page.contains("Try again in 15 minutes") && page.contains(r#"value="someone@acme.test""#), "{page}");
}

#[tokio::test]
async fn the_verification_link_works_once_and_can_be_sent_again() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = signup(&app, "acme", "Vera", "vera@acme.test").await;
    let link = path_of(&app.link_in_mail(&acme, "vera@acme.test", "/verify-email/").await);

    let res = b.get(&link).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/dashboard");
    let (_, dash) = b.page("/dashboard").await;
    assert!(dash.contains("Your email address is confirmed"));
    assert!(!dash.contains("confirm your email"), "the notice is gone");
    assert!(db_user(&app, &acme, "vera@acme.test").await.1);

    let (status, page) = app.browser("acme").page(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("confirmation link doesn"), "a used link gets the friendly page");
    let (status, _) = app.browser("acme").page("/verify-email/not-a-real-token-at-all-123").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let other = signup(&app, "acme", "Otto", "otto@acme.test").await;
    let res = other.post_form("/verify-email/resend", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let sent = app.mails(&acme).await.iter().filter(|m| m.to_email == "otto@acme.test").count();
    assert_eq!(sent, 2, "the signup link and a new one");
    for _ in 0..2 {
        other.post_form("/verify-email/resend", &[]).await;
    }
    // Past the limit the button leads back with the wait, and sends nothing.
    let res = other.post_form("/verify-email/resend", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = other.page(&location(&res)).await;
    assert!(page.contains("Try again in 15 minutes"), "{page}");
    let sent = app.mails(&acme).await.iter().filter(|m| m.to_email == "otto@acme.test").count();
    assert_eq!(sent, 4);
    let res = app.browser("acme").post_form("/verify-email/resend", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"), "only for someone logged in");
}

#[tokio::test]
async fn the_profile_changes_name_language_and_time_zone() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sam", "sam@acme.test", identity::Role::Student).await;
    let b = app.browser("acme");
    b.login("sam@acme.test", PASSWORD).await;
    let (status, page) = b.page("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Your account") && page.contains("New York"));
    assert!(!page.contains("/account/security"), "students have no security tab");

    let res = b
        .post_form("/account/profile", &[("name", "Sam Sample"), ("locale", "es"), ("time_zone", "Mars/Olympus")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Please pick one of the time zones") && body.contains(r#"value="Sam Sample""#));

    let res = b
        .post_form("/account/profile", &[("name", "Sam Sample"), ("locale", "es"), ("time_zone", "Europe/Madrid")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = b.page("/account").await;
    assert!(page.contains(r#"lang="es""#) && page.contains("Tu cuenta"), "the interface is in Spanish now");
    assert!(page.contains("Tu perfil está guardado"));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (name, locale, tz): (String, String, String) =
        sqlx::query_as("select name, locale, time_zone from users where tenant_id = $1 and email = 'sam@acme.test'")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    assert_eq!((name.as_str(), locale.as_str(), tz.as_str()), ("Sam Sample", "es", "Europe/Madrid"));
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_ends_other_sessions() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sam", "sam@acme.test", identity::Role::Student).await;
    let (b, other) = (app.browser("acme"), app.browser("acme"));
    b.login("sam@acme.test", PASSWORD).await;
    other.login("sam@acme.test", PASSWORD).await;

    let res = b
        .post_form("/account/password", &[("current_password", "not my password"), ("new_password", NEW_PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("That isn&#x27;t your current password"));
    assert_eq!(other.get("/account").await.status(), StatusCode::OK, "nothing changed");

    let res = b.post_form("/account/password", &[("current_password", PASSWORD), ("new_password", NEW_PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.get("/account").await.status(), StatusCode::OK, "this browser stays logged in");
    assert_eq!(other.get("/account").await.status(), StatusCode::SEE_OTHER, "the other one is logged out");
    let notice = app.mails(&acme).await.into_iter().find(|m| m.template == "identity/mail/password_changed");
    assert_eq!(notice.expect("a notice").to_email, "sam@acme.test");
    app.browser("acme").login("sam@acme.test", NEW_PASSWORD).await;
}

#[tokio::test]
async fn changing_the_email_waits_for_the_link_to_the_new_address() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sam", "sam@acme.test", identity::Role::Student).await;
    let b = app.browser("acme");
    b.login("sam@acme.test", PASSWORD).await;

    let res = b.post_form("/account/email", &[("new_email", &acme.owner_email), ("email_password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Another account already uses this email address"));
    let res = b.post_form("/account/email", &[("new_email", "sam@new.test"), ("email_password", "wrong one")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("current password") && body.contains(r#"value="sam@new.test""#));

    let res = b.post_form("/account/email", &[("new_email", "Sam@New.test"), ("email_password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(db_user(&app, &acme, "sam@acme.test").await.0, "sam@acme.test", "nothing changes yet");
    let link = path_of(&app.link_in_mail(&acme, "sam@new.test", "/confirm-email/").await);

    let res = b.get(&link).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/account");
    let (_, page) = b.page("/account").await;
    assert!(page.contains("Your email address is now sam@new.test"));
    assert_eq!(db_user(&app, &acme, "sam@new.test").await, ("sam@new.test".to_string(), true));
    let notice = app.mails(&acme).await.into_iter().find(|m| m.template == "identity/mail/email_changed");
    assert_eq!(notice.expect("a notice to the old address").to_email, "sam@acme.test");
    app.browser("acme").login("sam@new.test", PASSWORD).await;
    assert_eq!(app.browser("acme").get(&link).await.status(), StatusCode::NOT_FOUND, "the link works once");
}

#[tokio::test]
async fn links_from_one_school_lead_nowhere_on_another() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let _globex = app.school("globex").await;
    let b = signup(&app, "acme", "Sam", "sam@acme.test").await;
    let verify = path_of(&app.link_in_mail(&acme, "sam@acme.test", "/verify-email/").await);
    app.browser("acme").post_form("/forgot-password", &[("email", "sam@acme.test")]).await;
    let reset = path_of(&app.link_in_mail(&acme, "sam@acme.test", "/reset-password/").await);
    b.post_form("/account/email", &[("new_email", "sam@new.test"), ("email_password", PASSWORD)]).await;
    let confirm = path_of(&app.link_in_mail(&acme, "sam@new.test", "/confirm-email/").await);

    let g = app.browser("globex");
    for link in [&verify, &reset, &confirm] {
        assert_eq!(g.get(link).await.status(), StatusCode::NOT_FOUND, "{link} on globex");
    }
    assert_eq!(g.post_form(&reset, &[("password", NEW_PASSWORD)]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(db_user(&app, &acme, "sam@acme.test").await, ("sam@acme.test".to_string(), false));
    assert_eq!(app.browser("acme").get(&reset).await.status(), StatusCode::OK, "still good at home");
}
