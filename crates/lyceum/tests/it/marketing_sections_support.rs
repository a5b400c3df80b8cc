//! Helpers for the section tests: a real image in the media library and a page's draft set
//! through the pages service (the builder's own tests go through its editor).

use kernel::storage::Storage;
use marketing::{PageId, sections::Document};

use crate::{
    courses_support::library_item,
    support::{TestApp, TestSchool},
};

/// A `width`×`height` PNG as a ready library image.
pub async fn library_image(app: &TestApp, school: &TestSchool, title: &str, width: u32, height: u32) -> media::MediaId {
    let id = library_item(app, school, title, "file", "image/png").await;
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(width, height, image::Rgb([200, 80, 40])))
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    let version = current_upload(app, school, id).await;
    let key = media::model::keys::source(id, version).unwrap();
    storage(app).put(school.school.id, &key, png.into_inner(), Some("image/png")).await.unwrap();
    id
}

/// The version an item serves.
pub async fn current_upload(app: &TestApp, school: &TestSchool, id: media::MediaId) -> media::model::UploadId {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let m = media::store::find(&mut tx, id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    m.current_upload.unwrap()
}

/// The application's storage.
pub fn storage(app: &TestApp) -> &Storage {
    &app.state.storage
}

/// Replaces the draft of the page at `admin_path` with `doc`.
pub async fn set_draft(app: &TestApp, school: &TestSchool, admin_path: &str, doc: &Document) {
    let id: PageId = admin_path.rsplit('/').next().unwrap().parse().unwrap();
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let page = marketing::store::page(&mut tx, id).await.unwrap().unwrap();
    marketing::pages::save_draft(&app.state, &mut tx, id, page.draft_revision, doc, None).await.unwrap();
    tx.commit().await.unwrap();
}
