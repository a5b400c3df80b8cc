//! The pages list: the template gallery, search, duplicate, archive and restore, the home page
//! badge; and another school's owner gets 404 on every builder route.

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    marketing_builder::send_json,
    marketing_support::{new_page, owner, publish},
    support::{TestApp, location},
};

#[tokio::test]
async fn the_list_searches_duplicates_archives_and_picks_the_home_page() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;

    // No pages yet: the gallery shows with its designed empty state.
    let (status, html) = b.page("/admin/pages").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Start a new page") && html.contains("No pages yet") && html.contains("Blank page"),
        "{html}"
    );

    // A bad title and address are refused beside their fields, what was typed kept.
    let res = b.post_form("/admin/pages", &[("title", " "), ("slug", "Bad Slug"), ("template", "blank")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Give the page a title.")
            && html.contains("single hyphens")
            && html.contains("value=\"Bad Slug\"")
    );

    let spring = new_page(&b, "Spring Sale", "spring", "blank").await;
    let guide = new_page(&b, "Free Guide", "", "blank").await;
    publish(&b, &spring).await;

    let html = b.page("/admin/pages").await.1;
    assert!(html.contains("Spring Sale") && html.contains("/p/free-guide") && html.contains(">Live<"), "{html}");
    assert!(html.contains(&format!("{spring}/stats")), "{html}");
    assert!(html.contains("href=\"/admin/pages?new=1#new-page\""), "{html}");
    let html = b.page("/admin/pages?new=1").await.1;
    assert!(html.contains("Start a new page"), "{html}");

    // Search by title or address.
    let html = b.page("/admin/pages?q=guide").await.1;
    assert!(html.contains("Free Guide") && !html.contains("Spring Sale"), "{html}");
    let html = b.page("/admin/pages?q=nothing-like-it").await.1;
    assert!(html.contains("No page matches"), "{html}");

    // Duplicate: a draft copy at a free address, opened in the editor.
    let res = b.post_form(&format!("{spring}/duplicate"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let copy = location(&res);
    assert_ne!(copy, spring);
    let html = b.page(&copy).await.1;
    assert!(html.contains("Spring Sale (copy)"), "{html}");
    let res = b.post_form(&format!("{spring}/duplicate"), &[]).await;
    let html = b.page(&location(&res)).await.1;
    assert!(html.contains("spring-copy-2"), "{html}");

    // Home page: the badge moves, and `/` is the page's address.
    assert_eq!(b.post_form(&format!("{spring}/home"), &[]).await.status(), StatusCode::SEE_OTHER);
    let html = b.page("/admin/pages").await.1;
    assert!(html.contains("is now your home page") || html.contains(">Home<"), "{html}");
    assert!(html.contains(">Home</span>"), "{html}");

    // Archive takes it off the site; restore brings it back as a draft.
    assert_eq!(b.post_form(&format!("{spring}/archive"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.browser("acme").get("/p/spring").await.status(), StatusCode::NOT_FOUND);
    let html = b.page("/admin/pages").await.1;
    assert!(html.contains("Archived") && html.contains(&format!("{spring}/unarchive")), "{html}");
    assert_eq!(b.post_form(&format!("{spring}/unarchive"), &[]).await.status(), StatusCode::SEE_OTHER);
    let html = b.page("/admin/pages").await.1;
    assert!(html.contains(&format!("{spring}/archive\"")), "{html}");
    let _ = guide;
}

#[tokio::test]
async fn another_schools_owner_gets_404_on_every_builder_route() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let b = owner(&app, &acme).await;
    let path = new_page(&b, "Private", "private", "blank").await;
    publish(&b, &path).await;

    let other = owner(&app, &globex).await;
    for p in ["", "/canvas", "/preview", "/versions/1"] {
        assert_eq!(other.get(&format!("{path}{p}")).await.status(), StatusCode::NOT_FOUND, "GET {p}");
    }
    for p in ["/publish", "/unpublish", "/duplicate", "/archive", "/unarchive", "/home", "/versions/1/restore"] {
        assert_eq!(other.post_form(&format!("{path}{p}"), &[]).await.status(), StatusCode::NOT_FOUND, "POST {p}");
    }
    let doc = json!({ "sections": [] });
    for p in ["/draft", "/canvas"] {
        let body = if p == "/draft" { json!({ "revision": 1, "document": doc }) } else { doc.clone() };
        assert_eq!(send_json(&other, &format!("{path}{p}"), &body).await.0, StatusCode::NOT_FOUND, "JSON {p}");
    }
    // Nothing changed for acme.
    assert!(app.browser("acme").page("/p/private").await.1.contains("Private"));
}
