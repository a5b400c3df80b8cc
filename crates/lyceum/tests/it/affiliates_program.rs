//! Joining the affiliate program and the staff side: settings, applications, decisions,
//! invitations, the list ranked by period, the fraud view, and isolation between schools.

use chrono::Duration;
use commerce::affiliates::attribution;
use identity::Role;
use reqwest::StatusCode;

use crate::{
    affiliates_support::{affiliate, enable},
    commerce_support::{buy, count, offer},
    support::{PASSWORD, TestApp, TestSchool, location},
};

async fn owner(app: &TestApp, school: &TestSchool) -> crate::support::Browser {
    let b = app.browser(&school.school.slug);
    b.login(&school.owner_email, PASSWORD).await;
    b
}

async fn status_of(app: &TestApp, school: &TestSchool, code: &str) -> String {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let s: String = sqlx::query_scalar("select status from affiliates where code = $1")
        .bind(code)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    s
}

#[tokio::test]
async fn settings_save_and_refuse_bad_input_beside_the_field() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (status, page) = b.page("/admin/affiliates/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Default commission"));

    let bad = [
        ("enabled", "on"),
        ("signup", "open"),
        ("terms", "Be honest."),
        ("kind", "percent"),
        ("percent", "12.345"),
        ("recurring", "months"),
        ("recurring_months", ""),
        ("cookie_days", "0"),
        ("holding_days", "30"),
    ];
    let res = b.post_form("/admin/affiliates/settings", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Enter a percentage from 0 to 100"), "percent error");
    assert!(page.contains("Enter a number of months from 1 to 120"));
    assert!(page.contains("Enter a number of days from 1 to 365"));
    assert!(page.contains(r#"value="12.345""#), "what was typed is kept");
    assert_eq!(count(&app, &acme, "select count(*) from affiliate_settings where tenant_id = $1").await, 0);

    let good = [
        ("enabled", "on"),
        ("signup", "open"),
        ("terms", "Be honest."),
        ("kind", "percent"),
        ("percent", "12.5"),
        ("recurring", "months"),
        ("recurring_months", "6"),
        ("tier_sales", "10"),
        ("tier_percent", "40"),
        ("second_level", "5"),
        ("cookie_days", "60"),
        ("attribution", "first_click"),
        ("holding_days", "7"),
        ("min_USD", "50.00"),
    ];
    let res = b.post_form("/admin/affiliates/settings", &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let s = commerce::affiliates::settings::load(&mut tx).await.unwrap();
    assert!(s.enabled);
    assert_eq!(
        (s.signup.as_str(), s.cookie_days, s.attribution.as_str(), s.holding_days),
        ("open", 60, "first_click", 7)
    );
    assert_eq!(s.min_payout_in("USD"), 5000);
    let rules = commerce::affiliates::settings::rules(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(rules.len(), 1);
    let r = &rules[0];
    assert_eq!(
        (r.percent_bp, r.recurring_months, r.tier_sales, r.tier_percent_bp, r.second_level_bp),
        (1250, Some(6), Some(10), Some(4000), 500)
    );
    let (_, page) = b.page("/admin/affiliates/settings").await;
    assert!(page.contains(r#"value="12.5""#));
    assert!(page.contains("holding period this short"), "a short holding period warns");
}

#[tokio::test]
async fn a_student_applies_to_an_open_program_and_is_approved_at_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (status, page) = app.browser("acme").page("/affiliates").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a program that is off says so");
    assert!(page.contains("The affiliate program is not open"));

    enable(&app, &acme, "open", 30, 30).await;
    app.user(&acme, "Sam Student", "sam@acme.test", Role::Student).await;
    let b = app.browser("acme");
    b.login("sam@acme.test", PASSWORD).await;
    let (status, page) = b.page("/affiliates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Earn 30% on every sale"));
    assert!(page.contains(r#"value="sam-student""#), "a code from the name");

    let res = b.post_form("/affiliates", &[("code", "sam-student"), ("pitch", "My newsletter")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Please accept the program terms"));

    let res = b.post_form("/affiliates", &[("code", "sam-student"), ("pitch", "My newsletter"), ("terms", "on")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &acme, "sam-student").await, "approved");
    assert_eq!(
        count(&app, &acme, "select count(*) from events where tenant_id = $1 and kind = 'affiliate.approved'").await,
        1
    );
    let (_, page) = b.page("/affiliates").await;
    assert!(page.contains("/affiliates/dashboard"), "the approved person is sent to their portal");
    assert!(app.mails(&acme).await.iter().any(|m| m.to_email == "sam@acme.test" && m.subject.contains("affiliate")));
}

#[tokio::test]
async fn a_visitor_applies_waits_for_approval_and_codes_are_unique() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;

    let v = app.browser("acme");
    let form = [("name", "Vic Visitor"), ("email", "vic@example.test"), ("password", PASSWORD), ("terms", "on")];
    let res = v.post_form("/affiliates", &[&form[..], &[("code", "ana")]].concat()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("This code is taken"));
    assert!(page.contains(r#"value="vic@example.test""#), "typed values are kept");
    assert_eq!(
        count(&app, &acme, "select count(*) from users where tenant_id = $1 and email = 'vic@example.test'").await,
        0
    );

    let res = v.post_form("/affiliates", &[&form[..], &[("code", "Bad Code!")]].concat()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Use 3 to 40 lowercase letters"));

    let res = v.post_form("/affiliates", &[&form[..], &[("code", ""), ("ref", "ana")]].concat()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = v.page("/affiliates").await;
    assert!(page.contains("Your application is being reviewed"));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (id, code, recruited): (uuid::Uuid, String, Option<uuid::Uuid>) =
        sqlx::query_as("select id, code, recruited_by from affiliates where code <> 'ana'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(code, "vic-visitor");
    assert_eq!(recruited, Some(ana.id.0), "recruited through ana's link");

    // Someone with an account is sent to log in.
    let other = app.browser("acme");
    let res = other
        .post_form(
            "/affiliates",
            &[("name", "V"), ("email", "vic@example.test"), ("password", PASSWORD), ("terms", "on")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("This email already has an account"));

    let o = owner(&app, &acme).await;
    let (_, list) = o.page("/admin/affiliates?status=pending").await;
    assert!(list.contains("Vic Visitor"));
    assert!(!list.contains("Ana Affiliate"), "the pending tab shows only pending");
    let res = o.post_form(&format!("/admin/affiliates/{id}/approve"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &acme, "vic-visitor").await, "approved");
    let payload: serde_json::Value = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let p = sqlx::query_scalar("select payload from events where kind = 'affiliate.approved'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        p
    };
    assert_eq!(payload["code"], "vic-visitor");
    assert_eq!(payload["email"], "vic@example.test");
    assert!(
        app.mails(&acme).await.iter().any(|m| m.to_email == "vic@example.test" && m.text.contains("?ref=vic-visitor"))
    );
    // A second click changes nothing.
    o.post_form(&format!("/admin/affiliates/{id}/approve"), &[]).await;
    assert_eq!(
        count(&app, &acme, "select count(*) from events where tenant_id = $1 and kind = 'affiliate.approved'").await,
        1
    );
}

#[tokio::test]
async fn staff_suspend_reinstate_reject_and_set_a_personal_rate() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let o = owner(&app, &acme).await;
    let path = format!("/admin/affiliates/{}", ana.id);
    let (status, page) = o.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Ana Affiliate") && page.contains("Suspend"));

    assert_eq!(location(&o.post_form(&format!("{path}/suspend"), &[]).await), path);
    assert_eq!(status_of(&app, &acme, "ana").await, "suspended");
    assert_eq!(o.post_form(&format!("{path}/reject"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &acme, "ana").await, "suspended", "reject applies to pending only");
    o.post_form(&format!("{path}/reinstate"), &[]).await;
    assert_eq!(status_of(&app, &acme, "ana").await, "approved");
    assert_eq!(o.post_form(&format!("{path}/explode"), &[]).await.status(), StatusCode::NOT_FOUND);

    let res =
        o.post_form(&format!("{path}/staff"), &[("personal_percent", "abc"), ("staff_note", "Podcast host")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Podcast host"), "the note typed is kept");
    o.post_form(&format!("{path}/staff"), &[("personal_percent", "35"), ("staff_note", "Podcast host")]).await;
    assert_eq!(count(&app, &acme, "select count(*) from affiliates where tenant_id = $1 and personal_percent_bp = 3500 and staff_note = 'Podcast host'").await, 1);

    // Another school's staff and a student see nothing.
    let globex = app.school("globex").await;
    let g = owner(&app, &globex).await;
    assert_eq!(g.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(g.post_form(&format!("{path}/suspend"), &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        g.post_form(&format!("{path}/staff"), &[("personal_percent", "90")]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(status_of(&app, &acme, "ana").await, "approved");
    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let s = app.browser("acme");
    s.login("sam@acme.test", PASSWORD).await;
    for p in ["/admin/affiliates", "/admin/affiliates/settings", "/admin/affiliates/fraud", path.as_str()] {
        assert_eq!(s.get(p).await.status(), StatusCode::FORBIDDEN, "{p}");
    }
    app.user(&acme, "Ivy", "ivy@acme.test", Role::Instructor).await;
    let i = app.browser("acme");
    i.login("ivy@acme.test", PASSWORD).await;
    assert_eq!(i.get("/admin/affiliates").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_invitation_makes_an_approved_affiliate_once_and_expires() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let o = owner(&app, &acme).await;
    let res = o.post_form("/admin/affiliates/invite", &[("email", "not-an-email"), ("personal_percent", "40")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter a valid email address"));
    let res =
        o.post_form("/admin/affiliates/invite", &[("email", "pat@example.test"), ("personal_percent", "40")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let link = app.link_in_mail(&acme, "pat@example.test", "/affiliates/join/").await;

    let v = app.browser("acme");
    let (status, page) = v.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("40%"));
    let res = v
        .post_form(
            &link,
            &[("name", "Pat Partner"), ("email", "pat@example.test"), ("password", PASSWORD), ("terms", "on")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &acme, "pat-partner").await, "approved");
    assert_eq!(
        count(&app, &acme, "select count(*) from affiliates where tenant_id = $1 and personal_percent_bp = 4000").await,
        1
    );
    let (status, page) = app.browser("acme").page(&link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("already been accepted"));

    let (status, page) = app.browser("acme").page("/affiliates/join/forged-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("could not find this invitation"));

    o.post_form("/admin/affiliates/invite", &[("email", "late@example.test")]).await;
    let link = app.link_in_mail(&acme, "late@example.test", "/affiliates/join/").await;
    app.state.clock.advance(Duration::days(15));
    let late = app.browser("acme");
    let (status, page) = late.page(&link).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("This invitation has expired"));
    let res = late
        .post_form(&link, &[("name", "Late"), ("email", "late@example.test"), ("password", PASSWORD), ("terms", "on")])
        .await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert_eq!(
        count(&app, &acme, "select count(*) from users where tenant_id = $1 and email = 'late@example.test'").await,
        0
    );
    // Another school's site does not know the link.
    let globex = app.school("globex").await;
    let path =
        link.split_once(".localhost").map(|(_, p)| p.split_once('/').map(|(_, p)| format!("/{p}")).unwrap()).unwrap();
    assert_eq!(app.browser(&globex.school.slug).get(&path).await.status(), StatusCode::NOT_FOUND);
}

async fn credit_last_order(app: &TestApp, school: &TestSchool) -> commerce::OrderId {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id: commerce::OrderId =
        sqlx::query_scalar("select id from orders order by created_at desc limit 1").fetch_one(&mut *tx).await.unwrap();
    attribution::referral_for_order(&app.state, &mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn the_list_ranks_top_affiliates_and_the_fraud_view_shows_self_referrals() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let o = owner(&app, &acme).await;
    let (_, empty) = o.page("/admin/affiliates").await;
    assert!(empty.contains("No affiliates yet") && empty.contains("/admin/affiliates/invite"));

    affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let bob = affiliate(&app, &acme, "Bob Booster", "bob@acme.test", "bob").await;
    offer(&app, &acme, "course", "one_time", 10_000, &[]).await;
    let v = app.browser("acme");
    buy(&v, "course", "b1@example.test", &[("ref", "bob")]).await;
    credit_last_order(&app, &acme).await;
    buy(&v, "course", "b2@example.test", &[("ref", "bob")]).await;
    credit_last_order(&app, &acme).await;
    buy(&v, "course", "a1@example.test", &[("ref", "ana")]).await;
    credit_last_order(&app, &acme).await;
    buy(&v, "course", "bob@acme.test", &[]).await;
    let own = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id: uuid::Uuid = sqlx::query_scalar("select id from orders order by created_at desc limit 1")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "insert into affiliate_referrals (tenant_id, order_id, affiliate_id, via, status, reason, at)
             values ($1, $2, $3, 'link', 'self_referral', 'email', now())",
        )
        .bind(acme.school.id)
        .bind(id)
        .bind(bob.id)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    };

    for period in ["all", "30d", "month"] {
        let (status, page) = o.page(&format!("/admin/affiliates?period={period}")).await;
        assert_eq!(status, StatusCode::OK);
        let (b, a) = (page.find("Bob Booster").unwrap(), page.find("Ana Affiliate").unwrap());
        assert!(b < a, "{period}: bob brought more and ranks first");
    }
    let (_, page) = o.page("/admin/affiliates?period=last_month").await;
    assert!(page.contains("Bob Booster"), "listed even with nothing in the period");
    let (_, page) = o.page("/admin/affiliates?q=ana").await;
    assert!(page.contains("Ana Affiliate") && !page.contains("Bob Booster"));

    let (_, detail) = o.page(&format!("/admin/affiliates/{}", bob.id)).await;
    assert!(detail.contains("b1@example.test") && detail.contains("Own purchase"));

    let (status, fraud) = o.page("/admin/affiliates/fraud").await;
    assert_eq!(status, StatusCode::OK);
    assert!(fraud.contains("Own purchases refused"));
    assert!(fraud.contains("Same email") && fraud.contains("bob@acme.test"), "the seeded self-referral: {own}");
    let (status, _) = o.page("/admin/affiliates/rules").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_offer_gets_its_own_rule_and_falls_back_when_it_is_deleted() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    let offer_id = offer(&app, &acme, "course", "one_time", 10_000, &[]).await.id;
    let o = owner(&app, &acme).await;
    let path = format!("/admin/affiliates/rules/{offer_id}");
    let (status, page) = o.page(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("follows the default commission"));
    let res = o.post_form(&path, &[("kind", "fixed"), ("amount_USD", "abc")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter an amount such as 25.00"));
    let res = o.post_form(&path, &[("kind", "fixed"), ("amount_USD", "25"), ("recurring", "forever")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let rule = commerce::affiliates::settings::rule_for(&mut tx, offer_id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        (rule.kind.as_str(), rule.amounts.get("USD").copied(), rule.recurring.as_str()),
        ("fixed", Some(2500), "forever")
    );
    let (_, list) = o.page("/admin/affiliates/rules").await;
    assert!(list.contains("Own rule"));
    o.post_form(&format!("{path}/delete"), &[]).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let rule = commerce::affiliates::settings::rule_for(&mut tx, offer_id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((rule.offer_id, rule.percent_bp), (None, 3000), "back to the default");
    let globex = app.school("globex").await;
    assert_eq!(owner(&app, &globex).await.get(&path).await.status(), StatusCode::NOT_FOUND);
}
