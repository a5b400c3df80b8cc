//! The site's icons (from the logo, or the initial in the brand colour; Lyceum's own on the
//! platform host) and the descriptions public pages give search engines.

use reqwest::{Response, StatusCode};

use crate::support::{Browser, PASSWORD, TestApp, extract_meta};

/// The pixels of a PNG answer, after checking its type.
async fn png(res: Response) -> image::RgbaImage {
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    image::load_from_memory(&res.bytes().await.unwrap()).unwrap().to_rgba8()
}

async fn text(b: &Browser, path: &str) -> String {
    let res = b.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn the_platform_and_each_school_serve_their_icon_in_every_size() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let platform = app.platform_browser();
    let ico = platform.get("/favicon.ico").await;
    assert_eq!((ico.status(), ico.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "image/x-icon"));
    assert_eq!(&ico.bytes().await.unwrap()[..4], &[0, 0, 1, 0]);
    let svg = text(&platform, "/favicon.svg").await;
    assert!(svg.contains(r##"fill="#4f46e5""##) && svg.contains(">L</text>"), "Lyceum's own icon: {svg}");
    assert_eq!(png(platform.get("/apple-touch-icon.png").await).await.dimensions(), (180, 180));

    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let before = owner.get("/favicon.svg").await.headers()["etag"].clone();
    let fields = [
        ("brand_color", "#0f766e"),
        ("accent_color", "#f59e0b"),
        ("heading_font", "inter"),
        ("hero_button_target", "signup"),
    ];
    let res = owner.post_multipart("/admin/settings/branding", &fields, vec![("logo", "", Vec::new())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let visitor = app.browser("acme");
    let svg = visitor.get("/favicon.svg").await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.headers()["cache-control"].to_str().unwrap().contains("max-age="));
    let etag = svg.headers()["etag"].clone();
    assert_ne!(etag, before, "a new colour is a new icon");
    let svg = svg.text().await.unwrap();
    assert!(svg.contains(r##"fill="#0f766e""##) && svg.contains(">S</text>"), "the school's initial: {svg}");
    let touch = png(visitor.get("/apple-touch-icon.png").await).await;
    assert_eq!((touch.dimensions(), touch.get_pixel(3, 3).0), ((180, 180), [0x0f, 0x76, 0x6e, 255]));
    assert!(touch.pixels().any(|p| p.0 == [255, 255, 255, 255]), "the letter is white on the dark colour");
    for (path, side) in [("/icon-192.png", 192), ("/icon-512.png", 512)] {
        assert_eq!(png(visitor.get(path).await).await.dimensions(), (side, side), "{path}");
    }
    let ico = visitor.get("/favicon.ico").await;
    assert_eq!((ico.status(), ico.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "image/x-icon"));

    let again = visitor.client.get(visitor.url("/favicon.svg")).header("if-none-match", etag.clone()).send().await;
    let again = again.unwrap();
    assert_eq!((again.status(), &again.headers()["etag"]), (StatusCode::NOT_MODIFIED, &etag));
}

#[tokio::test]
async fn a_schools_logo_becomes_its_icon_until_it_is_removed() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let logo = tenancy::icons::Initial::new("Z", "#cc0000").png(300);
    let branding = [
        ("brand_color", "#4f46e5"),
        ("accent_color", "#0f172a"),
        ("heading_font", "inter"),
        ("hero_button_target", "signup"),
    ];
    let res = owner.post_multipart("/admin/settings/branding", &branding, vec![("logo", "logo.png", logo)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let visitor = app.browser("acme");
    let touch = png(visitor.get("/apple-touch-icon.png").await).await;
    assert_eq!((touch.dimensions(), touch.get_pixel(3, 3).0), ((180, 180), [0xcc, 0, 0, 255]), "the logo, resized");
    let favicon = image::load_from_memory(&visitor.get("/favicon.ico").await.bytes().await.unwrap()[22..]).unwrap();
    assert_eq!(favicon.width(), 32);
    assert!(text(&visitor, "/favicon.svg").await.contains("data:image/png;base64,"));

    let remove = [branding.as_slice(), &[("remove_logo", "1")]].concat();
    let res = owner.post_multipart("/admin/settings/branding", &remove, vec![("logo", "", Vec::new())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(text(&visitor, "/favicon.svg").await.contains(">S</text>"), "back to the initial");
}

#[tokio::test]
async fn public_pages_have_an_icon_and_a_description() {
    let app = TestApp::new().await;
    app.school("acme").await;
    let school = app.browser("acme");
    let platform = app.platform_browser();
    let pages = [
        (&school, "/login", "Log in to School acme"),
        (&school, "/signup", "Create your account at School acme"),
        (&school, "/forgot-password", "Forgot your password for School acme"),
        (&school, "/", "School acme"),
        (&platform, "/", "Lyceum"),
        (&platform, "/start", "Lyceum"),
    ];
    for (b, path, expected) in pages {
        let html = text(b, path).await;
        let description = extract_meta(&html, "description").unwrap_or_default();
        assert!(description.contains(expected), "{path}: {description:?}");
        assert!(html.contains(r#"<link rel="icon" href="/favicon.svg""#), "{path} links its icon");
        assert!(html.contains(r#"<link rel="apple-touch-icon" href="/apple-touch-icon.png">"#), "{path}");
    }
}
