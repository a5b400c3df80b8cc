//! Pausing a school: the operator's reason reaches the owners (audit log, email, admin banner)
//! while students and visitors see a calm notice and no sign-up form.

use identity::Role;
use reqwest::StatusCode;

use crate::{operator::operator, support::TestApp};

const REASON: &str = "The card on file was declined twice. Update it under Billing.";

#[tokio::test]
async fn pausing_needs_a_reason_that_reaches_the_owner_but_not_the_visitors() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Stu Dent", "stu@acme.test", Role::Student).await;
    let op = operator(&app).await;
    let pause = format!("/operator/schools/{}/suspend", acme.school.id);

    let (status, form) = op.page(&pause).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Pause School acme") && form.contains(r#"name="reason""#));
    let res = op.post_form(&pause, &[("reason", "   ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Write the reason"));
    let visitor = app.browser("acme");
    let (_, signup) = visitor.page("/signup").await;
    assert!(signup.contains(r#"action="/signup""#), "without a reason nothing was paused");

    let res = op.post_form(&pause, &[("reason", REASON)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (actor, detail): (Option<uuid::Uuid>, serde_json::Value) = sqlx::query_as(
        "select actor_id, detail from audit_log where tenant_id = $1 and action = 'operator.school_suspended'",
    )
    .bind(acme.school.id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(actor.is_some());
    assert_eq!(detail["from"], "active");
    assert_eq!(detail["to"], "suspended");
    assert_eq!(detail["reason"], REASON);

    let mails = app.mails(&acme).await;
    let mail = mails.iter().find(|m| m.template == "tenancy/mail/school_paused").expect("the owner is told");
    assert_eq!(mail.to_email, acme.owner_email);
    assert_eq!(mail.subject, "School acme is paused");
    assert!(mail.text.contains(REASON) && mail.text.contains("write to us at"));
    assert!(!mails.iter().any(|m| m.to_email == "stu@acme.test"), "students get no email");

    let owner = app.browser("acme");
    owner.login(&acme.owner_email, crate::support::PASSWORD).await;
    for path in ["/admin", "/admin/settings/domains", "/admin/people"] {
        let (_, page) = owner.page(path).await;
        assert!(page.contains("Your school is paused") && page.contains(REASON), "{path}");
    }

    for path in ["/", "/signup", "/login"] {
        let (status, page) = visitor.page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(page.contains("This school is paused right now"), "{path}");
        assert!(!page.contains(REASON), "{path}: the reason is for the owners only");
        assert!(!page.contains(r#"href="/signup""#), "{path}: no links to a closed sign-up");
    }
    let (_, signup) = visitor.page("/signup").await;
    assert!(signup.contains("Sign-ups are closed for now") && !signup.contains(r#"action="/signup""#));
    let (_, login) = visitor.page("/login").await;
    assert!(login.contains(r#"action="/login""#), "existing students can still log in");

    let res = op.post_form(&format!("/operator/schools/{}/resume", acme.school.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mails = app.mails(&acme).await;
    let resumed = mails.iter().find(|m| m.template == "tenancy/mail/school_resumed").expect("resuming is told too");
    assert_eq!(
        (resumed.to_email.as_str(), resumed.subject.as_str()),
        (acme.owner_email.as_str(), "School acme is open again")
    );
    let (_, admin) = owner.page("/admin").await;
    assert!(!admin.contains("Your school is paused") && !admin.contains(REASON));
    let (_, signup) = visitor.page("/signup").await;
    assert!(signup.contains(r#"action="/signup""#) && !signup.contains("This school is paused right now"));
}

#[tokio::test]
async fn the_pause_email_is_in_the_owners_language() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update users set locale = 'es' where tenant_id = $1 and lower(email) = lower($2)")
        .bind(acme.school.id)
        .bind(&acme.owner_email)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let op = operator(&app).await;
    let res = op.post_form(&format!("/operator/schools/{}/suspend", acme.school.id), &[("reason", REASON)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mails = app.mails(&acme).await;
    let mail = mails.iter().find(|m| m.template == "tenancy/mail/school_paused").unwrap();
    assert_eq!(mail.subject, "School acme está en pausa");
    assert!(mail.text.contains("Motivo:") && mail.text.contains(REASON));
}
