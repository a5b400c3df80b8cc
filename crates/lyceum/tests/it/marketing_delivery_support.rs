//! Helpers for the published-page tests: a page with given sections, published through the
//! page builder's rules (as the editor would), without the editor.

use marketing::{
    PageId, page_templates,
    sections::{Document, Section, Seo},
};
use serde_json::Value;

use crate::support::{TestApp, TestSchool};

/// A section of `kind` with `data` over its blank fields.
pub fn section(kind: &str, data: Value) -> Section {
    page_templates::section(kind, data)
}

/// A document of `sections` with `seo`.
pub fn doc(sections: Vec<Section>, seo: Seo) -> Document {
    Document { sections, seo }
}

/// Makes the page `slug` and saves `draft` as its draft, unpublished.
pub async fn draft_page(app: &TestApp, school: &TestSchool, title: &str, slug: &str, draft: &Document) -> PageId {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id = marketing::pages::create(&app.state, &mut tx, title, slug, "blank", None).await.unwrap();
    tx.commit().await.unwrap();
    save(app, school, id, draft).await;
    id
}

/// Saves `draft` over the page's draft.
pub async fn save(app: &TestApp, school: &TestSchool, id: PageId, draft: &Document) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let base = marketing::store::page(&mut tx, id).await.unwrap().unwrap().draft_revision;
    marketing::pages::save_draft(&app.state, &mut tx, id, base, draft, None).await.unwrap();
    tx.commit().await.unwrap();
}

/// Publishes the page's draft.
pub async fn publish(app: &TestApp, school: &TestSchool, id: PageId) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    marketing::pages::publish(&app.state, &mut tx, id, None).await.unwrap();
    tx.commit().await.unwrap();
}

/// Makes and publishes the page `slug` showing `document`.
pub async fn published_page(
    app: &TestApp,
    school: &TestSchool,
    title: &str,
    slug: &str,
    document: &Document,
) -> PageId {
    let id = draft_page(app, school, title, slug, document).await;
    publish(app, school, id).await;
    id
}

/// Makes `id` the school's home page.
pub async fn make_home(app: &TestApp, school: &TestSchool, id: PageId) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    marketing::pages::make_home(&app.state, &mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
}

/// Takes `id` off the site.
pub async fn unpublish(app: &TestApp, school: &TestSchool, id: PageId) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    marketing::pages::unpublish(&app.state, &mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
}

/// HTML with the escapes minijinja writes turned back into characters.
pub fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/").replace("&quot;", "\"").replace("&#x27;", "'").replace("&amp;", "&")
}

/// The JSON-LD of a page, parsed.
pub fn json_ld(html: &str) -> Value {
    let start = html.find(r#"<script type="application/ld+json">"#).expect("JSON-LD") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("valid JSON-LD")
}
