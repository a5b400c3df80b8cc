//! The certificate template editor (saving, errors beside their fields, the live preview), the
//! issued list, and `GET /api/v1/certificates/{code}`.

use identity::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    courses_cert::earn,
    courses_support::pdf_text,
    support::{PASSWORD, TestApp},
};

fn png() -> Vec<u8> {
    tenancy::icons::Initial::new("S", "#222222").png(64)
}

const FIELDS: [(&str, &str); 6] = [
    ("title", "Diploma of Excellence"),
    ("layout", "modern"),
    ("accent_color", "#0E7490"),
    ("show_hours", "1"),
    ("signer_name", "Dr. Ada Lovelace"),
    ("signer_title", "Head of Studies"),
];

#[tokio::test]
async fn the_editor_saves_the_design_and_its_preview_is_the_real_pdf() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (status, page) = owner.page("/admin/certificates").await;
    assert_eq!(status, StatusCode::OK);
    let page = page.replace("&#x2f;", "/");
    assert!(page.contains(r#"href="/admin/certificates""#), "the sidebar links the page");
    assert!(page.contains("/admin/certificates/preview.pdf?"));
    assert!(page.contains(r#"hx-get="/admin/certificates/preview""#));

    // Bad input comes back beside its field, with what was typed kept.
    let mut bad = FIELDS.to_vec();
    bad[2] = ("accent_color", "#12");
    let res = owner
        .post_multipart("/admin/certificates", &bad, vec![("signature", "sig.png", b"not an image".to_vec())])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Use a colour like #4f46e5.") && body.contains("Upload a PNG or JPEG image."));
    assert!(body.contains(r#"value="Diploma of Excellence""#));
    let huge = vec![0u8; 600 * 1024];
    let res = owner.post_multipart("/admin/certificates", &FIELDS, vec![("signature", "big.png", huge)]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().await.unwrap().contains("larger than 512 KB"));

    let res = owner.post_multipart("/admin/certificates", &FIELDS, vec![("signature", "sig.png", png())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = owner.page("/admin/certificates").await;
    assert!(page.contains("Your certificate design is saved."));
    assert!(page.contains("A signature is uploaded.") && page.contains(r##"value="#0e7490""##));
    assert!(page.contains(r#"value="modern" class="sr-only" checked"#));

    // The preview follows what is typed, before saving.
    let res = owner.get("/admin/certificates/preview?title=Award+of+Merit&layout=minimal&accent_color=%23ff0000").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("preview.pdf?title=Award%20of%20Merit&amp;layout=minimal"));
    let res = owner.get("/admin/certificates/preview.pdf?title=Award+of+Merit&layout=classic&show_hours=1&signer_name=Prof.+Mira+Sol").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'self'"));
    let text = pdf_text(&res.bytes().await.unwrap());
    for expected in ["AWARD OF MERIT", "Alex Rivera", "Your course title", "Prof. Mira Sol", "4.5 hours"] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }

    // A certificate issued now uses the saved design.
    let code = earn(&app, &acme, "Nadia Kowalski", "nadia@acme.test", "Watercolour").await;
    let text = pdf_text(&owner.get(&format!("/certificates/{code}/pdf")).await.bytes().await.unwrap());
    for expected in ["DIPLOMA OF EXCELLENCE", "Dr. Ada Lovelace", "Head of Studies", "Nadia Kowalski"] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }

    // Removing the signature and hiding the length.
    let fields: Vec<_> =
        FIELDS.iter().copied().filter(|(k, _)| *k != "show_hours").chain([("remove_signature", "1")]).collect();
    assert_eq!(owner.post_multipart("/admin/certificates", &fields, vec![]).await.status(), StatusCode::SEE_OTHER);
    let (_, page) = owner.page("/admin/certificates").await;
    assert!(!page.contains("A signature is uploaded."));
    let text = pdf_text(&owner.get("/admin/certificates/preview.pdf").await.bytes().await.unwrap());
    assert!(!text.contains("hours"), "{text}");

    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let sam = app.browser("acme");
    sam.login("sam@acme.test", PASSWORD).await;
    for path in ["/admin/certificates", "/admin/certificates/issued", "/admin/certificates/preview.pdf"] {
        assert_eq!(sam.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn the_issued_list_searches_and_shows_one_students_certificates() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let (_, empty) = owner.page("/admin/certificates/issued").await;
    assert!(empty.contains("No certificates issued yet"));

    let first = earn(&app, &acme, "Ola Nordmann", "ola@acme.test", "Knitting").await;
    let second = earn(&app, &acme, "Kari Hansen", "kari@acme.test", "Sailing").await;
    let (_, all) = owner.page("/admin/certificates/issued").await;
    assert!(all.contains(&first) && all.contains(&second) && all.contains("2 certificates issued"));
    let (_, found) = owner.page("/admin/certificates/issued?q=sail").await;
    assert!(found.contains(&second) && !found.contains(&first));
    let (_, none) = owner.page("/admin/certificates/issued?q=chess").await;
    assert!(none.contains("No certificates match"));

    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (ola, _) = identity::store::find_by_email(&mut tx, "ola@acme.test").await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let (_, one) = owner.page(&format!("/admin/certificates/issued?student={}", ola.id)).await;
    assert!(one.contains("Certificates of Ola Nordmann") && one.contains(&first) && !one.contains(&second));
    let globex = app.school("globex").await;
    let outsider = app.browser("globex");
    outsider.login(&globex.owner_email, PASSWORD).await;
    let res = outsider.get(&format!("/admin/certificates/issued?student={}", ola.id)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another school's student");
}

#[tokio::test]
async fn the_api_tells_whether_a_certificate_is_valid() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let code = earn(&app, &acme, "Lin Wei", "lin@acme.test", "Tea ceremony").await;
    let key = app.api_key(&acme, "read").await;
    let client = reqwest::Client::builder()
        .resolve("acme.localhost", app.addr)
        .resolve("globex.localhost", app.addr)
        .build()
        .unwrap();
    let get = |host: &str, path: String, key: String| {
        let client = client.clone();
        let url = format!("http://{host}:{}/api/v1{path}", app.addr.port());
        async move { client.get(url).bearer_auth(key).send().await.unwrap() }
    };
    let res = get("acme.localhost", format!("/certificates/{}", code.to_lowercase()), key.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], code.as_str());
    assert_eq!(body["student_name"], "Lin Wei");
    assert_eq!(body["course"], "Tea ceremony");
    assert_eq!(body["revoked"], false);
    assert!(
        body["issued_at"].is_string()
            && body["verify_url"].as_str().unwrap().ends_with(&format!("/certificates/{code}"))
    );

    let res = get("acme.localhost", "/certificates/LYC-2222-3333".into(), key.clone()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let other = app.api_key(&globex, "read").await;
    let res = get("globex.localhost", format!("/certificates/{code}"), other).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another school's certificate");
}
