//! The team: two-factor login for staff, invitations, roles and removal, the students list,
//! the audit log, and the same routes tried from another school.

use identity::Role;
use reqwest::StatusCode;

use crate::support::{Browser, PASSWORD, TestApp, TestSchool, location};

/// The six-digit code for now plus `offset` seconds.
pub(crate) fn code(secret: &str, offset: i64) -> String {
    let totp = totp_rs::Builder::new().with_secret(totp_rs::Secret::try_from_base32(secret).unwrap()).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    totp.generate((now + offset) as u64).to_string()
}

/// A code that is valid at no time near now.
pub(crate) fn wrong_code(secret: &str) -> String {
    let near: Vec<String> = (-3..=3).map(|k| code(secret, k * 30)).collect();
    (0..).map(|n| format!("{:06}", n * 7919 % 1_000_000)).find(|c| !near.contains(c)).unwrap()
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.find('/').map(|i| rest[i..].to_string()).unwrap_or_else(|| "/".into())
}

/// The recovery codes listed on a page (`abcde-fghjk`), if the page lists any.
fn recovery_codes(html: &str) -> Vec<String> {
    let Some(start) = html.find("data-recovery-codes") else { return vec![] };
    let list = &html[start..start + html[start..].find("</ul>").unwrap()];
    list.split(['<', '>'])
        .map(str::trim)
        .filter(|w| w.len() == 11 && w.as_bytes()[5] == b'-')
        .map(str::to_string)
        .collect()
}

async fn scalar<T>(app: &TestApp, school: &TestSchool, sql: &'static str, email: &str) -> T
where
    T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v = sqlx::query_scalar(sql).bind(school.school.id).bind(email).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    v
}

async fn audit_actions(app: &TestApp, school: &TestSchool) -> Vec<String> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v = sqlx::query_scalar("select action from audit_log where tenant_id = $1 order by id")
        .bind(school.school.id)
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    v
}

async fn logged_in(app: &TestApp, slug: &str, email: &str) -> Browser {
    let b = app.browser(slug);
    b.login(email, PASSWORD).await;
    b
}

#[tokio::test]
async fn two_factor_login_for_staff_from_setup_to_recovery_codes() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = logged_in(&app, "acme", &acme.owner_email).await;
    let (status, page) = b.page("/account/security").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Set up two-step verification"));

    let res = b.post_form("/account/2fa/setup", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let setup = res.text().await.unwrap();
    assert!(setup.contains("<svg") && setup.contains("<rect"), "an inline QR code");
    let secret = stored_totp_secret(&app, &acme).await;
    assert!(setup.contains(&secret[..4]), "the key for manual entry");

    let res = b.post_form("/account/2fa/enable", &[("code", &wrong_code(&secret))]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("code didn"));
    let res = b.post_form("/account/2fa/enable", &[("code", &code(&secret, 0))]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let codes = recovery_codes(&res.text().await.unwrap());
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    let stored: i64 = scalar(
        &app,
        &acme,
        "select count(*) from recovery_codes r join users u on u.tenant_id = r.tenant_id and u.id = r.user_id
         where r.tenant_id = $1 and u.email = $2 and r.code_hash <> ''",
        &acme.owner_email,
    )
    .await;
    assert_eq!(stored, 10);
    let (_, page) = b.page("/account/security").await;
    assert!(recovery_codes(&page).is_empty() && !page.contains(&codes[0]), "never shown again");
    b.post_form("/logout", &[]).await;

    // The password alone now only reaches the second step.
    let res = b.post_form("/login", &[("email", &acme.owner_email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login/2fa");
    assert_eq!(b.get("/admin").await.status(), StatusCode::SEE_OTHER, "a pending session opens nothing");
    assert_eq!(b.get("/account").await.status(), StatusCode::SEE_OTHER);
    let (status, page) = b.page("/login/2fa").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("6-digit code"));
    let res = b.post_form("/login/2fa", &[("code", &wrong_code(&secret))]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let next_code = code(&secret, 30);
    let res = b.post_form("/login/2fa", &[("code", &next_code)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin");
    assert_eq!(b.get("/account").await.status(), StatusCode::OK);

    // A code works once; a recovery code works once.
    let c = app.browser("acme");
    c.post_form("/login", &[("email", &acme.owner_email), ("password", PASSWORD)]).await;
    let res = c.post_form("/login/2fa", &[("code", &next_code)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the same code is not accepted twice");
    let res = c.post_form("/login/2fa", &[("code", &codes[0].to_uppercase())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, admin) = c.page("/admin").await;
    assert!(admin.contains("You have 9 left"));
    let d = app.browser("acme");
    d.post_form("/login", &[("email", &acme.owner_email), ("password", PASSWORD)]).await;
    let res = d.post_form("/login/2fa", &[("code", &codes[0])]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a recovery code works once");
    assert_eq!(audit_actions(&app, &acme).await, ["two_factor.enabled"]);
}

#[tokio::test]
async fn turning_two_factor_off_needs_the_password_and_students_cannot_set_it_up() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = logged_in(&app, "acme", &acme.owner_email).await;
    b.post_form("/account/2fa/setup", &[]).await;
    let secret = stored_totp_secret(&app, &acme).await;
    assert_eq!(b.post_form("/account/2fa/enable", &[("code", &code(&secret, 0))]).await.status(), StatusCode::OK);
    let res = b.post_form("/account/2fa/disable", &[("password", "not my password")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("current password"));
    let res = b.post_form("/account/2fa/disable", &[("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let left: i64 = scalar(
        &app,
        &acme,
        "select count(*) from users where tenant_id = $1 and email = $2 and totp_secret is null and totp_enabled_at is null",
        &acme.owner_email,
    )
    .await;
    assert_eq!(left, 1);
    app.browser("acme").login(&acme.owner_email, PASSWORD).await;
    assert_eq!(audit_actions(&app, &acme).await, ["two_factor.enabled", "two_factor.disabled"]);

    app.user(&acme, "Stu", "stu@acme.test", Role::Student).await;
    let s = logged_in(&app, "acme", "stu@acme.test").await;
    assert_eq!(s.get("/account/security").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(s.post_form("/account/2fa/setup", &[]).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn students_see_no_team_or_people_and_instructors_cannot_invite() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Stu", "stu@acme.test", Role::Student).await;
    app.user(&acme, "Ivy", "ivy@acme.test", Role::Instructor).await;
    let s = logged_in(&app, "acme", "stu@acme.test").await;
    assert_eq!(s.get("/admin/team").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(s.get("/admin/people").await.status(), StatusCode::FORBIDDEN);
    let i = logged_in(&app, "acme", "ivy@acme.test").await;
    let (status, team) = i.page("/admin/team").await;
    assert_eq!(status, StatusCode::OK, "instructors see the team");
    assert!(!team.contains("/admin/team/invite"), "but get no invite form");
    let res = i.post_form("/admin/team/invite", &[("email", "new@acme.test"), ("role", "admin")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(i.get("/admin/people").await.status(), StatusCode::OK);
    assert!(app.mails(&acme).await.iter().all(|m| m.to_email != "new@acme.test"));
}

#[tokio::test]
async fn an_invited_person_joins_with_the_role_and_a_confirmed_address() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let o = logged_in(&app, "acme", &acme.owner_email).await;
    let res = o.post_form("/admin/team/invite", &[("email", &acme.owner_email), ("role", "admin")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("already on your team"));
    let res = o.post_form("/admin/team/invite", &[("email", "nia@acme.test"), ("role", "owner")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "nobody is invited as owner");

    let res = o.post_form("/admin/team/invite", &[("email", "Nia@acme.test"), ("role", "support")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let first = path_of(&app.link_in_mail(&acme, "nia@acme.test", "/invitations/").await);
    let res = o.post_form("/admin/team/invite", &[("email", "nia@acme.test"), ("role", "instructor")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let link = path_of(&app.link_in_mail(&acme, "nia@acme.test", "/invitations/").await);
    assert_ne!(first, link);
    let (_, team) = o.page("/admin/team").await;
    assert_eq!(team.matches("/revoke\"").count(), 1, "re-inviting replaces the invitation");
    assert_eq!(app.browser("acme").get(&first).await.status(), StatusCode::NOT_FOUND, "the old link is dead");

    let n = app.browser("acme");
    let (status, page) = n.page(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Instructor") && page.contains("Olivia Owner"));
    let res = n.post_form(&link, &[("name", ""), ("password", "short")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = n.post_form(&link, &[("name", "Nia Newton"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin");
    assert_eq!(n.get("/admin").await.status(), StatusCode::OK);
    let (role, verified): (String, bool) = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let row = sqlx::query_as(
            "select role, email_verified_at is not null from users where tenant_id = $1 and email = 'nia@acme.test'",
        )
        .bind(acme.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        row
    };
    assert_eq!((role.as_str(), verified), ("instructor", true));
    assert_eq!(app.browser("acme").get(&link).await.status(), StatusCode::NOT_FOUND, "used links are dead");
    assert_eq!(audit_actions(&app, &acme).await, ["team.invited", "team.invited", "team.joined"]);
}

#[tokio::test]
async fn a_student_who_is_invited_logs_in_and_gets_the_role() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Stu", "stu@acme.test", Role::Student).await;
    let o = logged_in(&app, "acme", &acme.owner_email).await;
    o.post_form("/admin/team/invite", &[("email", "stu@acme.test"), ("role", "affiliate")]).await;
    let link = path_of(&app.link_in_mail(&acme, "stu@acme.test", "/invitations/").await);

    let s = app.browser("acme");
    let (_, page) = s.page(&link).await;
    assert!(page.contains("Log in to accept"));
    s.login("stu@acme.test", PASSWORD).await;
    let (_, page) = s.page(&link).await;
    assert!(page.contains("Join the team"));
    let other = logged_in(&app, "acme", &acme.owner_email).await;
    assert_eq!(other.post_form(&link, &[]).await.status(), StatusCode::FORBIDDEN, "only for the invited address");
    let res = s.post_form(&link, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let role: String =
        scalar(&app, &acme, "select role from users where tenant_id = $1 and email = $2", "stu@acme.test").await;
    assert_eq!(role, "affiliate");
}

#[tokio::test]
async fn revoked_invitations_stop_working() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let o = logged_in(&app, "acme", &acme.owner_email).await;
    o.post_form("/admin/team/invite", &[("email", "rex@acme.test"), ("role", "admin")]).await;
    let link = path_of(&app.link_in_mail(&acme, "rex@acme.test", "/invitations/").await);
    let id: uuid::Uuid =
        scalar(&app, &acme, "select id from invitations where tenant_id = $1 and email = $2", "rex@acme.test").await;
    let res = o.post_form(&format!("/admin/team/invitations/{id}/revoke"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, page) = app.browser("acme").page(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("invitation isn"));
    let res = o.post_form(&format!("/admin/team/invitations/{id}/revoke"), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn roles_change_and_removal_ends_access_but_never_for_the_owner_or_oneself() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner_id: uuid::Uuid =
        scalar(&app, &acme, "select id from users where tenant_id = $1 and email = $2", &acme.owner_email).await;
    let ada = app.user(&acme, "Ada Admin", "ada@acme.test", Role::Admin).await;
    let ivy = app.user(&acme, "Ivy", "ivy@acme.test", Role::Instructor).await;
    let a = logged_in(&app, "acme", "ada@acme.test").await;
    let i = logged_in(&app, "acme", "ivy@acme.test").await;

    let res = a.post_form(&format!("/admin/team/{}/role", ivy.id), &[("role", "support")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, team) = a.page("/admin/team").await;
    assert!(team.contains("Ivy is now Support"));
    let res = a.post_form(&format!("/admin/team/{}/role", ivy.id), &[("role", "owner")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        a.post_form(&format!("/admin/team/{owner_id}/role"), &[("role", "admin")]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(a.post_form(&format!("/admin/team/{owner_id}/remove"), &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(a.post_form(&format!("/admin/team/{}/remove", ada.id), &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(i.post_form(&format!("/admin/team/{}/remove", ada.id), &[]).await.status(), StatusCode::FORBIDDEN);

    assert_eq!(i.get("/admin").await.status(), StatusCode::OK);
    let res = a.post_form(&format!("/admin/team/{}/remove", ivy.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(i.get("/admin").await.status(), StatusCode::SEE_OTHER, "their sessions ended");
    let role: String =
        scalar(&app, &acme, "select role from users where tenant_id = $1 and email = $2", "ivy@acme.test").await;
    assert_eq!(role, "student", "they keep a student account");
    let again = logged_in(&app, "acme", "ivy@acme.test").await;
    assert_eq!(again.get("/admin").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(audit_actions(&app, &acme).await, ["team.role_changed", "team.removed"]);
}

#[tokio::test]
async fn the_students_list_searches_and_pages() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let o = logged_in(&app, "acme", &acme.owner_email).await;
    let (status, empty) = o.page("/admin/people").await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty.contains("No students yet"));
    for n in 0..27 {
        app.user(&acme, &format!("Learner {n:02}"), &format!("learner{n:02}@acme.test"), Role::Student).await;
    }
    app.user(&acme, "Zed 100%_", "zed@acme.test", Role::Student).await;
    let (_, first) = o.page("/admin/people").await;
    assert!(first.contains("Zed 100%_") && first.contains("Learner 26") && !first.contains("Learner 02"));
    assert!(first.contains("Verified") && !first.contains("owner@acme.test"), "students only");
    let next = first.split("href=\"").filter_map(|s| s.split('"').next()).find(|h| h.contains("page=2")).unwrap();
    let (_, second) = o.page(&next.replace("&#x2f;", "/").replace("&amp;", "&")).await;
    assert!(second.contains("Learner 02") && second.contains("Learner 00") && !second.contains("Learner 26"));
    assert!(!second.contains("page=3"), "the last page has no more");

    let (_, found) = o.page("/admin/people?q=learner1").await;
    // Each student is listed twice: in the table (wide screens) and as a card (phones).
    assert_eq!(found.matches("@acme.test").count(), 20, "learner10 to learner19");
    let (_, literal) = o.page("/admin/people?q=%25_").await;
    assert!(literal.contains("zed@acme.test") && !literal.contains("learner"), "% and _ match themselves");
    let (_, none) = o.page("/admin/people?q=nobody-here").await;
    assert!(none.contains("No students match"));
}

#[tokio::test]
async fn team_routes_and_invitations_do_not_cross_schools() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let ivy = app.user(&acme, "Ivy", "ivy@acme.test", Role::Instructor).await;
    app.user(&acme, "Stu Acme", "stu@acme.test", Role::Student).await;
    let a = logged_in(&app, "acme", &acme.owner_email).await;
    a.post_form("/admin/team/invite", &[("email", "rex@acme.test"), ("role", "admin")]).await;
    let link = path_of(&app.link_in_mail(&acme, "rex@acme.test", "/invitations/").await);
    let inv: uuid::Uuid =
        scalar(&app, &acme, "select id from invitations where tenant_id = $1 and email = $2", "rex@acme.test").await;

    let g = logged_in(&app, "globex", &globex.owner_email).await;
    assert_eq!(
        g.post_form(&format!("/admin/team/{}/role", ivy.id), &[("role", "admin")]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(g.post_form(&format!("/admin/team/{}/remove", ivy.id), &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        g.post_form(&format!("/admin/team/invitations/{inv}/revoke"), &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.browser("globex").get(&link).await.status(), StatusCode::NOT_FOUND);
    let res = app.browser("globex").post_form(&link, &[("name", "Rex"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (_, team) = g.page("/admin/team").await;
    assert!(!team.contains("ivy@acme.test") && !team.contains("rex@acme.test"));
    let (_, people) = g.page("/admin/people?q=acme").await;
    assert!(!people.contains("stu@acme.test"));
    let role: String =
        scalar(&app, &acme, "select role from users where tenant_id = $1 and email = $2", "ivy@acme.test").await;
    assert_eq!(role, "instructor");
    assert_eq!(app.browser("acme").get(&link).await.status(), StatusCode::OK, "still good at home");
}

/// The owner's TOTP secret as the app will use it: stored sealed, never in clear.
pub(crate) async fn stored_totp_secret(app: &TestApp, school: &TestSchool) -> String {
    let sealed: String =
        scalar(app, school, "select totp_secret from users where tenant_id = $1 and email = $2", &school.owner_email)
            .await;
    let secret = kernel::secret::open(&app.state.config.keys, "totp-secret", &sealed).expect("a sealed secret");
    assert!(!sealed.contains(&secret), "the secret is encrypted at rest");
    secret
}
