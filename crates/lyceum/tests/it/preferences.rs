//! A person's language and time zone: their own choice, or the school's default (which then
//! follows the school's settings); and the time-zone picker on the account and settings pages.

use identity::Role;
use reqwest::StatusCode;

use crate::support::{Browser, PASSWORD, TestApp, TestSchool};

async fn logged_in(app: &TestApp, school: &TestSchool, email: &str) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(email, PASSWORD).await;
    b
}

/// A page's HTML with the template's escaped slashes read back (`America/Lima`).
async fn html_of(b: &Browser, path: &str) -> String {
    let (status, html) = b.page(path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    html.replace("&#x2f;", "/")
}

async fn saved_choices(app: &TestApp, school: &TestSchool, email: &str) -> (Option<String>, Option<String>) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let row = sqlx::query_as("select locale, time_zone from users where tenant_id = $1 and email = $2")
        .bind(school.school.id)
        .bind(email)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    row
}

fn settings(locale: &'static str, zone: &'static str) -> [(&'static str, &'static str); 7] {
    [
        ("name", "Acme Academy"),
        ("tagline", ""),
        ("default_locale", locale),
        ("currency", "USD"),
        ("time_zone", zone),
        ("sender_name", ""),
        ("sender_email", ""),
    ]
}

#[tokio::test]
async fn own_choices_stay_when_the_school_changes_its_defaults() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Ada", "ada@acme.test", Role::Admin).await;
    let owner = logged_in(&app, &acme, &acme.owner_email).await;
    let ada = logged_in(&app, &acme, "ada@acme.test").await;

    let res = owner
        .post_form("/account/profile", &[("name", "Olivia Owner"), ("locale", "en"), ("time_zone", "America/Lima")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved_choices(&app, &acme, &acme.owner_email).await, (Some("en".into()), Some("America/Lima".into())));
    let page = html_of(&ada, "/account").await;
    assert!(page.contains(r#"<option value="" selected>School default (English)</option>"#), "{page}");
    assert!(page.contains(r#"<option value="" selected>School default (UTC)</option>"#));

    let res = owner.post_form("/admin/settings", &settings("es", "Europe/Madrid")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let (_, admin) = owner.page("/admin").await;
    assert!(admin.contains(r#"lang="en""#), "the owner chose English and keeps it");
    let page = html_of(&owner, "/account").await;
    assert!(page.contains(r#"<option value="en" selected>English</option>"#));
    assert!(page.contains(r#"<option value="America/Lima" selected>Lima · UTC−05:00</option>"#));
    assert!(page.contains("School default (Español)"), "the default is named, not chosen");

    let page = html_of(&ada, "/account").await;
    assert!(page.contains(r#"lang="es""#), "a person on the school's default follows it");
    assert!(page.contains(r#"<option value="" selected>Predeterminado de la escuela (Español)</option>"#));
    assert!(page.contains(r#"<option value="" selected>Predeterminada de la escuela (Madrid · UTC+"#));
    assert_eq!(saved_choices(&app, &acme, "ada@acme.test").await, (None, None));

    // Saving the profile on the defaults keeps them defaults (and forgets the language cookie).
    let res = ada.post_form("/account/profile", &[("name", "Ada Admin"), ("locale", ""), ("time_zone", "")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookies: Vec<_> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(cookies.iter().any(|c| c.starts_with("lyceum_lang=;") && c.contains("Max-Age=0")), "{cookies:?}");
    assert_eq!(saved_choices(&app, &acme, "ada@acme.test").await, (None, None));
}

#[tokio::test]
async fn a_language_picked_before_signing_up_is_kept_as_the_persons_choice() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    let res = b.post_form("/language", &[("locale", "es"), ("next", "/signup")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = b.post_form("/signup", &[("name", "Sofía"), ("email", "sofia@acme.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved_choices(&app, &acme, "sofia@acme.test").await.0.as_deref(), Some("es"));
    assert_eq!(
        saved_choices(&app, &acme, &acme.owner_email).await.0.as_deref(),
        Some("en"),
        "the creator's language is recorded as theirs"
    );
}

#[tokio::test]
async fn every_time_zone_can_be_picked_on_the_account_page() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let b = logged_in(&app, &acme, "sam@acme.test").await;
    let page = html_of(&b, "/account").await;
    for zone in ["America/Lima", "America/Santiago", "America/Caracas", "America/Toronto", "Asia/Manila"] {
        assert!(page.contains(&format!(r#"<option value="{zone}">"#)), "{zone} is offered");
    }
    assert!(page.contains(r#"<optgroup label="Americas">"#), "grouped by region");
    assert!(page.contains("data-tz-search") && page.contains("data-tz-suggest"), "search and suggestion");

    let res = b.post_form("/account/profile", &[("name", "Sam"), ("locale", ""), ("time_zone", "Mars/Olympus")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains(r#"<p id="e-time_zone" class="field-error">Please pick one of the time zones"#));

    let res = b.post_form("/account/profile", &[("name", "Sam"), ("locale", ""), ("time_zone", "America/Lima")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved_choices(&app, &acme, "sam@acme.test").await.1.as_deref(), Some("America/Lima"));
}

#[tokio::test]
async fn every_time_zone_can_be_picked_in_the_school_settings() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = logged_in(&app, &acme, &acme.owner_email).await;
    let page = html_of(&b, "/admin/settings").await;
    assert!(page.contains(r#"<option value="America/Caracas">"#) && page.contains(r#"<optgroup label="Asia">"#));

    let res = b.post_form("/admin/settings", &settings("en", "US/Nowhere")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains(r#"<p id="e-time_zone" class="field-error">We don"#), "{body}");

    let res = b.post_form("/admin/settings", &settings("en", "America/Lima")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.school(acme.school.id).await.unwrap().time_zone, "America/Lima");
}
