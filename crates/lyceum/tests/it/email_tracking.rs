//! Tracking: the open pixel (Apple Mail Privacy Protection flagged), signed click links that
//! cannot become an open redirect, one-click unsubscribe, forged tokens, another school's token.

use marketing::email::tracking;
use reqwest::StatusCode;

use crate::{
    email_tracking_support::{From, count, email, hrefs, path_of, sent, subscriber},
    support::TestApp,
};

const OPENS: &str = "select count(*) from email_events where tenant_id = $1 and kind = 'open'";
const HUMAN_OPENS: &str = "select count(*) from email_events where tenant_id = $1 and kind = 'open' and not machine";
const MACHINE_OPENS: &str = "select count(*) from email_events where tenant_id = $1 and kind = 'open' and machine";
const CLICKS: &str = "select count(*) from email_events where tenant_id = $1 and kind = 'click'";

#[tokio::test]
async fn the_pixel_records_one_open_and_flags_apple_privacy_opens() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let ana = subscriber(&app, &acme, "ana@example.com").await;
    let mail = email(&app, &acme).await;
    let d = sent(&app, &acme, mail, Some(ana), "ana@example.com", From::default()).await;
    let token = tracking::token(&app.state, d);
    let b = app.browser("acme");

    let res = b
        .client
        .get(b.url(&format!("/e/o/{token}.gif")))
        .header("user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/gif");
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("no-store"));
    assert_eq!(&res.bytes().await.unwrap()[..6], b"GIF89a");
    assert_eq!(count(&app, &acme, HUMAN_OPENS).await, 1);
    assert_eq!(count(&app, &acme, MACHINE_OPENS).await, 0);
    let opened = "select count(*) from email_deliveries where tenant_id = $1 and opened_at is not null";
    assert_eq!(count(&app, &acme, opened).await, 1);
    let published = "select count(*) from events where tenant_id = $1 and kind = 'email.opened'";
    assert_eq!(count(&app, &acme, published).await, 1);

    // Apple's proxy fetches with a bare `Mozilla/5.0`: recorded, flagged, not a person's open.
    let res =
        b.client.get(b.url(&format!("/e/o/{token}.gif"))).header("user-agent", "Mozilla/5.0").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(count(&app, &acme, MACHINE_OPENS).await, 1);
    assert_eq!(count(&app, &acme, published).await, 1, "email.opened once, for the first human open");

    // A forged or altered token records nothing.
    let forged = format!("{d}.{}", "0".repeat(24));
    let other = marketing::email::DeliveryId::new();
    let swapped = format!("{other}.{}", token.split_once('.').unwrap().1);
    for t in [forged, swapped, "nonsense".to_string()] {
        assert_eq!(b.get(&format!("/e/o/{t}.gif")).await.status(), StatusCode::NOT_FOUND, "{t}");
    }
    assert_eq!(count(&app, &acme, OPENS).await, 2);
}

#[tokio::test]
async fn a_signed_click_redirects_and_records_and_an_altered_one_does_not() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let ana = subscriber(&app, &acme, "ana@example.com").await;
    let mail = email(&app, &acme).await;
    let d = sent(&app, &acme, mail, Some(ana), "ana@example.com", From::default()).await;
    let base = acme.school.base_url.clone();
    let links = tracking::links(&app.state, &base, d);
    let html = format!(
        r##"<html><body><a href="https://shop.example/p?x=1&amp;y=2">Buy</a> <a href="mailto:hi@acme.test">Mail</a>
        <a href="#top">Top</a> <a href="{}">Unsubscribe</a> <a href="{}">Preferences</a></body></html>"##,
        links.unsubscribe, links.preferences
    );

    // Tracking off: untouched.
    assert_eq!(tracking::decorate(&app.state, &base, d, &html, false), html);

    let out = tracking::decorate(&app.state, &base, d, &html, true);
    let all = hrefs(&out);
    assert_eq!(all.len(), 5, "{out}");
    assert!(all[0].starts_with(&format!("{base}/e/c/")), "{out}");
    assert_eq!(&all[1..], ["mailto:hi@acme.test", "#top", links.unsubscribe.as_str(), links.preferences.as_str()]);
    let pixel = out.find("/e/o/").expect("the pixel");
    assert!(pixel < out.find("</body>").unwrap());

    let b = app.browser("acme");
    let click = path_of(&all[0]);
    // A changed target or signature: no redirect, nothing recorded.
    let evil = click.replace("shop.example", "evil.example");
    let bad_sig = format!("{}0", click.trim_end_matches(|c: char| c.is_ascii_hexdigit()));
    let other_index = click.replacen("/0?", "/1?", 1);
    for path in [evil, bad_sig, other_index] {
        let res = b.get(&path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(res.headers().get("location").is_none());
    }
    assert_eq!(count(&app, &acme, CLICKS).await, 0);

    let res = b.get(&click).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "https://shop.example/p?x=1&y=2");
    assert_eq!(count(&app, &acme, CLICKS).await, 1);
    let url: String = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        sqlx::query_scalar("select url from email_events where kind = 'click'").fetch_one(&mut *tx).await.unwrap()
    };
    assert_eq!(url, "https://shop.example/p?x=1&y=2");
    let marked = "select count(*) from email_deliveries where tenant_id = $1 and clicked_at is not null
                  and opened_at is not null";
    assert_eq!(count(&app, &acme, marked).await, 1, "a click counts as an open when none was seen");
    assert_eq!(count(&app, &acme, HUMAN_OPENS).await, 1);
    let published = "select count(*) from events where tenant_id = $1 and kind = 'email.clicked'";
    assert_eq!(count(&app, &acme, published).await, 1);
}

#[tokio::test]
async fn one_click_unsubscribe_needs_no_csrf_and_a_get_only_asks() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let ana = subscriber(&app, &acme, "ana@example.com").await;
    let mail = email(&app, &acme).await;
    let d = sent(&app, &acme, mail, Some(ana), "ana@example.com", From::default()).await;
    let links = tracking::links(&app.state, &acme.school.base_url, d);
    let path = path_of(&links.unsubscribe);
    let b = app.browser("acme");

    // A link scanner's GET changes nothing.
    let (status, page) = b.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Unsubscribe from School acme?") && page.contains(r#"method="post""#), "{page}");
    let suppressed = "select count(*) from suppressions where tenant_id = $1 and reason = 'unsubscribe'";
    assert_eq!(count(&app, &acme, suppressed).await, 0);
    let out = "select count(*) from contacts where tenant_id = $1 and status = 'unsubscribed'";
    assert_eq!(count(&app, &acme, out).await, 0);

    // RFC 8058: a mail client posts with no cookie and no token; twice is the same as once.
    let client = reqwest::Client::builder().resolve("acme.localhost", app.addr).build().unwrap();
    for _ in 0..2 {
        let res = client
            .post(b.url(&path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await.unwrap().contains("You&#x27;re unsubscribed from School acme"));
    }
    assert_eq!(count(&app, &acme, suppressed).await, 1);
    assert_eq!(count(&app, &acme, out).await, 1);
    let events = "select count(*) from email_events where tenant_id = $1 and kind = 'unsubscribe'";
    assert_eq!(count(&app, &acme, events).await, 1);
    let published = "select count(*) from events where tenant_id = $1 and kind = 'contact.unsubscribed'";
    assert_eq!(count(&app, &acme, published).await, 1);
    let marked = "select count(*) from email_deliveries where tenant_id = $1 and unsubscribed_at is not null";
    assert_eq!(count(&app, &acme, marked).await, 1);
    let (_, page) = b.page(&path).await;
    assert!(page.contains("unsubscribed from School acme"), "{page}");

    // Forged: a 404 and nothing recorded.
    let forged = format!("/e/u/{d}.{}", "a".repeat(24));
    let res = client.post(b.url(&forged)).body("List-Unsubscribe=One-Click").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(b.get(&forged).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(count(&app, &acme, events).await, 1);
}

#[tokio::test]
async fn a_token_of_one_school_is_a_404_on_another() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let _globex = app.school("globex").await;
    let ana = subscriber(&app, &acme, "ana@example.com").await;
    let mail = email(&app, &acme).await;
    let d = sent(&app, &acme, mail, Some(ana), "ana@example.com", From::default()).await;
    let base = acme.school.base_url.clone();
    let links = tracking::links(&app.state, &base, d);
    let out = tracking::decorate(&app.state, &base, d, r#"<a href="https://x.example/">x</a>"#, true);
    let click = path_of(&hrefs(&out)[0]);
    let token = tracking::token(&app.state, d);

    let g = app.browser("globex");
    for path in [format!("/e/o/{token}.gif"), click, path_of(&links.unsubscribe), path_of(&links.preferences)] {
        assert_eq!(g.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let res = g.post_form_without_csrf(&path_of(&links.unsubscribe), &[("List-Unsubscribe", "One-Click")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = g.post_form_without_csrf(&path_of(&links.preferences), &[("action", "unsubscribe")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(count(&app, &acme, "select count(*) from email_events where tenant_id = $1").await, 0);
    assert_eq!(count(&app, &acme, "select count(*) from suppressions where tenant_id = $1").await, 0);
}
