//! `TestApp`: a fresh database, the real router on a loopback port, and browsers per school.

#![allow(dead_code)]

use std::{net::SocketAddr, sync::Arc};

use identity::model::{Email, Role};
use kernel::{AppState, config::Config, mail::StoredMail, net::StaticResolver, web::School};
use reqwest::{Response, StatusCode, redirect::Policy};

/// Password of every account the helpers create.
pub const PASSWORD: &str = "correct horse battery staple";

/// The application under test.
pub struct TestApp {
    pub state: AppState,
    pub addr: SocketAddr,
    pub owner_url: String,
    pub app_url: String,
    pub dns: Arc<StaticResolver>,
}

/// A school created for a test, with its owner.
pub struct TestSchool {
    pub school: School,
    pub owner_email: String,
}

impl TestApp {
    /// A new app with the default configuration.
    pub async fn new() -> Self {
        Self::with(|_| {}).await
    }

    /// A new app after `tweak` adjusts the configuration.
    pub async fn with(tweak: impl FnOnce(&mut Config)) -> Self {
        Self::with_wiring(tweak, |_| {}).await
    }

    /// A new app after `tweak` adjusts the configuration and `wire` adds to the wiring.
    pub async fn with_wiring(tweak: impl FnOnce(&mut Config), wire: impl FnOnce(&mut kernel::state::Wiring)) -> Self {
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(std::env::var("LYCEUM_TEST_LOG").unwrap_or_else(|_| "warn,lyceum=info".into()))
            .try_init();
        let (owner_url, app_url) = kernel::testing::fresh_database().await.expect("test database");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = Config::from_env().unwrap();
        config.database_url = owner_url.clone();
        config.app_database_url = app_url.clone();
        config.platform_host = format!("localhost:{}", addr.port());
        config.smtp_url = None;
        config.demo = false;
        config.db_pool_size = 5;
        config.assets_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/dist");
        config.storage = kernel::storage::StorageConfig::Local { dir: scratch_dir("storage") };
        tweak(&mut config);
        let dns = Arc::new(StaticResolver::default());
        let mut wiring = lyceum::app::wiring();
        wire(&mut wiring);
        let state = lyceum::app::state_with(config, dns.clone(), wiring).await.expect("state");
        let served = state.clone();
        tokio::spawn(async move {
            lyceum::app::serve(served, listener, std::future::pending()).await.unwrap();
        });
        Self { state, addr, owner_url, app_url, dns }
    }

    /// The platform host's base URL.
    pub fn platform_url(&self) -> String {
        format!("http://localhost:{}", self.addr.port())
    }

    /// A browser (own cookie jar) pointed at a school's site.
    pub fn browser(&self, slug: &str) -> Browser {
        Browser::new(self.addr, &format!("{slug}.localhost"))
    }

    /// A browser on the platform host.
    pub fn platform_browser(&self) -> Browser {
        Browser::new(self.addr, "localhost")
    }

    /// A browser on any host name (custom domains).
    pub fn browser_on(&self, host: &str) -> Browser {
        Browser::new(self.addr, host)
    }

    /// Creates a school with a verified owner.
    pub async fn school(&self, slug: &str) -> TestSchool {
        let email = format!("owner@{slug}.test");
        let new = tenancy::service::NewSchool::parse(
            &format!("School {slug}"),
            slug,
            "Olivia Owner",
            &email,
            PASSWORD,
            kernel::i18n::Locale::En,
        )
        .unwrap_or_else(|e| panic!("bad school: {:?}", e.0));
        let (school, _) = match tenancy::service::create_school(&self.state, &new, true).await {
            Ok(v) => v,
            Err(_) => panic!("school {slug} could not be created"),
        };
        TestSchool { school, owner_email: email }
    }

    /// Adds a verified account with a role to a school.
    pub async fn user(&self, school: &TestSchool, name: &str, email: &str, role: Role) -> identity::User {
        let mut tx = self.state.db.tenant(school.school.id).await.unwrap();
        let account = identity::service::NewAccount {
            name: name.into(),
            email: Email::parse(email).unwrap(),
            password: PASSWORD.into(),
        };
        let user = identity::service::create_account(&self.state, &mut tx, &account, role, true)
            .await
            .unwrap()
            .expect("email free");
        tx.commit().await.unwrap();
        user
    }

    /// Runs every due job until the queue is idle.
    pub async fn run_jobs(&self) -> usize {
        let mut total = 0;
        loop {
            let n = kernel::jobs::run_due(&self.state, "test-worker", 50).await.unwrap();
            if n == 0 {
                return total;
            }
            total += n;
        }
    }

    /// The school's stored mail, newest first.
    pub async fn mails(&self, school: &TestSchool) -> Vec<StoredMail> {
        let mut tx = self.state.db.tenant(school.school.id).await.unwrap();
        let m = kernel::mail::recent(&mut tx, 100).await.unwrap();
        tx.commit().await.unwrap();
        m
    }

    /// The first link in the newest mail to `to` whose URL contains `fragment`.
    pub async fn link_in_mail(&self, school: &TestSchool, to: &str, fragment: &str) -> String {
        let mails = self.mails(school).await;
        let mail = mails
            .iter()
            .find(|m| m.to_email == to && m.text.contains(fragment))
            .unwrap_or_else(|| panic!("no mail to {to} with {fragment}"));
        mail.text.split_whitespace().find(|w| w.starts_with("http") && w.contains(fragment)).unwrap().to_string()
    }

    /// A raw connection as the owner role (superuser), for inspecting the catalog.
    pub async fn owner_conn(&self) -> sqlx::PgConnection {
        use sqlx::Connection;
        sqlx::PgConnection::connect(&self.owner_url).await.unwrap()
    }

    /// A raw connection as the application role, outside any TenantTx.
    pub async fn app_conn(&self) -> sqlx::PgConnection {
        use sqlx::Connection;
        sqlx::PgConnection::connect(&self.app_url).await.unwrap()
    }
}

/// A browser: a cookie jar, no automatic redirects, one host.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

impl Browser {
    fn new(addr: SocketAddr, host: &str) -> Self {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).resolve(host, addr).build().unwrap();
        Self { client, base: format!("http://{host}:{}", addr.port()) }
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") { path.to_string() } else { format!("{}{path}", self.base) }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).header("accept", "text/html").send().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> Response {
        self.client.get(self.url(path)).header("accept", "application/json").send().await.unwrap()
    }

    /// The page's text.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let res = self.get(path).await;
        (res.status(), res.text().await.unwrap())
    }

    /// The CSRF token of the current visitor (from a page's meta tag).
    pub async fn csrf(&self) -> String {
        let (_, body) = self.page("/healthz-csrf-probe").await;
        extract_meta(&body, "csrf-token").expect("csrf meta on the 404 page")
    }

    /// Submits a form with the visitor's CSRF token.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("_csrf", &token));
        self.client.post(self.url(path)).header("accept", "text/html").form(&all).send().await.unwrap()
    }

    /// Submits a form as if through a proxy that names the caller `forwarded_for`.
    pub async fn post_form_via_proxy(&self, path: &str, fields: &[(&str, &str)], forwarded_for: &str) -> Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("_csrf", &token));
        let req =
            self.client.post(self.url(path)).header("accept", "text/html").header("x-forwarded-for", forwarded_for);
        req.form(&all).send().await.unwrap()
    }

    /// Submits a multipart form as a browser does: the CSRF token first, then `fields`, then
    /// the file parts `(field, file name, bytes)`.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: Vec<(&str, &str, Vec<u8>)>,
    ) -> Response {
        let token = self.csrf().await;
        self.post_multipart_raw(path, &[&[("_csrf", token.as_str())], fields].concat(), files).await
    }

    /// Submits a multipart form with exactly the fields given (no token added).
    pub async fn post_multipart_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: Vec<(&str, &str, Vec<u8>)>,
    ) -> Response {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (name, file_name, bytes) in files {
            form = form.part(name.to_string(), reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()));
        }
        self.client.post(self.url(path)).header("accept", "text/html").multipart(form).send().await.unwrap()
    }

    /// Submits a form without a CSRF token.
    pub async fn post_form_without_csrf(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client.post(self.url(path)).form(fields).send().await.unwrap()
    }

    /// Logs in and asserts it worked.
    pub async fn login(&self, email: &str, password: &str) {
        let res = self.post_form("/login", &[("email", email), ("password", password)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "login as {email} failed: {}", res.text().await.unwrap());
    }
}

/// Where a redirect points.
pub fn location(res: &Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// The content of `<meta name=NAME content=…>`.
pub fn extract_meta(html: &str, name: &str) -> Option<String> {
    let needle = format!(r#"<meta name="{name}" content=""#);
    let start = html.find(&needle)? + needle.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// A new, empty folder for one test under cargo's scratch directory.
pub fn scratch_dir(what: &str) -> std::path::PathBuf {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{what}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl TestApp {
    /// Creates an API key (`read` or `read_write`) for the school's owner; returns the secret.
    pub async fn api_key(&self, school: &TestSchool, scope: &str) -> String {
        let mut tx = self.state.db.tenant(school.school.id).await.unwrap();
        let (owner, _) = identity::store::find_by_email(&mut tx, &school.owner_email).await.unwrap().unwrap();
        let form = integrations::model::KeyForm { name: format!("{scope} key"), scope: scope.into() };
        let new = integrations::model::NewKey::parse(&form, kernel::i18n::Locale::En).unwrap();
        let created = integrations::service::create_key(&mut tx, &new, owner.id).await.unwrap();
        tx.commit().await.unwrap();
        created.secret
    }
}
