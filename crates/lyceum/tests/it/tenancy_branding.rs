//! The branding page: colours, font, logo and the home page's hero, saved by one form; the
//! home page and the student's dashboard it leads to; the school's logo in its mail.

use reqwest::StatusCode;

use crate::support::{Browser, PASSWORD, TestApp, TestSchool, location};

async fn owner(app: &TestApp, school: &TestSchool) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

async fn logo_key(app: &TestApp, school: &TestSchool) -> Option<String> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let key = sqlx::query_scalar("select logo_key from tenant_settings where tenant_id = $1")
        .bind(school.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    key
}

fn png() -> Vec<u8> {
    tenancy::icons::Initial::new("Z", "#cc0000").png(64)
}

/// The page's fields as a browser sends them with nothing changed.
const FIELDS: [(&str, &str); 4] = [
    ("brand_color", "#4f46e5"),
    ("accent_color", "#0f172a"),
    ("heading_font", "inter"),
    ("hero_button_target", "signup"),
];

fn with<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<_> = FIELDS.iter().filter(|(k, _)| !changes.iter().any(|(c, _)| c == k)).copied().collect();
    fields.extend_from_slice(changes);
    fields
}

/// What a browser sends for a file input with no file chosen.
fn no_file() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![("logo", "", Vec::new())]
}

/// The page as a reader sees it: entities that templates escape decoded, Fluent isolation marks dropped.
fn unescape(html: String) -> String {
    let html = html.replace(['\u{2068}', '\u{2069}'], "").replace("&#x27;", "'");
    html.replace("&#x2f;", "/")
}

fn saved(res: &reqwest::Response) {
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(res), "/admin/settings/branding", "no token or anything else in the address");
}

#[tokio::test]
async fn one_save_keeps_the_logo_and_the_colours_together() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.school("globex").await;
    let b = owner(&app, &acme).await;
    let (status, page) = b.page("/admin/settings/branding").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"enctype="multipart/form-data""#) && !page.contains("?_csrf="));
    assert_eq!(page.matches("<form").count(), 1 + page.matches(r#"action="/logout""#).count(), "one form");

    let logo = png();
    let res = b
        .post_multipart(
            "/admin/settings/branding",
            &with(&[("brand_color", "#0F766E"), ("heading_font", "fraunces")]),
            vec![("logo", "anything.bin", logo.clone())],
        )
        .await;
    saved(&res);
    let key = logo_key(&app, &acme).await.expect("the logo is saved with the colours");
    let school = app.state.school(acme.school.id).await.unwrap();
    assert_eq!((school.brand_color.as_str(), school.heading_font.as_str()), ("#0f766e", "fraunces"));
    let (_, home) = app.browser("acme").page("/").await;
    assert!(home.contains(&key) && home.contains("--brand:#0f766e"), "the public site shows both");
    let url = format!("/brand/logo/{key}");
    let res = app.browser("acme").get(&url).await;
    assert_eq!((res.status(), res.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "image/png"));
    assert_eq!(res.bytes().await.unwrap().to_vec(), logo);
    assert_eq!(app.browser("globex").get(&url).await.status(), StatusCode::NOT_FOUND, "another school's host");

    // Saving with no file chosen keeps the logo.
    saved(&b.post_multipart("/admin/settings/branding", &with(&[("accent_color", "#f59e0b")]), no_file()).await);
    assert_eq!(logo_key(&app, &acme).await.as_deref(), Some(key.as_str()));
    assert_eq!(app.state.school(acme.school.id).await.unwrap().accent_color, "#f59e0b");

    // "Remove the logo" is part of the same form; the old address is gone.
    saved(&b.post_multipart("/admin/settings/branding", &with(&[("remove_logo", "1")]), no_file()).await);
    assert_eq!(logo_key(&app, &acme).await, None);
    assert_eq!(app.browser("acme").get(&url).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_refused_logo_comes_back_beside_its_field_with_what_was_typed() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let typed = with(&[("brand_color", "#123456"), ("hero_headline", "Paint with Ana")]);

    // Larger than the site's usual body limit (4 MiB), and than the logo limit.
    let photo = [png(), vec![0u8; 5 * 1024 * 1024]].concat();
    let too_large = b.post_multipart("/admin/settings/branding", &typed, vec![("logo", "photo.png", photo)]).await;
    let rejected: [(&str, Vec<u8>, &str); 3] = [
        ("logo.svg", br#"<svg xmlns="http://www.w3.org/2000/svg"/>"#.to_vec(), "SVG files aren"),
        ("logo.png", vec![], "That file is empty"),
        ("logo.png", b"I am a text file wearing a .png hat".to_vec(), "a PNG, JPEG, WebP or GIF image"),
    ];
    let mut answers = vec![(too_large, StatusCode::PAYLOAD_TOO_LARGE, "larger than 1 MB")];
    for (name, bytes, message) in rejected {
        let res = b.post_multipart("/admin/settings/branding", &typed, vec![("logo", name, bytes)]).await;
        answers.push((res, StatusCode::UNPROCESSABLE_ENTITY, message));
    }
    for (res, status, message) in answers {
        assert_eq!(res.status(), status, "{message}");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "missing {message:?}");
        assert!(body.contains(r#"<p id="e-logo""#), "the message sits beside the field");
        assert!(body.contains(r#"<aside id="sidebar""#), "inside the admin");
        assert!(body.contains(r##"value="#123456""##) && body.contains("Paint with Ana"), "typed values kept");
    }
    assert_eq!(logo_key(&app, &acme).await, None);
    assert_eq!(app.state.school(acme.school.id).await.unwrap().brand_color, "#4f46e5", "nothing saved");

    // A good logo with a bad colour: nothing is saved, and the creator is told to pick it again.
    let res = b
        .post_multipart("/admin/settings/branding", &with(&[("brand_color", "teal")]), vec![("logo", "a.png", png())])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Use a hex colour")
            && body.contains("choose your logo again")
            && body.contains(r#"value="teal""#)
    );
    assert_eq!(logo_key(&app, &acme).await, None);
}

#[tokio::test]
async fn a_multipart_post_needs_its_token_as_first_field() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let token = b.csrf().await;
    let logo = || vec![("logo", "logo.png", png())];
    let attempts: [Vec<(&str, &str)>; 3] = [
        with(&[("brand_color", "#000000")]),
        with(&[("brand_color", "#000000"), ("_csrf", token.as_str())]),
        [vec![("_csrf", "not-the-token")], with(&[("brand_color", "#000000")])].concat(),
    ];
    for fields in attempts {
        let res = b.post_multipart_raw("/admin/settings/branding", &fields, logo()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{fields:?}");
    }
    assert_eq!(logo_key(&app, &acme).await, None);
    assert_eq!(app.state.school(acme.school.id).await.unwrap().brand_color, "#4f46e5");
}

#[tokio::test]
async fn the_home_page_says_what_the_creator_wrote() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (_, home) = app.browser("acme").page("/").await;
    assert!(home.contains("School acme") && home.contains(r#"href="/signup""#) && home.contains("Join the school"));
    for promise in ["certificate", "Learn together", "Continue learning"] {
        assert!(!home.contains(promise), "the default home promises {promise:?}");
    }
    let (_, page) = b.page("/admin/settings/branding").await;
    assert!(!page.contains("Watercolor"), "the preview shows the school's own words");

    let long = "x".repeat(81);
    let bad = with(&[("hero_headline", long.as_str()), ("hero_button_target", "https://elsewhere.test")]);
    let res = b.post_multipart("/admin/settings/branding", &bad, no_file()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("80 characters or fewer") && body.contains(&long));
    assert!(body.contains("choose one of the pages"));

    let hero = with(&[
        ("hero_headline", "Watercolour for busy people"),
        ("hero_text", "Ten minutes a day, one painting a week."),
        ("hero_button_label", "Start painting"),
        ("hero_button_target", "login"),
    ]);
    saved(&b.post_multipart("/admin/settings/branding", &hero, no_file()).await);
    let home = unescape(app.browser("acme").page("/").await.1);
    assert!(home.contains("Watercolour for busy people") && home.contains("Ten minutes a day, one painting a week."));
    assert!(
        home.contains(r#"href="/login" class="btn btn-lg btn-primary" data-field="button_label">Start painting"#),
        "{home}"
    );
    let (_, page) = b.page("/admin/settings/branding").await;
    assert!(page.contains("Start painting") && page.contains(r#"<option value="login" selected>"#));

    // A student with nothing to continue: an honest dashboard, and no loop back to the home page.
    let student = app.browser("acme");
    let res = student
        .post_form("/signup", &[("name", "Sam Student"), ("email", "sam@acme.test"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let home = unescape(student.page("/").await.1);
    assert!(
        home.contains(
            r#"href="/dashboard" class="btn btn-lg btn-primary" data-field="button_label">Go to my dashboard"#
        )
    );
    let dashboard = unescape(student.page("/dashboard").await.1);
    assert!(dashboard.contains("School acme hasn't opened a course to you yet"));
    assert!(dashboard.contains(r#"href="/account""#) && !dashboard.contains("Explore the school"));
}

#[tokio::test]
async fn mail_shows_the_schools_logo_or_its_initial() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let html = welcome_mail(&app, &acme, "one@acme.test").await;
    assert!(!html.contains("<img") && html.contains(">S</div>"), "the initial on the brand colour: {html}");

    saved(&b.post_multipart("/admin/settings/branding", &FIELDS, vec![("logo", "logo.png", png())]).await);
    let key = logo_key(&app, &acme).await.unwrap();
    let html = unescape(welcome_mail(&app, &acme, "two@acme.test").await);
    let src = format!(r#"<img src="{}/brand/logo/{key}""#, app.state.config.school_url("acme"));
    assert!(html.contains(&src), "the logo by absolute address on the school's host: {html}");
}

/// Signs a student up and returns the HTML of the mail they get.
async fn welcome_mail(app: &TestApp, school: &TestSchool, email: &str) -> String {
    let res = app
        .browser(&school.school.slug)
        .post_form("/signup", &[("name", "Sam Student"), ("email", email), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.run_jobs().await;
    app.mails(school).await.into_iter().find(|m| m.to_email == email).expect("a mail to the new student").html
}
