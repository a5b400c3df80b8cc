//! The media library's uploads: tus (creation, core, termination, expiration), plan limits, and
//! processing of good and bad files into encrypted HLS.

use reqwest::StatusCode;

use crate::{
    media_support::{clip, create, head, media_of, patch, pdf, storage_dir, stored_files, tone, upload, upload_row},
    support::{PASSWORD, TestApp},
};

#[tokio::test]
async fn the_tus_server_advertises_itself_and_requires_the_protocol_header() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let res = b.client.request(reqwest::Method::OPTIONS, b.url("/admin/media/uploads")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()["tus-version"], "1.0.0");
    assert_eq!(res.headers()["tus-extension"], "creation,termination,expiration");
    assert_eq!(res.headers()["tus-max-size"], (10u64 << 30).to_string());
    // Without Tus-Resumable: 412.
    let csrf = b.csrf().await;
    let res = b
        .client
        .post(b.url("/admin/media/uploads"))
        .header("x-csrf-token", csrf)
        .header("upload-length", "10")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PRECONDITION_FAILED);
    // Students and visitors cannot upload.
    app.user(&s, "Sam", "sam@acme.test", identity::Role::Student).await;
    let student = app.browser("acme");
    student.login("sam@acme.test", PASSWORD).await;
    assert_eq!(create(&student, 10, &[("filename", "a.mp4")]).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_video_uploads_in_chunks_resumes_after_a_conflict_and_becomes_an_encrypted_hls_ladder() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let video = clip(4);

    let res = create(&b, video.len() as u64, &[("filename", "01_Welcome-Lesson.mp4"), ("filetype", "video/mp4")]).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(res.headers().contains_key("upload-expires"));
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/admin/media/uploads/"));

    // First half, then a retry at a stale offset (409 says where the upload really is).
    let half = video.len() / 2;
    let res = patch(&b, &location, 0, video[..half].to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()["upload-offset"], half.to_string());
    let res = patch(&b, &location, 0, video[..half].to_vec()).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(res.headers()["upload-offset"], half.to_string());
    let res = head(&b, &location).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["upload-offset"], half.to_string());
    assert_eq!(res.headers()["upload-length"], video.len().to_string());
    assert_eq!(res.headers()["cache-control"], "no-store");
    // The library shows it as uploading, with the hint to resume.
    let item = media_of(&app, &s, &location).await;
    assert_eq!(item.status, "uploading");
    assert_eq!(item.title, "01 Welcome Lesson");
    let (_, page) = b.page("/admin/media").await;
    assert!(page.contains("01 Welcome Lesson") && page.contains("Uploading"), "{page}");

    let res = patch(&b, &location, half as u64, video[half..].to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(media_of(&app, &s, &location).await.status, "processing");
    app.run_jobs().await;

    let item = media_of(&app, &s, &location).await;
    assert_eq!(item.status, "ready");
    assert_eq!(item.kind, "video");
    assert_eq!((item.width, item.height), (Some(640), Some(360)));
    assert!((3900..=4200).contains(&item.duration_ms.unwrap()), "{:?}", item.duration_ms);
    assert_eq!(item.renditions.0.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["360p"]);
    assert!(item.storage_bytes > video.len() as i64);
    // Chunks are gone once joined; the original and the ladder are kept under the school's id.
    let files = stored_files(&storage_dir(&app));
    let root = format!("{}/media/{}/", s.school.id, item.id);
    assert!(files.iter().all(|f| f.starts_with(&root)), "{files:?}");
    assert!(!files.iter().any(|f| f.contains("/parts/")), "{files:?}");
    for f in
        ["source", "hls/master.m3u8", "hls/360p/index.m3u8", "hls/poster.jpg", "hls/sprite.jpg", "hls/thumbnails.vtt"]
    {
        assert!(files.iter().any(|x| x.ends_with(f)), "{f} missing in {files:?}");
    }
    assert!(files.iter().any(|x| x.ends_with(".ts")));
    // The library lists it ready, with its poster.
    let (_, page) = b.page("/admin/media").await;
    assert!(page.contains(&format!("/admin/media/{}/poster", item.id)) && page.contains("Ready"));
    assert_eq!(b.get(&format!("/admin/media/{}/poster", item.id)).await.status(), StatusCode::OK);
    // The list htmx polls brings the storage meter along (out of band), so it never goes stale.
    let (_, partial) = b.page("/admin/media/items?kind=&q=").await;
    assert!(partial.contains("id=\"media-list\"") && partial.contains("hx-swap-oob=\"true\""));
    assert!(partial.contains("of 100 GB") && !partial.contains("0 B of 100 GB"), "{partial}");
}

#[tokio::test]
async fn uploads_beyond_the_plan_or_of_unknown_types_are_refused_before_they_start() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;

    let res = create(&b, 0, &[("filename", "empty.mp4"), ("filetype", "video/mp4")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.text().await.unwrap(), "empty.mp4 is empty: there is nothing to upload.");

    let res = create(&b, 11 << 30, &[("filename", "huge.mov"), ("filetype", "video/quicktime")]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.text().await.unwrap(), "huge.mov is larger than your plan allows (10 GB per file).");

    let res = create(&b, 100, &[("filename", "setup.exe"), ("filetype", "application/x-msdownload")]).await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(res.text().await.unwrap().contains("not a kind of file the library keeps"));

    // The storage quota counts what is stored and what unfinished uploads reserved.
    let res = create(&b, 9 << 30, &[("filename", "a.mp4"), ("filetype", "video/mp4")]).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    sqlx::query("update media set storage_bytes = 90 * 1024 * 1024 * 1024::bigint").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let res = create(&b, 2 << 30, &[("filename", "b.mp4"), ("filetype", "video/mp4")]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().await.unwrap().starts_with("b.mp4 does not fit in your storage: 1 GB left."));

    // Spanish-speaking creators read it in Spanish.
    let res = b.post_form("/language", &[("locale", "es"), ("next", "/admin/media")]).await;
    assert!(res.status().is_redirection());
    let res = create(&b, 0, &[("filename", "vacío.mp4")]).await;
    assert_eq!(res.text().await.unwrap(), "vacío.mp4 está vacío: no hay nada que subir.");
}

#[tokio::test]
async fn an_interrupted_chunk_keeps_nothing_and_the_upload_continues_from_the_last_saved_byte() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let video = clip(2);
    let res = create(&b, video.len() as u64, &[("filename", "talk.mp4"), ("filetype", "video/mp4")]).await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(patch(&b, &location, 0, video[..1000].to_vec()).await.status(), StatusCode::NO_CONTENT);

    // The connection breaks after some bytes of the next chunk.
    let first: Vec<u8> = video[1000..5000].to_vec();
    let body = futures::stream::iter(vec![
        Ok::<_, std::io::Error>(first),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "cable pulled")),
    ]);
    let csrf = b.csrf().await;
    let _ = b
        .client
        .patch(b.url(&location))
        .header("tus-resumable", "1.0.0")
        .header("x-csrf-token", csrf)
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", "1000")
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let res = head(&b, &location).await;
    assert_eq!(res.headers()["upload-offset"], "1000", "the broken chunk is not counted");
    let parts: Vec<String> = stored_files(&storage_dir(&app)).into_iter().filter(|f| f.contains("/parts/")).collect();
    assert_eq!(parts.len(), 1, "only the first chunk is kept: {parts:?}");

    // The client resumes from the server's offset and finishes.
    let res = patch(&b, &location, 1000, video[1000..].to_vec()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    app.run_jobs().await;
    assert_eq!(media_of(&app, &s, &location).await.status, "ready");
}

#[tokio::test]
async fn termination_and_expiry_remove_an_unfinished_upload_and_its_item() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let res = create(&b, 5000, &[("filename", "draft.mp4"), ("filetype", "video/mp4")]).await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(patch(&b, &location, 0, vec![1u8; 1000]).await.status(), StatusCode::NO_CONTENT);
    let csrf = b.csrf().await;
    let res = b
        .client
        .delete(b.url(&location))
        .header("tus-resumable", "1.0.0")
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(head(&b, &location).await.status(), StatusCode::NOT_FOUND);
    assert!(stored_files(&storage_dir(&app)).is_empty());
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    let items: i64 = sqlx::query_scalar("select count(*) from media").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(items, 0);
    drop(tx);

    // An upload nobody finishes is swept once it expires.
    let res = create(&b, 5000, &[("filename", "forgotten.mp4"), ("filetype", "video/mp4")]).await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(patch(&b, &location, 0, vec![1u8; 1000]).await.status(), StatusCode::NO_CONTENT);
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    sqlx::query("update media_uploads set expires_at = now() - interval '1 minute'").execute(&mut *tx).await.unwrap();
    sqlx::query("update jobs set run_at = now() where kind = 'media.expire_upload'").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    assert_eq!(head(&b, &location).await.status(), StatusCode::NOT_FOUND);
    assert!(stored_files(&storage_dir(&app)).is_empty());
}

/// Uploads `bytes` and processes them; returns the item and its latest upload.
async fn processed(
    app: &TestApp,
    s: &crate::support::TestSchool,
    b: &crate::support::Browser,
    bytes: &[u8],
    name: &str,
    file_type: &str,
) -> (media::Media, media::model::Upload) {
    let location = upload(b, bytes, name, file_type, None).await;
    app.run_jobs().await;
    (media_of(app, s, &location).await, upload_row(app, s, &location).await.unwrap())
}

#[tokio::test]
async fn files_that_are_not_what_they_claim_are_refused_with_a_message_and_may_be_deleted() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;

    let (item, u) = processed(&app, &s, &b, &pdf(), "lecture.mp4", "video/mp4").await;
    assert_eq!((item.status.as_str(), u.error_key.as_deref()), ("failed", Some("media-error-not-media")));
    assert_eq!(item.storage_bytes, 0, "a refused file counts nothing");
    let (_, page) = b.page("/admin/media").await;
    assert!(page.contains("This file is a PDF document, not a video or audio we can play."), "{page}");
    let (_, page) = b.page(&format!("/admin/media/{}", item.id)).await;
    assert!(page.contains("This file was refused") && page.contains("a PDF document"));
    // Deleting it reclaims the storage.
    let res = b.post_form(&format!("/admin/media/{}/delete", item.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(stored_files(&storage_dir(&app)).is_empty());

    let video = clip(2);
    let (item, u) = processed(&app, &s, &b, &video[..video.len() / 2], "cut.mp4", "video/mp4").await;
    assert_eq!(item.status, "failed");
    assert!(
        matches!(u.error_key.as_deref(), Some("media-error-truncated" | "media-error-not-media")),
        "{:?}",
        u.error_key
    );

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";
    let (item, u) = processed(&app, &s, &b, png, "workbook.pdf", "application/pdf").await;
    assert_eq!((item.status.as_str(), u.error_key.as_deref()), ("failed", Some("media-error-lies")));
    let (_, page) = b.page("/admin/media?kind=file").await;
    assert!(page.contains("workbook.pdf says it is one kind of file but is a PNG image."), "{page}");
}

#[tokio::test]
async fn audio_gets_an_audio_rendition_and_documents_are_kept_as_files() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;

    let (_, dashboard) = b.page("/admin").await;
    assert!(dashboard.contains("text-zinc-800\">Upload your first video"), "an open checklist step");
    let (item, _) = processed(&app, &s, &b, &tone(3), "Morning meditation.mp3", "audio/mpeg").await;
    let (_, dashboard) = b.page("/admin").await;
    assert!(dashboard.contains("line-through\">Upload your first video"), "the step is done");
    assert_eq!((item.status.as_str(), item.kind.as_str()), ("ready", "audio"));
    assert_eq!(item.renditions.0.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["audio"]);
    assert!(item.width.is_none());

    let (item, _) = processed(&app, &s, &b, &pdf(), "Workbook.pdf", "application/pdf").await;
    assert_eq!((item.status.as_str(), item.kind.as_str()), ("ready", "file"));
    assert_eq!(item.content_type.as_deref(), Some("application/pdf"));

    // Search and filters.
    let (_, page) = b.page("/admin/media?q=medit").await;
    assert!(page.contains("Morning meditation") && !page.contains("Workbook"));
    let (_, page) = b.page("/admin/media?kind=file").await;
    assert!(!page.contains("Morning meditation") && page.contains("Workbook"));
    let (_, page) = b.page("/admin/media?q=nothing-like-this").await;
    assert!(page.contains("Nothing matches"));
}

#[tokio::test]
async fn a_dead_worker_leaves_the_job_to_be_retried_and_its_partial_output_is_cleaned_up() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let location = upload(&b, &clip(2), "clip.mp4", "video/mp4", None).await;
    let item = media_of(&app, &s, &location).await;
    let upload_id = location.rsplit('/').next().unwrap();
    // What a worker killed mid-transcode leaves: half a ladder.
    let junk =
        kernel::storage::StorageKey::parse(&format!("media/{}/{upload_id}/hls/1080p/seg-00042.ts", item.id)).unwrap();
    app.state.storage.put(s.school.id, &junk, b"half".to_vec(), None).await.unwrap();
    app.run_jobs().await;
    let item = media_of(&app, &s, &location).await;
    assert_eq!(item.status, "ready");
    assert!(!stored_files(&storage_dir(&app)).iter().any(|f| f.contains("seg-00042")), "partial output removed");
}

#[tokio::test]
async fn when_the_last_attempt_fails_on_our_side_the_creator_is_told_instead_of_waiting_for_ever() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let location = upload(&b, &clip(1), "lost.mp4", "video/mp4", None).await;
    let item = media_of(&app, &s, &location).await;
    // The chunks vanish from storage (an outage, a wrong bucket) and this is the last attempt.
    let folder = kernel::storage::StorageKey::parse(&format!("media/{}", item.id)).unwrap();
    app.state.storage.delete_prefix(s.school.id, &folder).await.unwrap();
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    sqlx::query("update jobs set attempts = $1 - 1 where kind = 'media.process'")
        .bind(media::process::ATTEMPTS)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.run_jobs().await;
    let u = upload_row(&app, &s, &location).await.unwrap();
    assert_eq!((u.state.as_str(), u.error_key.as_deref()), ("failed", Some("media-error-internal")));
    let failed = media_of(&app, &s, &location).await;
    assert_eq!((failed.status.as_str(), failed.storage_bytes), ("failed", 0), "nothing is left to count");
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    let status: String =
        sqlx::query_scalar("select status from jobs where kind = 'media.process'").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(status, "dead", "the operator sees it among dead jobs");
    drop(tx);
    let (_, page) = b.page("/admin/media").await;
    assert!(page.contains("because of a problem on our side"), "{page}");
}

#[tokio::test]
async fn a_large_library_is_paged_newest_first() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    for i in 0..(media::routes::PAGE + 5) {
        let id = media::MediaId::new();
        media::store::insert_media(&mut tx, id, &format!("Item {i:03}"), "file", "f.pdf", None).await.unwrap();
    }
    tx.commit().await.unwrap();
    let (_, first) = b.page("/admin/media").await;
    assert!(first.contains("Item 054") && first.contains("Item 005") && !first.contains("Item 004"));
    let start = first.find("data-next-page").map(|i| first[..i].rfind("href=\"").unwrap() + 6).expect("a next link");
    let next = first[start..start + first[start..].find('"').unwrap()].replace("&amp;", "&");
    let (_, second) = b.page(&next).await;
    assert!(second.contains("Item 004") && second.contains("Item 000") && !second.contains("Item 005"));
    assert!(second.contains("Back to the newest") && !second.contains("data-next-page"));
}
