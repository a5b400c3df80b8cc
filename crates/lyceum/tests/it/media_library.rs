//! The library's housekeeping: refused items count nothing and leave after seven days, a
//! sound-only MP4 becomes an audio item, and each row tells the original's size from the space
//! its streaming versions take.

use reqwest::StatusCode;

use crate::{
    media_support::{clip, media_of, pdf, player_src, storage_dir, stored_files, tone_mp4, upload, upload_row},
    support::{PASSWORD, TestApp},
};

#[tokio::test]
async fn a_refused_item_counts_nothing_says_when_it_goes_and_is_swept_after_seven_days() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let location = upload(&b, &pdf(), "lecture.mp4", "video/mp4", None).await;
    app.run_jobs().await;
    let item = media_of(&app, &s, &location).await;
    assert_eq!(item.status, "failed");
    assert!(stored_files(&storage_dir(&app)).is_empty(), "nothing of it is kept");
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    assert_eq!(media::store::usage(&mut tx).await.unwrap(), (0, 0));
    drop(tx);

    let removes =
        kernel::format::date(item.refused_at.unwrap() + chrono::Duration::days(7), "UTC", kernel::i18n::Locale::En);
    let (_, page) = b.page("/admin/media").await;
    assert!(page.contains(&format!("Will be removed on {removes}")), "{page}");
    assert!(page.contains("0 B of"), "the meter counts nothing: {page}");
    assert!(!page.contains("original"), "no size for a refused item");
    let (_, page) = b.page(&format!("/admin/media/{}", item.id)).await;
    assert!(page.contains(&format!("It counts nothing toward your storage and will be removed on {removes}.")));

    // Six days on it is still there; past seven days the sweeper removes it.
    for (days, left) in [(6, 1), (8, 0)] {
        let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
        sqlx::query("update media set refused_at = now() - make_interval(days => $1)")
            .bind(days)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("update jobs set run_at = now() where kind = 'media.sweep_refused' and status = 'queued'")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        app.run_jobs().await;
        let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
        let count: i64 = sqlx::query_scalar("select count(*) from media").fetch_one(&mut *tx).await.unwrap();
        assert_eq!(count, left, "after {days} days");
    }
    assert!(upload_row(&app, &s, &location).await.is_none());
}

#[tokio::test]
async fn a_sound_only_mp4_uploaded_as_video_becomes_an_audio_item_that_plays() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let location = upload(&b, &tone_mp4(2), "podcast.mp4", "video/mp4", None).await;
    app.run_jobs().await;
    let item = media_of(&app, &s, &location).await;
    assert_eq!((item.status.as_str(), item.kind.as_str()), ("ready", "audio"));
    assert_eq!(item.content_type.as_deref(), Some("audio/mp4"));
    assert_eq!(item.renditions.0.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["audio"]);
    let src = player_src(&b, &format!("/admin/media/{}", item.id)).await;
    let playlist = b.get(&src).await;
    assert_eq!(playlist.status(), StatusCode::OK);
    assert!(playlist.text().await.unwrap().starts_with("#EXTM3U"));
    let (_, page) = b.page("/admin/media?kind=audio").await;
    assert!(page.contains("podcast.mp4") || page.contains("podcast"), "listed under audio: {page}");
}

#[tokio::test]
async fn the_list_shows_the_original_and_the_space_for_streaming_apart() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let location = upload(&b, &clip(3), "Lesson.mp4", "video/mp4", None).await;
    app.run_jobs().await;
    let item = media_of(&app, &s, &location).await;
    assert!(item.storage_bytes > item.source_bytes);
    let size = |n: i64| kernel::format::bytes(n as u64, kernel::i18n::Locale::En);
    let expected = format!(
        "{} original · {} for streaming",
        size(item.source_bytes),
        size(item.storage_bytes - item.source_bytes)
    );
    let (_, page) = b.page("/admin/media").await;
    assert!(page.contains(&expected), "{expected} in {page}");
    assert!(page.contains("Originals and their streaming versions both count."));
    let (_, page) = b.page(&format!("/admin/media/{}", item.id)).await;
    assert!(page.contains(&expected), "and on the item's page");
}
