//! Helpers for the media tests: test clips made by ffmpeg, and a tus client.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use base64::Engine;
use reqwest::{Response, StatusCode};

use crate::support::{Browser, TestApp, TestSchool, scratch_dir};

/// Runs ffmpeg with `args` writing `name` in a scratch folder; returns the file's path.
pub fn ffmpeg(name: &str, args: &[&str]) -> PathBuf {
    let out = scratch_dir("clips").join(name);
    let status = std::process::Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .arg(&out)
        .status()
        .expect("ffmpeg is installed (scripts/ensure-deps.sh)");
    assert!(status.success(), "ffmpeg failed making {name}");
    out
}

/// A short 640×360 H.264/AAC clip with a test pattern and a tone.
pub fn clip(seconds: u32) -> Vec<u8> {
    let t = seconds.to_string();
    let path = ffmpeg(
        "clip.mp4",
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=640x360:rate=25",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440",
            "-t",
            &t,
            "-pix_fmt",
            "yuv420p",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
        ],
    );
    std::fs::read(path).unwrap()
}

/// A short tone as MP3 (audio only).
pub fn tone(seconds: u32) -> Vec<u8> {
    let t = seconds.to_string();
    std::fs::read(ffmpeg("tone.mp3", &["-f", "lavfi", "-i", "sine=frequency=330", "-t", &t, "-c:a", "libmp3lame"]))
        .unwrap()
}

/// Sound only, in an MP4 container (what phones record as `.m4a`, and what some tools export as
/// `.mp4`).
pub fn tone_mp4(seconds: u32) -> Vec<u8> {
    let t = seconds.to_string();
    let args = ["-f", "lavfi", "-i", "sine=frequency=330", "-t", &t, "-c:a", "aac", "-f", "mp4"];
    std::fs::read(ffmpeg("tone-only.mp4", &args)).unwrap()
}

/// A minimal but real PDF.
pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        .to_vec()
}

fn meta(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {}", base64::engine::general_purpose::STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// `POST /admin/media/uploads` with these metadata; returns the response.
pub async fn create(b: &Browser, length: u64, metadata: &[(&str, &str)]) -> Response {
    let csrf = b.csrf().await;
    b.client
        .post(b.url("/admin/media/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("x-csrf-token", csrf)
        .header("upload-length", length.to_string())
        .header("upload-metadata", meta(metadata))
        .send()
        .await
        .unwrap()
}

/// `PATCH` one chunk.
pub async fn patch(b: &Browser, location: &str, offset: u64, bytes: Vec<u8>) -> Response {
    let csrf = b.csrf().await;
    b.client
        .patch(b.url(location))
        .header("tus-resumable", "1.0.0")
        .header("x-csrf-token", csrf)
        .header("content-type", "application/offset+octet-stream")
        .header("upload-offset", offset.to_string())
        .body(bytes)
        .send()
        .await
        .unwrap()
}

/// `HEAD` an upload.
pub async fn head(b: &Browser, location: &str) -> Response {
    b.client.head(b.url(location)).header("tus-resumable", "1.0.0").send().await.unwrap()
}

/// Uploads `bytes` in chunks of `chunk` bytes; returns the upload's URL.
pub async fn upload(b: &Browser, bytes: &[u8], name: &str, file_type: &str, replace: Option<&str>) -> String {
    let mut metadata = vec![("filename", name), ("filetype", file_type)];
    if let Some(id) = replace {
        metadata.push(("replace", id));
    }
    let res = create(b, bytes.len() as u64, &metadata).await;
    assert_eq!(res.status(), StatusCode::CREATED, "create: {}", res.text().await.unwrap());
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let mut offset = 0usize;
    for chunk in bytes.chunks(256 * 1024) {
        let res = patch(b, &location, offset as u64, chunk.to_vec()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "patch at {offset}: {}", res.text().await.unwrap());
        offset += chunk.len();
        assert_eq!(res.headers()["upload-offset"].to_str().unwrap(), offset.to_string());
    }
    location
}

/// The item an upload belongs to.
pub async fn media_of(app: &TestApp, school: &TestSchool, location: &str) -> media::Media {
    let upload: media::model::UploadId = location.rsplit('/').next().unwrap().parse().unwrap();
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let u = media::store::find_upload(&mut tx, upload).await.unwrap().expect("upload exists");
    media::store::find(&mut tx, u.media_id).await.unwrap().expect("item exists")
}

/// The latest upload row of an item.
pub async fn upload_row(app: &TestApp, school: &TestSchool, location: &str) -> Option<media::model::Upload> {
    let upload: media::model::UploadId = location.rsplit('/').next().unwrap().parse().unwrap();
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    media::store::find_upload(&mut tx, upload).await.unwrap()
}

/// The app's local storage folder (media tests run on local disk unless they choose S3).
pub fn storage_dir(app: &TestApp) -> PathBuf {
    match &app.state.config.storage {
        kernel::storage::StorageConfig::Local { dir } => dir.clone(),
        _ => panic!("this test expects local storage"),
    }
}

/// Files under a school's storage folder (local disk), relative to it.
pub fn stored_files(dir: &Path) -> Vec<String> {
    fn walk(d: &Path, root: &Path, out: &mut Vec<String>) {
        if let Ok(rd) = std::fs::read_dir(d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, root, out);
                } else {
                    out.push(p.strip_prefix(root).unwrap().to_string_lossy().to_string());
                }
            }
        }
    }
    let mut out = vec![];
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The player's master playlist URL on a page.
pub async fn player_src(b: &Browser, path: &str) -> String {
    let (status, page) = b.page(path).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let start = page.find("data-src=\"").expect("a player on the page") + 10;
    let end = page[start..].find('"').unwrap();
    page[start..start + end].replace("&#x2f;", "/")
}

/// Adds a caption file to an item as its owner; returns the item's page after the redirect.
pub async fn add_captions(b: &Browser, item: media::MediaId, file: (&str, &[u8]), lang: &str, label: &str) -> String {
    let csrf = b.csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("label", label.to_string())
        .text("lang", lang.to_string())
        .part("file", reqwest::multipart::Part::bytes(file.1.to_vec()).file_name(file.0.to_string()));
    let res = b
        .client
        .post(b.url(&format!("/admin/media/{item}/captions?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    b.page(&format!("/admin/media/{item}")).await.1
}
