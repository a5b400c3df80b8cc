//! Deliverability: DKIM-signed mail through a real SMTP server on loopback that verifies with
//! mail-auth; the DNS check (found, missing, wrong); bounces and complaints through the
//! webhook; warm-up and plan limits; the hold; the suppression list page; and another school's
//! ids and tokens answering 404.

use lettre::{AsyncTransport, address::Envelope};
use mail_auth::{
    AuthenticatedMessage, DkimResult, MessageAuthenticator, Parameters,
    common::{parse::TxtRecordParser, verify::DomainKey},
    hickory_resolver::config::{ResolverConfig, ResolverOpts},
};
use marketing::email::{
    deliverability::{self, dkim, limits},
    suppression,
};
use reqwest::StatusCode;

use crate::{
    email_deliverability_support::{TxtTable, arf, dsn, sent},
    marketing_support::owner,
    support::{TestApp, location},
};

async fn domain_of(app: &TestApp, school: &crate::support::TestSchool, name: &str) -> dkim::SendingDomain {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let d = dkim::domains(&mut tx).await.unwrap().into_iter().find(|d| d.domain == name).expect("domain");
    tx.commit().await.unwrap();
    d
}

fn publish(app: &TestApp, d: &dkim::SendingDomain) {
    for r in d.records() {
        app.dns.set(&r.name, &r.value);
    }
}

#[tokio::test]
async fn mail_signed_with_the_schools_dkim_key_verifies_after_a_real_smtp_hop() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let res = b.post_form("/admin/settings/email/domains", &[("domain", "Acme-Mail.test")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = domain_of(&app, &acme, "acme-mail.test").await;
    let (_, html) = b.page("/admin/settings/email").await;
    let html = html.replace("&#x2f;", "/");
    assert!(html.contains("lyceum2026._domainkey.acme-mail.test") && html.contains(&d.public_key), "{html}");
    assert!(html.contains("_dmarc.acme-mail.test") && html.contains("v=spf1 include:"));

    let raw = "From: Acme <news@acme-mail.test>\r\n\
               To: ann@example.org\r\n\
               Subject: Spring course\r\n\
               Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n\
               Message-ID: <d1@acme-mail.test>\r\n\
               MIME-Version: 1.0\r\n\
               Content-Type: text/plain; charset=utf-8\r\n\
               List-Unsubscribe: <https://acme.test/u/abc>\r\n\
               List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\
               \r\n\
               Hello Ann,\r\nthe spring course opens today.\r\n";

    // Not signed until the DKIM record is found in DNS.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let none = deliverability::dkim_header(&app.state, &mut tx, "news@acme-mail.test", raw.as_bytes()).await.unwrap();
    assert!(none.is_none());
    tx.commit().await.unwrap();
    publish(&app, &d);
    let res = b.post_form(&format!("/admin/settings/email/domains/{}/check", d.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let header = deliverability::dkim_header(&app.state, &mut tx, "news@acme-mail.test", raw.as_bytes())
        .await
        .unwrap()
        .expect("signed");
    tx.commit().await.unwrap();
    assert!(
        header.starts_with("DKIM-Signature:") && header.contains("d=acme-mail.test") && header.contains("s=lyceum2026")
    );
    assert!(header.to_ascii_lowercase().contains("list-unsubscribe-post"));
    let signed = format!("{header}\r\n{raw}");

    // Through a real SMTP server on loopback.
    let sink = kernel::testing::smtp::start().await.unwrap();
    let transport = kernel::mail::transport(&sink.url).unwrap();
    let envelope =
        Envelope::new(Some("bounces@acme-mail.test".parse().unwrap()), vec!["ann@example.org".parse().unwrap()])
            .unwrap();
    transport.send_raw(&envelope, signed.as_bytes()).await.unwrap();
    let received = sink.received.lock().unwrap()[0].data.replace('\n', "\r\n");

    // Verified by mail-auth, with the published TXT record fed to its resolver cache.
    let auth =
        MessageAuthenticator::new(ResolverConfig::from_parts(None, vec![], vec![]), ResolverOpts::default()).unwrap();
    let table = TxtTable::default();
    for name in ["lyceum2026._domainkey.acme-mail.test.", "lyceum2026._domainkey.acme-mail.test"] {
        table.0.lock().unwrap().insert(name.into(), DomainKey::parse(d.dkim_value().as_bytes()).unwrap().into());
    }
    let message = AuthenticatedMessage::parse(received.as_bytes()).expect("parsed");
    let out = auth.verify_dkim(Parameters::new(&message).with_txt_cache(&table)).await;
    assert!(
        matches!(out.last().expect("a signature").result(), DkimResult::Pass),
        "{:?}",
        out.last().unwrap().result()
    );

    // A changed body fails.
    let tampered = received.replace("opens today", "opens tomorrow");
    let message = AuthenticatedMessage::parse(tampered.as_bytes()).unwrap();
    let out = auth.verify_dkim(Parameters::new(&message).with_txt_cache(&table)).await;
    assert!(!matches!(out.last().unwrap().result(), DkimResult::Pass));
}

#[tokio::test]
async fn the_dns_check_tells_found_missing_and_wrong_records_apart() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    b.post_form("/admin/settings/email/domains", &[("domain", "acme.test")]).await;
    let d = domain_of(&app, &acme, "acme.test").await;
    // Bad input refused with a message.
    let res = b.post_form("/admin/settings/email/domains", &[("domain", "not a domain")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = b.post_form("/admin/settings/email/domains", &[("domain", "acme.test")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let (_, html) = b.page("/admin/settings/email").await;
    assert!(html.contains("data-status=\"unchecked\""));
    app.dns.set(
        "lyceum2026._domainkey.acme.test",
        "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsomeoneelse",
    );
    app.dns.set("acme.test", &d.records()[1].value);
    let res = b.post_form(&format!("/admin/settings/email/domains/{}/check", d.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = domain_of(&app, &acme, "acme.test").await;
    assert_eq!(
        (d.dkim_status.as_deref(), d.spf_status.as_deref(), d.dmarc_status.as_deref()),
        (Some("wrong"), Some("found"), Some("missing"))
    );
    let (_, html) = b.page("/admin/settings/email").await;
    assert!(html.contains("Wrong value") && html.contains("Missing") && html.contains("Found"), "{html}");

    app.dns.remove("lyceum2026._domainkey.acme.test");
    publish(&app, &d);
    b.post_form(&format!("/admin/settings/email/domains/{}/check", d.id), &[]).await;
    let d = domain_of(&app, &acme, "acme.test").await;
    assert_eq!(d.dkim_status.as_deref(), Some("found"));
    assert_eq!(d.dmarc_status.as_deref(), Some("found"));
}

async fn hook_url(app: &TestApp, school: &crate::support::TestSchool) -> String {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let s = deliverability::settings_store::ensure(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    format!("/hooks/email/bounces/{}", s.bounce_token)
}

async fn post_raw(app: &TestApp, slug: &str, path: &str, body: String, json: bool) -> reqwest::Response {
    let client = reqwest::Client::new();
    let ct = if json { "application/json" } else { "message/rfc822" };
    client
        .post(format!("http://127.0.0.1:{}{path}", app.addr.port()))
        .header("host", format!("{slug}.localhost"))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn delivery_flags(
    app: &TestApp,
    school: &crate::support::TestSchool,
    id: marketing::email::DeliveryId,
) -> (bool, bool) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let row: (bool, bool) = sqlx::query_as(
        "select bounced_at is not null, complained_at is not null from email_deliveries where tenant_id = $1 and id = $2",
    )
    .bind(school.school.id)
    .bind(id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    row
}

#[tokio::test]
async fn bounces_and_complaints_come_back_through_the_webhook() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let ids = sent(&app, &acme, 4).await;
    let url = hook_url(&app, &acme).await;
    let mid = |id: &marketing::email::DeliveryId| format!("<{id}@mail.test>");

    // A hard bounce (5.1.1) suppresses the address; the next send checks the list.
    let res = post_raw(&app, "acme", &url, dsn("user0@list.test", "5.1.1", &mid(&ids[0])), false).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(delivery_flags(&app, &acme, ids[0]).await, (true, false));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(suppression::is_suppressed(&mut tx, "USER0@list.test").await.unwrap());
    let (reason, kind): (String, String) = sqlx::query_as(
        "select c.suppression_reason, (select kind from email_events where tenant_id = $1 and delivery_id = $2)
         from contacts c where c.tenant_id = $1 and c.email = 'user0@list.test'",
    )
    .bind(acme.school.id)
    .bind(ids[0])
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!((reason.as_str(), kind.as_str()), ("bounce", "bounce"));
    let (events,): (i64,) =
        sqlx::query_as("select count(*) from events where tenant_id = $1 and kind = 'email.bounced'")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    assert_eq!(events, 1);

    // A soft bounce (4.2.2) is recorded only.
    tx.commit().await.unwrap();
    let res = post_raw(&app, "acme", &url, dsn("user1@list.test", "4.2.2", &mid(&ids[1])), false).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(delivery_flags(&app, &acme, ids[1]).await, (false, false));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(!suppression::is_suppressed(&mut tx, "user1@list.test").await.unwrap());
    tx.commit().await.unwrap();

    // An ARF complaint, and Postmark's spam-complaint webhook.
    let res = post_raw(&app, "acme", &url, arf("user2@list.test", &mid(&ids[2])), false).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(delivery_flags(&app, &acme, ids[2]).await, (false, true));
    let pm = serde_json::json!({ "RecordType": "SpamComplaint", "MessageID": format!("{}@mail.test", ids[3]), "Email": "user3@list.test" });
    let res = post_raw(&app, "acme", &url, pm.to_string(), true).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(delivery_flags(&app, &acme, ids[3]).await, (false, true));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let list = suppression::list(&mut tx, None, 10).await.unwrap();
    tx.commit().await.unwrap();
    let reasons: Vec<(&str, &str)> = list.iter().map(|s| (s.email.as_str(), s.reason.as_str())).collect();
    assert!(reasons.contains(&("user2@list.test", "complaint")) && reasons.contains(&("user3@list.test", "complaint")));

    // Unknown message: 202, nothing changed.
    let res = post_raw(&app, "acme", &url, dsn("who@else.test", "5.1.1", "<nope@nowhere>"), false).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(!suppression::is_suppressed(&mut tx, "who@else.test").await.unwrap());
    assert_eq!(suppression::list(&mut tx, None, 10).await.unwrap().len(), 3);
    tx.commit().await.unwrap();

    // A forged token, or acme's token on another school's site: 404.
    let _globex = app.school("globex").await;
    let res =
        post_raw(&app, "acme", "/hooks/email/bounces/forged", dsn("user1@list.test", "5.1.1", &mid(&ids[1])), false)
            .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = post_raw(&app, "globex", &url, dsn("user1@list.test", "5.1.1", &mid(&ids[1])), false).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn warm_up_doubles_daily_up_to_the_plans_limit() {
    let plan = kernel::plan::Plan::named("starter");
    let start = chrono::Utc::now();
    let at = |d: i64| start + chrono::Duration::days(d) + chrono::Duration::hours(1);
    assert_eq!(limits::daily_limit(&plan, Some(start), at(0)), 200);
    assert_eq!(limits::daily_limit(&plan, Some(start), at(1)), 400);
    assert_eq!(limits::daily_limit(&plan, Some(start), at(5)), 6_400);
    assert_eq!(limits::daily_limit(&plan, Some(start), at(10)), 20_000);
    assert_eq!(limits::daily_limit(&plan, Some(start), at(400)), 20_000);
    let trial = kernel::plan::Plan::named("trial");
    assert_eq!(limits::daily_limit(&trial, Some(start), at(30)), 1_000);

    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let a = deliverability::allowance(&app.state, &mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((a.daily_limit, a.remaining_today, a.held.clone()), (200, 200, None));
    sent(&app, &acme, 50).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let a = deliverability::allowance(&app.state, &mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((a.sent_today, a.remaining_today), (50, 150));
    app.state.clock.advance(chrono::Duration::days(2));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let a = deliverability::allowance(&app.state, &mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((a.daily_limit, a.remaining_today), (800, 800));
}

#[tokio::test]
async fn a_complaint_rate_of_three_in_a_thousand_holds_sending_until_staff_lift_it() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let ids = sent(&app, &acme, 400).await;
    let url = hook_url(&app, &acme).await;
    // One complaint in 400 is 0.25 %: under the line.
    post_raw(&app, "acme", &url, arf("user0@list.test", &format!("<{}@mail.test>", ids[0])), false).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(deliverability::allowance(&app.state, &mut tx).await.unwrap().held.is_none());
    tx.commit().await.unwrap();
    // Two are 0.5 %: held, and the owner is told once.
    post_raw(&app, "acme", &url, arf("user1@list.test", &format!("<{}@mail.test>", ids[1])), false).await;
    for _ in 0..2 {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let a = deliverability::allowance(&app.state, &mut tx).await.unwrap();
        tx.commit().await.unwrap();
        assert!(a.held.as_deref().is_some_and(|r| r.contains("complaint rate")), "{a:?}");
    }
    let told: Vec<_> = app.mails(&acme).await.into_iter().filter(|m| m.subject.contains("paused")).collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].to_email, acme.owner_email);

    let b = owner(&app, &acme).await;
    let (_, html) = b.page("/admin/settings/email").await;
    assert!(html.contains("data-hold") && html.contains("0.3%"), "{html}");
    let res = b.post_form("/admin/settings/email/hold/lift", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(deliverability::allowance(&app.state, &mut tx).await.unwrap().held.is_none());
    tx.commit().await.unwrap();
    let (_, html) = b.page("/admin/settings/email").await;
    assert!(!html.contains("data-hold"));
}

#[tokio::test]
async fn staff_keep_the_suppression_list_and_other_schools_get_404() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (status, html) = b.page("/admin/settings/email/suppressions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nobody is suppressed"));

    let res = b.post_form("/admin/settings/email/suppressions", &[("email", "Spam.Trap@Example.org")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = b.post_form("/admin/settings/email/suppressions", &[("email", "not-an-address")]).await;
    assert_eq!(location(&res), "/admin/settings/email/suppressions");
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    suppression::suppress(&mut tx, "angry@example.org", "complaint", "abuse").await.unwrap();
    tx.commit().await.unwrap();

    let (_, html) = b.page("/admin/settings/email/suppressions?q=spam").await;
    assert!(html.contains("spam.trap@example.org") && !html.contains("angry@example.org"));
    let res = b.get("/admin/settings/email/suppressions.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("email,reason,detail,added_at") && csv.contains("spam.trap@example.org,manual"));
    assert!(csv.contains("angry@example.org,complaint"));

    // A complaint cannot be removed by hand; a manual entry can.
    b.post_form("/admin/settings/email/suppressions/remove", &[("email", "angry@example.org")]).await;
    b.post_form("/admin/settings/email/suppressions/remove", &[("email", "spam.trap@example.org")]).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(suppression::is_suppressed(&mut tx, "angry@example.org").await.unwrap());
    assert!(!suppression::is_suppressed(&mut tx, "spam.trap@example.org").await.unwrap());
    tx.commit().await.unwrap();

    // Settings save.
    let res = b
        .post_form("/admin/settings/email", &[("postal_address", "1 Main St, Springfield"), ("tracking_enabled", "")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let s = deliverability::settings(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((s.postal_address.as_str(), s.tracking_enabled), ("1 Main St, Springfield", false));

    // Another school's owner: acme's domain ids are 404 on their own site; acme's pages need a login.
    b.post_form("/admin/settings/email/domains", &[("domain", "acme.test")]).await;
    let d = domain_of(&app, &acme, "acme.test").await;
    let globex = app.school("globex").await;
    let g = owner(&app, &globex).await;
    for action in ["check", "remove"] {
        let res = g.post_form(&format!("/admin/settings/email/domains/{}/{action}", d.id), &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{action}");
    }
    let (_, html) = g.page("/admin/settings/email/suppressions").await;
    assert!(!html.contains("angry@example.org"));
    let (_, html) = g.page("/admin/settings/email").await;
    assert!(!html.contains("acme.test"));
    let visitor = app.browser("acme");
    for path in
        ["/admin/settings/email", "/admin/settings/email/suppressions", "/admin/settings/email/suppressions.csv"]
    {
        assert_ne!(visitor.get(path).await.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn the_schools_transactional_mail_is_signed_too() {
    let sink = kernel::testing::smtp::start().await.unwrap();
    let url = sink.url.clone();
    let app = TestApp::with(move |c| c.smtp_url = Some(url.into())).await;
    let acme = app.school("acme").await;
    let from = kernel::mail::platform_address(&app.state.config.mail_from);
    let domain = from.rsplit_once('@').unwrap().1.to_string();
    let b = owner(&app, &acme).await;
    b.post_form("/admin/settings/email/domains", &[("domain", &domain)]).await;
    let d = domain_of(&app, &acme, &domain).await;
    publish(&app, &d);
    b.post_form(&format!("/admin/settings/email/domains/{}/check", d.id), &[]).await;

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let mail = kernel::mail::OutgoingMail {
        to_email: "ann@example.org".into(),
        to_name: "Ann".into(),
        from_email: from.clone(),
        from_name: "Acme".into(),
        reply_to: None,
        subject: "Signed receipt".into(),
        html: "<p>Thanks</p>".into(),
        text: "Thanks".into(),
        template: "test".into(),
    };
    kernel::mail::queue(&mut tx, &mail).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    let data = sink
        .received
        .lock()
        .unwrap()
        .iter()
        .find(|m| m.data.contains("Signed receipt"))
        .expect("sent")
        .data
        .replace('\n', "\r\n");
    assert!(data.starts_with("DKIM-Signature:"), "{data}");
    let auth =
        MessageAuthenticator::new(ResolverConfig::from_parts(None, vec![], vec![]), ResolverOpts::default()).unwrap();
    let table = TxtTable::default();
    let name = format!("lyceum2026._domainkey.{domain}");
    for n in [format!("{name}."), name] {
        table.0.lock().unwrap().insert(n.into(), DomainKey::parse(d.dkim_value().as_bytes()).unwrap().into());
    }
    let message = AuthenticatedMessage::parse(data.as_bytes()).expect("parsed");
    let out = auth.verify_dkim(Parameters::new(&message).with_txt_cache(&table)).await;
    assert!(
        matches!(out.last().expect("a signature").result(), DkimResult::Pass),
        "{:?}",
        out.last().unwrap().result()
    );
}

#[tokio::test]
async fn amazon_ses_bounces_and_complaints_arrive_through_sns() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let ids = sent(&app, &acme, 2).await;
    let url = hook_url(&app, &acme).await;
    let sns = |message: serde_json::Value| {
        serde_json::json!({ "Type": "Notification", "MessageId": "sns-1", "Message": message.to_string() }).to_string()
    };

    let bounce = serde_json::json!({
        "notificationType": "Bounce",
        "bounce": { "bounceType": "Permanent", "bounceSubType": "General",
                    "bouncedRecipients": [{ "emailAddress": "user0@list.test", "status": "5.1.1",
                                            "diagnosticCode": "smtp; 550 5.1.1 user unknown" }] },
        "mail": { "messageId": "0100018c-ses-own-id", "commonHeaders": { "messageId": format!("<{}@mail.test>", ids[0]) } }
    });
    let res = post_raw(&app, "acme", &url, sns(bounce), true).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(delivery_flags(&app, &acme, ids[0]).await, (true, false));

    let complaint = serde_json::json!({
        "notificationType": "Complaint",
        "complaint": { "complainedRecipients": [{ "emailAddress": "user1@list.test" }], "complaintFeedbackType": "abuse" },
        "mail": { "headers": [{ "name": "Message-ID", "value": format!("<{}@mail.test>", ids[1]) }] }
    });
    let res = post_raw(&app, "acme", &url, sns(complaint), true).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(delivery_flags(&app, &acme, ids[1]).await, (false, true));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert!(suppression::is_suppressed(&mut tx, "user0@list.test").await.unwrap());
    assert!(suppression::is_suppressed(&mut tx, "user1@list.test").await.unwrap());
    tx.commit().await.unwrap();

    // A delivery notice changes nothing; a confirmation pointing anywhere but Amazon SNS is refused
    // without being fetched.
    let res =
        post_raw(&app, "acme", &url, sns(serde_json::json!({ "notificationType": "Delivery", "mail": {} })), true)
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    let confirm =
        serde_json::json!({ "Type": "SubscriptionConfirmation", "SubscribeURL": format!("{}/internal", app.app_url) });
    let res = post_raw(&app, "acme", &url, confirm.to_string(), true).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
