//! The admin's sidebar and dashboard fit the role: every link shown opens, none that would not.

use identity::Role;
use reqwest::StatusCode;

use crate::support::{PASSWORD, TestApp};

/// The `href`s of the rendered sidebar.
fn sidebar_links(page: &str) -> Vec<String> {
    let start = page.find(r#"<aside id="sidebar""#).expect("sidebar");
    let end = start + page[start..].find("</aside>").expect("sidebar end");
    page[start..end].split(r#"href=""#).skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect()
}

#[tokio::test]
async fn every_sidebar_link_opens_for_the_role_that_sees_it() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Ada", "ada@acme.test", Role::Admin).await;
    app.user(&acme, "Ivy", "ivy@acme.test", Role::Instructor).await;
    app.user(&acme, "Sol", "sol@acme.test", Role::Support).await;
    let people = [
        (acme.owner_email.as_str(), Role::Owner),
        ("ada@acme.test", Role::Admin),
        ("ivy@acme.test", Role::Instructor),
        ("sol@acme.test", Role::Support),
    ];
    for (email, role) in people {
        let b = app.browser("acme");
        b.login(email, PASSWORD).await;
        let (status, dashboard) = b.page("/admin").await;
        assert_eq!(status, StatusCode::OK);
        let dashboard = dashboard.replace("&#x2f;", "/");
        let links = sidebar_links(&dashboard);
        assert!(links.len() >= 2, "{role:?}: {links:?}");
        for link in &links {
            assert_eq!(b.get(link).await.status(), StatusCode::OK, "{role:?} follows {link}");
        }
        let manages = matches!(role, Role::Owner | Role::Admin);
        assert_eq!(links.iter().any(|l| l.starts_with("/admin/settings")), manages, "{role:?}: {links:?}");
        assert_eq!(links.iter().any(|l| l == "/admin/media"), role != Role::Support, "{role:?}");
        assert_eq!(dashboard.contains("Get your school ready"), manages, "{role:?}: the checklist");
        assert_eq!(dashboard.contains("Your shortcuts"), !manages, "{role:?}: shortcuts instead");
        if role == Role::Support {
            assert!(!dashboard.contains(r#"href="/admin/media""#), "no shortcut to a page support cannot open");
        }
    }
}
