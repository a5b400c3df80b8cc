//! Helping students from `/admin/people`: the list's filters and CSV, a student's page, and
//! each action on it (emails, address correction, suspension, deletion), by role and from
//! another school.

use identity::Role;
use reqwest::StatusCode;

use crate::support::{Browser, PASSWORD, TestApp, TestSchool, location};

async fn logged_in(app: &TestApp, slug: &str, email: &str) -> Browser {
    let b = app.browser(slug);
    b.login(email, PASSWORD).await;
    b
}

/// A text column of a user found by address.
async fn column(app: &TestApp, school: &TestSchool, sql: &'static str, id: kernel::ids::UserId) -> Option<String> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let v = sqlx::query_scalar(sql).bind(school.school.id).bind(id).fetch_one(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    v
}

/// How many rows of `table` belong to the user.
async fn count(app: &TestApp, school: &TestSchool, table: &str, id: kernel::ids::UserId) -> i64 {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let sql = format!("select count(*) from {table} where tenant_id = $1 and user_id = $2");
    let v = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(school.school.id).bind(id).fetch_one(&mut *tx).await;
    tx.commit().await.unwrap();
    v.unwrap()
}

async fn owner_id(app: &TestApp, school: &TestSchool) -> kernel::ids::UserId {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let (owner, _) = identity::store::find_by_email(&mut tx, &school.owner_email).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    owner.id
}

const ACTIONS: [&str; 6] = ["resend-verification", "reset-password", "email", "suspend", "restore", "delete"];

#[tokio::test]
async fn a_student_page_shows_profile_email_status_and_sign_in_history() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let stu = app.user(&acme, "Carlos García Hernández", "carlos@acme.test", Role::Student).await;
    let s = app.browser("acme");
    let res = s
        .client
        .post(s.url("/login"))
        .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0")
        .form(&[("email", "carlos@acme.test"), ("password", PASSWORD), ("_csrf", &s.csrf().await)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let o = logged_in(&app, "acme", &acme.owner_email).await;
    let (status, list) = o.page("/admin/people").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&format!("/admin/people/{}", stu.id)), "the list links to the student");
    let (status, page) = o.page(&format!("/admin/people/{}", stu.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Carlos García Hernández") && page.contains("carlos@acme.test"));
    assert!(page.contains("Verified on") && page.contains("Sign-in history"));
    assert!(page.contains("Firefox · Linux") && page.contains("127.0.0.1"), "the login is listed");
    assert!(page.contains("English") && page.contains("school&#x27;s default"));
}

#[tokio::test]
async fn staff_send_a_reset_and_resend_the_verification_email() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let stu = app.user(&acme, "Stu", "stu@acme.test", Role::Student).await;
    let o = logged_in(&app, "acme", &acme.owner_email).await;
    let res = o.post_form(&format!("/admin/people/{}/reset-password", stu.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/admin/people/{}", stu.id));
    let (_, page) = o.page(&location(&res)).await;
    assert!(page.contains("We sent a password-reset email to stu@acme.test"), "a toast says so");
    let link = app.link_in_mail(&acme, "stu@acme.test", "/reset-password/").await;
    assert_eq!(app.browser("acme").get(&link).await.status(), StatusCode::OK, "the link works");

    let res = o.post_form(&format!("/admin/people/{}/resend-verification", stu.id), &[]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "already verified");
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query("update users set email_verified_at = null where tenant_id = $1 and id = $2")
        .bind(acme.school.id)
        .bind(stu.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (_, page) = o.page(&format!("/admin/people/{}", stu.id)).await;
    assert!(page.contains("Resend verification email") && page.contains("Not verified yet"));
    let res = o.post_form(&format!("/admin/people/{}/resend-verification", stu.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.link_in_mail(&acme, "stu@acme.test", "/verify-email/").await;
    let res = o.post_form_without_csrf(&format!("/admin/people/{}/reset-password", stu.id), &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "actions need the CSRF token");
}

#[tokio::test]
async fn a_corrected_email_is_checked_and_must_be_verified_again() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let stu = app.user(&acme, "Stu", "stu@acme.tset", Role::Student).await;
    app.user(&acme, "Other", "other@acme.test", Role::Student).await;
    let o = logged_in(&app, "acme", &acme.owner_email).await;
    let path = format!("/admin/people/{}/email", stu.id);
    let res = o.post_form(&path, &[("email", "not an address")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("not an address"), "what was typed is kept");
    let res = o.post_form(&path, &[("email", "Other@acme.test")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("already"), "the address is taken in this school");

    let res = o.post_form(&path, &[("email", " Stu@Acme.test ")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let sql = "select email from users where tenant_id = $1 and id = $2";
    assert_eq!(column(&app, &acme, sql, stu.id).await.as_deref(), Some("stu@acme.test"));
    let sql = "select email_verified_at::text from users where tenant_id = $1 and id = $2";
    assert_eq!(column(&app, &acme, sql, stu.id).await, None, "unverified until confirmed");
    let link = app.link_in_mail(&acme, "stu@acme.test", "/verify-email/").await;
    assert_eq!(app.browser("acme").get(&link).await.status(), StatusCode::SEE_OTHER, "the link confirms it");
    let sql = "select email_verified_at::text from users where tenant_id = $1 and id = $2";
    assert!(column(&app, &acme, sql, stu.id).await.is_some());
}

#[tokio::test]
async fn a_suspended_student_is_logged_out_and_told_why_until_restored() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let stu = app.user(&acme, "Stu", "stu@acme.test", Role::Student).await;
    let s = logged_in(&app, "acme", "stu@acme.test").await;
    let o = logged_in(&app, "acme", &acme.owner_email).await;
    let res = o.post_form(&format!("/admin/people/{}/suspend", stu.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_ne!(s.get("/account").await.status(), StatusCode::OK, "their session ended");
    let res = app.browser("acme").post_form("/login", &[("email", "stu@acme.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("is suspended"));
    let res = app.browser("acme").post_form("/login", &[("email", "stu@acme.test"), ("password", "wrong pass")]).await;
    assert!(!res.text().await.unwrap().contains("suspended"), "a stranger learns nothing");
    let (_, list) = o.page("/admin/people?status=suspended").await;
    assert!(list.contains("stu@acme.test") && list.contains("Suspended"));
    let (_, list) = o.page("/admin/people?status=active").await;
    assert!(!list.contains("stu@acme.test"));

    let res = o.post_form(&format!("/admin/people/{}/restore", stu.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    logged_in(&app, "acme", "stu@acme.test").await;
}

#[tokio::test]
async fn deleting_a_student_erases_their_personal_data() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let stu = app.user(&acme, "Stu Dent", "stu@acme.test", Role::Student).await;
    logged_in(&app, "acme", "stu@acme.test").await;
    let o = logged_in(&app, "acme", &acme.owner_email).await;
    o.post_form(&format!("/admin/people/{}/reset-password", stu.id), &[]).await;
    let path = format!("/admin/people/{}/delete", stu.id);
    let res = o.post_form(&path, &[("confirm", "someone@acme.test")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the address must be typed");
    assert!(res.text().await.unwrap().contains("exactly as shown"));
    let res = o.post_form(&path, &[("confirm", "STU@acme.test")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/people");

    let sql = "select name || ' ' || email from users where tenant_id = $1 and id = $2";
    let left = column(&app, &acme, sql, stu.id).await.unwrap();
    assert!(!left.contains("Stu") && !left.contains("stu@acme.test") && left.contains("deleted"), "{left}");
    for table in ["sessions", "user_tokens", "login_events"] {
        assert_eq!(count(&app, &acme, table, stu.id).await, 0, "{table} is emptied");
    }
    assert_eq!(o.get(&format!("/admin/people/{}", stu.id)).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = o.page("/admin/people").await;
    assert!(!list.contains(&stu.id.to_string()), "gone from the list");
    let res = app.browser("acme").post_form("/login", &[("email", "stu@acme.test"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "no such account any more");
}

#[tokio::test]
async fn support_helps_admins_manage_instructors_only_look_and_staff_have_no_student_page() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let stu = app.user(&acme, "Stu", "stu@acme.test", Role::Student).await;
    app.user(&acme, "Sue", "sue@acme.test", Role::Support).await;
    app.user(&acme, "Ivy", "ivy@acme.test", Role::Instructor).await;
    app.user(&acme, "Ada", "ada@acme.test", Role::Admin).await;
    let sue = logged_in(&app, "acme", "sue@acme.test").await;
    let ivy = logged_in(&app, "acme", "ivy@acme.test").await;
    let ada = logged_in(&app, "acme", "ada@acme.test").await;
    let student = |action: &str| format!("/admin/people/{}/{action}", stu.id);

    assert_eq!(sue.post_form(&student("reset-password"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(sue.post_form(&student("suspend"), &[]).await.status(), StatusCode::FORBIDDEN);
    let (_, page) = sue.page(&format!("/admin/people/{}", stu.id)).await;
    assert!(page.contains("Send password reset") && !page.contains("Suspend access"));
    assert_eq!(ivy.post_form(&student("reset-password"), &[]).await.status(), StatusCode::FORBIDDEN);
    let (status, page) = ivy.page(&format!("/admin/people/{}", stu.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("Sign-in history") && !page.contains("Send password reset"));

    let owner = owner_id(&app, &acme).await;
    assert_eq!(ada.get(&format!("/admin/people/{owner}")).await.status(), StatusCode::NOT_FOUND);
    for action in ["suspend", "delete"] {
        let res = ada.post_form(&format!("/admin/people/{owner}/{action}"), &[("confirm", &acme.owner_email)]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "the owner is never suspended or deleted here");
    }
    logged_in(&app, "acme", &acme.owner_email).await;
}

#[tokio::test]
async fn student_pages_and_actions_do_not_cross_schools() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let stu = app.user(&acme, "Stu", "stu@acme.test", Role::Student).await;
    let g = logged_in(&app, "globex", &globex.owner_email).await;
    assert_eq!(g.get(&format!("/admin/people/{}", stu.id)).await.status(), StatusCode::NOT_FOUND);
    for action in ACTIONS {
        let fields = [("email", "new@acme.test"), ("confirm", "stu@acme.test")];
        let res = g.post_form(&format!("/admin/people/{}/{action}", stu.id), &fields).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{action}");
    }
    let csv = g.get("/admin/people/export.csv").await.text().await.unwrap();
    assert!(!csv.contains("stu@acme.test"));
    let sql =
        "select name || ' ' || email || coalesce(suspended_at::text, '') from users where tenant_id = $1 and id = $2";
    assert_eq!(column(&app, &acme, sql, stu.id).await.as_deref(), Some("Stu stu@acme.test"), "untouched");
    let mails = app.mails(&acme).await;
    assert!(mails.iter().all(|m| !m.text.contains("/reset-password/") && !m.text.contains("/verify-email/")));
}

#[tokio::test]
async fn the_list_filters_and_sorts_and_exports_what_it_shows_as_safe_csv() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "=ABS(1)+HYPERLINK(\"http://evil\")", "eve@acme.test", Role::Student).await;
    app.user(&acme, "Bea, \"B\" Old", "bea@acme.test", Role::Student).await;
    let ana = app.user(&acme, "Ana New", "ana@acme.test", Role::Student).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    sqlx::query(
        "update users set created_at = '2026-01-15T12:00:00Z' where tenant_id = $1 and email = 'bea@acme.test'",
    )
    .bind(acme.school.id)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("update users set email_verified_at = null where tenant_id = $1 and id = $2")
        .bind(acme.school.id)
        .bind(ana.id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let o = logged_in(&app, "acme", &acme.owner_email).await;

    let (_, recent) = o.page("/admin/people?joined=30d").await;
    assert!(recent.contains("ana@acme.test") && !recent.contains("bea@acme.test"));
    let (_, range) = o.page("/admin/people?joined=range&from=2026-01-01&to=2026-01-31").await;
    assert!(range.contains("bea@acme.test") && !range.contains("ana@acme.test"));
    let (_, unverified) = o.page("/admin/people?status=unverified").await;
    assert!(unverified.contains("ana@acme.test") && !unverified.contains("eve@acme.test"));
    let (_, by_name) = o.page("/admin/people?sort=name").await;
    let pos = |e: &str| by_name.find(e).unwrap();
    assert!(pos("eve@acme.test") < pos("ana@acme.test") && pos("ana@acme.test") < pos("bea@acme.test"));
    assert!(by_name.contains("export.csv?sort=name"), "the export keeps the filters");

    let res = o.get("/admin/people/export.csv?sort=name").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("acme-students.csv"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Student,Email,Status,Joined,Last login");
    assert!(
        lines[1].starts_with("\"'=ABS(1)+HYPERLINK(\"\"http://evil\"\")\",eve@acme.test,Verified,"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("Ana New,ana@acme.test,Not verified,"));
    assert!(lines[3].starts_with("\"Bea, \"\"B\"\" Old\",bea@acme.test,Verified,2026-01-15 12:00,"));
    assert_eq!(lines.len(), 4, "students only");
    let csv = o.get("/admin/people/export.csv?status=unverified").await.text().await.unwrap();
    assert!(csv.contains("ana@acme.test") && !csv.contains("bea@acme.test"), "the export is filtered");
}
