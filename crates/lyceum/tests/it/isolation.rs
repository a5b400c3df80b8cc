//! Tenant isolation: the catalog rules, row-level security as the application role, and
//! schools that cannot reach each other through the HTTP surface.

use reqwest::StatusCode;
use sqlx::Row;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn every_tenant_table_has_forced_rls_and_a_tenant_led_primary_key() {
    let app = TestApp::new().await;
    let mut conn = app.owner_conn().await;
    let rows = sqlx::query(
        "select c.relname, c.relrowsecurity, c.relforcerowsecurity,
                (select a.attname from pg_index i
                   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                  where i.indrelid = c.oid and i.indisprimary) as first_pk_column,
                exists(select 1 from pg_policy p where p.polrelid = c.oid) as has_policy
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r'
           and exists(select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(rows.len() >= 10, "expected the tenant tables, found {}", rows.len());
    let mut problems = vec![];
    for r in rows {
        let name: String = r.get(0);
        if !r.get::<bool, _>(1) || !r.get::<bool, _>(2) || !r.get::<bool, _>(4) {
            problems.push(format!("{name}: row-level security not enabled, forced and with a policy"));
        }
        if r.get::<Option<String>, _>(3).as_deref() != Some("tenant_id") {
            problems.push(format!("{name}: primary key does not start with tenant_id"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn the_application_role_is_neither_owner_nor_superuser() {
    let app = TestApp::new().await;
    let mut conn = app.app_conn().await;
    let (superuser, bypass): (bool, bool) =
        sqlx::query_as("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(!superuser && !bypass);
    let owned: i64 = sqlx::query_scalar(
        "select count(*) from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'lyceum_app'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(owned, 0);
}

#[tokio::test]
async fn without_a_tenant_the_application_role_reads_nothing_and_cannot_insert() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.user(&acme, "Stu Dent", "stu@acme.test", identity::Role::Student).await;
    let mut conn = app.app_conn().await;
    for table in ["users", "tenant_settings", "sessions", "jobs", "events", "mail_messages", "tenants", "operators"] {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("select count(*) from {table}")))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(n, 0, "{table} is readable without a tenant");
    }
    let insert = sqlx::query(
        "insert into users (tenant_id, id, email, name, role) values ($1, gen_random_uuid(), 'x@y.test', 'X', 'student')",
    )
    .bind(acme.school.id)
    .execute(&mut conn)
    .await;
    let err = insert.expect_err("insert without tenant must fail").to_string();
    assert!(err.contains("row-level security"), "{err}");

    // Inside another school's transaction the row is just as invisible.
    let globex = app.school("globex").await;
    let mut tx = app.state.db.tenant(globex.school.id).await.unwrap();
    let seen: i64 = sqlx::query_scalar("select count(*) from users where tenant_id = $1")
        .bind(acme.school.id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(seen, 0);
}

#[tokio::test]
async fn an_account_of_one_school_cannot_log_in_to_another() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let _globex = app.school("globex").await;
    let b = app.browser("globex");
    let res = b.post_form("/login", &[("email", &acme.owner_email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("don&#x27;t match an account"));
}

#[tokio::test]
async fn a_session_cookie_from_one_school_is_useless_on_another() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    app.school("globex").await;
    let a = app.browser("acme");
    let res = a.post_form("/login", &[("email", &acme.owner_email), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let sid = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("lyceum_sid=").map(|v| v.split(';').next().unwrap().to_string()))
        .expect("login sets a new session cookie");
    let cookie = format!("lyceum_sid={sid}");
    let bare = |host: &str| {
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).resolve(host, app.addr).build().unwrap()
    };
    let on_acme = bare("acme.localhost")
        .get(format!("http://acme.localhost:{}/admin", app.addr.port()))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(on_acme.status(), StatusCode::OK, "the cookie works where it was issued");
    let on_globex = bare("globex.localhost")
        .get(format!("http://globex.localhost:{}/admin", app.addr.port()))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(on_globex.status(), StatusCode::SEE_OTHER, "globex does not know acme's session");
    assert!(on_globex.headers()["location"].to_str().unwrap().starts_with("/login"));
}

#[tokio::test]
async fn the_admin_of_one_school_gets_nothing_from_another() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    app.user(&globex, "Gina", "gina@globex.test", identity::Role::Student).await;
    let a = app.browser("acme");
    a.login(&acme.owner_email, PASSWORD).await;
    let (status, body) = a.page("/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("gina@globex.test"));
    assert!(!body.contains("School globex"));
}

/// Every route that takes an id, tried by the owner of another school with the first school's
/// ids: always 404, and nothing of the first school changes.
#[tokio::test]
async fn every_route_with_an_id_answers_404_to_another_school() {
    let app = TestApp::with(|c| c.demo = true).await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let student = app.user(&acme, "Stu", "stu@acme.test", identity::Role::Student).await;
    let owner = {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        let o = identity::store::find_by_email(&mut tx, &acme.owner_email).await.unwrap().unwrap().0;
        tx.commit().await.unwrap();
        o
    };
    app.run_jobs().await;

    // Acme's objects, made the way acme's owner makes them.
    let a = app.browser("acme");
    a.login(&acme.owner_email, PASSWORD).await;
    a.post_form("/admin/team/invite", &[("email", "inv@acme.test"), ("role", "instructor")]).await;
    a.post_form("/admin/settings/domains", &[("domain", "learn.acme.test")]).await;
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let key = integrations::service::create_key(
        &mut tx,
        &integrations::model::NewKey::parse(
            &integrations::model::KeyForm { name: "Zapier".into(), scope: "read_write".into() },
            kernel::i18n::Locale::En,
        )
        .unwrap(),
        owner.id,
    )
    .await
    .unwrap();
    let logo_id = uuid::Uuid::now_v7();
    sqlx::query("insert into brand_assets (tenant_id, id, content_type, byte_size, data) values ($1, $2, 'image/png', 4, '\\x89504e47')")
        .bind(acme.school.id)
        .bind(logo_id)
        .execute(&mut *tx)
        .await
        .unwrap();
    let ids: (uuid::Uuid, uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select (select id from invitations where tenant_id = $1), (select id from tenant_domains where tenant_id = $1),
                (select id from mail_messages where tenant_id = $1 order by created_at limit 1)",
    )
    .bind(acme.school.id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (invitation, domain, mail) = ids;
    let key_id = key.key.id.to_string();

    let g = app.browser("globex");
    g.login(&globex.owner_email, PASSWORD).await;
    let uid = student.id.to_string();
    let gets = [format!("/brand/logo/{logo_id}"), format!("/admin/mailbox/{mail}")];
    for path in &gets {
        assert_eq!(g.get(path).await.status(), StatusCode::NOT_FOUND, "GET {path}");
        assert_eq!(a.get(path).await.status(), StatusCode::OK, "GET {path} works for its own school");
    }
    let posts: [(String, Vec<(&str, &str)>); 6] = [
        (format!("/admin/team/{uid}/role"), vec![("role", "admin")]),
        (format!("/admin/team/{uid}/remove"), vec![]),
        (format!("/admin/team/invitations/{invitation}/revoke"), vec![]),
        (format!("/admin/settings/domains/{domain}/verify"), vec![]),
        (format!("/admin/settings/domains/{domain}/remove"), vec![]),
        (format!("/admin/settings/api-keys/{key_id}/revoke"), vec![]),
    ];
    for (path, fields) in &posts {
        let res = g.post_form(path, fields).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "POST {path}");
    }

    // Through the API, with globex's own valid key.
    let mut tx = app.state.db.tenant(globex.school.id).await.unwrap();
    let gowner = identity::store::find_by_email(&mut tx, &globex.owner_email).await.unwrap().unwrap().0;
    let gkey = integrations::service::create_key(
        &mut tx,
        &integrations::model::NewKey::parse(
            &integrations::model::KeyForm { name: "G".into(), scope: "read".into() },
            kernel::i18n::Locale::En,
        )
        .unwrap(),
        gowner.id,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let res = g.client.get(g.url(&format!("/api/v1/users/{uid}"))).bearer_auth(&gkey.secret).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    // Acme's key is refused on globex's host altogether.
    let res = g.client.get(g.url("/api/v1/me")).bearer_auth(&key.secret).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Nothing of acme's changed.
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let (role, invitations, domains, revoked): (String, i64, i64, bool) = sqlx::query_as(
        "select (select role from users where tenant_id = $1 and id = $2),
                (select count(*) from invitations where tenant_id = $1),
                (select count(*) from tenant_domains where tenant_id = $1),
                (select revoked_at is not null from api_keys where tenant_id = $1 and name = 'Zapier')",
    )
    .bind(acme.school.id)
    .bind(student.id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!((role.as_str(), invitations, domains, revoked), ("student", 1, 1, false));
}
