//! Library images on public pages: `/media/i/{id}/{version}/{width}.{ext}` resizes once, keeps
//! the result in storage, is cacheable for a year, and answers 404 for another school's image,
//! for videos and other files, and for a width or version it does not offer.

use reqwest::StatusCode;

use crate::{
    courses_support::library_item,
    marketing_sections_support::{current_upload, library_image, storage},
    support::TestApp,
};

#[tokio::test]
async fn library_images_are_resized_cached_and_kept_to_their_school() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let id = library_image(&app, &acme, "Studio", 2000, 1000).await;
    let version = current_upload(&app, &acme, id).await;
    let path = format!("/media/i/{id}/{version}/480.png");
    let visitor = app.browser("acme");

    let res = visitor.get(&path).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    let bytes = res.bytes().await.unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (480, 240));

    // Kept in storage beside the original, and served from there the next time.
    let cached = media::model::keys::version(id, version).unwrap().join("public/480.png").unwrap();
    assert!(storage(&app).head(acme.school.id, &cached).await.unwrap().is_some());
    assert_eq!(visitor.get(&path).await.bytes().await.unwrap(), bytes);

    // Never enlarged: the widest size is the original's width.
    let big = image::load_from_memory(
        &visitor.get(&format!("/media/i/{id}/{version}/1600.png")).await.bytes().await.unwrap(),
    )
    .unwrap();
    assert_eq!(big.width(), 1600);

    // Another school, a size not offered, the wrong format or version: not found.
    assert_eq!(app.browser("globex").get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(visitor.get(&format!("/media/i/{id}/{version}/500.png")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(visitor.get(&format!("/media/i/{id}/{version}/480.jpg")).await.status(), StatusCode::NOT_FOUND);
    let other = uuid::Uuid::now_v7();
    assert_eq!(visitor.get(&format!("/media/i/{id}/{other}/480.png")).await.status(), StatusCode::NOT_FOUND);
    let theirs = library_image(&app, &globex, "Theirs", 800, 600).await;
    let theirs_v = current_upload(&app, &globex, theirs).await;
    assert_eq!(visitor.get(&format!("/media/i/{theirs}/{theirs_v}/480.png")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.browser("globex").get(&format!("/media/i/{theirs}/{theirs_v}/480.png")).await.status(),
        StatusCode::OK
    );

    // Videos and other files are not public this way.
    for (kind, content_type) in [("video", "video/mp4"), ("file", "application/pdf")] {
        let m = library_item(&app, &acme, "Not an image", kind, content_type).await;
        let v = current_upload(&app, &acme, m).await;
        for ext in ["png", "jpg"] {
            let res = visitor.get(&format!("/media/i/{m}/{v}/480.{ext}")).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{kind} {ext}");
        }
    }
}
