use super::*;
use crate::transcode::{DOWNLOAD_MAX_HEIGHT, TranscodeError, mp4_rendition, probe};

/// Whether the MP4's index (`moov`) comes before its media data (`mdat`), so it plays while downloading.
fn is_faststart(bytes: &[u8]) -> bool {
    let find = |tag: &[u8]| bytes.windows(4).position(|w| w == tag);
    matches!((find(b"moov"), find(b"mdat")), (Some(moov), Some(mdat)) if moov < mdat)
}

#[tokio::test]
async fn video_downloads_are_web_ready_mp4_capped_in_size() {
    let dir = tempfile::tempdir().unwrap();
    let clip = video_clip(dir.path(), "lesson.mp4", "1280x720", 3).await;
    let probe = probe(&clip).await.unwrap();
    let out = dir.path().join("downloads").join("lesson-540p.mp4");
    let recorder = Recorder::default();
    let bytes = mp4_rendition(&clip, &out, &probe, 540, &recorder.callback()).await.unwrap();

    recorder.assert_ends_at_one();
    let written = std::fs::read(&out).unwrap();
    assert_eq!(bytes, written.len() as u64);
    assert!(is_faststart(&written), "moov must come before mdat");
    let json = ffprobe_json(&out, &[]).await.expect("the copy plays");
    let video = &streams(&json, "video")[0];
    assert_eq!((video["width"].as_u64(), video["height"].as_u64()), (Some(960), Some(540)));
    assert_eq!((video["codec_name"].as_str(), video["profile"].as_str()), (Some("h264"), Some("High")));
    assert_eq!(video["pix_fmt"], "yuv420p");
    assert_eq!(streams(&json, "audio")[0]["codec_name"], "aac");
    let seconds: f64 = json["format"]["duration"].as_str().unwrap().parse().unwrap();
    assert!((seconds - 3.0).abs() < 0.2, "{seconds}");
    assert_eq!(entries(out.parent().unwrap()), std::slice::from_ref(&out), "no .part file is left");

    // The default cap never upscales a smaller source.
    let small = video_clip(dir.path(), "small.mp4", "320x240", 1).await;
    let probe = crate::transcode::probe(&small).await.unwrap();
    let out = dir.path().join("small-copy.mp4");
    mp4_rendition(&small, &out, &probe, DOWNLOAD_MAX_HEIGHT, &|_| {}).await.unwrap();
    let json = ffprobe_json(&out, &[]).await.unwrap();
    assert_eq!(streams(&json, "video")[0]["height"].as_u64(), Some(240));
}

#[tokio::test]
async fn audio_downloads_are_m4a() {
    let dir = tempfile::tempdir().unwrap();
    let mp3 = mp3_with_cover(dir.path()).await;
    let probe = probe(&mp3).await.unwrap();
    let out = dir.path().join("song.m4a");
    mp4_rendition(&mp3, &out, &probe, DOWNLOAD_MAX_HEIGHT, &|_| {}).await.unwrap();

    let written = std::fs::read(&out).unwrap();
    assert!(is_faststart(&written));
    let json = ffprobe_json(&out, &[]).await.expect("the copy plays");
    assert!(streams(&json, "video").is_empty(), "no cover art, no video");
    assert_eq!(streams(&json, "audio")[0]["codec_name"], "aac");
}

#[tokio::test]
async fn a_failed_download_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let clip = video_clip(dir.path(), "lesson.mp4", "320x240", 1).await;
    let probe = probe(&clip).await.unwrap();
    std::fs::write(&clip, b"no longer a video").unwrap();
    let out = dir.path().join("copy.mp4");
    let err = mp4_rendition(&clip, &out, &probe, 720, &|_| {}).await.unwrap_err();
    assert!(matches!(err, TranscodeError::Ffmpeg { .. }), "{err:?}");
    assert_eq!(entries(dir.path()), [clip], "neither the copy nor its .part file exists");
}
