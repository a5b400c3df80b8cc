//! `/admin/automations` (list, recipes, editor, people, activate and pause, a new email for a
//! step) and `/api/v1/automations` (list, enrol a contact); nothing of another school's.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    email_automations::{runs, sent},
    marketing_contacts::contact,
    marketing_forms_support::{new_form, opt_in},
    marketing_support::owner,
    support::{TestApp, location},
};

async fn count(app: &TestApp, school: &crate::support::TestSchool, sql: &'static str) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let n: i64 = sqlx::query_scalar(sql).bind(school.school.id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn email_automations_the_welcome_recipe_on_a_form_mails_a_visitor_who_opts_in() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (status, html) = b.page("/admin/automations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No automations yet") && html.contains("Start from a recipe"), "{html}");

    let form = new_form(&b, &[("consent_required", "")]).await;
    let res = b.post_form("/admin/automations/recipes", &[("recipe", "welcome"), ("form_id", &form)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let path = location(&res);
    let id: marketing::email::automations::AutomationId =
        path.trim_start_matches("/admin/automations/").parse().unwrap();
    assert_eq!(count(&app, &acme, "select count(*) from emails where tenant_id = $1").await, 3);

    let (status, html) = b.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-automation-editor") && html.contains("Welcome series"), "{html}");
    assert!(html.contains("Form submitted") && html.contains("Send email"), "{html}");

    // Every recipe makes an automation with its emails.
    for r in ["lead_magnet", "abandoned_cart", "onboarding", "upsell", "win_back", "dunning"] {
        let res = b.post_form("/admin/automations/recipes", &[("recipe", r)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{r}");
    }
    assert_eq!(count(&app, &acme, "select count(*) from automations where tenant_id = $1").await, 7);
    // A form whose lead magnet is a sequence: the lead magnet recipe on it takes its name.
    let magnet = new_form(&b, &[("magnet", "sequence"), ("magnet_sequence", "Five-day pottery course")]).await;
    let res = b.post_form("/admin/automations/recipes", &[("recipe", "lead_magnet"), ("form_id", &magnet)]).await;
    let (_, html) = b.page(&location(&res)).await;
    assert!(html.contains("Five-day pottery course"), "{html}");
    assert_eq!(b.post_form("/admin/automations/recipes", &[("recipe", "nope")]).await.status(), StatusCode::NOT_FOUND);

    // A draft takes nobody in; activated, a visitor's opt-in starts the series.
    let res = b.post_form(&format!("{path}/activate"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let visitor = app.browser("acme");
    let res = opt_in(&app, &visitor, &form, &[("email", "vera@example.com"), ("first_name", "Vera")]).await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    app.run_jobs().await;
    assert_eq!(sent(&app, &acme, id, "vera@example.com").await, ["s1"]);

    let (status, html) = b.page(&format!("{path}/people")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("vera@example.com") && html.contains("Waiting"), "{html}");

    let res = b.post_form(&format!("{path}/pause"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = b.page("/admin/automations").await;
    assert!(html.contains("Paused") && html.contains("Welcome series"), "{html}");
    assert_eq!(runs(&app, &acme, id).await.len(), 1);

    // The email picker makes a blank email and says where to edit it.
    let token = b.csrf().await;
    let res = b.client.post(b.url(&format!("{path}/emails"))).header("x-csrf-token", token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let made: Value = res.json().await.unwrap();
    assert!(made["url"].as_str().unwrap().starts_with("/admin/emails/"), "{made}");
}

#[tokio::test]
async fn email_automations_api_lists_and_enrols_and_another_school_sees_nothing() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let e1 = crate::email_automations::email(&app, &acme, "One").await;
    let a = crate::email_automations::automation(
        &app,
        &acme,
        json!({ "kind": "manual" }),
        json!([{ "id": "s1", "kind": "send_email", "config": { "email_id": e1 } }]),
    )
    .await;
    let ana = contact(&app, &acme, "ana@example.com", "Ana", "form", "subscribed").await;
    let key = app.api_key(&acme, "read_write").await;
    let other_key = app.api_key(&globex, "read_write").await;
    let client = |slug: &str| {
        let host = format!("{slug}.localhost");
        let c = reqwest::Client::builder().resolve(&host, app.addr).build().unwrap();
        (c, format!("http://{host}:{}/api/v1", app.addr.port()))
    };
    let (c, base) = client("acme");
    let list: Value =
        c.get(format!("{base}/automations")).bearer_auth(&key).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["data"][0]["id"], a.to_string());
    assert_eq!(list["data"][0]["status"], "active");
    let enrol = format!("{base}/automations/{a}/enrollments");
    let res = c.post(&enrol).bearer_auth(&key).json(&json!({ "email": "ANA@example.com" })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["contact_id"], ana);
    let res = c.post(&enrol).bearer_auth(&key).json(&json!({ "contact_id": ana })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT, "already in it");
    let res = c.post(&enrol).bearer_auth(&key).json(&json!({})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = c.post(&enrol).bearer_auth(&key).json(&json!({ "email": "nobody@example.com" })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    app.run_jobs().await;
    assert_eq!(sent(&app, &acme, a, "ana@example.com").await, ["s1"]);

    // Another school's key: nothing of acme's.
    let (g, gbase) = client("globex");
    let list: Value =
        g.get(format!("{gbase}/automations")).bearer_auth(&other_key).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
    let res = g
        .post(format!("{gbase}/automations/{a}/enrollments"))
        .bearer_auth(&other_key)
        .json(&json!({ "contact_id": ana }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The OpenAPI document lists both.
    let doc: Value = c.get(format!("{base}/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["paths"]["/automations"]["get"].is_object(), "{}", doc["paths"]);
    assert!(doc["paths"]["/automations/{id}/enrollments"]["post"].is_object());

    // Admin routes: another school's owner gets 404 on every one.
    let gb = owner(&app, &globex).await;
    let token = gb.csrf().await;
    for path in [format!("/admin/automations/{a}"), format!("/admin/automations/{a}/people")] {
        assert_eq!(gb.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        format!("/admin/automations/{a}/activate"),
        format!("/admin/automations/{a}/pause"),
        format!("/admin/automations/{a}/emails"),
    ] {
        assert_eq!(gb.post_form(&path, &[]).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let save = json!({ "revision": 1, "trigger": { "kind": "manual" }, "steps": [] });
    let res = gb
        .client
        .put(gb.url(&format!("/admin/automations/{a}")))
        .header("x-csrf-token", token)
        .json(&save)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(gb.get("/admin/automations").await.status(), StatusCode::OK);
    let (_, html) = gb.page("/admin/automations").await;
    assert!(!html.contains(&a.to_string()));
}
