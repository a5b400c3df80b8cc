//! The platform's `/login`: a returning creator or team member gets a one-time sign-in link
//! for each of their schools, and the links work once, briefly, and only on their own school.

use identity::Role;
use reqwest::StatusCode;

use crate::support::{TestApp, TestSchool, location};

/// Asks the platform for sign-in links for `email`; returns the page's status and text.
async fn ask_for_links(app: &TestApp, email: &str) -> (StatusCode, String) {
    let res = app.platform_browser().post_form("/login", &[("email", email)]).await;
    (res.status(), res.text().await.unwrap())
}

/// The sign-in links mailed to `to` by `school`.
async fn sign_in_mails(app: &TestApp, school: &TestSchool, to: &str) -> Vec<kernel::mail::StoredMail> {
    app.mails(school).await.into_iter().filter(|m| m.to_email == to && m.template == "identity/mail/sign_in").collect()
}

#[tokio::test]
async fn the_platform_login_page_says_the_same_for_known_and_unknown_emails() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (status, page) = app.platform_browser().page("/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Log in to your school") && page.contains("Email me a login link"));

    let (known_status, known) = ask_for_links(&app, &acme.owner_email).await;
    let (unknown_status, unknown) = ask_for_links(&app, "nobody@nowhere.test").await;
    assert_eq!(known_status, StatusCode::OK);
    assert_eq!(known_status, unknown_status);
    let strip = |html: &str, email: &str| {
        let csrf = crate::support::extract_meta(html, "csrf-token").unwrap_or_default();
        html.replace(email, "EMAIL").replace(&csrf, "CSRF")
    };
    assert_eq!(strip(&known, &acme.owner_email), strip(&unknown, "nobody@nowhere.test"));
    assert!(known.contains("Check your inbox"));
    assert!(!known.contains("School acme"), "no school is named on screen");
}

#[tokio::test]
async fn the_mail_has_a_link_for_each_school_where_the_email_is_on_the_team() {
    let app = TestApp::new().await;
    let (acme, globex, cafe) = (app.school("acme").await, app.school("globex").await, app.school("cafe").await);
    app.user(&acme, "Sam Lee", "sam@people.test", Role::Instructor).await;
    app.user(&globex, "Sam Lee", "sam@people.test", Role::Admin).await;
    app.user(&cafe, "Sam Lee", "sam@people.test", Role::Student).await;

    let (status, _) = ask_for_links(&app, "  Sam@People.test ").await;
    assert_eq!(status, StatusCode::OK);
    for school in [&acme, &globex] {
        let mails = sign_in_mails(&app, school, "sam@people.test").await;
        assert_eq!(mails.len(), 1, "one link for {}", school.school.name);
        let m = &mails[0];
        assert_eq!(
            (m.from_name.as_str(), m.from_email.as_str()),
            ("Lyceum", "hello@lyceum.test"),
            "the platform answers"
        );
        assert!(m.subject.contains(&school.school.name), "{}", m.subject);
        assert!(m.text.contains(&format!("{}/login/link/", school.school.base_url)), "{}", m.text);
    }
    assert!(sign_in_mails(&app, &cafe, "sam@people.test").await.is_empty(), "students get no admin link");

    ask_for_links(&app, "stranger@people.test").await;
    for school in [&acme, &globex, &cafe] {
        assert!(app.mails(school).await.iter().all(|m| m.to_email != "stranger@people.test"));
    }
}

#[tokio::test]
async fn a_sign_in_link_logs_in_once_and_only_on_its_own_school() {
    let app = TestApp::new().await;
    let (acme, globex) = (app.school("acme").await, app.school("globex").await);
    ask_for_links(&app, &acme.owner_email).await;
    let link = app.link_in_mail(&acme, &acme.owner_email, "/login/link/").await;
    let path = link.split_once("/login/link/").map(|(_, t)| format!("/login/link/{t}")).unwrap();

    // Another school's host does not know the link, and logs nobody in.
    let other = app.browser("globex");
    let (status, body) = other.page(&path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("This login link doesn&#x27;t work anymore"), "{body}");
    assert_eq!(location(&other.get("/admin").await), "/login?next=%2Fadmin");
    drop(globex);

    let b = app.browser("acme");
    let res = b.get(&link).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin");
    let (status, admin) = b.page("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(admin.contains("Welcome back, Olivia Owner"), "{admin}");

    let again = app.browser("acme");
    let (status, body) = again.page(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a link works once");
    assert!(body.contains("This login link doesn&#x27;t work anymore"));
    assert!(body.contains(r#"href="/login""#) && body.contains("Email me a new link"));
}

#[tokio::test]
async fn an_expired_sign_in_link_does_not_log_in() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    ask_for_links(&app, &acme.owner_email).await;
    let link = app.link_in_mail(&acme, &acme.owner_email, "/login/link/").await;
    let mut conn = app.owner_conn().await;
    sqlx::query("update user_tokens set expires_at = now() - interval '1 second' where purpose = 'sign_in'")
        .execute(&mut conn)
        .await
        .unwrap();
    let b = app.browser("acme");
    let (status, body) = b.page(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Login links work once and only for 15 minutes"));
    assert_eq!(b.get("/admin").await.status(), StatusCode::SEE_OTHER, "still logged out");
}

#[tokio::test]
async fn asking_for_links_is_limited_per_email() {
    let app = TestApp::new().await;
    for _ in 0..3 {
        assert_eq!(ask_for_links(&app, "sam@people.test").await.0, StatusCode::OK);
    }
    let (status, body) = ask_for_links(&app, "sam@people.test").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains(r#"value="sam@people.test""#), "the address is kept");
    assert_eq!(ask_for_links(&app, "other@people.test").await.0, StatusCode::OK, "another address is not held up");
}

#[tokio::test]
async fn a_sign_in_link_still_asks_for_the_code_when_two_factor_login_is_on() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let mut conn = app.owner_conn().await;
    sqlx::query("update users set totp_enabled_at = now() where email = $1")
        .bind(&acme.owner_email)
        .execute(&mut conn)
        .await
        .unwrap();
    ask_for_links(&app, &acme.owner_email).await;
    let link = app.link_in_mail(&acme, &acme.owner_email, "/login/link/").await;
    let b = app.browser("acme");
    let res = b.get(&link).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login/2fa?next=%2Fadmin");
    let (status, page) = b.page("/login/2fa?next=%2Fadmin").await;
    assert_eq!(status, StatusCode::OK, "the code step opens");
    assert!(page.contains("Two-step verification"));
    assert_eq!(b.get("/admin").await.status(), StatusCode::SEE_OTHER, "no admin before the code");
}
