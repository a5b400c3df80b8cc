//! Keys, headers and sessions: what protects people beyond each page's own checks.

use base64::Engine;
use reqwest::StatusCode;

use crate::support::{PASSWORD, TestApp, extract_meta};

const MASTER: &str = "a master key of at least thirty-two characters";

/// Seals like `kernel::secret::seal` (AES-256-GCM, purpose as associated data) under a raw key.
fn seal_with(key: &[u8], version: &str, purpose: &str, plaintext: &str) -> String {
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).unwrap());
    let nonce = [7u8; 12];
    let mut data = plaintext.as_bytes().to_vec();
    key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(purpose.as_bytes()), &mut data)
        .unwrap();
    let raw = [nonce.as_slice(), &data].concat();
    format!("{version}.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw))
}

/// A CSRF token is an HMAC of the visitor id, which the browser chooses. When one key signed
/// tokens and derived sealing keys, the id `lyceum-seal-v1:{purpose}` got that purpose's
/// sealing key back as its token.
#[tokio::test]
async fn a_chosen_visitor_id_does_not_yield_a_sealing_key() {
    let app = TestApp::with(|c| c.keys = kernel::secret::Keys::derive(&MASTER.into())).await;
    app.school("acme").await;
    let purpose = "a-purpose-long-enough-for-a-cookie";
    let sid = format!("lyceum-seal-v1:{purpose}");
    let b = app.browser("acme");
    let res = b.client.get(b.url("/login")).header("cookie", format!("lyceum_sid={sid}")).send().await.unwrap();
    let token = extract_meta(&res.text().await.unwrap(), "csrf-token").unwrap();
    let keys = &app.state.config.keys;
    assert_eq!(token, keys.csrf().sign(&sid), "the chosen id was taken");

    // What the v1 sealing key for the purpose is; values sealed under it still open.
    let v1_key = ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, MASTER.as_bytes()), sid.as_bytes());
    let old = seal_with(v1_key.as_ref(), "v1", purpose, "JBSWY3DPEHPK3PXP");
    assert_eq!(kernel::secret::open(keys, purpose, &old).as_deref(), Some("JBSWY3DPEHPK3PXP"));
    assert_ne!(token, hex::encode(v1_key.as_ref()));

    let token = hex::decode(&token).unwrap();
    for version in ["v1", "v2"] {
        let forged = seal_with(&token, version, purpose, "JBSWY3DPEHPK3PXP");
        assert_eq!(kernel::secret::open(keys, purpose, &forged), None, "the token is no {version} sealing key");
    }
}

#[tokio::test]
async fn https_deployments_send_strict_transport_security() {
    let app = TestApp::with(|c| c.public_scheme = "https".into()).await;
    app.school("acme").await;
    for b in [app.platform_browser(), app.browser("acme")] {
        for path in ["/", "/no-such-page", "/assets/app.css"] {
            let res = b.get(path).await;
            assert_eq!(res.headers()["strict-transport-security"], "max-age=63072000", "{}{path}", b.base);
        }
    }
    let plain = TestApp::new().await;
    assert!(!plain.platform_browser().get("/").await.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn only_a_trusted_proxy_makes_cookies_secure() {
    use kernel::web::client_ip::parse_networks;
    let secure_cookie = |res: &reqwest::Response| {
        let cookies: Vec<_> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
        assert!(!cookies.is_empty(), "a new visitor gets a cookie");
        cookies.iter().all(|c| c.contains("; Secure"))
    };
    // The test client connects from loopback: a proxy there is believed...
    let behind_caddy = TestApp::with(|c| {
        c.trust_proxy = true;
        c.trusted_proxies = parse_networks("127.0.0.0/8").unwrap();
    })
    .await;
    let b = behind_caddy.platform_browser();
    let res = b.client.get(b.url("/")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert!(secure_cookie(&res));
    // ...but a client that is not one of the trusted proxies cannot claim https for itself.
    let elsewhere = TestApp::with(|c| {
        c.trust_proxy = true;
        c.trusted_proxies = parse_networks("10.0.0.0/8").unwrap();
    })
    .await;
    let b = elsewhere.platform_browser();
    let res = b.client.get(b.url("/")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert!(!secure_cookie(&res));
}

fn cache_control(res: &reqwest::Response) -> Option<String> {
    res.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test]
async fn pages_for_logged_in_people_are_not_stored_by_the_browser() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sam Student", "sam@acme.test", identity::Role::Student).await;
    let b = app.browser("acme");
    // The public home page carries the visitor's form token, so browsers revalidate it (its
    // ETag answers 304) but may keep it.
    assert_eq!(cache_control(&b.get("/").await).as_deref(), Some("private, no-cache"));
    assert_eq!(cache_control(&b.get("/login").await), None);

    b.login("sam@acme.test", PASSWORD).await;
    for path in ["/", "/account", "/admin/people", "/no-such-page"] {
        assert_eq!(cache_control(&b.get(path).await).as_deref(), Some("no-store"), "{path}");
    }
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let fragment = owner.client.get(owner.url("/admin/people")).header("hx-request", "true").send().await.unwrap();
    assert_eq!(cache_control(&fragment).as_deref(), Some("no-store"), "htmx fragments too");

    tenancy::operator::create(&app.state, "ops@lyceum.test", "Olga Ops", PASSWORD).await.unwrap();
    let ops = app.platform_browser();
    assert_eq!(cache_control(&ops.get("/operator/login").await), None);
    let res = ops.post_form("/operator/login", &[("email", "ops@lyceum.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    for path in ["/operator", "/operator/jobs"] {
        assert_eq!(cache_control(&ops.get(path).await).as_deref(), Some("no-store"), "{path}");
    }
}

/// Renames a table as the owner, to make the queries that use it fail for real.
async fn rename(app: &TestApp, from: &str, to: &str) {
    let mut owner = app.owner_conn().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("alter table {from} rename to {to}"))).execute(&mut owner).await.unwrap();
}

async fn assert_retry_later(res: reqwest::Response, what: &str) {
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{what}: {:?}", res.headers().get("location"));
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{what}: retry after {wait} s");
    let body = res.text().await.unwrap();
    assert!(!body.contains("sessions") && !body.contains("relation"), "{what}: no internals in {body}");
}

#[tokio::test]
async fn a_failed_session_lookup_asks_to_retry_instead_of_logging_out() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Sam Student", "sam@acme.test", identity::Role::Student).await;
    let b = app.browser("acme");
    b.login("sam@acme.test", PASSWORD).await;
    assert_eq!(b.get("/account").await.status(), StatusCode::OK);

    rename(&app, "sessions", "sessions_away").await;
    assert_retry_later(b.get("/account").await, "page").await;
    let res = b.get_json("/account").await;
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    assert_retry_later(res, "problem").await;
    rename(&app, "sessions_away", "sessions").await;
    assert_eq!(b.get("/account").await.status(), StatusCode::OK, "still logged in once the database is back");
}

#[tokio::test]
async fn a_failed_operator_session_lookup_asks_to_retry_instead_of_logging_out() {
    let app = TestApp::new().await;
    tenancy::operator::create(&app.state, "ops@lyceum.test", "Olga Ops", PASSWORD).await.unwrap();
    let ops = app.platform_browser();
    let res = ops.post_form("/operator/login", &[("email", "ops@lyceum.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    rename(&app, "operator_sessions", "operator_sessions_away").await;
    assert_retry_later(ops.get("/operator").await, "operator page").await;
    rename(&app, "operator_sessions_away", "operator_sessions").await;
    assert_eq!(ops.get("/operator").await.status(), StatusCode::OK, "still logged in once the database is back");
}
