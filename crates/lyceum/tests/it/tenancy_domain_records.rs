//! The DNS records the domain settings page asks for, as registrars expect them: names
//! relative to the zone, and A/AAAA or ALIAS (never a CNAME) at an apex.

use reqwest::StatusCode;

use crate::support::{Browser, PASSWORD, TestApp, TestSchool};

async fn owner(app: &TestApp, school: &TestSchool) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

/// Adds `domain` and returns the records the page shows for it: (type, name, value).
async fn records_for(b: &Browser, domain: &str) -> (Vec<(String, String, String)>, String) {
    let res = b.post_form("/admin/settings/domains", &[("domain", domain)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "adding {domain}");
    let (_, page) = b.page("/admin/settings/domains").await;
    let records = page
        .split(r#"data-record=""#)
        .skip(1)
        .map(|item| {
            let item = item.split("</li>").next().unwrap();
            let kind = item.split('"').next().unwrap().to_string();
            let codes: Vec<String> = item
                .split("<code")
                .skip(1)
                .map(|c| c.split('>').nth(1).unwrap().split('<').next().unwrap().into())
                .collect();
            (kind, codes[0].clone(), codes[1].clone())
        })
        .collect();
    (records, page)
}

fn rec(kind: &str, name: &str, value: &str) -> (String, String, String) {
    (kind.into(), name.into(), value.into())
}

#[tokio::test]
async fn an_apex_domain_gets_the_configured_addresses_and_no_cname() {
    let app = TestApp::with(|c| {
        c.public_ipv4 = Some("203.0.113.7".parse().unwrap());
        c.public_ipv6 = Some("2001:db8::7".parse().unwrap());
    })
    .await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (records, page) = records_for(&b, "sunriseyoga.com").await;
    assert_eq!(records[1..], [rec("A", "@", "203.0.113.7"), rec("AAAA", "@", "2001:db8::7")]);
    assert_eq!((records[0].0.as_str(), records[0].1.as_str()), ("TXT", "_lyceum"));
    assert!(!page.contains(r#"data-record="CNAME""#));
    assert!(page.contains("relative to your zone, sunriseyoga.com") && page.contains("use _lyceum.sunriseyoga.com"));
    assert!(page.contains("www.sunriseyoga.com or courses.sunriseyoga.com"), "a subdomain is recommended");
    assert!(page.contains("up to 48 hours") && page.contains("looks up the TXT record right now"));
    assert!(page.contains(r#"data-copy="203.0.113.7""#) && page.contains(r#"data-copy="_lyceum""#));
}

#[tokio::test]
async fn a_co_uk_apex_is_an_apex_and_without_addresses_it_gets_an_alias() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (records, page) = records_for(&b, "sunriseyoga.co.uk").await;
    let target = format!("acme.{}", app.state.config.platform_hostname());
    assert_eq!(records[1..], [rec("ALIAS", "@", &target)]);
    assert_eq!(records[0].1, "_lyceum");
    assert!(!page.contains(r#"data-record="CNAME""#));
    assert!(page.contains("ALIAS / ANAME") && page.contains("a CNAME isn&#x27;t allowed there"));
    assert!(page.contains("relative to your zone, sunriseyoga.co.uk"));
}

#[tokio::test]
async fn a_subdomain_gets_a_cname_with_names_relative_to_its_zone() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (records, page) = records_for(&b, "courses.sunriseyoga.com").await;
    let target = format!("acme.{}", app.state.config.platform_hostname());
    assert_eq!(records[1..], [rec("CNAME", "courses", &target)]);
    assert_eq!(records[0].1, "_lyceum.courses");
    assert!(records[0].2.starts_with("lyceum-verify="));
    assert!(
        page.contains("relative to your zone, sunriseyoga.com") && page.contains("use _lyceum.courses.sunriseyoga.com")
    );
    assert!(!page.contains("www.sunriseyoga.com or"), "no apex tip for a subdomain");
}

#[tokio::test]
async fn re_adding_a_domain_the_school_has_says_so() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let res = b.post_form("/admin/settings/domains", &[("domain", "courses.acme.example")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (id, token): (uuid::Uuid, String) =
        sqlx::query_as("select id, verification_token from tenant_domains where tenant_id = $1")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    app.dns.set("_lyceum.courses.acme.example", &format!("lyceum-verify={token}"));
    let res = b.post_form(&format!("/admin/settings/domains/{id}/verify"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for typed in ["courses.acme.example", "https://Courses.Acme.Example/"] {
        let res = b.post_form("/admin/settings/domains", &[("domain", typed)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        let page = res.text().await.unwrap();
        assert!(page.contains("You have already added this domain"), "{typed}");
        assert!(!page.contains("connected to a school"), "{typed}");
    }
}
