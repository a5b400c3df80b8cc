//! Accounts: signup, login, logout, sessions, roles and rate limits.

use reqwest::StatusCode;

use crate::support::{PASSWORD, TestApp, location};

#[tokio::test]
async fn a_student_signs_up_and_gets_verification_and_welcome_emails() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    let res =
        b.post_form("/signup", &[("name", "Sam Student"), ("email", "Sam@Example.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/dashboard");
    let (status, dash) = b.page("/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(dash.contains("Hi Sam Student"));
    assert!(dash.contains("confirm your email"));
    assert!(dash.contains("Welcome aboard"), "the flash shows once");
    let (_, again) = b.page("/dashboard").await;
    assert!(!again.contains("Welcome aboard"), "and only once");

    app.run_jobs().await;
    let mails = app.mails(&acme).await;
    let verify = mails.iter().find(|m| m.template == "identity/mail/verify").expect("verification mail");
    assert_eq!(verify.to_email, "sam@example.test");
    assert!(verify.text.contains("/verify-email/"));
    assert!(verify.html.contains("verify-email"), "the HTML part links there too");
    assert!(mails.iter().any(|m| m.template == "identity/mail/welcome"), "welcome mail from user.signed_up");
}

#[tokio::test]
async fn signing_up_twice_with_one_email_is_a_friendly_message() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    let res = b
        .post_form("/signup", &[("name", "Twin"), ("email", &acme.owner_email.to_uppercase()), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("already exists"));
    assert!(body.contains(r#"value="Twin""#));
}

#[tokio::test]
async fn login_rotates_the_session_id_and_logout_ends_it() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    let before = b.csrf().await;
    b.login(&acme.owner_email, PASSWORD).await;
    let after = b.csrf().await;
    assert_ne!(before, after, "a new visitor id (and so a new CSRF token) after login");
    assert_eq!(b.get("/admin").await.status(), StatusCode::OK);
    let res = b.post_form("/logout", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = b.get("/admin").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login?next=%2Fadmin");
}

#[tokio::test]
async fn session_cookies_are_http_only_and_lax() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let res = app.browser("acme").get("/login").await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http locally");
    let app = TestApp::with(|c| c.public_scheme = "https".into()).await;
    app.school("acme").await;
    let res = app.browser("acme").get("/login").await;
    assert!(res.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
}

#[tokio::test]
async fn students_cannot_open_the_admin() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sue", "sue@acme.test", identity::Role::Student).await;
    let b = app.browser("acme");
    b.login("sue@acme.test", PASSWORD).await;
    let (status, body) = b.page("/admin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("have access"));
}

#[tokio::test]
async fn too_many_failed_logins_from_one_address_get_429_with_the_form_and_the_wait() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let b = app.browser("acme");
    // Each address tried fewer times than locks an account: only the per-address limit applies.
    for i in 0..identity::routes::LOGIN_FAILURE_LIMIT.max {
        let email = format!("x{}@acme.test", i / 2);
        let res = b.post_form("/login", &[("email", &email), ("password", "wrong password")]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = b.post_form("/login", &[("email", "typed@acme.test"), ("password", "wrong password")]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 540 && wait <= 600);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"value="typed@acme.test""#) && page.contains("Try again in 10 minutes"), "{page}");
}

#[tokio::test]
async fn the_team_page_shows_each_members_role() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Ivy Instructor", "ivy@acme.test", identity::Role::Instructor).await;
    let b = app.browser("acme");
    b.login(&acme.owner_email, PASSWORD).await;
    let (status, page) = b.page("/admin/team").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(">Owner</span>"), "the owner's role is named");
    assert!(page.contains(r#"<option value="instructor" selected>Instructor</option>"#), "Ivy's role is preselected");
}
