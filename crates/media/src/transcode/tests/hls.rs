use super::*;
use crate::transcode::playlist::segments;
use crate::transcode::{HlsKey, TranscodeError, probe, transcode_audio, transcode_video};

/// Reads `dir/name` as text.
fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Puts the key where the playlists' `../key` points, so ffmpeg's HLS reader can decrypt like a player,
/// and probes the variant playlist through it.
async fn play(out: &Path, variant: &str, key: &HlsKey) -> serde_json::Value {
    std::fs::write(out.join("key"), key.bytes).unwrap();
    let playlist = out.join(variant).join("index.m3u8");
    let json = ffprobe_json(&playlist, &["-allowed_extensions", "ALL"]).await;
    std::fs::remove_file(out.join("key")).unwrap();
    json.unwrap_or_else(|| panic!("{variant} does not play with its key"))
}

/// Checks a variant playlist: VOD, encrypted with `../key` and the key's IV, segments that exist, are
/// encrypted, and last at most 6.1 s (all but the last at least 3.9 s). Returns the total duration.
fn check_variant(out: &Path, variant: &str, key: &HlsKey) -> f64 {
    let text = read(out, &format!("{variant}/index.m3u8"));
    assert!(text.contains("#EXT-X-PLAYLIST-TYPE:VOD") && text.contains("#EXT-X-ENDLIST"), "{text}");
    let expected_key = format!("#EXT-X-KEY:METHOD=AES-128,URI=\"../key\",IV=0x{}", hex::encode(key.iv));
    assert!(text.contains(&expected_key), "{text}");
    let segs = segments(&text);
    assert!(!segs.is_empty());
    for (i, seg) in segs.iter().enumerate() {
        assert_eq!(seg.uri, format!("seg-{i:05}.ts"));
        assert!(seg.seconds <= 6.1, "{variant} segment {i} lasts {}", seg.seconds);
        if i + 1 < segs.len() {
            assert!(seg.seconds >= 3.9, "{variant} segment {i} lasts {}", seg.seconds);
        }
        let bytes = std::fs::read(out.join(variant).join(&seg.uri)).unwrap();
        assert!(bytes.len() > 376 && bytes.len().is_multiple_of(16), "AES-CBC output comes in 16-byte blocks");
        assert!(bytes[0] != 0x47 || bytes[188] != 0x47, "{variant}/{} looks like plain MPEG-TS", seg.uri);
    }
    segs.iter().map(|s| s.seconds).sum()
}

#[tokio::test]
async fn video_becomes_an_encrypted_ladder_with_poster_and_thumbnails() {
    let dir = tempfile::tempdir().unwrap();
    let clip = video_clip(dir.path(), "lesson.mp4", "1280x720", 8).await;
    let probe = probe(&clip).await.unwrap();
    let key = HlsKey::generate();
    let out = dir.path().join("out");
    let recorder = Recorder::default();

    let result = transcode_video(&clip, &out, &probe, &key, &recorder.callback()).await.unwrap();

    let names: Vec<&str> = result.renditions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["360p", "540p", "720p"]);
    assert_eq!((result.width, result.height, result.duration_ms), (1280, 720, probe.duration_ms));
    recorder.assert_rising_to_one();

    // The file list is what is on disk, and nothing else was left behind.
    let (on_disk, bytes) = crate::transcode::output::list_files(&out).await.unwrap();
    assert_eq!(result.files, on_disk);
    assert_eq!(result.bytes, bytes);
    for name in ["master.m3u8", "poster.jpg", "sprite.jpg", "thumbnails.vtt", "720p/index.m3u8", "720p/seg-00000.ts"] {
        assert!(result.files.contains(&PathBuf::from(name)), "{name} missing from {:?}", result.files);
    }
    assert_eq!(entries(dir.path()).len(), 2, "only the clip and out/: {:?}", entries(dir.path()));
    for file in &result.files {
        assert_ne!(std::fs::read(out.join(file)).unwrap(), key.bytes, "the key must not be among the output");
    }

    // Master playlist: one entry per rendition, with measured bandwidth, size and codecs.
    let master = read(&out, "master.m3u8");
    let infs: Vec<&str> = master.lines().filter(|l| l.starts_with("#EXT-X-STREAM-INF:")).collect();
    assert_eq!(infs.len(), 3, "{master}");
    for (inf, (res, codec)) in
        infs.iter().zip([("640x360", "avc1.4d401e"), ("960x540", "avc1.64001f"), ("1280x720", "avc1.64001f")])
    {
        assert!(inf.contains("BANDWIDTH="), "{inf}");
        assert!(inf.contains(&format!("RESOLUTION={res}")), "{inf}");
        assert!(inf.contains(&format!("CODECS=\"{codec},mp4a.40.2\"")), "{inf}");
    }
    for name in &names {
        assert!(master.contains(&format!("\n{name}/index.m3u8\n")), "{master}");
    }

    // Every variant: encrypted segments of the right length, playable with the key, matching the master.
    for r in &result.renditions {
        let total = check_variant(&out, &r.name, &key);
        assert!((total - 8.0).abs() < 0.2, "{} lasts {total}", r.name);
        let first = out.join(&r.name).join("seg-00000.ts");
        assert!(ffprobe_json(&first, &[]).await.is_none(), "an encrypted segment must not be readable as is");
        let played = play(&out, &r.name, &key).await;
        let video = streams(&played, "video");
        assert_eq!(
            (video[0]["width"].as_u64(), video[0]["height"].as_u64()),
            (Some(r.width.into()), Some(r.height.into()))
        );
        assert_eq!(video[0]["codec_name"], "h264");
        assert_eq!(video[0]["pix_fmt"], "yuv420p");
        assert_eq!(video[0]["level"].as_u64(), Some(r.level.into()), "the level in CODECS is the one encoded");
        let audio = streams(&played, "audio");
        assert_eq!((audio[0]["codec_name"].as_str(), audio[0]["channels"].as_u64()), (Some("aac"), Some(2)));
    }
    // With the wrong key nothing plays.
    let wrong = HlsKey { bytes: [0; 16], iv: key.iv };
    std::fs::write(out.join("key"), wrong.bytes).unwrap();
    assert!(ffprobe_json(&out.join("360p/index.m3u8"), &["-allowed_extensions", "ALL"]).await.is_none());
    std::fs::remove_file(out.join("key")).unwrap();

    // Poster and sprite are JPEGs of the expected sizes; the VTT tiles cover the whole video.
    for (name, size) in [("poster.jpg", (1280, 720)), ("sprite.jpg", (4 * 160, 90))] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert_eq!(&bytes[..3], b"\xFF\xD8\xFF", "{name} is a JPEG");
        let json = ffprobe_json(&out.join(name), &[]).await.unwrap();
        let s = &streams(&json, "video")[0];
        assert_eq!((s["width"].as_u64(), s["height"].as_u64()), (Some(size.0), Some(size.1)), "{name}");
    }
    let vtt = read(&out, "thumbnails.vtt");
    assert!(vtt.starts_with("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nsprite.jpg#xywh=0,0,160,90\n"), "{vtt}");
    assert!(vtt.trim_end().ends_with("sprite.jpg#xywh=480,0,160,90"), "{vtt}");
    assert!(vtt.contains("00:00:06.000 --> 00:00:08.0"), "the last cue runs to the end: {vtt}");
}

#[tokio::test]
async fn a_portrait_video_without_audio_gets_a_video_only_ladder() {
    let dir = tempfile::tempdir().unwrap();
    let clip = portrait_silent_clip(dir.path()).await;
    let probe = probe(&clip).await.unwrap();
    let key = HlsKey::generate();
    let out = dir.path().join("out");
    let result = transcode_video(&clip, &out, &probe, &key, &|_| {}).await.unwrap();

    assert_eq!(result.renditions.len(), 1);
    assert_eq!((result.renditions[0].name.as_str(), result.width, result.height), ("360p", 360, 640));
    let master = read(&out, "master.m3u8");
    assert!(
        master.contains("RESOLUTION=360x640,FRAME-RATE=30.000,CODECS=\"avc1.4d401e\"\n360p/index.m3u8"),
        "{master}"
    );
    check_variant(&out, "360p", &key);
    let played = play(&out, "360p", &key).await;
    assert!(streams(&played, "audio").is_empty());
    let video = &streams(&played, "video")[0];
    assert_eq!((video["width"].as_u64(), video["height"].as_u64()), (Some(360), Some(640)), "turned upright");
    assert!(read(&out, "thumbnails.vtt").contains("sprite.jpg#xywh=0,0,160,284"));
}

#[tokio::test]
async fn audio_becomes_an_encrypted_audio_only_stream() {
    let dir = tempfile::tempdir().unwrap();
    let mp3 = mp3_with_cover(dir.path()).await;
    let probe = probe(&mp3).await.unwrap();
    let key = HlsKey::generate();
    let out = dir.path().join("out");
    let recorder = Recorder::default();
    let result = transcode_audio(&mp3, &out, &probe, &key, &recorder.callback()).await.unwrap();

    // Audio encodes faster than ffmpeg's half-second reports, so only the end is certain.
    recorder.assert_ends_at_one();
    assert_eq!(result.duration_ms, probe.duration_ms);
    assert!(result.files.contains(&PathBuf::from("audio/seg-00000.ts")), "{:?}", result.files);
    assert!(!result.files.iter().any(|f| f.extension().is_some_and(|e| e == "jpg")), "no poster for audio");
    let master = read(&out, "master.m3u8");
    assert!(master.contains(",CODECS=\"mp4a.40.2\"\naudio/index.m3u8\n"), "{master}");
    assert!(!master.contains("RESOLUTION"));
    let total = check_variant(&out, "audio", &key);
    assert!((total - 4.0).abs() < 0.2, "{total}");
    let played = play(&out, "audio", &key).await;
    assert!(streams(&played, "video").is_empty(), "the cover art is left out");
    assert_eq!(streams(&played, "audio")[0]["codec_name"], "aac");
}

#[tokio::test]
async fn a_failed_transcode_leaves_nothing_behind_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let clip = video_clip(dir.path(), "lesson.mp4", "320x240", 2).await;
    let probe = probe(&clip).await.unwrap();
    // The upload was replaced by garbage after it was probed.
    std::fs::write(&clip, b"%PDF-1.4 this is not the video you probed").unwrap();
    let out = dir.path().join("out");
    let err = transcode_video(&clip, &out, &probe, &HlsKey::generate(), &|_| {}).await.unwrap_err();

    assert!(matches!(err, TranscodeError::Ffmpeg { .. }), "{err:?}");
    assert_eq!(err.message_key(), "media-error-transcode-failed");
    assert!(err.to_string().contains("Invalid data found when processing input"), "{err}");
    assert!(entries(&out).is_empty());
    assert_eq!(entries(dir.path()), std::slice::from_ref(&clip), "no staging folder is left beside the output");

    // An audio transcode fails the same way.
    let err = transcode_audio(&clip, &out, &probe, &HlsKey::generate(), &|_| {}).await.unwrap_err();
    assert!(matches!(err, TranscodeError::Ffmpeg { .. }), "{err:?}");
    assert_eq!(entries(dir.path()), [clip]);
}

#[tokio::test]
async fn refuses_to_write_into_a_folder_that_has_files() {
    let dir = tempfile::tempdir().unwrap();
    let clip = video_clip(dir.path(), "lesson.mp4", "320x240", 1).await;
    let probe = probe(&clip).await.unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("other.txt"), b"keep me").unwrap();
    let err = transcode_video(&clip, &out, &probe, &HlsKey::generate(), &|_| {}).await.unwrap_err();
    assert!(matches!(err, TranscodeError::OutDirNotEmpty(_)), "{err:?}");
    assert_eq!(entries(&out), [out.join("other.txt")]);

    // An existing empty folder is fine.
    std::fs::remove_file(out.join("other.txt")).unwrap();
    transcode_video(&clip, &out, &probe, &HlsKey::generate(), &|_| {}).await.unwrap();
    assert!(out.join("master.m3u8").exists());
}

#[tokio::test]
async fn dropping_the_job_kills_ffmpeg_and_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let clip = video_clip(dir.path(), "lesson.mp4", "640x360", 8).await;
    let probe = probe(&clip).await.unwrap();
    let out = dir.path().join("out");
    let key = HlsKey::generate();
    let started = tokio::sync::Notify::new();
    let on_progress = |v: f32| {
        if v > 0.0 {
            started.notify_one();
        }
    };
    let job = transcode_video(&clip, &out, &probe, &key, &on_progress);
    tokio::select! {
        result = job => panic!("the job should still be running: {result:?}"),
        () = started.notified() => {}
    }

    let needle = dir.path().to_str().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while process_mentions(needle) && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!process_mentions(needle), "ffmpeg is still running after the job was dropped");
    assert!(entries(&out).is_empty());
    assert_eq!(entries(dir.path()), [clip], "the staging folder is removed");
}

#[test]
fn jobs_can_be_spawned() {
    fn assert_send<T: Send>(_: T) {}
    let probe = crate::transcode::Probe {
        detected: crate::transcode::Detected::Mp4,
        size_bytes: 1,
        duration_ms: 1,
        format_name: String::new(),
        video: None,
        audio: None,
    };
    let key = HlsKey::generate();
    let path = Path::new("x");
    assert_send(transcode_video(path, path, &probe, &key, &|_| {}));
    assert_send(transcode_audio(path, path, &probe, &key, &|_| {}));
    assert_send(crate::transcode::mp4_rendition(path, path, &probe, 720, &|_| {}));
    assert_send(crate::transcode::probe(path));
}
