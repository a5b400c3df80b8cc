//! Published pages as search engines and visitors get them: the home page is a built page
//! (or the creator's hero on the catalogue template), the head carries title, description,
//! canonical address, sharing cards and escaped structured data, and each school has its own
//! sitemap and robots rules.

use marketing::sections::Seo;
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    commerce_support::offer,
    courses_support::published_course,
    marketing_delivery_support::{
        doc, draft_page, json_ld, make_home, published_page, save, section, unescape, unpublish,
    },
    support::{TestApp, extract_meta},
};

#[tokio::test]
async fn the_home_page_is_the_published_home_page_or_the_creators_hero() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let base = app.state.school(acme.school.id).await.unwrap().base_url;
    let visitor = app.browser("acme");

    let home = unescape(&visitor.page("/").await.1);
    assert!(
        home.contains(r#"href="/signup" class="btn btn-lg btn-primary" data-field="button_label">Join the school"#),
        "{home}"
    );
    assert!(home.contains(&format!(r#"<link rel="canonical" href="{base}/">"#)), "{home}");
    assert!(!home.contains("data-lyceum-page"), "no page to count views of");

    let welcome = doc(vec![section("hero", json!({ "headline": "Welcome to the studio" }))], Seo::default());
    let id = published_page(&app, &acme, "Home", "welcome", &welcome).await;
    make_home(&app, &acme, id).await;
    save(&app, &acme, id, &doc(vec![section("hero", json!({ "headline": "Unfinished idea" }))], Seo::default())).await;

    let (status, home) = visitor.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Welcome to the studio") && home.contains(&format!("data-lyceum-page=\"{id}\"")));
    assert!(!home.contains("Join the school") && !home.contains("Unfinished idea"), "a draft never shows");
    assert!(unescape(&home).contains(&format!(r#"<link rel="canonical" href="{base}/">"#)));

    unpublish(&app, &acme, id).await;
    let home = visitor.page("/").await.1;
    assert!(home.contains("Join the school") && !home.contains("Welcome to the studio"), "back to the hero");
}

#[tokio::test]
async fn a_published_page_has_its_head_cards_and_escaped_structured_data() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let base = app.state.school(acme.school.id).await.unwrap().base_url;
    let course = published_course(&app, &acme, "Watercolour Basics", &[("Start", &[("Paper", "text")])]).await;
    let sale = offer(&app, &acme, "basics", "one_time", 4900, &[course.course.id]).await;
    let attack = "</script><script>alert(1)</script>";
    let sections = vec![
        section("hero", json!({ "headline": "Paint in ten minutes a day" })),
        section("curriculum", json!({ "course": course.course.id.to_string() })),
        section("pricing", json!({ "heading": "Enrol", "offers": [sale.id.to_string()] })),
        section("faq", json!({ "items": [{ "question": format!("Is {attack} safe?"), "answer": "Yes & more." }] })),
    ];
    let seo = Seo {
        title: "Watercolour <course>".into(),
        description: "Learn to paint, one wash at a time.".into(),
        ..Seo::default()
    };
    published_page(&app, &acme, "Sale", "sale", &doc(sections, seo)).await;

    let (status, html) = app.browser("acme").page("/p/sale").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>Watercolour &lt;course&gt; · School acme</title>"), "{html}");
    assert_eq!(extract_meta(&html, "description").as_deref(), Some("Learn to paint, one wash at a time."));
    let head = unescape(&html);
    for tag in [
        format!(r#"<link rel="canonical" href="{base}/p/sale">"#),
        format!(r#"<meta property="og:url" content="{base}/p/sale">"#),
        r#"<meta property="og:title" content="Watercolour &lt;course&gt;">"#.to_string(),
        r#"<meta property="og:type" content="website">"#.to_string(),
        r#"<meta property="og:site_name" content="School acme">"#.to_string(),
        r#"<meta property="og:description" content="Learn to paint, one wash at a time.">"#.to_string(),
        r#"<meta name="twitter:card""#.to_string(),
    ] {
        assert!(head.contains(&tag), "missing {tag}");
    }
    assert!(!html.contains("noindex"));

    assert_eq!(html.matches("</script>").count(), html.matches("<script").count(), "nothing closes a script early");
    assert!(!html.contains("<script>alert(1)"));
    let ld = json_ld(&html);
    assert_eq!(ld["@context"], "https://schema.org");
    let graph = ld["@graph"].as_array().unwrap();
    let of = |t: &str| graph.iter().find(|g| g["@type"] == t).unwrap_or_else(|| panic!("no {t}: {ld}")).clone();
    let c = of("Course");
    assert_eq!((c["name"].as_str(), c["provider"]["name"].as_str()), (Some("Watercolour Basics"), Some("School acme")));
    let p = of("Product");
    assert_eq!(p["offers"][0]["price"], "49.00");
    assert_eq!(p["offers"][0]["priceCurrency"], "USD");
    assert_eq!(p["offers"][0]["availability"], "https://schema.org/InStock");
    assert_eq!(p["offers"][0]["url"], format!("{base}/checkout/basics?lp=sale"));
    let faq = of("FAQPage");
    assert_eq!(faq["mainEntity"][0]["name"], format!("Is {attack} safe?"));
    assert_eq!(faq["mainEntity"][0]["acceptedAnswer"]["text"], "Yes & more.");

    // Kept out of search engines when the creator says so.
    let hidden = Seo { noindex: true, ..Seo::default() };
    published_page(&app, &acme, "Hidden", "hidden", &doc(vec![section("hero", json!({}))], hidden)).await;
    let html = app.browser("acme").page("/p/hidden").await.1;
    assert!(html.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
}

#[tokio::test]
async fn each_school_has_its_own_sitemap_and_robots() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let base = app.state.school(acme.school.id).await.unwrap().base_url;
    let hero = |h: &str| doc(vec![section("hero", json!({ "headline": h }))], Seo::default());
    published_page(&app, &acme, "Sale", "sale", &hero("Sale")).await;
    let noindex = doc(vec![section("hero", json!({}))], Seo { noindex: true, ..Seo::default() });
    published_page(&app, &acme, "Secret", "secret", &noindex).await;
    draft_page(&app, &acme, "Draft", "draft", &hero("Draft")).await;
    published_page(&app, &globex, "Theirs", "theirs", &hero("Theirs")).await;
    published_course(&app, &acme, "Watercolour Basics", &[("Start", &[("Paper", "text")])]).await;

    let res = app.browser("acme").get("/sitemap.xml").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let xml = res.text().await.unwrap();
    assert!(xml.starts_with("<?xml") && xml.contains("http://www.sitemaps.org/schemas/sitemap/0.9"));
    for url in [format!("{base}/"), format!("{base}/p/sale"), format!("{base}/courses")] {
        assert!(xml.contains(&format!("<loc>{url}</loc>")), "missing {url}: {xml}");
    }
    assert!(xml.contains(&format!("<loc>{base}/p/sale</loc><lastmod>")), "{xml}");
    for absent in ["/p/secret", "/p/draft", "/p/theirs"] {
        assert!(!xml.contains(absent), "{absent} listed: {xml}");
    }
    let other = app.browser("globex").page("/sitemap.xml").await.1;
    assert!(other.contains("/p/theirs") && !other.contains("/p/sale") && !other.contains("/courses"));

    let res = app.browser("acme").get("/robots.txt").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let robots = res.text().await.unwrap();
    for path in ["/admin", "/api", "/checkout", "/learn", "/account"] {
        assert!(robots.contains(&format!("Disallow: {path}\n")), "{robots}");
    }
    assert!(robots.contains(&format!("Sitemap: {base}/sitemap.xml")));
}
