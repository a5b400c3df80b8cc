//! Secure playback: tokens bound to the school, the item and the viewer; the AES-128 key and
//! playlists only for the entitled; ranges; heartbeats; captions; downloads; replacing and
//! deleting; and other schools get 404.

use std::sync::Arc;

use reqwest::StatusCode;

use crate::{
    media_support::{add_captions, clip, media_of, pdf, player_src, storage_dir, stored_files, upload},
    support::{Browser, PASSWORD, TestApp, TestSchool},
};

/// Lets every student watch items whose title contains "Free": how courses will plug in.
struct FreePreview;

#[async_trait::async_trait]
impl media::Entitlement for FreePreview {
    async fn may_watch(
        &self,
        _state: &kernel::AppState,
        tx: &mut kernel::db::TenantTx,
        _user: &identity::User,
        media: media::MediaId,
    ) -> anyhow::Result<bool> {
        Ok(media::store::find(tx, media).await?.is_some_and(|m| m.title.contains("Free")))
    }
}

async fn app_with_rule() -> TestApp {
    TestApp::with_wiring(|_| {}, |w| media::entitlement::register(w, Arc::new(FreePreview))).await
}

/// An owner's browser with one processed video.
async fn with_video(app: &TestApp, slug: &str, name: &str) -> (TestSchool, Browser, media::Media) {
    let s = app.school(slug).await;
    let b = app.browser(slug);
    b.login(&s.owner_email, PASSWORD).await;
    let location = upload(&b, &clip(4), name, "video/mp4", None).await;
    app.run_jobs().await;
    let item = media_of(app, &s, &location).await;
    assert_eq!(item.status, "ready");
    (s, b, item)
}

#[tokio::test]
async fn staff_play_the_encrypted_ladder_through_a_token_and_everyone_else_gets_403() {
    let app = TestApp::new().await;
    let (s, owner, item) = with_video(&app, "acme", "Lesson.mp4").await;
    let src = player_src(&owner, &format!("/admin/media/{}", item.id)).await;
    assert!(src.starts_with(&format!("/media/{}/hls/", item.id)) && src.ends_with("/master.m3u8"), "{src}");
    let base = src.trim_end_matches("master.m3u8").to_string();

    let res = owner.get(&src).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/vnd.apple.mpegurl");
    let master = res.text().await.unwrap();
    assert!(master.contains("#EXT-X-STREAM-INF") && master.contains("360p/index.m3u8"), "{master}");
    let variant = owner.get(&format!("{base}360p/index.m3u8")).await.text().await.unwrap();
    assert!(variant.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"../key\""), "{variant}");
    let segment = variant.lines().find(|l| l.ends_with(".ts")).unwrap().to_string();

    let key = owner.get(&format!("{base}key")).await;
    assert_eq!(key.status(), StatusCode::OK);
    assert_eq!(key.headers()["cache-control"], "private, no-store");
    let key_bytes = key.bytes().await.unwrap();
    assert_eq!(key_bytes.len(), 16);
    let res = owner.client.get(owner.url(&format!("{base}key"))).header("range", "bytes=8-").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.bytes().await.unwrap(), key_bytes[8..]);

    // Segments are encrypted (no MPEG-TS sync byte) and served in ranges.
    let seg = owner.get(&format!("{base}360p/{segment}")).await;
    assert_eq!(seg.status(), StatusCode::OK);
    let bytes = seg.bytes().await.unwrap();
    assert!(bytes.len() > 1000 && !(bytes[0] == 0x47 && bytes[188] == 0x47), "segment looks unencrypted");
    let res = owner
        .client
        .get(owner.url(&format!("{base}360p/{segment}")))
        .header("range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.headers()["content-range"], format!("bytes 0-99/{}", bytes.len()));
    assert_eq!(res.bytes().await.unwrap(), bytes[..100]);
    let res =
        owner.client.get(owner.url(&format!("{base}poster.jpg"))).header("range", "bytes=-10").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    let res = owner
        .client
        .get(owner.url(&format!("{base}360p/{segment}")))
        .header("range", "bytes=999999999-")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    // Thumbnails on seek: a WebVTT track over the sprite.
    let vtt = owner.get(&format!("{base}thumbnails.vtt")).await.text().await.unwrap();
    assert!(vtt.starts_with("WEBVTT") && vtt.contains("sprite.jpg#xywh="), "{vtt}");

    // No session: 403 on the playlist, the key and a segment.
    let anonymous = app.browser("acme");
    for path in [src.clone(), format!("{base}key"), format!("{base}360p/{segment}")] {
        assert_eq!(anonymous.get(&path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // A student of the school who is not entitled: 403, even with the owner's token.
    app.user(&s, "Stu", "stu@acme.test", identity::Role::Student).await;
    let student = app.browser("acme");
    student.login("stu@acme.test", PASSWORD).await;
    for path in [src.clone(), format!("{base}key"), format!("/media/{}/play", item.id), format!("/media/{}", item.id)] {
        assert_eq!(student.get(&path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // Another staff member cannot reuse the owner's token (bound to the viewer), but gets their own.
    app.user(&s, "Ian", "ian@acme.test", identity::Role::Instructor).await;
    let instructor = app.browser("acme");
    instructor.login("ian@acme.test", PASSWORD).await;
    assert_eq!(instructor.get(&format!("{base}key")).await.status(), StatusCode::FORBIDDEN);
    let fresh: serde_json::Value = instructor.get_json(&format!("/media/{}/play", item.id)).await.json().await.unwrap();
    assert_eq!(instructor.get(&format!("{}key", fresh["base"].as_str().unwrap())).await.status(), StatusCode::OK);
    assert_eq!(fresh["expires_in"], 900);
    // Forged, expired and token-less URLs: 403.
    let token = base.trim_end_matches('/').rsplit('/').next().unwrap();
    let (expiry, mac) = token.split_once('.').unwrap();
    let forged = format!("{expiry}.{}", mac.chars().rev().collect::<String>());
    assert_eq!(owner.get(&format!("/media/{}/hls/{forged}/key", item.id)).await.status(), StatusCode::FORBIDDEN);
    let later = format!("{}.{mac}", expiry.parse::<i64>().unwrap() + 86_400);
    assert_eq!(owner.get(&format!("/media/{}/hls/{later}/key", item.id)).await.status(), StatusCode::FORBIDDEN);
    let grant =
        media::token::Grant { tenant: s.school.id, media: item.id, user: app_user_id(&app, &s, &s.owner_email).await };
    let (expired, _) = media::token::issue_at(
        &app.state.config.keys,
        media::token::Purpose::Play,
        &grant,
        chrono::Utc::now().timestamp() - 5,
    );
    assert_eq!(owner.get(&format!("/media/{}/hls/{expired}/key", item.id)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(owner.get(&format!("/media/{}/360p/{segment}", item.id)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(owner.get(&format!("/media/{}/hls/360p/{segment}", item.id)).await.status(), StatusCode::FORBIDDEN);
    // Only player files: never the original through a play token.
    assert_eq!(owner.get(&format!("{base}source")).await.status(), StatusCode::NOT_FOUND);
}

async fn app_user_id(app: &TestApp, s: &TestSchool, email: &str) -> kernel::ids::UserId {
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    sqlx::query_scalar("select id from users where email = $1").bind(email).fetch_one(&mut *tx).await.unwrap()
}

#[tokio::test]
async fn a_token_or_session_from_one_school_is_useless_on_another_and_ids_are_404() {
    let app = TestApp::new().await;
    let (_, owner_a, item) = with_video(&app, "acme", "Secret.mp4").await;
    let src = player_src(&owner_a, &format!("/admin/media/{}", item.id)).await;
    let base = src.trim_end_matches("master.m3u8").to_string();
    let _globex = app.school("globex").await;
    let owner_b = app.browser("globex");
    owner_b.login("owner@globex.test", PASSWORD).await;
    // School A's playback URL on school B's host, with B's owner logged in: 403.
    assert_eq!(owner_b.get(&src).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(owner_b.get(&format!("{base}key")).await.status(), StatusCode::FORBIDDEN);
    // Every page and action that takes A's id: 404 for B's owner, and A's item is unchanged.
    let id = item.id;
    for path in [
        format!("/admin/media/{id}"),
        format!("/admin/media/{id}/status"),
        format!("/admin/media/{id}/poster"),
        format!("/media/{id}"),
        format!("/media/{id}/play"),
        format!("/media/{id}/download"),
    ] {
        assert_eq!(owner_b.get(&path).await.status(), StatusCode::NOT_FOUND, "GET {path}");
    }
    for (path, fields) in [
        (format!("/admin/media/{id}"), vec![("title", "Stolen")]),
        (format!("/admin/media/{id}/downloadable"), vec![("downloadable", "on")]),
        (format!("/admin/media/{id}/delete"), vec![]),
        (format!("/admin/media/{id}/captions/{id}/delete"), vec![]),
    ] {
        assert_eq!(owner_b.post_form(&path, &fields).await.status(), StatusCode::NOT_FOUND, "POST {path}");
    }
    let csrf = owner_b.csrf().await;
    let res = owner_b
        .client
        .post(owner_b.url(&format!("/media/{id}/heartbeat")))
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"seconds": 10, "position": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (_, list) = owner_b.page("/admin/media").await;
    assert!(!list.contains("Secret"));
    let (status, page) = owner_a.page(&format!("/admin/media/{id}")).await;
    assert!(status == StatusCode::OK && page.contains("Secret") && !page.contains("Stolen"));
}

#[tokio::test]
async fn heartbeats_record_real_watching_and_the_player_resumes_there() {
    let app = TestApp::new().await;
    let (s, owner, item) = with_video(&app, "acme", "Watch me.mp4").await;
    let beat = |seconds: f64, position: f64| {
        let owner = &owner;
        async move {
            let csrf = owner.csrf().await;
            owner
                .client
                .post(owner.url(&format!("/media/{}/heartbeat", item.id)))
                .header("x-csrf-token", csrf)
                .json(&serde_json::json!({"seconds": seconds, "position": position, "duration": 4.0}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(beat(2.5, 2.5).await, StatusCode::NO_CONTENT);
    // A client claiming far more than the clock allows since its last beat is capped.
    assert_eq!(beat(45.0, 3.0).await, StatusCode::NO_CONTENT);
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    let (seconds, position, beats): (f64, f64, i32) =
        sqlx::query_as("select seconds_watched, position, heartbeats from media_views")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    drop(tx);
    assert!((2.5..=8.0).contains(&seconds), "{seconds}");
    assert_eq!((position, beats), (3.0, 2));
    assert_eq!(beat(-1.0, 0.0).await, StatusCode::UNPROCESSABLE_ENTITY);
    // Without the CSRF token: refused.
    let res = owner
        .client
        .post(owner.url(&format!("/media/{}/heartbeat", item.id)))
        .json(&serde_json::json!({"seconds": 1, "position": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (_, page) = owner.page(&format!("/admin/media/{}", item.id)).await;
    assert!(
        page.contains("data-resume=\"3\"") || page.contains("data-resume=\"3.0\""),
        "resume position on the player"
    );
    // The item page lists who watched, how long and how far (3 s of 4 s = 75 %).
    assert!(page.contains("Recent viewers") && page.contains("Olivia Owner") && page.contains("75%"), "{page}");
}

#[tokio::test]
async fn captions_are_checked_listed_served_and_removed() {
    let app = TestApp::new().await;
    let (_, owner, item) = with_video(&app, "acme", "Talk.mp4").await;
    let page = add_captions(&owner, item.id, ("notes.txt", b"Just some notes\n"), "en", "").await;
    assert!(page.contains("That is neither a WebVTT nor an SRT file: line 1"), "flash with the reason");
    let page =
        add_captions(&owner, item.id, ("subs.vtt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"), "en", "").await;
    assert!(page.contains("English captions added."));
    let src = player_src(&owner, &format!("/admin/media/{}", item.id)).await;
    let (_, page) = owner.page(&format!("/admin/media/{}", item.id)).await;
    let page = page.replace("&#x2f;", "/");
    let start = page.find("/captions/0").expect("a caption track on the player");
    let caption_path = &page[start..start + page[start..].find(".vtt").unwrap() + 4];
    let url = format!("{}{}", src.trim_end_matches("/master.m3u8"), caption_path);
    let res = owner.get(&url).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap(), "WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n");
    let caption_id = caption_path.trim_start_matches("/captions/").trim_end_matches(".vtt");
    let res = owner.post_form(&format!("/admin/media/{}/captions/{caption_id}/delete", item.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(owner.get(&url).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_entitled_student_watches_and_downloads_an_mp4_only_when_the_creator_allows_it() {
    let app = app_with_rule().await;
    let (s, owner, item) = with_video(&app, "acme", "Free intro.mp4").await;
    app.user(&s, "Stu", "stu@acme.test", identity::Role::Student).await;
    let student = app.browser("acme");
    student.login("stu@acme.test", PASSWORD).await;
    let src = player_src(&student, &format!("/media/{}", item.id)).await;
    assert_eq!(student.get(&src).await.status(), StatusCode::OK);
    assert_eq!(student.get(&format!("{}key", src.trim_end_matches("master.m3u8"))).await.status(), StatusCode::OK);

    assert_eq!(student.get(&format!("/media/{}/download", item.id)).await.status(), StatusCode::FORBIDDEN);
    let res = owner.post_form(&format!("/admin/media/{}/downloadable", item.id), &[("downloadable", "on")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.run_jobs().await;
    let res = student.get(&format!("/media/{}/download", item.id)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let link = crate::support::location(&res);
    assert!(link.starts_with(&format!("/media/{}/file/", item.id)) && link.ends_with(".mp4"), "{link}");
    let res = student.get(&link).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "video/mp4");
    assert!(
        res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"Free intro.mp4\"")
    );
    let mp4 = res.bytes().await.unwrap();
    assert_eq!(&mp4[4..8], b"ftyp");
    // The link is the student's: useless to another account, and it expires.
    let (owner_status, _) = owner.page(&link).await;
    assert_eq!(owner_status, StatusCode::FORBIDDEN);
    // Once downloads are off, the student is refused.
    owner.post_form(&format!("/admin/media/{}/downloadable", item.id), &[]).await;
    assert_eq!(student.get(&format!("/media/{}/download", item.id)).await.status(), StatusCode::FORBIDDEN);

    // Plain files are served the same guarded way.
    let location = upload(&owner, &pdf(), "Free workbook.pdf", "application/pdf", None).await;
    app.run_jobs().await;
    let file = media_of(&app, &s, &location).await;
    assert_eq!(student.get(&format!("/media/{}/download", file.id)).await.status(), StatusCode::FORBIDDEN);
    owner.post_form(&format!("/admin/media/{}/downloadable", file.id), &[("downloadable", "on")]).await;
    let res = student.get(&format!("/media/{}/download", file.id)).await;
    let res = student.get(&crate::support::location(&res)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap(), pdf());
}

#[tokio::test]
async fn replacing_keeps_the_id_renaming_works_and_deleting_reclaims_storage() {
    let app = TestApp::new().await;
    let (s, owner, item) = with_video(&app, "acme", "Old take.mp4").await;
    let first_version = item.current_upload.unwrap();
    let location = upload(&owner, &clip(3), "New take.mp4", "video/mp4", Some(&item.id.to_string())).await;
    // While the new file processes, the old one stays served.
    assert_eq!(media_of(&app, &s, &location).await.current_upload, Some(first_version));
    app.run_jobs().await;
    let replaced = media_of(&app, &s, &location).await;
    assert_eq!(replaced.id, item.id, "lessons keep pointing to the same item");
    assert_ne!(replaced.current_upload, Some(first_version));
    assert!((2900..=3200).contains(&replaced.duration_ms.unwrap()));
    assert_eq!(replaced.title, "Old take", "the title stays");
    let dir = storage_dir(&app);
    assert!(!stored_files(&dir).iter().any(|f| f.contains(&first_version.to_string())), "old version removed");

    // A replacement that is not a video is refused and the current version keeps playing.
    let location = upload(&owner, &pdf(), "oops.mp4", "video/mp4", Some(&item.id.to_string())).await;
    app.run_jobs().await;
    let after = media_of(&app, &s, &location).await;
    assert_eq!(after.current_upload, replaced.current_upload);
    let (_, page) = owner.page(&format!("/admin/media/{}", item.id)).await;
    assert!(page.contains("The new file was refused; the previous version is still playing"), "{page}");

    let res = owner.post_form(&format!("/admin/media/{}", item.id), &[("title", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Give it a title."));
    let res = owner.post_form(&format!("/admin/media/{}", item.id), &[("title", "Final take")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, list) = owner.page("/admin/media").await;
    assert!(list.contains("Final take"));

    let res = owner.post_form(&format!("/admin/media/{}/delete", item.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(stored_files(&dir).is_empty(), "storage reclaimed");
    assert_eq!(owner.get(&format!("/admin/media/{}", item.id)).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = owner.page("/admin/media").await;
    assert!(list.contains("Your library is empty"));
}

#[tokio::test]
async fn the_library_shows_where_an_item_is_used() {
    let app = TestApp::new().await;
    let (s, owner, item) = with_video(&app, "acme", "Intro.mp4").await;
    let (_, page) = owner.page(&format!("/admin/media/{}", item.id)).await;
    assert!(page.contains("Not used in any lesson yet."));
    let mut tx = app.state.db.tenant(s.school.id).await.unwrap();
    media::uses::record(&mut tx, item.id, "lesson", uuid::Uuid::now_v7(), "Module 1 · Welcome", "/admin/courses/1")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (_, page) = owner.page(&format!("/admin/media/{}", item.id)).await;
    assert!(page.contains("Module 1 · Welcome") && page.contains("Used in 1 places"), "{page}");
}

#[tokio::test]
async fn a_refused_first_file_replaced_by_a_good_one_leaves_only_the_good_one_in_storage() {
    let app = TestApp::new().await;
    let s = app.school("acme").await;
    let b = app.browser("acme");
    b.login(&s.owner_email, PASSWORD).await;
    let location = upload(&b, &pdf(), "intro.mp4", "video/mp4", None).await;
    app.run_jobs().await;
    let item = media_of(&app, &s, &location).await;
    assert_eq!(item.status, "failed");
    let refused = location.rsplit('/').next().unwrap().to_string();
    let location = upload(&b, &clip(2), "intro.mp4", "video/mp4", Some(&item.id.to_string())).await;
    app.run_jobs().await;
    let fixed = media_of(&app, &s, &location).await;
    assert_eq!((fixed.id, fixed.status.as_str()), (item.id, "ready"));
    let dir = storage_dir(&app);
    let files = stored_files(&dir);
    assert!(!files.iter().any(|f| f.contains(&refused)), "the refused file is gone: {files:?}");
    let on_disk: u64 = files.iter().map(|f| std::fs::metadata(dir.join(f)).unwrap().len()).sum();
    assert_eq!(fixed.storage_bytes as u64, on_disk, "the item's total is what storage holds");
}

#[tokio::test]
async fn the_whole_pipeline_works_on_s3_compatible_storage() {
    let moto = crate::storage::Moto::start().await;
    let config = moto.bucket("lyceum-media").await;
    let app = TestApp::with(move |c| c.storage = config).await;
    let (s, owner, item) = with_video(&app, "acme", "On S3.mp4").await;
    let src = player_src(&owner, &format!("/admin/media/{}", item.id)).await;
    let base = src.trim_end_matches("master.m3u8").to_string();
    let variant = owner.get(&format!("{base}360p/index.m3u8")).await.text().await.unwrap();
    let segment = variant.lines().find(|l| l.ends_with(".ts")).unwrap().to_string();
    assert_eq!(owner.get(&format!("{base}key")).await.status(), StatusCode::OK);
    let res = owner
        .client
        .get(owner.url(&format!("{base}360p/{segment}")))
        .header("range", "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.bytes().await.unwrap().len(), 10);
    let used = app.state.storage.usage(s.school.id).await.unwrap();
    assert_eq!(used, item.storage_bytes as u64, "the bucket holds what the item counts");
    let res = owner.post_form(&format!("/admin/media/{}/delete", item.id), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.storage.usage(s.school.id).await.unwrap(), 0, "deleting reclaims the bucket");
}
