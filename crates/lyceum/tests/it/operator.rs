//! The operator area on the platform host, suspended schools, and the dev mailboxes.

use identity::Role;
use kernel::jobs::{self, NewJob};
use reqwest::StatusCode;

use crate::support::{Browser, PASSWORD, TestApp, location};

pub const OPERATOR: &str = "ops@lyceum.test";

/// A platform browser logged in to the operator area.
pub(crate) async fn operator(app: &TestApp) -> Browser {
    tenancy::operator::create(&app.state, OPERATOR, "Olga Ops", PASSWORD).await.unwrap();
    let b = app.platform_browser();
    let res = b.post_form("/operator/login", &[("email", OPERATOR), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "operator login failed");
    b
}

#[tokio::test]
async fn operators_log_in_with_their_own_cookie_and_everyone_else_is_sent_to_login() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    tenancy::operator::create(&app.state, OPERATOR, "Olga Ops", PASSWORD).await.unwrap();
    let p = app.platform_browser();
    for path in ["/operator", "/operator/jobs", "/operator/mailbox", "/operator/anything/else"] {
        let res = p.get(path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&res), "/operator/login", "{path}");
    }
    let res = p.post_form(&format!("/operator/schools/{}/suspend", acme.school.id), &[]).await;
    assert_eq!(location(&res), "/operator/login", "actions need an operator too");
    // A school's owner is no operator, on any host.
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    assert_eq!(owner.get("/operator").await.status(), StatusCode::NOT_FOUND);
    let res = p.post_form("/operator/login", &[("email", &acme.owner_email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let res = p.post_form("/operator/login", &[("email", OPERATOR), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/operator");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("lyceum_op="))
        .expect("operator cookie");
    for part in ["HttpOnly", "SameSite=Strict", "Max-Age=43200", "Path=/"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    let token = cookie.trim_start_matches("lyceum_op=").split(';').next().unwrap().to_string();
    let mut tx = app.state.db.platform().await.unwrap();
    let stored: bool = sqlx::query_scalar("select exists(select 1 from operator_sessions where id = $1)")
        .bind(kernel::secret::hash_token(&token))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(stored, "the session is stored by the token's hash");
    let (status, page) = p.page("/operator").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Olga Ops"), "the shell shows the operator's name");
    assert_eq!(p.get("/operator/login").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(p.get("/operator/anything/else").await.status(), StatusCode::NOT_FOUND);

    let res = p.post_form("/operator/logout", &[]).await;
    assert_eq!(location(&res), "/operator/login");
    assert_eq!(location(&p.get("/operator").await), "/operator/login");

    // Wrong passwords: a message, then the account waits (after five failures, from any
    // address), even with the right password; the form keeps the address and names the wait.
    let res = p.post_form("/operator/login", &[("email", OPERATOR), ("password", "wrong password!")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("match an operator account"));
    assert!(body.contains(&format!(r#"value="{OPERATOR}""#)));
    for _ in 0..3 {
        let res = p.post_form("/operator/login", &[("email", OPERATOR), ("password", "wrong password!")]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = p.post_form("/operator/login", &[("email", OPERATOR), ("password", "wrong password!")]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let res = app.platform_browser().post_form("/operator/login", &[("email", OPERATOR), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["retry-after"], "60");
    let body = res.text().await.unwrap();
    assert!(body.contains("Try again in one minute") && body.contains(&format!(r#"value="{OPERATOR}""#)));
}

#[tokio::test]
async fn the_operator_sees_every_school_and_pauses_and_resumes_one() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.school("globex").await;
    app.user(&acme, "Stu Dent", "stu@acme.test", Role::Student).await;
    app.user(&acme, "Sam Dent", "sam@acme.test", Role::Student).await;
    let op = operator(&app).await;

    let (status, page) = op.page("/operator").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("School acme") && page.contains("School globex"));
    assert!(page.contains(r#"data-label="People">3</td>"#), "acme has three people");
    assert!(page.contains(r#"data-label="Students">2</td>"#), "two of them students");
    let (_, found) = op.page("/operator?q=glob").await;
    assert!(found.contains("School globex") && !found.contains("School acme"));
    let (_, none) = op.page("/operator?q=zzz").await;
    assert!(none.contains("No schools match"));

    let reason = [("reason", "Unpaid invoice")];
    let res = op.post_form(&format!("/operator/schools/{}/suspend", acme.school.id), &reason).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let visitor = app.browser("acme");
    let (_, home) = visitor.page("/").await;
    assert!(home.contains("This school is paused right now"));
    let signup = [("name", "New Person"), ("email", "new@acme.test"), ("password", PASSWORD)];
    let res = visitor.post_form("/signup", &signup).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("taking new sign-ups"));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (users, audited): (i64, i64) = sqlx::query_as(
        "select (select count(*) from users where tenant_id = $1),
                (select count(*) from audit_log where tenant_id = $1 and action = 'operator.school_suspended')",
    )
    .bind(acme.school.id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((users, audited), (3, 1), "nobody signed up; the pause is in the audit log");
    let (_, list) = op.page("/operator").await;
    assert!(list.contains("Resume"));

    let res = op.post_form(&format!("/operator/schools/{}/resume", acme.school.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, home) = visitor.page("/").await;
    assert!(!home.contains("This school is paused right now"));
    assert_eq!(visitor.post_form("/signup", &signup).await.status(), StatusCode::SEE_OTHER);

    let missing = uuid::Uuid::now_v7();
    let res = op.post_form(&format!("/operator/schools/{missing}/suspend"), &reason).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_operator_retries_a_dead_job() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.run_jobs().await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let id = jobs::enqueue(&mut tx, NewJob::new("test.unknown_kind", serde_json::json!({})).attempts(1))
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    let op = operator(&app).await;

    let (status, page) = op.page("/operator/jobs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("test.unknown_kind") && page.contains("no handler for job kind"));
    assert!(page.contains("School acme"));
    let retry = format!("/operator/jobs/{}/{id}/retry", acme.school.id);
    let res = op.post_form(&retry, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/operator/jobs");
    let mut ptx = app.state.db.platform().await.unwrap();
    let status: String =
        sqlx::query_scalar("select status from jobs where id = $1").bind(id).fetch_one(&mut *ptx).await.unwrap();
    ptx.commit().await.unwrap();
    assert_eq!(status, "queued");
    // It is no longer dead, so a second retry finds nothing.
    assert_eq!(op.post_form(&retry, &[]).await.status(), StatusCode::NOT_FOUND);
    let (_, page) = op.page("/operator/jobs").await;
    assert!(page.contains("Nothing has failed"));
}

/// A student signs up on acme's site, which queues the verification email.
async fn student_signs_up(app: &TestApp) -> crate::support::TestSchool {
    let acme = app.school("acme").await;
    let b = app.browser("acme");
    let res = b.post_form("/signup", &[("name", "Stu Dent"), ("email", "stu@acme.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    acme
}

#[tokio::test]
async fn the_operator_mailbox_shows_a_students_verification_email_with_its_link() {
    let app = TestApp::with(|c| c.demo = true).await;
    let acme = student_signs_up(&app).await;
    let globex = app.school("globex").await;
    let op = operator(&app).await;

    let (status, list) = op.page("/operator/mailbox").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Confirm your email for School acme"));
    let mail = app.mails(&acme).await.into_iter().find(|m| m.to_email == "stu@acme.test").unwrap();
    let path = format!("/operator/mailbox/{}/{}", acme.school.id, mail.id);
    assert!(list.contains(&path));

    let (status, page) = op.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<iframe sandbox srcdoc=\""));
    assert!(page.contains("stu@acme.test"));
    let link = app.link_in_mail(&acme, "stu@acme.test", "/verify-email/").await;
    assert!(page.contains(&format!(r#"<a href="{link}""#)), "the text part's link is clickable");
    // The HTML part is escaped into the attribute, never inlined into the page.
    assert!(page.contains(r#"srcdoc="&lt;"#));
    assert_eq!(page.matches("<html").count(), 1);

    let wrong_school = format!("/operator/mailbox/{}/{}", globex.school.id, mail.id);
    assert_eq!(op.get(&wrong_school).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(op.get("/operator/mailbox/x/y").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_school_mailbox_exists_only_in_demo_mode() {
    let app = TestApp::new().await;
    let acme = student_signs_up(&app).await;
    let b = app.browser("acme");
    b.login(&acme.owner_email, PASSWORD).await;
    assert_eq!(b.get("/admin/mailbox").await.status(), StatusCode::NOT_FOUND);
    let mail = app.mails(&acme).await.into_iter().next().unwrap();
    assert_eq!(b.get(&format!("/admin/mailbox/{}", mail.id)).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn in_demo_mode_a_school_team_reads_its_own_mail_only() {
    let app = TestApp::with(|c| c.demo = true).await;
    let acme = student_signs_up(&app).await;
    let globex = app.school("globex").await;
    let b = app.browser("acme");
    b.login(&acme.owner_email, PASSWORD).await;
    let (status, list) = b.page("/admin/mailbox").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Confirm your email for School acme"));
    let mail = app.mails(&acme).await.into_iter().find(|m| m.to_email == "stu@acme.test").unwrap();
    let path = format!("/admin/mailbox/{}", mail.id);
    let (status, page) = b.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<iframe sandbox srcdoc=\""));
    let link = app.link_in_mail(&acme, "stu@acme.test", "/verify-email/").await;
    assert!(page.contains(&link));

    let g = app.browser("globex");
    g.login(&globex.owner_email, PASSWORD).await;
    assert_eq!(g.get(&path).await.status(), StatusCode::NOT_FOUND, "another school's message");
    let (_, theirs) = g.page("/admin/mailbox").await;
    assert!(!theirs.contains("stu@acme.test"));

    for (email, role, expected) in [
        ("ina@acme.test", Role::Instructor, StatusCode::FORBIDDEN),
        ("sue@acme.test", Role::Support, StatusCode::FORBIDDEN),
        ("ada@acme.test", Role::Admin, StatusCode::OK),
    ] {
        app.user(&acme, "Team", email, role).await;
        let t = app.browser("acme");
        t.login(email, PASSWORD).await;
        assert_eq!(t.get(&path).await.status(), expected, "{role:?}");
    }
    let student = app.browser("acme");
    student.login("stu@acme.test", PASSWORD).await;
    assert_eq!(student.get("/admin/mailbox").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn outside_demo_mode_the_operator_mailbox_shows_metadata_but_no_body_or_link() {
    let app = TestApp::new().await;
    let acme = student_signs_up(&app).await;
    let op = operator(&app).await;
    let mail = app.mails(&acme).await.into_iter().find(|m| m.to_email == "stu@acme.test").unwrap();
    let link = app.link_in_mail(&acme, "stu@acme.test", "/verify-email/").await;
    let (status, list) = op.page("/operator/mailbox").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Confirm your email for School acme"));
    let (status, page) = op.page(&format!("/operator/mailbox/{}/{}", acme.school.id, mail.id)).await;
    assert_eq!(status, StatusCode::OK);
    for shown in ["stu@acme.test", "Confirm your email for School acme", "identity&#x2f;mail&#x2f;verify"] {
        assert!(page.contains(shown), "{shown}");
    }
    let token = link.rsplit('/').next().unwrap();
    assert!(!page.contains(token), "the one-time link is not shown");
    assert!(!page.contains("<iframe"), "nor the HTML body");
}

#[tokio::test]
async fn mail_bodies_are_purged_after_the_retention_period_and_metadata_kept() {
    let app = TestApp::with(|c| {
        c.demo = true;
        c.mail_retention_days = 30;
    })
    .await;
    let acme = student_signs_up(&app).await;
    app.run_jobs().await;
    let mails = app.mails(&acme).await;
    let old = mails.iter().find(|m| m.to_email == "stu@acme.test").unwrap().clone();
    let mut conn = app.owner_conn().await;
    sqlx::query("update mail_messages set created_at = now() - interval '31 days' where id = $1")
        .bind(old.id)
        .execute(&mut conn)
        .await
        .unwrap();
    kernel::jobs::maintenance(&app.state).await.unwrap();

    let after = app.mails(&acme).await;
    let purged = after.iter().find(|m| m.id == old.id).unwrap();
    assert!(purged.html.is_empty() && purged.text.is_empty() && purged.purged_at.is_some());
    assert_eq!((purged.to_email.as_str(), purged.subject.as_str()), (old.to_email.as_str(), old.subject.as_str()));
    assert_eq!((purged.template.as_str(), purged.status.as_str()), (old.template.as_str(), old.status.as_str()));
    for recent in after.iter().filter(|m| m.id != old.id) {
        assert!(!recent.text.is_empty() && recent.purged_at.is_none(), "newer mail keeps its body");
    }
    let b = app.browser("acme");
    b.login(&acme.owner_email, PASSWORD).await;
    let (status, page) = b.page(&format!("/admin/mailbox/{}", old.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("was removed 30 days after it was sent"));
}

#[tokio::test]
async fn in_demo_mode_support_cannot_read_the_owners_password_reset() {
    let app = TestApp::with(|c| c.demo = true).await;
    let acme = app.school("acme").await;
    let res = app.browser("acme").post_form("/forgot-password", &[("email", &acme.owner_email)]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let reset = app.mails(&acme).await.into_iter().find(|m| m.text.contains("/reset-password/")).unwrap();
    let path = format!("/admin/mailbox/{}", reset.id);
    app.user(&acme, "Sue Support", "sue@acme.test", Role::Support).await;
    let support = app.browser("acme");
    support.login("sue@acme.test", PASSWORD).await;
    assert_eq!(support.get("/admin/mailbox").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(support.get(&path).await.status(), StatusCode::FORBIDDEN);
    let (_, admin_home) = support.page("/admin").await;
    assert!(!admin_home.contains("admin&#x2f;mailbox"), "no mailbox in the support sidebar");

    app.user(&acme, "Ada Admin", "ada@acme.test", Role::Admin).await;
    for email in ["ada@acme.test", acme.owner_email.as_str()] {
        let b = app.browser("acme");
        b.login(email, PASSWORD).await;
        let (status, home) = b.page("/admin").await;
        assert!(
            status == StatusCode::OK && home.contains("admin&#x2f;mailbox"),
            "{email} sees the mailbox in the sidebar"
        );
        assert_eq!(b.get("/admin/mailbox").await.status(), StatusCode::OK, "{email}");
        assert_eq!(b.get(&path).await.status(), StatusCode::OK, "{email}");
    }
}
