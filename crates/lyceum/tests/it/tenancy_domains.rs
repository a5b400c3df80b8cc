//! Custom-domain claims: pending claims block nobody and expire, the first school to verify
//! keeps the name, and a verified domain whose TXT record stays missing stops serving.

use reqwest::StatusCode;

use crate::support::{Browser, PASSWORD, TestApp, TestSchool};

async fn owner(app: &TestApp, school: &TestSchool) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

/// The school's row for `domain`: id and verification token, if it has one.
async fn claim(app: &TestApp, school: &TestSchool, domain: &str) -> Option<(String, String)> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let row: Option<(uuid::Uuid, String)> =
        sqlx::query_as("select id, verification_token from tenant_domains where tenant_id = $1 and domain = $2")
            .bind(school.school.id)
            .bind(domain)
            .fetch_optional(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    row.map(|(id, token)| (id.to_string(), token))
}

/// Runs SQL as the owner role (to move timestamps back instead of waiting).
async fn exec(app: &TestApp, sql: &str) {
    let mut conn = app.owner_conn().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut conn).await.unwrap();
}

/// Makes every school's daily domain check due now and runs the queue.
async fn daily_check(app: &TestApp) {
    exec(app, "update job_schedules set next_run_at = now() where kind = 'domains.check'").await;
    app.run_jobs().await;
    let mut conn = app.owner_conn().await;
    let errors: Vec<String> =
        sqlx::query_scalar("select last_error from jobs where kind = 'domains.check' and last_error is not null")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert!(errors.is_empty(), "the daily check failed: {errors:?}");
}

async fn add_and_verify(app: &TestApp, b: &Browser, school: &TestSchool, domain: &str) -> String {
    let res = b.post_form("/admin/settings/domains", &[("domain", domain)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (id, token) = claim(app, school, domain).await.unwrap();
    app.dns.set(&format!("_lyceum.{domain}"), &format!("lyceum-verify={token}"));
    let res = b.post_form(&format!("/admin/settings/domains/{id}/verify"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "verification of {domain}");
    id
}

#[tokio::test]
async fn a_pending_claim_blocks_nobody_and_the_real_owner_keeps_the_domain() {
    let app = TestApp::new().await;
    let (squatter, owner_school) = (app.school("squat").await, app.school("victim").await);
    let (s, v) = (owner(&app, &squatter).await, owner(&app, &owner_school).await);

    // The squatter claims the name first; the real owner can still add it.
    let res = s.post_form("/admin/settings/domains", &[("domain", "courses.victim.example")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = v.post_form("/admin/settings/domains", &[("domain", "courses.victim.example")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "a pending claim must not block another school");
    let res = v.post_form("/admin/settings/domains", &[("domain", "courses.victim.example")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("already added this domain"));

    // The squatter cannot verify with the owner's record: each claim has its own token.
    let (squat_id, _) = claim(&app, &squatter, "courses.victim.example").await.unwrap();
    let (victim_id, token) = claim(&app, &owner_school, "courses.victim.example").await.unwrap();
    app.dns.set("_lyceum.courses.victim.example", &format!("lyceum-verify={token}"));
    let res = s.post_form(&format!("/admin/settings/domains/{squat_id}/verify"), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("connected yet"));

    let res = v.post_form(&format!("/admin/settings/domains/{victim_id}/verify"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, home) = app.browser_on("courses.victim.example").page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("School victim"));

    // The squatter's claim is gone, and the name is now taken for it.
    assert_eq!(claim(&app, &squatter, "courses.victim.example").await, None);
    let (_, page) = s.page("/admin/settings/domains").await;
    assert!(!page.contains("courses.victim.example"));
    let res = s.post_form("/admin/settings/domains", &[("domain", "courses.victim.example")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("already connected to a school"));
}

#[tokio::test]
async fn pending_claims_expire_after_seven_days() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    for domain in ["old.acme.example", "new.acme.example"] {
        let res = b.post_form("/admin/settings/domains", &[("domain", domain)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let (_, page) = b.page("/admin/settings/domains").await;
    assert!(page.contains("this domain is removed and you can add it again"), "the expiry date is shown");

    exec(
        &app,
        "update tenant_domains set created_at = now() - interval '7 days 1 minute' where domain = 'old.acme.example'",
    )
    .await;
    daily_check(&app).await;
    assert_eq!(claim(&app, &acme, "old.acme.example").await, None, "expired claim removed");
    assert!(claim(&app, &acme, "new.acme.example").await.is_some(), "a recent claim stays");
    let (_, page) = b.page("/admin/settings/domains").await;
    assert!(!page.contains("old.acme.example"));
}

#[tokio::test]
async fn a_domain_whose_record_stays_missing_for_three_days_stops_serving_and_the_owner_is_told() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    add_and_verify(&app, &b, &acme, "learn.acme.example").await;
    let custom = app.browser_on("learn.acme.example");
    assert_eq!(custom.get("/").await.status(), StatusCode::OK);

    // The record is still there: the daily check changes nothing.
    daily_check(&app).await;
    let (_, page) = b.page("/admin/settings/domains").await;
    assert!(page.contains("Connected since"));

    // The record disappears: the domain keeps serving while the owner is warned on the page.
    app.dns.remove("_lyceum.learn.acme.example");
    daily_check(&app).await;
    assert_eq!(custom.get("/").await.status(), StatusCode::OK);
    let (_, page) = b.page("/admin/settings/domains").await;
    assert!(page.contains("DNS record missing"));
    assert!(page.contains("found the TXT record since"));

    // Two days later it is still within the grace period.
    exec(&app, "update tenant_domains set failing_since = now() - interval '2 days'").await;
    daily_check(&app).await;
    assert_eq!(custom.get("/").await.status(), StatusCode::OK);
    assert!(app.mails(&acme).await.iter().all(|m| m.template != "tenancy/mail/domain_stopped"));

    // Three days missing in a row: it stops serving, Caddy gets no certificate, the owner is emailed.
    exec(&app, "update tenant_domains set failing_since = now() - interval '3 days 1 minute'").await;
    daily_check(&app).await;
    assert_eq!(custom.get("/").await.status(), StatusCode::NOT_FOUND);
    let tls = app.platform_browser().get("/internal/tls-allowed?domain=learn.acme.example").await;
    assert_eq!(tls.status(), StatusCode::NOT_FOUND);
    let mail = app
        .mails(&acme)
        .await
        .into_iter()
        .find(|m| m.template == "tenancy/mail/domain_stopped")
        .expect("the owner is emailed");
    assert_eq!(mail.to_email, acme.owner_email);
    assert!(mail.subject.contains("custom domain stopped working"), "{}", mail.subject);
    assert!(mail.text.contains("learn.acme.example") && mail.text.contains("_lyceum.learn.acme.example"));
    assert!(mail.text.contains("/admin/settings/domains"));
    let (_, page) = b.page("/admin/settings/domains").await;
    assert!(page.contains("Stopped"));

    // Publishing the record again and checking DNS reconnects it.
    let (id, token) = claim(&app, &acme, "learn.acme.example").await.unwrap();
    app.dns.set("_lyceum.learn.acme.example", &format!("lyceum-verify={token}"));
    let res = b.post_form(&format!("/admin/settings/domains/{id}/verify"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(custom.get("/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_domain_stopped_email_is_written_in_the_owners_language() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    add_and_verify(&app, &b, &acme, "es.acme.example").await;
    exec(&app, "update users set locale = 'es' where role = 'owner'").await;
    app.dns.remove("_lyceum.es.acme.example");
    daily_check(&app).await;
    exec(&app, "update tenant_domains set failing_since = now() - interval '4 days'").await;
    daily_check(&app).await;
    let mail = app.mails(&acme).await.into_iter().find(|m| m.template == "tenancy/mail/domain_stopped").unwrap();
    assert!(mail.subject.contains("tu dominio propio ha dejado de funcionar"), "{}", mail.subject);
    assert!(mail.text.contains("días seguidos"));
}
