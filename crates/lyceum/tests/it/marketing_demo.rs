//! `make demo`'s marketing: the bloom school has a built home page, a sales page selling
//! Watercolor Foundations, a lead-magnet page with a form delivering the cheat sheet, a
//! thank-you page and forty contacts over two months; seeding again duplicates nothing.

use reqwest::StatusCode;

use crate::support::TestApp;

async fn scalar(conn: &mut sqlx::PgConnection, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(conn).await.unwrap()
}

async fn counts(conn: &mut sqlx::PgConnection) -> [i64; 5] {
    [
        scalar(conn, "select count(*) from pages").await,
        scalar(conn, "select count(*) from page_versions").await,
        scalar(conn, "select count(*) from forms").await,
        scalar(conn, "select count(*) from contacts").await,
        scalar(conn, "select count(*) from contact_tags").await,
    ]
}

#[tokio::test]
async fn the_demo_school_has_published_pages_a_lead_magnet_and_two_months_of_contacts() {
    let app = TestApp::new().await;
    lyceum::demo::seed(&app.state).await.unwrap();
    let mut conn = app.owner_conn().await;
    let before = counts(&mut conn).await;

    // Seeding again (the whole demo, then marketing's part directly) changes nothing.
    lyceum::demo::seed(&app.state).await.unwrap();
    let (school, owner): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "select t.id, u.id from tenants t join users u on u.tenant_id = t.id where t.slug = 'bloom' and u.email = 'maya@bloom.test'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    let again = marketing::demo::seed(
        &app.state,
        marketing::demo::DemoSchool {
            school: kernel::TenantId(school),
            owner: kernel::ids::UserId(owner),
            foundations: None,
            welcome: None,
            handout: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(again.pages, 0);
    assert_eq!(counts(&mut conn).await, before);
    assert_eq!(before[..3], [4, 4, 1], "four pages, each published once, and one form");
    assert_eq!(before[3], 40);

    // The pages: one home page, all published, with the sections the builder knows.
    assert_eq!(
        scalar(&mut conn, "select count(*) from pages where is_home and slug = 'home' and published_version = 1").await,
        1
    );
    assert_eq!(
        scalar(&mut conn, "select count(*) from pages where published_at < now() - interval '60 days'").await,
        4
    );
    let kinds: Vec<String> = sqlx::query_scalar(
        "select s->>'kind' from page_versions v join pages p on p.id = v.page_id,
           jsonb_array_elements(v.document->'sections') s where p.slug = 'watercolor-foundations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for kind in ["hero", "features", "curriculum", "instructor", "testimonials", "pricing", "guarantee", "faq", "cta"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    assert_eq!(
        scalar(&mut conn, "select count(*) from page_versions v join pages p on p.id = v.page_id, jsonb_array_elements(v.document->'sections') s where p.slug = 'watercolor-foundations' and s->>'kind' = 'pricing' and jsonb_array_length(s->'data'->'offers') = 2").await,
        1,
        "the pricing section sells both offers"
    );
    assert_eq!(
        scalar(&mut conn, "select count(*) from page_versions v join pages p on p.id = v.page_id, jsonb_array_elements(v.document->'sections') s where p.slug = 'free-color-mixing-cheat-sheet' and s->>'kind' = 'optin' and s->'data'->>'form' = (select id::text from forms)").await,
        1
    );

    // The form delivers the PDF and sends people to the thank-you page.
    assert_eq!(
        scalar(&mut conn, "select count(*) from forms f join pages p on p.id = f.thank_you_page_id join media m on m.id::text = f.lead_magnet->>'media_id' where p.slug = 'cheat-sheet-thank-you' and f.lead_magnet->>'kind' = 'file' and m.title ilike 'color mixing%' and f.consent_text <> ''").await,
        1
    );

    // Forty contacts over sixty days, tagged, with their sources; two unsubscribed.
    assert!(
        scalar(&mut conn, "select count(*) from contacts where created_at < now() - interval '50 days'").await >= 5
    );
    assert_eq!(
        scalar(
            &mut conn,
            "select count(*) from contacts where created_at < now() - interval '61 days' or created_at > now()"
        )
        .await,
        0
    );
    assert!(
        scalar(&mut conn, "select count(*) from contacts where source->>'kind' = 'form' and consent is not null").await
            >= 25
    );
    assert!(scalar(&mut conn, "select count(*) from contacts where source->>'kind' = 'import'").await >= 3);
    assert!(scalar(&mut conn, "select count(*) from contacts where is_customer").await >= 5);
    assert_eq!(
        scalar(
            &mut conn,
            "select count(*) from contacts where status = 'unsubscribed' and unsubscribed_at is not null"
        )
        .await,
        2
    );
    assert!(scalar(&mut conn, "select count(distinct utm) from (select source->>'utm_source' utm from contacts where source->>'utm_source' <> '') s").await >= 4);
    assert_eq!(scalar(&mut conn, "select count(*) from tags").await, 5);
    assert_eq!(
        scalar(&mut conn, "select count(*) from contact_activity where occurred_at > now() - interval '1 minute'")
            .await,
        0
    );
    assert_eq!(scalar(&mut conn, "select count(*) from events where kind = 'contact.created'").await, 40);

    // The funnel's history, when its tables exist.
    let funnel: bool =
        sqlx::query_scalar("select to_regclass('page_views') is not null").fetch_one(&mut conn).await.unwrap();
    if funnel {
        let views: i64 = sqlx::query_scalar("select count(*) from page_views").fetch_one(&mut conn).await.unwrap();
        assert!(views > 1_000, "{views} views");
    }

    // Visitors see the pages.
    let visitor = app.browser("bloom");
    let (status, html) = visitor.page("/p/watercolor-foundations").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Paint loose, luminous watercolors in ten minutes a day"), "{html}");
    for path in ["/p/free-color-mixing-cheat-sheet", "/p/cheat-sheet-thank-you", "/p/home"] {
        let (status, html) = visitor.page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains("<h1"), "{path}: {html}");
    }
    // Another school has none of them.
    app.school("acme").await;
    assert_eq!(app.browser("acme").get("/p/watercolor-foundations").await.status(), StatusCode::NOT_FOUND);
}
