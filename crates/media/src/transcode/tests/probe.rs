use super::*;
use crate::transcode::{Detected, ProbeError, probe, sniff};

#[tokio::test]
async fn reads_a_video_with_audio() {
    let dir = tempfile::tempdir().unwrap();
    let clip = video_clip(dir.path(), "talk.mp4", "640x360", 2).await;
    let probe = probe(&clip).await.unwrap();
    assert_eq!(probe.detected, Detected::Mp4);
    assert!((1_900..=2_100).contains(&probe.duration_ms), "{}", probe.duration_ms);
    assert!(probe.format_name.contains("mp4"));
    let video = probe.video.unwrap();
    assert_eq!((video.width, video.height, video.codec.as_str(), video.rotation), (640, 360, "h264", 0));
    assert!((video.fps - 30.0).abs() < 0.01);
    let audio = probe.audio.unwrap();
    assert_eq!((audio.codec.as_str(), audio.channels, audio.sample_rate), ("aac", 1, 48_000));
}

#[tokio::test]
async fn reads_audio_only_files_and_ignores_cover_art() {
    let dir = tempfile::tempdir().unwrap();
    let mp3 = mp3_with_cover(dir.path()).await;
    let probe = probe(&mp3).await.unwrap();
    assert_eq!(probe.detected, Detected::Mp3);
    assert!(probe.video.is_none(), "cover art is not a video: {probe:?}");
    assert_eq!(probe.audio.unwrap().codec, "mp3");
    assert!((3_900..=4_200).contains(&probe.duration_ms));

    let m4a = dir.path().join("voice.m4a");
    make(&format!("-f lavfi -i sine=frequency=220:duration=3 -c:a aac {}", m4a.display())).await;
    let probe = crate::transcode::probe(&m4a).await.unwrap();
    assert_eq!(probe.detected, Detected::M4a);
    assert!(probe.video.is_none());
    assert_eq!(probe.audio.unwrap().codec, "aac");
}

#[tokio::test]
async fn reads_a_rotated_video_without_audio_by_its_displayed_size() {
    let dir = tempfile::tempdir().unwrap();
    let clip = portrait_silent_clip(dir.path()).await;
    let probe = probe(&clip).await.unwrap();
    assert!(probe.audio.is_none());
    let video = probe.video.unwrap();
    assert_eq!((video.width, video.height, video.rotation), (360, 640, 90));
}

#[tokio::test]
async fn refuses_a_pdf_renamed_to_mp4() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lecture.mp4");
    let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] \
                /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    std::fs::write(&path, pdf).unwrap();
    let err = probe(&path).await.unwrap_err();
    assert!(matches!(err, ProbeError::NotMedia { detected: Detected::Pdf }), "{err:?}");
    assert_eq!(err.message_key(), "media-error-not-media");
    assert_eq!(err.to_string(), "the file is a PDF document, not audio or video");
}

#[tokio::test]
async fn refuses_text_and_playlists_that_would_pull_in_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.mp4");
    std::fs::write(&notes, "These are my lecture notes, not a video at all. ".repeat(10)).unwrap();
    assert!(matches!(probe(&notes).await, Err(ProbeError::NotMedia { detected: Detected::Unknown })));

    // A real clip beside an HLS playlist that points at it: ffmpeg would happily read the clip through it.
    video_clip(dir.path(), "secret.mp4", "320x240", 1).await;
    let playlist = dir.path().join("innocent.mp4");
    std::fs::write(&playlist, "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nsecret.mp4\n#EXT-X-ENDLIST\n").unwrap();
    assert!(ffprobe_json(&playlist, &[]).await.is_some(), "plain ffprobe follows the playlist");
    let err = probe(&playlist).await.unwrap_err();
    assert!(matches!(err, ProbeError::NotMedia { .. }), "{err:?}");
}

#[tokio::test]
async fn refuses_images() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("slide.mp4");
    make(&format!("-f lavfi -i color=c=blue:s=64x64 -frames:v 1 -c:v png -f image2 {}", png.display())).await;
    let err = probe(&png).await.unwrap_err();
    assert!(matches!(err, ProbeError::NotMedia { detected: Detected::Png }), "{err:?}");
}

#[tokio::test]
async fn refuses_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.mp4");
    std::fs::write(&path, b"").unwrap();
    let err = probe(&path).await.unwrap_err();
    assert!(matches!(err, ProbeError::Empty));
    assert_eq!(err.message_key(), "media-error-empty");
}

#[tokio::test]
async fn a_missing_file_is_an_io_error() {
    let err = probe(Path::new("/nonexistent/lyceum/upload.mp4")).await.unwrap_err();
    assert!(matches!(err, ProbeError::Io(_)), "{err:?}");
}

/// Writes the first half of `source` to `name`.
fn cut_in_half(source: &Path, name: &str) -> PathBuf {
    let bytes = std::fs::read(source).unwrap();
    let path = source.with_file_name(name);
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    path
}

#[tokio::test]
async fn refuses_a_truncated_mp4_whichever_end_its_index_is_at() {
    let dir = tempfile::tempdir().unwrap();
    let clip = video_clip(dir.path(), "whole.mp4", "640x360", 8).await;
    // Index (moov) at the end, as cameras write: the half has no index at all.
    let half = cut_in_half(&clip, "half.mp4");
    assert_eq!(sniff(&std::fs::read(&half).unwrap()[..64]), Detected::Mp4);
    let err = probe(&half).await.unwrap_err();
    assert!(matches!(err, ProbeError::Truncated), "{err:?}");
    assert_eq!(err.message_key(), "media-error-truncated");

    // Index at the front (web-optimised): the half has a full index that promises data it lacks.
    let faststart = dir.path().join("faststart.mp4");
    make(&format!("-i {} -c copy -movflags +faststart {}", clip.display(), faststart.display())).await;
    let half = cut_in_half(&faststart, "faststart-half.mp4");
    assert!(ffprobe_json(&half, &[]).await.is_some(), "ffprobe alone accepts it");
    let err = probe(&half).await.unwrap_err();
    assert!(matches!(err, ProbeError::Truncated), "{err:?}");

    // The whole files are fine.
    assert!(probe(&clip).await.is_ok());
    assert!(probe(&faststart).await.is_ok());
}

#[tokio::test]
async fn refuses_a_truncated_mp3_but_not_one_without_a_length_header() {
    let dir = tempfile::tempdir().unwrap();
    let mp3 = dir.path().join("whole.mp3");
    make(&format!("-f lavfi -i sine=frequency=440:duration=8 {}", mp3.display())).await;
    let half = cut_in_half(&mp3, "half.mp3");
    assert!(matches!(probe(&half).await, Err(ProbeError::Truncated)));

    // Variable bitrate without a Xing header: ffprobe guesses 12.8 s from the first frame; it is 8 s.
    let vbr = dir.path().join("vbr.mp3");
    make(&format!(
        "-f lavfi -i sine=frequency=440:duration=4 -f lavfi -i anoisesrc=d=4 \
         -filter_complex [0][1]concat=n=2:v=0:a=1 -c:a libmp3lame -q:a 2 -write_xing 0 {}",
        vbr.display()
    ))
    .await;
    let probe = probe(&vbr).await.unwrap();
    assert!((7_900..=8_200).contains(&probe.duration_ms), "{}", probe.duration_ms);
}

#[tokio::test]
async fn a_container_without_audio_or_video_has_no_streams() {
    let dir = tempfile::tempdir().unwrap();
    let srt = dir.path().join("subs.srt");
    std::fs::write(&srt, "1\n00:00:00,000 --> 00:00:01,000\nHello\n\n2\n00:00:01,000 --> 00:00:02,000\nWorld\n")
        .unwrap();
    let mkv = dir.path().join("subtitles-only.mkv");
    make(&format!("-i {} -c:s srt {}", srt.display(), mkv.display())).await;
    let err = probe(&mkv).await.unwrap_err();
    assert!(matches!(err, ProbeError::NoStreams), "{err:?}");
    assert_eq!(err.message_key(), "media-error-no-streams");
}
