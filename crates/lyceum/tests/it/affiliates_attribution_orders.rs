//! Who gets a sale: the verified cookie and the link's `ref` carried through checkout, a coupon
//! tied to an affiliate, first- and last-click, forged or foreign cookies, self-referrals, and
//! sign-ups while referred.

use chrono::Utc;
use commerce::affiliates::attribution::Via;
use reqwest::StatusCode;

use crate::{
    affiliates_attribution_support::{
        browser_with_jar, decide, order_attribution, plant, ref_set_cookie, set_attribution, visit,
    },
    affiliates_support::{affiliate, enable},
    commerce_support::{buy, count, offer},
    support::{PASSWORD, TestApp},
};

#[tokio::test]
async fn the_cookie_and_the_link_ref_are_carried_apart_and_ranked() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let bob = affiliate(&app, &acme, "Bob Affiliate", "bob@acme.test", "bob").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;

    // The cookie alone.
    let b = app.browser("acme");
    visit(&b, "/?ref=ana").await;
    buy(&b, "course", "one@example.test", &[]).await;
    let a = order_attribution(&app, &acme).await;
    assert_eq!(a["ref_cookie"], "ana");
    assert!(a.get("ref").is_none());
    let (r, row) = decide(&app, &acme).await;
    let r = r.expect("credited");
    assert_eq!((r.affiliate.id, r.via), (ana.id, Via::Cookie));
    assert_eq!(row.unwrap().0, "credited");
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let linked: bool = sqlx::query_scalar(
        "select exists (select 1 from affiliate_referrals r join affiliate_clicks c on c.id = r.click_id)",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(linked, "the referral keeps the click that set the cookie");

    // Last click: a later click replaces the cookie; the link's ref beats the cookie.
    visit(&b, "/?ref=bob").await;
    buy(&b, "course", "two@example.test", &[]).await;
    assert_eq!(decide(&app, &acme).await.0.unwrap().affiliate.id, bob.id);
    buy(&b, "course", "three@example.test", &[("ref", "ana")]).await;
    let r = decide(&app, &acme).await.0.unwrap();
    assert_eq!((r.affiliate.id, r.via), (ana.id, Via::Link));

    // First click: the earliest cookie stays, and wins over the link.
    set_attribution(&app, &acme, "first_click").await;
    let c = app.browser("acme");
    assert!(ref_set_cookie(&visit(&c, "/?ref=ana").await).is_some());
    assert!(ref_set_cookie(&visit(&c, "/?ref=bob").await).is_none(), "the first cookie is kept");
    buy(&c, "course", "four@example.test", &[("ref", "bob")]).await;
    let r = decide(&app, &acme).await.0.unwrap();
    assert_eq!((r.affiliate.id, r.via), (ana.id, Via::Cookie));
    assert_eq!(count(&app, &acme, "select count(*) from affiliate_clicks where tenant_id = $1").await, 4);

    // The link's ref works with no cookie at all (a browser that blocks it).
    let d = app.browser("acme");
    buy(&d, "course", "five@example.test", &[("ref", "bob")]).await;
    let r = decide(&app, &acme).await.0.unwrap();
    assert_eq!((r.affiliate.id, r.via), (bob.id, Via::Link));
}

#[tokio::test]
async fn forged_expired_and_foreign_cookies_are_ignored_at_checkout() {
    let app = TestApp::new().await;
    let (acme, globex) = (app.school("acme").await, app.school("globex").await);
    for s in [&acme, &globex] {
        enable(&app, s, "approval", 30, 30).await;
        affiliate(&app, s, "Ana Affiliate", &format!("ana@{}.test", s.school.slug), "ana").await;
        offer(&app, s, "course", "one_time", 10_000, &[]).await;
    }
    // A genuine cookie from globex's site.
    let g = app.browser("globex");
    let set = ref_set_cookie(&visit(&g, "/?ref=ana").await).unwrap();
    let foreign = set.trim_start_matches("lyceum_ref=").split(';').next().unwrap().to_string();
    let parts: Vec<&str> = foreign.split('.').collect();
    let now = Utc::now().timestamp();
    let forged = [
        foreign.clone(),
        format!("ana.{}.{now}.{}", parts[1], "0".repeat(64)),
        format!("ana.{}.{now}", parts[1]),
        "ana".to_string(),
    ];
    for (i, value) in forged.iter().enumerate() {
        let (b, jar) = browser_with_jar(&app, "acme");
        plant(&b, &jar, value);
        buy(&b, "course", &format!("buyer{i}@example.test"), &[]).await;
        let a = order_attribution(&app, &acme).await;
        assert!(a.get("ref_cookie").is_none(), "{value} was trusted: {a}");
        assert!(decide(&app, &acme).await.0.is_none(), "{value} credited someone");
    }

    // Acme's own cookie, once older than the cookie window, is ignored too.
    let (b, jar) = browser_with_jar(&app, "acme");
    let set = ref_set_cookie(&visit(&b, "/?ref=ana").await).unwrap();
    let own = set.trim_start_matches("lyceum_ref=").split(';').next().unwrap().to_string();
    app.state.clock.advance(chrono::Duration::days(31));
    plant(&b, &jar, &own);
    buy(&b, "course", "late@example.test", &[]).await;
    assert!(decide(&app, &acme).await.0.is_none(), "an expired cookie credits nobody");
}

fn coupon_fields(affiliate: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("code", "PODCAST"),
        ("discount", "percent"),
        ("percent_off", "10"),
        ("duration", "once"),
        ("applies", "all"),
        ("affiliate", affiliate),
    ]
}

#[tokio::test]
async fn a_coupon_tied_to_an_affiliate_credits_them() {
    let app = TestApp::new().await;
    let (acme, globex) = (app.school("acme").await, app.school("globex").await);
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let bob = affiliate(&app, &acme, "Bob Podcaster", "bob@acme.test", "bob").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (_, form) = owner.page("/admin/coupons/new").await;
    assert!(form.contains("Bob Podcaster · bob"), "approved affiliates are offered");

    // Another school's affiliate: a field error, with what was typed kept.
    enable(&app, &globex, "approval", 30, 30).await;
    let gil = affiliate(&app, &globex, "Gil Globex", "gil@globex.test", "gil").await;
    let res = owner.post_form("/admin/coupons", &coupon_fields(&gil.id.to_string())).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Choose one of your approved affiliates"), "{body}");
    assert!(body.contains("value=\"PODCAST\""));
    assert!(!body.contains("Gil Globex"));
    let res = owner.post_form("/admin/coupons", &coupon_fields("not-an-id")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let res = owner.post_form("/admin/coupons", &coupon_fields(&bob.id.to_string())).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let (_, list) = owner.page("/admin/coupons").await;
    assert!(list.contains("Bob Podcaster (bob)"), "the list shows whose code it is");
    let (_, edit) = owner.page(&crate::support::location(&res)).await;
    assert!(edit.contains(&format!("value=\"{}\" selected", bob.id)), "the form shows the choice");

    // Last click: the coupon beats the link's ref.
    let b = app.browser("acme");
    buy(&b, "course", "listener@example.test", &[("coupon", "PODCAST"), ("ref", "ana")]).await;
    let r = decide(&app, &acme).await.0.expect("credited");
    assert_eq!((r.affiliate.id, r.via), (bob.id, Via::Coupon));
    // First click: the link's ref comes before the coupon.
    set_attribution(&app, &acme, "first_click").await;
    buy(&b, "course", "listener2@example.test", &[("coupon", "PODCAST"), ("ref", "ana")]).await;
    let r = decide(&app, &acme).await.0.expect("credited");
    assert_eq!((r.affiliate.id, r.via), (ana.id, Via::Link));
}

#[tokio::test]
async fn an_affiliate_never_earns_on_their_own_purchase() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    offer(&app, &acme, "guide", "one_time", 2_000, &[]).await;

    // Same account.
    let me = app.browser("acme");
    me.login("ana@acme.test", PASSWORD).await;
    buy(&me, "course", "ana@acme.test", &[("ref", "ana")]).await;
    let (r, row) = decide(&app, &acme).await;
    assert!(r.is_none());
    assert_eq!(row.unwrap(), ("self_referral".to_string(), Some("account".to_string()), "link".to_string()));

    // Same address, another case (an order whose buyer account is not hers).
    let b = app.browser("acme");
    buy(&b, "guide", "someone@example.test", &[("ref", "ana")]).await;
    let order = crate::affiliates_attribution_support::last_order(&app, &acme).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update orders set email = 'ANA@Acme.Test' where id = $1").bind(order).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let (r, row) = decide(&app, &acme).await;
    assert!(r.is_none());
    assert_eq!(row.unwrap().1.as_deref(), Some("email"));

    // A card she saved (her own purchase above kept it), used by "someone else".
    let c = app.browser("acme");
    buy(&c, "guide", "friend@example.test", &[("ref", "ana")]).await;
    let (r, row) = decide(&app, &acme).await;
    assert!(r.is_none());
    assert_eq!(row.unwrap().1.as_deref(), Some("card"));
    assert_eq!(
        count(
            &app,
            &acme,
            "select count(*) from affiliate_referrals where tenant_id = $1 and status = 'self_referral'"
        )
        .await,
        3
    );
    let _ = ana;
}

#[tokio::test]
async fn sign_ups_while_referred_are_counted_once() {
    let app = TestApp::new().await;
    let (acme, globex) = (app.school("acme").await, app.school("globex").await);
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let b = app.browser("acme");
    visit(&b, "/?ref=ana").await;
    let res =
        b.post_form("/signup", &[("name", "New Student"), ("email", "New@Example.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.run_jobs().await;
    app.run_jobs().await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let rows: Vec<(uuid::Uuid, String, Option<uuid::Uuid>, String)> =
        sqlx::query_as("select affiliate_id, email, user_id, ip_hash from affiliate_signups")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].0, rows[0].1.as_str()), (ana.id.0, "new@example.test"));
    assert!(rows[0].2.is_some() && rows[0].3.len() == 32);

    // Without a cookie, or with another school's, a sign-up counts for nobody.
    let plain = app.browser("acme");
    plain.post_form("/signup", &[("name", "Plain"), ("email", "plain@example.test"), ("password", PASSWORD)]).await;
    let g = app.browser("globex");
    enable(&app, &globex, "approval", 30, 30).await;
    affiliate(&app, &globex, "Gil", "gil@globex.test", "gil").await;
    let set = ref_set_cookie(&visit(&g, "/?ref=gil").await).unwrap();
    let foreign = set.trim_start_matches("lyceum_ref=").split(';').next().unwrap().to_string();
    let (f, jar) = browser_with_jar(&app, "acme");
    plant(&f, &jar, &foreign);
    f.post_form("/signup", &[("name", "Foreign"), ("email", "foreign@example.test"), ("password", PASSWORD)]).await;
    app.run_jobs().await;
    assert_eq!(count(&app, &acme, "select count(*) from affiliate_signups where tenant_id = $1").await, 1);
}

#[tokio::test]
async fn an_opt_in_while_referred_is_a_sign_up_and_the_account_joins_it() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let form = crate::marketing_forms_support::new_form(&owner, &[("consent_required", "")]).await;

    let v = app.browser("acme");
    visit(&v, "/?ref=ana").await;
    let res = crate::marketing_forms_support::opt_in(
        &app,
        &v,
        &form,
        &[("email", "lead@example.test"), ("first_name", "Lee"), ("consent", "yes")],
    )
    .await;
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    app.run_jobs().await;
    // The same person then makes an account: still one sign-up, now with the account.
    v.post_form("/signup", &[("name", "Lee Lead"), ("email", "lead@example.test"), ("password", PASSWORD)]).await;
    app.run_jobs().await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let rows: Vec<(uuid::Uuid, String, Option<uuid::Uuid>)> =
        sqlx::query_as("select affiliate_id, email, user_id from affiliate_signups").fetch_all(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0].0, rows[0].1.as_str()), (ana.id.0, "lead@example.test"));
    assert!(rows[0].2.is_some(), "the account fills in the opt-in's row");
}
