//! Affiliate payouts: who is payable and why the rest carries forward, batches that settle each
//! ledger row once (double submit, two at once), the PayPal and Wise files, marking paid with
//! the event, the email and the statement PDF, other schools' ids, and Stripe transfers.

use commerce::affiliates::{Affiliate, payouts::batch};
use reqwest::StatusCode;
use serde_json::json;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{header, method, path},
};

use crate::{
    affiliates_payouts_support::{an_order, details, held, minimum_usd, past, row, scalar},
    affiliates_support::{affiliate, enable},
    courses_support::pdf_text,
    support::{Browser, PASSWORD, TestApp, TestSchool, location},
};

struct World {
    app: TestApp,
    acme: TestSchool,
    ana: Affiliate,
    bo: Affiliate,
    owner: Browser,
}

/// Ana (PayPal, 30.00 past holding, 20.00 held, a 5.00 clawback, a cancelled 99.99) and Bo
/// (bank, named like a formula, 40.00); Cara owes 5.00 back, Dan has 5.00 under the 10.00
/// minimum, Eve has no payout details.
async fn world() -> World {
    world_with(TestApp::new().await).await
}

async fn world_with(app: TestApp) -> World {
    let acme = app.school("acme").await;
    enable(&app, &acme, "approval", 30, 30).await;
    minimum_usd(&app, &acme, 1000).await;
    let order = an_order(&app, &acme, "course").await;
    let ana = affiliate(&app, &acme, "Ana Affiliate", "ana@acme.test", "ana").await;
    let bo = affiliate(&app, &acme, "=Bo Formula", "bo@acme.test", "bo-b").await;
    let cara = affiliate(&app, &acme, "Cara Clawed", "cara@acme.test", "cara").await;
    let dan = affiliate(&app, &acme, "Dan Small", "dan@acme.test", "dan").await;
    let eve = affiliate(&app, &acme, "Eve Nodetails", "eve@acme.test", "eve").await;
    details(
        &app,
        &acme,
        &ana,
        json!({"method": "paypal", "paypal_email": "ana-pp@example.test"}),
        "PayPal a•••@example.test",
    )
    .await;
    let bank = json!({"method": "bank", "holder": "=Bo Formula", "iban": "GB33 BUKB 2020 1555 5555 55", "account": "",
                      "routing": "BUKBGB22", "country": "gb", "currency": "usd"});
    details(&app, &acme, &bo, bank, "Bank ••••5555").await;
    for a in [&cara, &dan] {
        details(&app, &acme, a, json!({"method": "paypal", "paypal_email": "x@example.test"}), "PayPal x•••").await;
    }
    let (p, h) = (past(&app), held(&app));
    row(&app, &acme, &ana, order, ("sale", 3000, "pending"), p).await;
    row(&app, &acme, &ana, order, ("recurring", 2000, "pending"), h).await;
    row(&app, &acme, &ana, order, ("clawback", -500, "pending"), p).await;
    row(&app, &acme, &ana, order, ("sale", 9999, "cancelled"), p).await;
    row(&app, &acme, &bo, order, ("sale", 4000, "pending"), p).await;
    row(&app, &acme, &cara, order, ("sale", 1000, "pending"), p).await;
    row(&app, &acme, &cara, order, ("clawback", -1500, "pending"), p).await;
    row(&app, &acme, &dan, order, ("sale", 500, "pending"), p).await;
    row(&app, &acme, &eve, order, ("sale", 2000, "pending"), p).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    World { app, acme, ana, bo, owner }
}

async fn create(w: &World) -> String {
    let res = w.owner.post_form("/admin/affiliates/payouts", &[("currency", "USD")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res)
}

#[tokio::test]
async fn affiliates_payouts_eligibility_batch_and_a_second_create_pays_nothing() {
    let w = world().await;
    let (status, page) = w.owner.page("/admin/affiliates/payouts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2 affiliates ready, $65.00 in total"), "{page}");
    assert!(page.contains("Below your minimum payout of $10.00."));
    assert!(page.contains("Refunds taken back exceed what they earned"));
    assert!(page.contains("They have not given their payout details yet."));
    assert!(page.contains("-$5.00") || page.contains("−$5.00"), "Cara's negative balance is shown");

    let batch = create(&w).await;
    assert!(batch.starts_with("/admin/affiliates/payouts/"), "{batch}");
    let amounts = |sql| scalar(&w.app, &w.acme, sql);
    assert_eq!(amounts("select count(*) from affiliate_payouts").await, 2);
    assert_eq!(
        scalar(&w.app, &w.acme, &format!("select amount from affiliate_payouts where affiliate_id = '{}'", w.ana.id))
            .await,
        2500,
        "30.00 less the 5.00 clawback; the held and cancelled rows stay out"
    );
    assert_eq!(
        scalar(&w.app, &w.acme, &format!("select amount from affiliate_payouts where affiliate_id = '{}'", w.bo.id))
            .await,
        4000
    );
    assert_eq!(amounts("select count(*) from affiliate_commissions where payout_id is not null").await, 3);
    let (_, html) = w.owner.page(&batch).await;
    assert!(html.contains("Ana Affiliate") && html.contains("$25.00") && html.contains("$40.00"));

    let again = w.owner.post_form("/admin/affiliates/payouts", &[("currency", "USD")]).await;
    assert_eq!(location(&again), "/admin/affiliates/payouts");
    let (_, page) = w.owner.page("/admin/affiliates/payouts").await;
    assert!(page.contains("Nothing left to pay in USD"), "{page}");
    assert_eq!(amounts("select count(*) from affiliate_payout_batches").await, 1);

    let bad = w.owner.post_form("/admin/affiliates/payouts", &[("currency", "dollars")]).await;
    assert_eq!(location(&bad), "/admin/affiliates/payouts");
    let (_, page) = w.owner.page("/admin/affiliates/payouts").await;
    assert!(page.contains("Choose a currency to pay in."));
}

#[tokio::test]
async fn affiliates_payouts_two_creates_at_once_pay_each_row_once() {
    let w = world().await;
    let run = || {
        let state = w.app.state.clone();
        let tenant = w.acme.school.id;
        tokio::spawn(async move {
            let mut tx = state.db.tenant(tenant).await.unwrap();
            let created = batch::create(&mut tx, "USD", None, state.clock.now()).await.unwrap();
            tx.commit().await.unwrap();
            created
        })
    };
    let (a, b) = (run(), run());
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let made = [a, b].iter().filter(|c| matches!(c, batch::Created::Batch { .. })).count();
    assert_eq!(made, 1, "one batch, the other found nothing left");
    assert_eq!(scalar(&w.app, &w.acme, "select count(*) from affiliate_payouts").await, 2);
    assert_eq!(scalar(&w.app, &w.acme, "select coalesce(sum(amount), 0)::bigint from affiliate_payouts").await, 6500);
}

#[tokio::test]
async fn affiliates_payouts_csv_files_in_paypal_and_wise_formats() {
    let w = world().await;
    let batch = create(&w).await;
    let res = w.owner.get(&format!("{batch}/paypal.csv")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let paypal = res.text().await.unwrap();
    let lines: Vec<&str> = paypal.lines().collect();
    assert_eq!(lines.len(), 1, "no header row, Ana only: {paypal}");
    let cells: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(&cells[..3], &["ana-pp@example.test", "25.00", "USD"]);
    assert!(cells[3].starts_with("LYC-") && cells[3].len() == 36, "{}", cells[3]);
    assert_eq!(cells[4], "Affiliate commissions from School acme");

    let wise = w.owner.get(&format!("{batch}/wise.csv")).await.text().await.unwrap();
    let lines: Vec<&str> = wise.lines().collect();
    assert_eq!(
        lines[0],
        "name,recipientEmail,receiverType,amountCurrency,amount,sourceCurrency,targetCurrency,IBAN,accountNumber,abartn,addressCountryCode,paymentReference"
    );
    assert_eq!(lines.len(), 2, "{wise}");
    assert!(
        lines[1].starts_with(
            "'=Bo Formula,bo@acme.test,PRIVATE,source,40.00,USD,USD,GB33BUKB20201555555555,,BUKBGB22,GB,LYC-"
        ),
        "{}",
        lines[1]
    );
}

#[tokio::test]
async fn affiliates_payouts_mark_paid_event_email_and_statements() {
    let w = world().await;
    let batch = create(&w).await;
    let res = w.owner.post_form(&format!("{batch}/paid"), &[]).await;
    assert_eq!(location(&res), batch);
    let n = |sql| scalar(&w.app, &w.acme, sql);
    assert_eq!(n("select count(*) from affiliate_payouts where status = 'paid' and number like 'AS-00000_'").await, 2);
    assert_eq!(n("select count(*) from affiliate_payout_batches where status = 'paid'").await, 1);
    assert_eq!(n("select count(*) from affiliate_commissions where status = 'paid'").await, 3);
    assert_eq!(n("select count(*) from affiliate_commissions where status = 'pending' and payout_id is null").await, 5);
    assert_eq!(n("select count(*) from events where kind = 'payout.paid'").await, 2);
    let payload: serde_json::Value = {
        let mut tx = w.app.state.db.tenant(w.acme.school.id).await.unwrap();
        let p = sqlx::query_scalar(
            "select payload from events where kind = 'payout.paid' and payload->>'affiliate_id' = $1",
        )
        .bind(w.ana.id.to_string())
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        p
    };
    assert_eq!(
        (payload["amount"].as_i64(), payload["currency"].as_str(), payload["method"].as_str()),
        (Some(2500), Some("USD"), Some("paypal"))
    );

    let link = w.app.link_in_mail(&w.acme, "ana@acme.test", "/statement.pdf").await;
    let mails = w.app.mails(&w.acme).await;
    let mail = mails.iter().find(|m| m.to_email == "ana@acme.test").unwrap();
    assert!(mail.subject.contains("$25.00"), "{}", mail.subject);
    let statement_path = format!("/{}", link.splitn(4, '/').nth(3).unwrap());

    let ana = w.app.browser("acme");
    ana.login("ana@acme.test", PASSWORD).await;
    let res = ana.get(&statement_path).await;
    assert_eq!(res.status(), StatusCode::OK, "{statement_path}");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = pdf_text(&bytes);
    for needle in ["AS-00000", "Ana Affiliate", "ana@acme.test", "Offer course", "$30.00", "-$5.00", "$25.00"] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    assert!(!text.contains("$99.99") && !text.contains("$20.00"), "cancelled and held rows are not on it");

    let bo = w.app.browser("acme");
    bo.login("bo@acme.test", PASSWORD).await;
    assert_eq!(bo.get(&statement_path).await.status(), StatusCode::NOT_FOUND);
    let payout_id = statement_path.split('/').nth(3).unwrap().to_string();
    let staff = w.owner.get(&format!("{batch}/{payout_id}/statement.pdf")).await;
    assert_eq!(staff.status(), StatusCode::OK);
    assert!(staff.bytes().await.unwrap().starts_with(b"%PDF"));

    let mails_before = w.app.mails(&w.acme).await.len();
    let again = w.owner.post_form(&format!("{batch}/paid"), &[]).await;
    assert_eq!(location(&again), batch);
    let one = w.owner.post_form(&format!("{batch}/{payout_id}/paid"), &[]).await;
    assert_eq!(location(&one), batch);
    assert_eq!(w.app.mails(&w.acme).await.len(), mails_before);
    assert_eq!(n("select count(*) from events where kind = 'payout.paid'").await, 2);
    assert_eq!(n("select count(*) from affiliate_payouts where number in ('AS-000001', 'AS-000002')").await, 2);
}

#[tokio::test]
async fn affiliates_payouts_another_school_gets_404() {
    let w = world().await;
    let batch = create(&w).await;
    let payout: uuid::Uuid = {
        let mut tx = w.app.state.db.tenant(w.acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from affiliate_payouts limit 1").fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        id
    };
    w.owner.post_form(&format!("{batch}/paid"), &[]).await;
    let globex = w.app.school("globex").await;
    let other = w.app.browser("globex");
    other.login(&globex.owner_email, PASSWORD).await;
    let batch_id = batch.rsplit('/').next().unwrap();
    for path in [
        format!("/admin/affiliates/payouts/{batch_id}"),
        format!("/admin/affiliates/payouts/{batch_id}/paypal.csv"),
        format!("/admin/affiliates/payouts/{batch_id}/wise.csv"),
        format!("/admin/affiliates/payouts/{batch_id}/{payout}/statement.pdf"),
        format!("/affiliates/payouts/{payout}/statement.pdf"),
        "/admin/affiliates/payouts/not-an-id".to_string(),
    ] {
        assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        format!("/admin/affiliates/payouts/{batch_id}/paid"),
        format!("/admin/affiliates/payouts/{batch_id}/{payout}/paid"),
    ] {
        assert_eq!(other.post_form(&path, &[]).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let (_, page) = other.page("/admin/affiliates/payouts").await;
    assert!(page.contains("Nothing to pay yet") && !page.contains("Ana Affiliate"));
    let student = w.app.browser("acme");
    student.login("eve@acme.test", PASSWORD).await;
    assert_eq!(student.get("/admin/affiliates/payouts").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn affiliates_payouts_stripe_transfer_pays_once_with_the_payout_as_key() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let app = TestApp::with(move |c| {
        c.stripe_secret_key = Some("sk_test_platform_51PlatformKey".into());
        c.stripe_api_base = uri;
    })
    .await;
    let w = world_with(app).await;
    {
        let mut tx = w.app.state.db.tenant(w.acme.school.id).await.unwrap();
        commerce::stripe::account::set_account(&w.app.state, &mut tx, "acct_1SchoolAcme0001", None).await.unwrap();
        commerce::stripe::account::set_provider(&mut tx, "stripe").await.unwrap();
        sqlx::query("update affiliates set stripe_account_id = 'acct_1EveExpress0001' where code = 'eve'")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let batch = create(&w).await;
    let eve: uuid::Uuid = {
        let mut tx = w.app.state.db.tenant(w.acme.school.id).await.unwrap();
        let id = sqlx::query_scalar(
            "select p.id from affiliate_payouts p join affiliates a on a.id = p.affiliate_id where a.code = 'eve' and p.method = 'stripe'",
        )
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    };
    Mock::given(method("POST"))
        .and(path("/v1/transfers"))
        .and(header("Idempotency-Key", eve.to_string().as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "tr_1EvePayout", "object": "transfer"})))
        .expect(1)
        .mount(&server)
        .await;
    let (_, html) = w.owner.page(&batch).await;
    assert!(html.contains("Pay by Stripe transfer"));
    let res = w.owner.post_form(&format!("{batch}/{eve}/stripe"), &[]).await;
    assert_eq!(location(&res), batch);
    let n = |sql| scalar(&w.app, &w.acme, sql);
    assert_eq!(
        n("select count(*) from affiliate_payouts where transfer_ref = 'tr_1EvePayout' and status = 'paid'").await,
        1
    );
    let again = w.owner.post_form(&format!("{batch}/{eve}/stripe"), &[]).await;
    assert_eq!(location(&again), batch);
    let (_, html) = w.owner.page(&batch).await;
    assert!(html.contains("Already paid"));
    let ana: uuid::Uuid = {
        let mut tx = w.app.state.db.tenant(w.acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from affiliate_payouts where affiliate_id = $1")
            .bind(w.ana.id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    w.owner.post_form(&format!("{batch}/{ana}/stripe"), &[]).await;
    let (_, html) = w.owner.page(&batch).await;
    assert!(html.contains("cannot be paid by Stripe transfer"), "Ana has no connected account");
}
