//! Built pages: an owner makes a page, visitors see nothing until it is published, then only
//! the published version; a clashing address is refused beside the field; another school's
//! staff and visitors get 404.

use reqwest::StatusCode;

use crate::{
    marketing_support::{new_page, owner, publish},
    support::TestApp,
};

#[tokio::test]
async fn a_page_is_seen_only_once_published_and_only_in_its_school() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let b = owner(&app, &acme).await;

    let (status, html) = b.page("/admin/pages").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(">Marketing</p>") && html.contains("<span>Pages</span>"), "{html}");

    let path = new_page(&b, "Spring <b>Masterclass</b>", "spring", "blank").await;
    let visitor = app.browser("acme");
    assert_eq!(visitor.get("/p/spring").await.status(), StatusCode::NOT_FOUND);

    publish(&b, &path).await;
    let (status, html) = visitor.page("/p/spring").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Spring &lt;b&gt;Masterclass&lt;&#x2f;b&gt;"), "{html}");

    // The address is taken: refused beside the field, with what was typed kept.
    let res = b.post_form("/admin/pages", &[("title", "Another"), ("slug", "spring"), ("template", "blank")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Another page already has this address.") && html.contains("value=\"Another\""), "{html}");

    // Another school sees none of it.
    let other = owner(&app, &globex).await;
    assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(other.post_form(&format!("{path}/publish"), &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.browser("globex").get("/p/spring").await.status(), StatusCode::NOT_FOUND);
}
