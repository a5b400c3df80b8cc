//! Receipts and credit notes: gap-free numbers, the PDF's contents, one email per payment and
//! per refund however often the job runs, the student's list and downloads, the staff's PDFs,
//! the billing and tax settings, and nobody else's documents (another student, another school).

use commerce::ledger::{self, RefundFact};
use identity::Role;
use reqwest::StatusCode;

use crate::{
    commerce_support::{CARD_DECLINED, CARD_OK, buy, count, offer, pay, start_checkout},
    courses_support::{pdf_text, published_course},
    support::{Browser, PASSWORD, TestApp, TestSchool},
};

/// The school's payments as (id, receipt number), oldest first.
async fn receipts(app: &TestApp, school: &TestSchool) -> Vec<(uuid::Uuid, String)> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let rows = sqlx::query_as("select id, receipt_number from payments where status = 'succeeded' order by id")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    rows
}

/// Refunds the payment `payment` in full (or `amount`), as staff would; returns the refund's id.
async fn refund(app: &TestApp, school: &TestSchool, payment: uuid::Uuid, amount: i64) -> uuid::Uuid {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let charge: String = sqlx::query_scalar("select provider_ref from payments where id = $1")
        .bind(payment)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let fact = RefundFact {
        charge_ref: &charge,
        refund_ref: &format!("re_{}", uuid::Uuid::now_v7()),
        amount,
        dispute: false,
        reason: "Changed my mind",
        actor: None,
        revoke_access: None,
    };
    let ledger::Refunded::Recorded { id, .. } = ledger::refund(&app.state, &mut tx, fact).await.unwrap() else {
        panic!("refund not recorded")
    };
    tx.commit().await.unwrap();
    id.0
}

async fn logged_in(app: &TestApp, slug: &str, email: &str) -> Browser {
    let b = app.browser(slug);
    b.login(email, PASSWORD).await;
    b
}

async fn pdf(b: &Browser, path: &str) -> String {
    let res = b.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert_eq!(res.headers()["content-type"], "application/pdf");
    pdf_text(&res.bytes().await.unwrap())
}

#[tokio::test]
async fn receipt_numbers_have_no_gaps_across_failures_and_rollbacks() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;

    for i in 0..5 {
        let visitor = app.browser("acme");
        if i == 2 {
            // A declined card records nothing and takes no number.
            let pay_path = start_checkout(&visitor, "watercolor", "declined@example.com", &[]).await;
            let res = pay(&visitor, &pay_path, CARD_DECLINED).await;
            assert_ne!(res.status(), StatusCode::SEE_OTHER);
        }
        if i == 3 {
            // A payment whose transaction rolls back after taking a number leaves no hole.
            let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
            let taken = ledger::next_number(&mut tx, "receipt").await.unwrap();
            assert_eq!(taken, "R-000004");
            drop(tx);
        }
        buy(&visitor, "watercolor", &format!("buyer{i}@example.com"), &[]).await;
    }
    let numbers: Vec<String> = receipts(&app, &acme).await.into_iter().map(|(_, n)| n).collect();
    assert_eq!(numbers, ["R-000001", "R-000002", "R-000003", "R-000004", "R-000005"]);

    // Credit notes have their own sequence.
    let first = receipts(&app, &acme).await[0].0;
    refund(&app, &acme, first, 5_000).await;
    refund(&app, &acme, first, 5_000).await;
    let notes = count(
        &app,
        &acme,
        "select count(*) from refunds where tenant_id = $1 and credit_note_number in ('CN-000001', 'CN-000002')",
    )
    .await;
    assert_eq!(notes, 2);

    // Another school starts at 1.
    let globex = app.school("globex").await;
    let other = published_course(&app, &globex, "Pottery", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &globex, "pottery", "one_time", 5_000, &[other.course.id]).await;
    buy(&app.browser("globex"), "pottery", "g@example.com", &[]).await;
    assert_eq!(receipts(&app, &globex).await[0].1, "R-000001");
}

#[tokio::test]
async fn a_receipt_shows_the_seller_the_buyer_and_the_tax_and_is_mailed_once() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;

    // The owner fills in the billing settings and a tax rate for Germany.
    let owner = logged_in(&app, "acme", &acme.owner_email).await;
    let (status, html) = owner.page("/admin/settings/billing").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Billing &amp; tax") && html.contains("No tax rates yet"), "{html}");
    let res = owner
        .post_form(
            "/admin/settings/billing",
            &[
                ("legal_name", "Acme Learning LLC"),
                ("address", "12 Harbour Street\nBerlin 10115"),
                ("tax_id", "DE123456789"),
                ("prices_include_tax", ""),
                ("refund_access", "revoke"),
                ("grace_days", "10"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res =
        owner.post_form("/admin/settings/billing/rates", &[("country", "DE"), ("rate", "19"), ("label", "VAT")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = owner.page("/admin/settings/billing").await;
    assert!(html.contains("Germany") && html.contains("value=\"19\"") && html.contains("Acme Learning LLC"), "{html}");

    // A student with an account buys from Germany, with a billing address.
    app.user(&acme, "José Müller", "jose@example.com", Role::Student).await;
    let student = logged_in(&app, "acme", "jose@example.com").await;
    let pay_path = start_checkout(&student, "watercolor", "jose@example.com", &[("country", "DE")]).await;
    let checkout: uuid::Uuid = pay_path.rsplit('/').next().unwrap().parse().unwrap();
    {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        sqlx::query("update checkouts set billing_address = $2 where id = $1")
            .bind(checkout)
            .bind("Kastanienallee 5\n10435 Berlin")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(pay(&student, &pay_path, CARD_OK).await.status(), StatusCode::SEE_OTHER);
    let (payment, number) = receipts(&app, &acme).await.remove(0);
    assert_eq!(number, "R-000001");

    // The PDF: number, seller, buyer, the lines, the tax with its rate, the total, the card.
    let text = pdf(&student, &format!("/account/receipts/{payment}")).await;
    for expected in [
        "R-000001",
        "Acme Learning LLC",
        "12 Harbour Street",
        "DE123456789",
        "José Müller",
        "jose@example.com",
        "Kastanienallee 5",
        "Germany",
        "Product watercolor",
        "$199.00",
        "VAT (19%)",
        "$37.81",
        "$236.81",
        "Visa ending in 4242",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    // Staff who manage sales open the same document.
    assert!(pdf(&owner, &format!("/admin/receipts/{payment}")).await.contains("R-000001"));

    // The student's list.
    let (status, html) = student.page("/account/receipts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("R-000001") && html.contains(&format!("/account/receipts/{payment}")), "{html}");

    // One receipt email, however often its job runs.
    app.run_jobs().await;
    let receipt_mails = |mails: Vec<kernel::mail::StoredMail>| {
        mails.into_iter().filter(|m| m.template == "commerce/mail/receipt").collect::<Vec<_>>()
    };
    let sent = receipt_mails(app.mails(&acme).await);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to_email, "jose@example.com");
    assert!(sent[0].subject.contains("R-000001"), "{}", sent[0].subject);
    assert!(sent[0].html.contains("$236.81") && sent[0].text.contains(&format!("/account/receipts/{payment}")));
    let mut owner_db = app.owner_conn().await;
    let requeued = sqlx::query(
        "update jobs set status = 'queued', run_at = now(), attempts = 0, locked_at = null
          where tenant_id = $1 and kind = 'commerce.receipt_email'",
    )
    .bind(acme.school.id)
    .execute(&mut owner_db)
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(requeued, 1);
    app.run_jobs().await;
    assert_eq!(receipt_mails(app.mails(&acme).await).len(), 1);
    let link = app.link_in_mail(&acme, "jose@example.com", "/account/receipts/").await;
    assert_eq!(student.get(&link).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn prices_with_tax_included_say_so_on_the_receipt() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 12_100, &[course.course.id]).await;
    let owner = logged_in(&app, "acme", &acme.owner_email).await;
    let fields = [
        ("legal_name", ""),
        ("address", ""),
        ("tax_id", ""),
        ("prices_include_tax", "on"),
        ("refund_access", "keep"),
        ("grace_days", "7"),
    ];
    assert_eq!(owner.post_form("/admin/settings/billing", &fields).await.status(), StatusCode::SEE_OTHER);
    let res =
        owner.post_form("/admin/settings/billing/rates", &[("country", "es"), ("rate", "21"), ("label", "IVA")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.user(&acme, "Ana", "ana@example.com", Role::Student).await;
    let student = logged_in(&app, "acme", "ana@example.com").await;
    buy(&student, "watercolor", "ana@example.com", &[("country", "ES")]).await;
    let (payment, _) = receipts(&app, &acme).await.remove(0);
    let text = pdf(&student, &format!("/account/receipts/{payment}")).await;
    // No legal name: the school's name is the seller.
    assert!(text.contains("School acme"), "{text}");
    assert!(text.contains("Includes IVA (21%)") && text.contains("$21.00") && text.contains("$121.00"), "{text}");
    assert!(text.contains("Prices include IVA at 21%"), "{text}");

    // A Spanish-speaking buyer with a coupon: the discount line, and everything in Spanish.
    let maria = app.user(&acme, "María", "maria@example.com", Role::Student).await;
    {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        sqlx::query("update users set locale = 'es' where id = $1").bind(maria.id).execute(&mut *tx).await.unwrap();
        sqlx::query("insert into coupons (tenant_id, id, code, percent_off) values ($1, $2, 'SAVE10', 10)")
            .bind(acme.school.id)
            .bind(uuid::Uuid::now_v7())
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let maria_b = logged_in(&app, "acme", "maria@example.com").await;
    buy(&maria_b, "watercolor", "maria@example.com", &[("country", "ES"), ("coupon", "SAVE10")]).await;
    let (payment, number) = receipts(&app, &acme).await.remove(1);
    assert_eq!(number, "R-000002");
    let text = pdf(&maria_b, &format!("/account/receipts/{payment}")).await;
    for expected in ["RECIBO", "Descuento", "-12,10", "Incluye IVA (21 %)", "18,90", "108,90", "FACTURADO A", "España"]
    {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    app.run_jobs().await;
    let mail = app
        .mails(&acme)
        .await
        .into_iter()
        .find(|m| m.to_email == "maria@example.com" && m.template == "commerce/mail/receipt")
        .unwrap();
    assert!(mail.subject.starts_with("Tu recibo R-000002"), "{}", mail.subject);
}

#[tokio::test]
async fn a_refund_gets_a_credit_note_and_its_email() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    app.user(&acme, "Ana", "ana@example.com", Role::Student).await;
    let student = logged_in(&app, "acme", "ana@example.com").await;
    buy(&student, "watercolor", "ana@example.com", &[]).await;
    let (payment, _) = receipts(&app, &acme).await.remove(0);
    app.run_jobs().await;
    let refund_id = refund(&app, &acme, payment, 19_900).await;
    app.run_jobs().await;
    app.run_jobs().await;

    let notes: Vec<_> =
        app.mails(&acme).await.into_iter().filter(|m| m.template == "commerce/mail/credit_note").collect();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].subject.contains("CN-000001"), "{}", notes[0].subject);
    assert!(
        notes[0].text.contains("R-000001") && notes[0].text.contains(&format!("/account/credit-notes/{refund_id}"))
    );

    let text = pdf(&student, &format!("/account/credit-notes/{refund_id}")).await;
    for expected in ["CN-000001", "CREDIT NOTE", "R-000001", "$199.00", "Changed my mind", "School acme"] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    let owner = logged_in(&app, "acme", &acme.owner_email).await;
    assert!(pdf(&owner, &format!("/admin/credit-notes/{refund_id}")).await.contains("CN-000001"));

    // The order's documents, for the staff's order page.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let order: commerce::OrderId = sqlx::query_scalar("select order_id from payments where id = $1")
        .bind(payment)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let docs = commerce::receipts::for_order(&mut tx, order).await.unwrap();
    tx.commit().await.unwrap();
    let numbers: Vec<&str> = docs.iter().map(|d| d.number.as_str()).collect();
    assert_eq!(numbers, ["CN-000001", "R-000001"]);
    assert_eq!(docs[0].credits.as_deref(), Some("R-000001"));

    let (_, html) = student.page("/account/receipts").await;
    let (cn, r) = (html.find("CN-000001").unwrap(), html.rfind("R-000001").unwrap());
    assert!(cn < r, "newest first: {html}");
    assert!(html.contains(&format!("/account/credit-notes/{refund_id}")));
}

#[tokio::test]
async fn a_renewal_receipt_names_the_period_it_paid_for() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let course = published_course(&app, &acme, "Club", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "club", "subscription", 2_900, &[course.course.id]).await;
    app.user(&acme, "Ana", "ana@example.com", Role::Student).await;
    let student = logged_in(&app, "acme", "ana@example.com").await;
    buy(&student, "club", "ana@example.com", &[]).await;
    let sub: commerce::SubscriptionId = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let id = sqlx::query_scalar("select id from subscriptions").fetch_one(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        id
    };
    app.state.clock.advance(chrono::Duration::days(31));
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    commerce::subscriptions::renewal_paid(&app.state, &mut tx, sub, "ch_renewal_1", 2_900, 0, None).await.unwrap();
    tx.commit().await.unwrap();
    let all = receipts(&app, &acme).await;
    assert_eq!(all.len(), 2);
    let first = pdf(&student, &format!("/account/receipts/{}", all[0].0)).await;
    assert!(first.contains("PERIOD COVERED") && first.contains("$29.00"), "{first}");
    let renewal = pdf(&student, &format!("/account/receipts/{}", all[1].0)).await;
    assert!(
        renewal.contains("R-000002") && renewal.contains("PERIOD COVERED") && renewal.contains("$29.00"),
        "{renewal}"
    );
    app.run_jobs().await;
    let mails = app.mails(&acme).await.into_iter().filter(|m| m.template == "commerce/mail/receipt").count();
    assert_eq!(mails, 2);
}

#[tokio::test]
async fn billing_settings_refuse_bad_input_and_edit_rates() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = logged_in(&app, "acme", &acme.owner_email).await;

    let bad =
        [("legal_name", "Acme"), ("address", ""), ("tax_id", ""), ("refund_access", "burn"), ("grace_days", "99")];
    let res = owner.post_form("/admin/settings/billing", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("from 0 to 60") && html.contains("what a refund does"), "{html}");
    assert!(html.contains("value=\"Acme\""), "keeps what was typed");

    for (country, rate, error) in [
        ("DE", "120", "from 0 to 100"),
        ("DE", "7.125", "at most two decimals"),
        ("DE", "-3", "from 0 to 100"),
        ("XX", "20", "Choose a country"),
        ("", "20", "Choose a country"),
    ] {
        let res = owner
            .post_form("/admin/settings/billing/rates", &[("country", country), ("rate", rate), ("label", "VAT")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{country} {rate}");
        assert!(res.text().await.unwrap().contains(error), "{country} {rate}");
    }
    let rates = |app: &TestApp| {
        let id = acme.school.id;
        let state = app.state.clone();
        async move {
            let mut tx = state.db.tenant(id).await.unwrap();
            let r: Vec<(String, i32, String)> =
                sqlx::query_as("select country::text, rate_bp, label from tax_rates order by country")
                    .fetch_all(&mut *tx)
                    .await
                    .unwrap();
            tx.commit().await.unwrap();
            r
        }
    };
    assert!(rates(&app).await.is_empty());

    let ok =
        owner.post_form("/admin/settings/billing/rates", &[("country", "fr"), ("rate", "5,5"), ("label", "TVA")]).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(rates(&app).await, [("FR".to_string(), 550, "TVA".to_string())]);
    let edit =
        owner.post_form("/admin/settings/billing/rates", &[("country", "FR"), ("rate", "20"), ("label", "TVA")]).await;
    assert_eq!(edit.status(), StatusCode::SEE_OTHER);
    assert_eq!(rates(&app).await, [("FR".to_string(), 2000, "TVA".to_string())]);
    let (_, html) = owner.page("/admin/settings/billing").await;
    assert!(html.contains("France") && html.contains("rate-FR"), "{html}");
    assert_eq!(owner.post_form("/admin/settings/billing/rates/FR/delete", &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(rates(&app).await.is_empty());
    assert_eq!(owner.post_form("/admin/settings/billing/rates/FR/delete", &[]).await.status(), StatusCode::NOT_FOUND);

    let ok = [
        ("legal_name", "Acme Learning LLC"),
        ("address", " 1 Main St \n\n Springfield "),
        ("tax_id", "US-99"),
        ("refund_access", "keep"),
        ("grace_days", "0"),
    ];
    assert_eq!(owner.post_form("/admin/settings/billing", &ok).await.status(), StatusCode::SEE_OTHER);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let s = commerce::store::settings(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        (s.legal_name.as_str(), s.address.as_str(), s.refund_access.as_str(), s.grace_days),
        ("Acme Learning LLC", "1 Main St\nSpringfield", "keep", 0)
    );
    assert!(!s.prices_include_tax);

    // Only staff who manage settings.
    app.user(&acme, "Ian", "ian@acme.test", Role::Instructor).await;
    let instructor = logged_in(&app, "acme", "ian@acme.test").await;
    assert_eq!(instructor.get("/admin/settings/billing").await.status(), StatusCode::FORBIDDEN);
    let res = instructor
        .post_form("/admin/settings/billing/rates", &[("country", "DE"), ("rate", "19"), ("label", "VAT")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(rates(&app).await.is_empty());
}

#[tokio::test]
async fn documents_are_only_their_buyers_and_their_schools() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let course = published_course(&app, &acme, "Watercolor", &[("Basics", &[("Welcome", "text")])]).await;
    offer(&app, &acme, "watercolor", "one_time", 19_900, &[course.course.id]).await;
    app.user(&acme, "Ana", "ana@example.com", Role::Student).await;
    app.user(&acme, "Ben", "ben@example.com", Role::Student).await;
    app.user(&globex, "Ana", "ana@example.com", Role::Student).await;
    let ana = logged_in(&app, "acme", "ana@example.com").await;
    buy(&ana, "watercolor", "ana@example.com", &[]).await;
    let (payment, _) = receipts(&app, &acme).await.remove(0);
    let refund_id = refund(&app, &acme, payment, 1_000).await;
    let owner = logged_in(&app, "acme", &acme.owner_email).await;
    owner.post_form("/admin/settings/billing/rates", &[("country", "DE"), ("rate", "19"), ("label", "VAT")]).await;

    let receipt = format!("/account/receipts/{payment}");
    let note = format!("/account/credit-notes/{refund_id}");
    assert_eq!(ana.get(&receipt).await.status(), StatusCode::OK);
    assert_eq!(ana.get(&note).await.status(), StatusCode::OK);

    // Another student of the same school.
    let ben = logged_in(&app, "acme", "ben@example.com").await;
    assert_eq!(ben.get(&receipt).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ben.get(&note).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = ben.page("/account/receipts").await;
    assert!(!list.contains("R-000001") && list.contains("No receipts yet"), "{list}");

    // Another school's student with the same email, and its owner.
    let ana_globex = logged_in(&app, "globex", "ana@example.com").await;
    assert_eq!(ana_globex.get(&receipt).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ana_globex.get(&note).await.status(), StatusCode::NOT_FOUND);
    let globex_owner = logged_in(&app, "globex", &globex.owner_email).await;
    for path in [
        format!("/admin/receipts/{payment}"),
        format!("/admin/credit-notes/{refund_id}"),
        receipt.clone(),
        note.clone(),
    ] {
        assert_eq!(globex_owner.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        globex_owner.post_form("/admin/settings/billing/rates/DE/delete", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    // A receipt id given as a credit note (and nonsense) finds nothing.
    assert_eq!(ana.get(&format!("/account/credit-notes/{payment}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ana.get("/account/receipts/not-an-id").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(owner.get("/admin/receipts/not-an-id").await.status(), StatusCode::NOT_FOUND);

    // Staff PDFs need the sales permission; the student's pages need a login.
    assert_eq!(ana.get(&format!("/admin/receipts/{payment}")).await.status(), StatusCode::FORBIDDEN);
    let anonymous = app.browser("acme");
    assert_ne!(anonymous.get(&receipt).await.status(), StatusCode::OK);
    assert_ne!(anonymous.get("/account/receipts").await.status(), StatusCode::OK);
}
