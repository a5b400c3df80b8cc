//! The platform host: landing page, starting a school, unknown hosts.

use reqwest::StatusCode;

use crate::support::{PASSWORD, TestApp, location};

#[tokio::test]
async fn the_platform_landing_page_invites_creators() {
    let app = TestApp::new().await;
    let (status, body) = app.platform_browser().page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Start your school"));
    assert!(body.contains(r#"href="/start""#));
    assert!(body.contains(r#"href="/login""#), "returning creators find their way in");
    assert!(!body.contains(r#"href="/operator""#), "the operator area is not advertised");
}

#[tokio::test]
async fn a_creator_starts_a_school_and_lands_in_its_admin() {
    let app = TestApp::new().await;
    let p = app.platform_browser();
    let res = p
        .post_form(
            "/start",
            &[
                ("school_name", "Sunrise Yoga"),
                ("slug", "sunrise"),
                ("name", "Ana Pérez"),
                ("email", "ana@sunrise.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    let base = format!("http://sunrise.localhost:{}", app.addr.port());
    assert!(to.starts_with(&format!("{base}/login/link/")), "{to}");

    // Following the redirect lands in the new admin, logged in: no second login form.
    let school = app.browser("sunrise");
    let res = school.get(&to).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin");
    let (status, admin) = school.page("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(admin.contains("Sunrise Yoga is ready. Welcome, Ana Pérez!"), "{admin}");
    let (status, home) = school.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Sunrise Yoga"));
    // The hand-off works once: a copied address opens nothing.
    assert_eq!(app.browser("sunrise").get(&to).await.status(), StatusCode::NOT_FOUND);

    // The owner got a verification email and, once jobs ran, a "school is ready" email.
    app.run_jobs().await;
    let t = crate::support::TestSchool {
        school: tenancy_school(&app, "sunrise").await,
        owner_email: "ana@sunrise.test".into(),
    };
    let mails = app.mails(&t).await;
    assert!(mails.iter().any(|m| m.template == "identity/mail/verify"));
    assert!(mails.iter().any(|m| m.template == "tenancy/mail/school_ready" && m.status == "kept"));
}

async fn tenancy_school(app: &TestApp, slug: &str) -> kernel::web::School {
    match tenancy::resolve::resolve(&app.state, &format!("{slug}.localhost:{}", app.addr.port())).await.unwrap() {
        Some(kernel::web::Site::School(s)) => (*s).clone(),
        _ => panic!("no school {slug}"),
    }
}

#[tokio::test]
async fn starting_a_school_with_bad_input_keeps_what_was_typed() {
    let app = TestApp::new().await;
    app.school("taken").await;
    let p = app.platform_browser();
    let res = p
        .post_form(
            "/start",
            &[
                ("school_name", "My School"),
                ("slug", "taken"),
                ("name", "Bo"),
                ("email", "bo@x.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("already taken"));
    assert!(body.contains(r#"value="My School""#));
    assert!(body.contains(r#"value="bo@x.test""#));

    let res = p
        .post_form(
            "/start",
            &[("school_name", ""), ("slug", "A!"), ("name", ""), ("email", "nope"), ("password", "short")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    for msg in ["give your school a name", "3 to 40 characters", "tell us your name", "valid email", "at least 10"] {
        assert!(body.contains(msg), "missing message: {msg}");
    }
    // Nothing half-written: only the school made by the test exists.
    let schools = tenancy::service::list_schools(&app.state).await.unwrap();
    assert_eq!(schools.len(), 1);
}

#[tokio::test]
async fn an_unknown_host_gets_the_platform_404() {
    let app = TestApp::new().await;
    let b = app.browser("nobody");
    let (status, body) = b.page("/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Page not found"));
    let res = b.get_json("/").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
}
