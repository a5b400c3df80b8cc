//! School settings: general, custom domains, and who may change them (branding: `tenancy_branding`).

use identity::Role;
use reqwest::StatusCode;

use crate::support::{Browser, PASSWORD, TestApp, TestSchool, location};

async fn owner(app: &TestApp, school: &TestSchool) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

async fn tenant_name(app: &TestApp, school: &TestSchool) -> String {
    let mut tx = app.state.db.platform().await.unwrap();
    let name = sqlx::query_scalar("select name from tenants where id = $1")
        .bind(school.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    name
}

const GENERAL_OK: [(&str, &str); 7] = [
    ("name", "Acme Academy"),
    ("tagline", "Learn to build rockets"),
    ("default_locale", "es"),
    ("currency", "EUR"),
    ("time_zone", "Europe/Madrid"),
    ("sender_name", "Acme Team"),
    ("sender_email", "hello@acme.test"),
];

#[tokio::test]
async fn general_settings_are_validated_and_saved_in_one_go() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (status, page) = b.page("/admin/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"value="School acme""#));
    assert!(page.contains("Los_Angeles"), "common time zones are offered");

    let mut bad = GENERAL_OK.to_vec();
    bad[4] = ("time_zone", "Mars/Olympus_Mons");
    bad[6] = ("sender_email", "not-an-address");
    let res = b.post_form("/admin/settings", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("recognise that time zone"), "time zone message");
    assert!(body.contains("valid email address"), "sender email message");
    assert!(body.contains(r#"value="not-an-address""#), "what was typed is kept");
    assert_eq!(tenant_name(&app, &acme).await, "School acme", "nothing saved");

    let res = b.post_form("/admin/settings", &GENERAL_OK).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/settings");
    assert_eq!(tenant_name(&app, &acme).await, "Acme Academy");
    let school = app.state.school(acme.school.id).await.unwrap();
    assert_eq!(
        (school.currency.as_str(), school.time_zone.as_str(), school.sender_email.as_str()),
        ("EUR", "Europe/Madrid", "hello@acme.test")
    );
    assert_eq!(school.default_locale, kernel::i18n::Locale::Es);
    // A new visitor sees the new name, in the school's new default language.
    let (_, home) = app.browser("acme").page("/").await;
    assert!(home.contains("Acme Academy") && home.contains("Learn to build rockets"));
    assert!(home.contains(r#"lang="es""#));

    // A school may rename itself, but never change its own status, plan or address.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let err = sqlx::query("update tenants set status = 'active', plan = 'pro' where id = $1")
        .bind(acme.school.id)
        .execute(&mut *tx)
        .await
        .expect_err("the plan is the platform's");
    assert!(err.to_string().contains("only its own name"), "{err}");
}

#[tokio::test]
async fn only_owners_and_admins_change_settings() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    for (email, role) in
        [("ina@acme.test", Role::Instructor), ("sue@acme.test", Role::Support), ("stu@acme.test", Role::Student)]
    {
        app.user(&acme, "Someone", email, role).await;
        let b = app.browser("acme");
        b.login(email, PASSWORD).await;
        for path in ["/admin/settings", "/admin/settings/branding", "/admin/settings/domains"] {
            assert_eq!(b.get(path).await.status(), StatusCode::FORBIDDEN, "{role:?} GET {path}");
        }
        let res = b.post_form("/admin/settings", &GENERAL_OK).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role:?} saves settings");
        let res = b.post_form("/admin/settings/domains", &[("domain", "x.example.com")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{role:?} adds a domain");
    }
    assert_eq!(tenant_name(&app, &acme).await, "School acme");
    app.user(&acme, "Ada Admin", "ada@acme.test", Role::Admin).await;
    let b = app.browser("acme");
    b.login("ada@acme.test", PASSWORD).await;
    assert_eq!(b.get("/admin/settings/branding").await.status(), StatusCode::OK);
    // Not logged in: sent to the login page.
    let res = app.browser("acme").get("/admin/settings").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"));
}

async fn domain_row(app: &TestApp, school: &TestSchool, domain: &str) -> (String, String, bool) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let row: (uuid::Uuid, String, Option<chrono::DateTime<chrono::Utc>>) = sqlx::query_as(
        "select id, verification_token, verified_at from tenant_domains where tenant_id = $1 and domain = $2",
    )
    .bind(school.school.id)
    .bind(domain)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (row.0.to_string(), row.1, row.2.is_some())
}

async fn tls_allowed(app: &TestApp, domain: &str) -> StatusCode {
    app.platform_browser().get(&format!("/internal/tls-allowed?domain={domain}")).await.status()
}

#[tokio::test]
async fn a_custom_domain_is_verified_by_dns_and_then_serves_the_school() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let b = owner(&app, &acme).await;

    let res = b.post_form("/admin/settings/domains", &[("domain", "https://Courses.Example.com/")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (id, token, verified) = domain_row(&app, &acme, "courses.example.com").await;
    assert!(!verified);
    let (_, page) = b.page("/admin/settings/domains").await;
    assert!(page.contains("_lyceum.courses.example.com"));
    assert!(page.contains(&format!("lyceum-verify={token}")));
    assert!(page.contains(&format!("acme.{}", app.state.config.platform_hostname())), "the CNAME target");

    // Not verified yet: the domain is nobody's.
    let custom = app.browser_on("courses.example.com");
    assert_eq!(custom.get("/").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(tls_allowed(&app, "courses.example.com").await, StatusCode::NOT_FOUND);

    // The wrong TXT value: not verified, and the page says what it found.
    app.dns.set("_lyceum.courses.example.com", "lyceum-verify=somebody-else");
    let res = b.post_form(&format!("/admin/settings/domains/{id}/verify"), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("connected yet"));
    assert!(body.contains("lyceum-verify=somebody-else"));
    assert!(!domain_row(&app, &acme, "courses.example.com").await.2);

    // Another school cannot verify or remove it.
    let g = owner(&app, &globex).await;
    for action in ["verify", "remove"] {
        let res = g.post_form(&format!("/admin/settings/domains/{id}/{action}"), &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{action} from another school");
    }

    app.dns.set("_lyceum.courses.example.com", &format!("lyceum-verify={token}"));
    let res = b.post_form(&format!("/admin/settings/domains/{id}/verify"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(domain_row(&app, &acme, "courses.example.com").await.2);
    let (status, home) = custom.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("School acme"));
    assert_eq!(tls_allowed(&app, "courses.example.com").await, StatusCode::OK);
    assert_eq!(tls_allowed(&app, "acme.localhost").await, StatusCode::OK);
    assert_eq!(tls_allowed(&app, "nobody.localhost").await, StatusCode::NOT_FOUND);
    assert_eq!(tls_allowed(&app, "evil.example.net").await, StatusCode::NOT_FOUND);
    assert_eq!(tls_allowed(&app, "").await, StatusCode::NOT_FOUND);

    // The same domain for another school: a friendly message, nothing written.
    let res = g.post_form("/admin/settings/domains", &[("domain", "courses.example.com")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("already connected to a school"));
    for (input, message) in [
        ("not a domain", "look like a domain"),
        ("shop.localhost", "belongs to the platform"),
        ("", "enter the domain"),
    ] {
        let res = g.post_form("/admin/settings/domains", &[("domain", input)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{input}");
        assert!(res.text().await.unwrap().contains(message), "{input}: {message}");
    }
    for n in 1..=5 {
        let res = g.post_form("/admin/settings/domains", &[("domain", &format!("d{n}.globex.test"))]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let res = g.post_form("/admin/settings/domains", &[("domain", "d6.globex.test")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("up to 5 domains"));

    // Removing it takes the school off the domain.
    let res = b.post_form(&format!("/admin/settings/domains/{id}/remove"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(custom.get("/").await.status(), StatusCode::NOT_FOUND);
}
