//! Who a school's mail is from: the platform's address (with the school's as Reply-To) until the
//! school verifies its sender domain; and how many team invitations a school may send.

use reqwest::StatusCode;

use crate::support::{Browser, PASSWORD, TestApp, TestSchool};

async fn owner(app: &TestApp, school: &TestSchool) -> Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

async fn set_sender(b: &Browser, address: &str) {
    let res = b
        .post_form(
            "/admin/settings",
            &[
                ("name", "School acme"),
                ("tagline", ""),
                ("default_locale", "en"),
                ("currency", "USD"),
                ("time_zone", "UTC"),
                ("sender_name", "Acme Team"),
                ("sender_email", address),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "saving the sender");
}

/// The header line `name:` of a raw SMTP message, if present.
fn header<'a>(data: &'a str, name: &str) -> Option<&'a str> {
    let head = data.split("\r\n\r\n").next().unwrap_or(data);
    head.lines().find(|l| l.to_ascii_lowercase().starts_with(&format!("{}:", name.to_ascii_lowercase())))
}

#[tokio::test]
async fn mail_comes_from_the_schools_address_only_once_its_domain_is_verified() {
    let sink = kernel::testing::smtp::start().await.unwrap();
    let url = sink.url.clone();
    let app = TestApp::with(|c| {
        c.smtp_url = Some(url.as_str().into());
        c.demo = true;
    })
    .await;
    let platform = kernel::mail::platform_address(&app.state.config.mail_from);
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    set_sender(&b, "hello@acme.example").await;

    // Unverified: the platform's address under the school's name, replies to the school.
    let res = b.post_form("/admin/team/invite", &[("email", "ina@example.test"), ("role", "instructor")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.run_jobs().await;
    let invite = app.mails(&acme).await.into_iter().find(|m| m.to_email == "ina@example.test").unwrap();
    assert_eq!((invite.from_email.as_str(), invite.from_name.as_str()), (platform.as_str(), "School acme"));
    assert_eq!(invite.reply_to.as_deref(), Some("hello@acme.example"));
    let received = sink.received.lock().unwrap().clone();
    let sent = received.iter().find(|m| m.to == vec!["ina@example.test".to_string()]).expect("sent over SMTP");
    assert_eq!(sent.from, platform, "envelope sender");
    let from = header(&sent.data, "From").unwrap();
    assert!(from.contains(&platform) && from.contains("School acme"), "{from}");
    assert!(header(&sent.data, "Reply-To").unwrap().contains("hello@acme.example"));
    let (_, shown) = b.page(&format!("/admin/mailbox/{}", invite.id)).await;
    assert!(shown.contains("Reply to") && shown.contains("hello@acme.example"), "the mailbox shows the Reply-To");

    // The settings page shows the record to publish; checking before it exists changes nothing.
    let (_, page) = b.page("/admin/settings").await;
    assert!(page.contains("_lyceum.acme.example"));
    let token: String = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let t = sqlx::query_scalar("select sender_token from tenant_settings where tenant_id = $1")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        t
    };
    assert!(page.contains(&format!("lyceum-sender={token}")));
    // Another school's token on the domain proves nothing.
    app.dns.set("_lyceum.acme.example", "lyceum-sender=somebody-else");
    let res = b.post_form("/admin/settings/sender/verify", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = b.page("/admin/settings").await;
    assert!(page.contains("Not verified"));

    // Verified: mail comes from the school's own address, with no Reply-To.
    app.dns.set("_lyceum.acme.example", &format!("lyceum-sender={token}"));
    let res = b.post_form("/admin/settings/sender/verify", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = b.page("/admin/settings").await;
    assert!(page.contains("Your emails are sent from hello@acme.example"));
    let res = b.post_form("/admin/team/invite", &[("email", "sue@example.test"), ("role", "support")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.run_jobs().await;
    let invite = app.mails(&acme).await.into_iter().find(|m| m.to_email == "sue@example.test").unwrap();
    assert_eq!((invite.from_email.as_str(), invite.from_name.as_str()), ("hello@acme.example", "Acme Team"));
    assert_eq!(invite.reply_to, None);
    let received = sink.received.lock().unwrap().clone();
    let sent = received.iter().find(|m| m.to == vec!["sue@example.test".to_string()]).unwrap();
    assert!(header(&sent.data, "From").unwrap().contains("hello@acme.example"));
    assert!(header(&sent.data, "Reply-To").is_none());

    // Another domain is unverified again.
    set_sender(&b, "news@other.example").await;
    let res = b.post_form("/admin/team/invite", &[("email", "ian@example.test"), ("role", "instructor")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let invite = app.mails(&acme).await.into_iter().find(|m| m.to_email == "ian@example.test").unwrap();
    assert_eq!(invite.from_email, platform);
    assert_eq!(invite.reply_to.as_deref(), Some("news@other.example"));
}

#[tokio::test]
async fn a_school_sends_at_most_twenty_invitations_an_hour() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    for n in 0..identity::service::team::INVITES_PER_HOUR {
        let email = format!("person{n}@example.test");
        let res = b.post_form("/admin/team/invite", &[("email", &email), ("role", "instructor")]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "invitation {n}");
    }
    let res = b.post_form("/admin/team/invite", &[("email", "one-more@example.test"), ("role", "instructor")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("sent 20 invitations in the last hour"), "a clear message in the form");
    assert!(page.contains("one-more@example.test"), "what was typed is kept");
    assert!(app.mails(&acme).await.iter().all(|m| m.to_email != "one-more@example.test"));

    // The limit is the school's: another school is not affected.
    let globex = app.school("globex").await;
    let g = owner(&app, &globex).await;
    let res = g.post_form("/admin/team/invite", &[("email", "ina@example.test"), ("role", "instructor")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
