//! A visitor opting in: from a built page (contact, tags, consent, UTM source, event, lead magnet
//! mail and a guarded download that expires), with double opt-in, a free course, and the bad
//! cases (malformed email, missing consent, bots, too many tries).

use reqwest::StatusCode;

use crate::{
    courses_support::{events, published_course},
    marketing_forms_support::{GUIDE, count, library_file, new_form, opt_in},
    marketing_support::{new_page, owner, publish},
    support::{TestApp, location},
};

#[tokio::test]
async fn a_visitor_opts_in_from_a_page_and_downloads_the_lead_magnet() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let file = library_file(&app, &acme).await.to_string();
    let id = new_form(&b, &[("magnet", "file"), ("magnet_media_id", &file)]).await;
    let page_path = new_page(&b, "Spring", "spring", "blank").await;
    publish(&b, &page_path).await;
    let page_id = page_path.trim_start_matches("/admin/pages/").to_string();
    let visitor = app.browser("acme");

    // Mistakes: shown beside the fields, what was typed kept, nothing stored.
    let res = opt_in(&app, &visitor, &id, &[("email", "ana@example"), ("first_name", "Ana")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("This doesn’t look like an email address.") && html.contains("value=\"ana@example\""),
        "{html}"
    );
    assert!(html.contains("Please tick the box to agree.") && html.contains("value=\"Ana\""), "{html}");
    let res = opt_in(&app, &visitor, &id, &[("email", ""), ("consent", "yes")]).await;
    assert!(res.text().await.unwrap().contains("Enter your email address."));
    assert_eq!(count(&app, &acme, "select count(*) from contacts where tenant_id = $1").await, 0);

    let fields = [
        ("email", " Ana@Example.com "),
        ("first_name", "Ana"),
        ("consent", "yes"),
        ("page_id", page_id.as_str()),
        ("variant", "b"),
    ];
    let res = opt_in(&app, &visitor, &id, &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("You’re in!"));

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let c = marketing::store::contact_by_email(&mut tx, "ana@example.com").await.unwrap().unwrap();
    let tags = marketing::store::tags_of(&mut tx, c.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((c.status.as_str(), c.first_name.as_str()), ("subscribed", "Ana"));
    assert_eq!(tags, ["lead", "spring"]);
    let consent = c.consent.unwrap();
    assert_eq!(consent["text"], "I agree to receive emails.");
    assert!(consent["ip"].as_str().is_some_and(|ip| !ip.is_empty()) && consent["at"].is_string());
    assert_eq!(c.source["kind"], "form");
    assert_eq!(c.source["form_id"], id.as_str());
    assert_eq!(c.source["page_id"], page_id.as_str());
    assert_eq!(c.source["utm_source"], "newsletter");
    assert_eq!(c.source["utm_campaign"], "launch");
    assert_eq!(events(&app, &acme, "form.submitted").await, 1);
    let payload: serde_json::Value = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let p = sqlx::query_scalar("select payload from events where tenant_id = $1 and kind = 'form.submitted'")
            .bind(acme.school.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        p
    };
    assert_eq!(payload["variant"], "b");
    assert_eq!(payload["utm"]["utm_source"], "newsletter");
    assert_eq!(payload["contact_id"], c.id.to_string());
    assert_eq!(count(&app, &acme, "select count(*) from form_submissions where tenant_id = $1").await, 1);

    // The lead magnet arrives by mail; its link downloads the file, a few times only.
    app.run_jobs().await;
    let mail = app.mails(&acme).await.into_iter().find(|m| m.template == "marketing/mail/lead_file").unwrap();
    assert_eq!(mail.to_email, "ana@example.com");
    assert!(mail.subject.contains("Spring guide") && mail.html.contains("Download"), "{}", mail.html);
    let link = app.link_in_mail(&acme, "ana@example.com", "/lm/").await;
    let downloader = app.browser("acme");
    for _ in 0..marketing::lead_magnet::MAX_USES {
        let res = downloader.get(&link).await;
        assert_eq!(res.status(), StatusCode::OK);
        let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(disposition.starts_with("attachment") && disposition.contains("spring-guide.pdf"), "{disposition}");
        assert_eq!(res.bytes().await.unwrap().as_ref(), GUIDE);
    }
    let res = downloader.get(&link).await;
    assert_eq!(res.status(), StatusCode::GONE);
    let html = res.text().await.unwrap();
    assert!(html.contains("This download link has expired") && html.contains("Email me a fresh link"), "{html}");
    let token = link.rsplit('/').next().unwrap();
    let res = downloader.post_form(&format!("/lm/{token}/resend"), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let sent = app.mails(&acme).await.iter().filter(|m| m.template == "marketing/mail/lead_file").count();
    assert_eq!(sent, 2);

    // After 30 days a fresh link expires too; a forged one is simply unknown.
    let fresh = app.link_in_mail(&acme, "ana@example.com", "/lm/").await;
    app.state.clock.advance(chrono::Duration::days(31));
    assert_eq!(downloader.get(&fresh).await.status(), StatusCode::GONE);
    let (status, html) = downloader.page("/lm/forged-token-123").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("This download link doesn’t work"), "{html}");
}

#[tokio::test]
async fn with_double_opt_in_the_lead_magnet_waits_for_the_confirmation_link() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let file = library_file(&app, &acme).await.to_string();
    let thanks = new_page(&b, "Thank you", "thanks", "blank").await;
    publish(&b, &thanks).await;
    let thanks_id = thanks.trim_start_matches("/admin/pages/").to_string();
    let id = new_form(
        &b,
        &[
            ("double_opt_in", "on"),
            ("magnet", "file"),
            ("magnet_media_id", &file),
            ("after", "page"),
            ("thank_you_page_id", &thanks_id),
        ],
    )
    .await;
    let visitor = app.browser("acme");
    let res = opt_in(&app, &visitor, &id, &[("email", "bo@example.com"), ("consent", "yes")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/p/thanks");

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let c = marketing::store::contact_by_email(&mut tx, "bo@example.com").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(c.status, "pending");
    assert_eq!(events(&app, &acme, "contact.subscribed").await, 0);
    app.run_jobs().await;
    let mails = app.mails(&acme).await;
    assert!(mails.iter().any(|m| m.template == "marketing/mail/form_confirm"));
    assert!(!mails.iter().any(|m| m.template == "marketing/mail/lead_file"));
    let token_hashes = count(
        &app,
        &acme,
        "select count(*) from form_submissions where tenant_id = $1 and length(confirm_token_hash) = 64",
    )
    .await;
    assert_eq!(token_hashes, 1);

    let link = app.link_in_mail(&acme, "bo@example.com", "/f/confirm/").await;
    let res = visitor.get(&link).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/p/thanks");
    assert_eq!(events(&app, &acme, "contact.subscribed").await, 1);
    app.run_jobs().await;
    assert!(
        app.mails(&acme)
            .await
            .iter()
            .any(|m| m.template == "marketing/mail/lead_file" && m.to_email == "bo@example.com")
    );
    // Single use: a second click changes nothing.
    let (status, html) = visitor.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Already confirmed"), "{html}");
    assert_eq!(app.mails(&acme).await.iter().filter(|m| m.template == "marketing/mail/lead_file").count(), 1);
    let (status, _) = visitor.page("/f/confirm/not-a-real-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A link older than a week has expired and offers to sign up again.
    opt_in(&app, &app.browser("acme"), &id, &[("email", "late@example.com"), ("consent", "yes")]).await;
    let late = app.link_in_mail(&acme, "late@example.com", "/f/confirm/").await;
    app.state.clock.advance(chrono::Duration::days(8));
    let (status, html) = visitor.page(&late).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("This link has expired") && html.contains("Sign up again"), "{html}");
}

#[tokio::test]
async fn a_free_course_enrols_the_visitor() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let course = published_course(&app, &acme, "Rust basics", &[("Start", &[("Hello", "text")])]).await;
    let cid = course.course.id.to_string();
    let id = new_form(&b, &[("magnet", "course"), ("magnet_course_id", &cid)]).await;
    let res = opt_in(
        &app,
        &app.browser("acme"),
        &id,
        &[("email", "cy@example.com"), ("first_name", "Cy"), ("consent", "yes")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(count(&app, &acme, "select count(*) from enrollments where tenant_id = $1").await, 1);
    app.run_jobs().await;
    let mail = app.mails(&acme).await.into_iter().find(|m| m.template == "marketing/mail/lead_course").unwrap();
    assert!(mail.text.contains("/learn/rust-basics") && mail.subject.contains("Rust basics"), "{}", mail.text);
}

#[tokio::test]
async fn bots_get_a_quiet_answer_and_too_many_tries_are_refused() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let id = new_form(&owner(&app, &acme).await, &[("consent_required", "")]).await;
    let visitor = app.browser("acme");

    // The hidden field filled in, or posted the moment the form was drawn: looks fine, keeps nothing.
    let res = opt_in(&app, &visitor, &id, &[("email", "bot@example.com"), ("website", "http://spam.example")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("You’re in!"));
    let (_, html) = visitor.page(&format!("/f/{id}")).await;
    let fresh = html.split("name=\"_stamp\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let res = visitor
        .client
        .post(visitor.url(&format!("/f/{id}")))
        .form(&[("email", "fast@example.com"), ("_stamp", fresh.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = visitor
        .client
        .post(visitor.url(&format!("/f/{id}")))
        .form(&[("email", "forged@example.com"), ("_stamp", "1.abc")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(count(&app, &acme, "select count(*) from contacts where tenant_id = $1").await, 0);
    assert_eq!(count(&app, &acme, "select count(*) from form_submissions where tenant_id = $1").await, 0);

    // htmx gets the form alone back.
    let s = crate::marketing_forms_support::stamp(&app);
    let res = visitor
        .client
        .post(visitor.url(&format!("/f/{id}")))
        .header("hx-request", "true")
        .form(&[("email", "nope"), ("_stamp", s.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(!html.contains("<html") && html.contains("This doesn’t look like an email address."), "{html}");

    // Past the limit, a clear message and 429.
    let mut last = None;
    for i in 0..10 {
        let email = format!("p{i}@example.com");
        last = Some(opt_in(&app, &visitor, &id, &[("email", email.as_str())]).await);
    }
    let res = last.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.unwrap().contains("Too many attempts."));
}

#[tokio::test]
async fn one_address_signed_up_again_and_again_is_refused_past_a_few_an_hour() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let id = new_form(&owner(&app, &acme).await, &[("consent_required", "")]).await;
    let mut statuses = vec![];
    for _ in 0..6 {
        // A fresh browser each time; the address is what is counted here.
        let res = opt_in(&app, &app.browser("acme"), &id, &[("email", "victim@example.com")]).await;
        statuses.push(res.status());
    }
    assert!(statuses[..5].iter().all(|s| *s == StatusCode::OK), "{statuses:?}");
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(count(&app, &acme, "select count(*) from form_submissions where tenant_id = $1").await, 5);
}
