//! Pages that must work on a phone: lists that stack into cards, and forms that fail far down
//! a long page. (The browser journeys check the rendering itself at 390 px.)

use identity::Role;
use reqwest::StatusCode;

use crate::{
    operator::operator,
    support::{PASSWORD, TestApp},
};

/// The `<table …>` tag of the page's first admin list.
fn list_table(html: &str) -> &str {
    let start = html.find("<table class=\"table").expect("a list table");
    &html[start..start + html[start..].find('>').unwrap()]
}

/// The cells of the list's first row whose person or school is `name`.
fn row_of<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html.find(name).unwrap_or_else(|| panic!("{name} is listed"));
    let start = html[..at].rfind("<tr").unwrap();
    &html[start..at + html[at..].find("</tr>").unwrap()]
}

#[tokio::test]
async fn the_team_list_stacks_into_cards_that_name_each_value_and_keep_the_actions() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Carlos García Hernández", "carlos.garcia.hernandez@acme.test", Role::Instructor).await;
    let b = app.browser("acme");
    b.login(&acme.owner_email, PASSWORD).await;

    let (status, html) = b.page("/admin/team").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list_table(&html).contains("table-stack"), "{}", list_table(&html));
    let row = row_of(&html, "Carlos García Hernández");
    for label in ["Role", "Last login"] {
        assert!(row.contains(&format!("data-label=\"{label}\"")), "the card names its {label}: {row}");
    }
    assert!(row.contains("class=\"cell-actions") && row.contains("/remove"), "Remove stays on the card: {row}");
    assert!(!row.contains("hidden md:table-cell"), "no value is dropped on a phone: {row}");
}

#[tokio::test]
async fn the_operators_school_list_stacks_into_cards_with_pause_on_each() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let op = operator(&app).await;

    let (status, html) = op.page("/operator").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list_table(&html).contains("table-stack"));
    let row = row_of(&html, "/schools/");
    for label in ["Status", "Plan", "People", "Students", "Created"] {
        assert!(row.contains(&format!("data-label=\"{label}\"")), "the card names its {label}: {row}");
    }
    assert!(row.contains("class=\"cell-actions") && row.contains("/suspend"), "Pause stays on the card: {row}");
}

#[tokio::test]
async fn a_failed_password_change_lands_on_the_first_field_in_error() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let b = app.browser("acme");
    b.login("sam@acme.test", PASSWORD).await;

    let res = b.post_form("/account/password", &[("current_password", "not my password"), ("new_password", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let focused: Vec<&str> =
        html.split("<input").skip(1).filter(|tag| tag[..tag.find('>').unwrap()].contains("autofocus")).collect();
    assert_eq!(focused.len(), 1, "exactly one field takes the focus: {focused:?}");
    assert!(focused[0].contains("id=\"f-current_password\""), "the first field in error does: {}", focused[0]);

    let (_, fresh) = b.page("/account").await;
    assert!(!fresh.contains("autofocus"), "a page without errors leaves the focus alone");
}
