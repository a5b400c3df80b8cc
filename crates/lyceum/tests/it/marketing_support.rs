//! Helpers for the marketing tests: the owner's browser and a published page.

use crate::support::{Browser, PASSWORD, TestApp, TestSchool, location};

/// The school's owner, logged in.
pub async fn owner(app: &TestApp, school: &TestSchool) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

/// Makes a page from `template` through the admin and returns its admin path.
pub async fn new_page(b: &Browser, title: &str, slug: &str, template: &str) -> String {
    let res = b.post_form("/admin/pages", &[("title", title), ("slug", slug), ("template", template)]).await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    location(&res)
}

/// Publishes the page at `admin_path`.
pub async fn publish(b: &Browser, admin_path: &str) {
    let res = b.post_form(&format!("{admin_path}/publish"), &[]).await;
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
}
