//! The storage service through its public API, against real backends: local disk in a scratch
//! folder, and an S3-compatible server (moto) started on loopback by the test itself. Both run
//! the same behaviour suite.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use kernel::{
    TenantId,
    storage::{S3Config, Storage, StorageConfig, StorageError, StorageKey},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};

use crate::support::{PASSWORD, TestApp, scratch_dir};

/// A moto S3 server on a free loopback port, stopped when dropped.
pub(crate) struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    pub(crate) async fn start() -> Self {
        kernel::storage::install_crypto_provider();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("moto_server did not start ({e}): install it with pip install 'moto[server]'"));
        let mut moto = Self { child, endpoint: format!("http://127.0.0.1:{port}") };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client.get(&moto.endpoint).send().await.is_ok() {
                return moto;
            }
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("moto_server exited ({status}): install it with pip install 'moto[server]'");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto_server did not answer on {} within 30 s", moto.endpoint);
    }

    /// Creates a bucket and returns the configuration that uses it.
    pub(crate) async fn bucket(&self, name: &str) -> StorageConfig {
        let res = reqwest::Client::new().put(format!("{}/{name}", self.endpoint)).send().await.unwrap();
        assert!(res.status().is_success(), "bucket not created: {}", res.status());
        StorageConfig::S3(S3Config {
            bucket: name.into(),
            endpoint: Some(self.endpoint.clone()),
            region: "us-east-1".into(),
            access_key_id: Some("test-key-id".into()),
            secret_access_key: Some("test-secret".into()),
            path_style: true,
        })
    }

    /// Multipart uploads started in the bucket and neither completed nor aborted.
    async fn open_uploads(&self, bucket: &str) -> usize {
        let url = format!("{}/{bucket}?uploads", self.endpoint);
        reqwest::get(url).await.unwrap().text().await.unwrap().matches("<UploadId>").count()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn key(k: &str) -> StorageKey {
    StorageKey::parse(k).unwrap()
}

/// `len` bytes of a pattern in which every offset is recognisable.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// Serves one HTTP response of `len` bytes of [`pattern`], cut off after `send` bytes: a
/// real stream of chunks to upload from, or one that breaks halfway.
async fn body_source(len: usize, send: usize) -> reqwest::Response {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = sock.read(&mut buf).await;
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {len}\r\nconnection: close\r\n\r\n");
        sock.write_all(head.as_bytes()).await.unwrap();
        let body = pattern(len);
        for chunk in body[..send].chunks(256 * 1024) {
            if sock.write_all(chunk).await.is_err() {
                return;
            }
        }
        let _ = sock.shutdown().await;
    });
    reqwest::get(format!("http://{addr}/")).await.unwrap()
}

/// What every backend must do. `s3` says whether content types and presigned URLs are kept.
async fn behaves_like_storage(storage: &Storage, s3: bool) {
    let (a, b) = (TenantId::new(), TenantId::new());

    // put, get, head; overwriting replaces.
    let poster = key("media/v1/poster.jpg");
    storage.put(a, &poster, b"first".to_vec(), Some("image/jpeg")).await.unwrap();
    storage.put(a, &poster, b"jpeg bytes".to_vec(), Some("image/jpeg")).await.unwrap();
    assert_eq!(&storage.get(a, &poster).await.unwrap()[..], b"jpeg bytes");
    let meta = storage.head(a, &poster).await.unwrap().expect("stored");
    assert_eq!(meta.size, 10);
    assert!((chrono::Utc::now() - meta.last_modified).num_seconds().abs() < 60);
    assert_eq!(meta.content_type.as_deref(), s3.then_some("image/jpeg"));
    storage.put(a, &key("media/v1/empty.txt"), Vec::new(), None).await.unwrap();
    assert_eq!(storage.head(a, &key("media/v1/empty.txt")).await.unwrap().unwrap().size, 0);

    // Missing objects.
    let missing = key("media/v1/missing.ts");
    assert!(storage.head(a, &missing).await.unwrap().is_none());
    assert!(matches!(storage.get(a, &missing).await, Err(StorageError::NotFound(_))));
    assert!(matches!(storage.get_range(a, &missing, 0..4).await, Err(StorageError::NotFound(_))));

    // Ranges: inside, running past the end (clamped), and unsatisfiable.
    let segment = key("media/v1/720p/segment-00001.ts");
    let data = pattern(1000);
    storage.put(a, &segment, data.clone(), Some("video/mp2t")).await.unwrap();
    assert_eq!(&storage.get_range(a, &segment, 0..5).await.unwrap()[..], &data[0..5]);
    assert_eq!(&storage.get_range(a, &segment, 500..700).await.unwrap()[..], &data[500..700]);
    let tail = storage.read_range(a, &segment, 990..2000).await.unwrap();
    assert_eq!((&tail.bytes[..], tail.range.clone(), tail.meta.size), (&data[990..], 990..1000, 1000));
    for bad in [1000..1010, 5000..6000, 10..10] {
        let res = storage.get_range(a, &segment, bad.clone()).await;
        assert!(matches!(res, Err(StorageError::InvalidRange { .. })), "{bad:?}: {res:?}");
    }

    // list is by folder: `media/v1` does not include `media/v10`.
    storage.put(a, &key("media/v10/poster.jpg"), b"other".to_vec(), None).await.unwrap();
    let listed = storage.list(a, &key("media/v1")).await.unwrap();
    let names: Vec<_> = listed.iter().map(|e| (e.key.as_str(), e.size)).collect();
    assert_eq!(
        names,
        [("media/v1/720p/segment-00001.ts", 1000), ("media/v1/empty.txt", 0), ("media/v1/poster.jpg", 10)]
    );
    assert_eq!(storage.usage(a).await.unwrap(), 1000 + 10 + 5);

    // Another school: the same key names a different object, and no key reaches school A.
    assert!(matches!(storage.get(b, &poster).await, Err(StorageError::NotFound(_))));
    assert!(storage.list(b, &key("media")).await.unwrap().is_empty());
    assert_eq!(storage.usage(b).await.unwrap(), 0);
    for crafted in [format!("../{a}/media/v1/poster.jpg"), format!("/{a}/media/v1/poster.jpg"), "media/../..".into()] {
        assert!(matches!(StorageKey::parse(&crafted), Err(StorageError::InvalidKey { .. })), "{crafted}");
    }
    storage.put(b, &poster, b"school b".to_vec(), None).await.unwrap();
    assert_eq!(storage.delete_prefix(b, &key("media")).await.unwrap(), 1);
    assert_eq!(&storage.get(a, &poster).await.unwrap()[..], b"jpeg bytes", "school A untouched");

    // delete is idempotent; delete_prefix reclaims a whole folder and nothing beside it.
    storage.delete(a, &key("media/v1/empty.txt")).await.unwrap();
    storage.delete(a, &key("media/v1/empty.txt")).await.unwrap();
    assert_eq!(storage.delete_prefix(a, &key("media/v1")).await.unwrap(), 2);
    assert!(storage.list(a, &key("media/v1")).await.unwrap().is_empty());
    assert_eq!(storage.usage(a).await.unwrap(), 5, "media/v10 is still there");
    assert_eq!(storage.delete_prefix(a, &key("media/v1")).await.unwrap(), 0);

    // Large files: 12 MiB in 5 MiB parts, written in 1 MiB pieces.
    let big = pattern(12 << 20);
    let master = key("media/v2/master.mp4");
    let mut upload = storage.put_multipart(a, &master, Some("video/mp4")).await.unwrap();
    for piece in big.chunks(1 << 20) {
        upload.write(piece.to_vec()).await.unwrap();
    }
    assert_eq!(upload.written(), 12 << 20);
    assert_eq!(upload.finish().await.unwrap(), 12 << 20);
    assert!(storage.get(a, &master).await.unwrap() == big, "the parts come back whole and in order");
    let meta = storage.head(a, &master).await.unwrap().unwrap();
    assert_eq!((meta.size, meta.content_type.as_deref()), (12 << 20, s3.then_some("video/mp4")));
    let across_parts = (5 << 20) - 10..(5 << 20) + 10;
    let bytes = storage.get_range(a, &master, across_parts.clone()).await.unwrap();
    assert_eq!(&bytes[..], &big[(5 << 20) - 10..(5 << 20) + 10]);

    // An empty multipart upload is an empty object.
    let nothing = key("media/v2/nothing.bin");
    storage.put_multipart(a, &nothing, None).await.unwrap().finish().await.unwrap();
    assert_eq!(storage.head(a, &nothing).await.unwrap().unwrap().size, 0);

    // A stream of chunks (an HTTP body) goes up in parts...
    let streamed = key("media/v3/master.mp4");
    let source = body_source(12 << 20, 12 << 20).await.bytes_stream();
    assert_eq!(storage.put_stream(a, &streamed, source, Some("video/mp4")).await.unwrap(), 12 << 20);
    assert!(storage.get(a, &streamed).await.unwrap() == big);
    let (meta, chunks) = storage.get_stream(a, &streamed).await.unwrap();
    let body = axum::body::to_bytes(axum::body::Body::from_stream(chunks), usize::MAX).await.unwrap();
    assert_eq!(meta.size, 12 << 20);
    assert!(body == big, "streamed back whole");
    // Sizes that are not a multiple of the read size, and nothing at all, stream back exactly.
    let odd = key("media/v3/odd.bin");
    let odd_bytes = pattern(kernel::storage::LOCAL_CHUNK as usize * 2 + 12_345);
    storage.put(a, &odd, odd_bytes.clone(), None).await.unwrap();
    let (_, chunks) = storage.get_stream(a, &odd).await.unwrap();
    let body = axum::body::to_bytes(axum::body::Body::from_stream(chunks), usize::MAX).await.unwrap();
    assert!(body == odd_bytes, "odd-sized object streamed back whole");
    storage.delete(a, &odd).await.unwrap();
    let (_, chunks) = storage.get_stream(a, &nothing).await.unwrap();
    assert!(axum::body::to_bytes(axum::body::Body::from_stream(chunks), usize::MAX).await.unwrap().is_empty());

    // ...and one that breaks off halfway leaves nothing behind.
    let broken = key("media/v4/master.mp4");
    let source = body_source(12 << 20, 7 << 20).await.bytes_stream();
    let res = storage.put_stream(a, &broken, source, Some("video/mp4")).await;
    assert!(matches!(res, Err(StorageError::Source(_))), "{res:?}");
    assert!(storage.head(a, &broken).await.unwrap().is_none());
    assert!(storage.list(a, &key("media/v4")).await.unwrap().is_empty());

    // Presigned URLs: only where the backend can sign them, for one second to seven days.
    let link = storage.presigned_get(a, &segment, Duration::from_secs(60)).await;
    assert_eq!(link.as_ref().map(Option::is_some).ok(), Some(s3));
    for bad in [Duration::ZERO, Duration::from_secs(8 * 24 * 3600)] {
        assert!(matches!(storage.presigned_get(a, &segment, bad).await, Err(StorageError::InvalidExpiry)));
    }
    assert_eq!(storage.usage(a).await.unwrap(), 5 + 2 * (12 << 20));
}

#[tokio::test]
async fn local_disk_storage_behaves() {
    let dir = scratch_dir("storage");
    let storage = Storage::from_config(&StorageConfig::Local { dir: dir.join("created/on/demand") }).unwrap();
    behaves_like_storage(&storage, false).await;
    let leftovers: Vec<_> = walk(&dir).into_iter().filter(|p| p.to_string_lossy().contains('#')).collect();
    assert!(leftovers.is_empty(), "no half-written parts left on disk: {leftovers:?}");
}

#[tokio::test]
async fn s3_storage_behaves() {
    let moto = Moto::start().await;
    let storage = Storage::from_config(&moto.bucket("lyceum-test").await).unwrap();
    behaves_like_storage(&storage, true).await;
    assert_eq!(moto.open_uploads("lyceum-test").await, 0, "the broken upload was aborted");
}

#[tokio::test]
async fn a_presigned_url_works_over_plain_http_and_carries_its_expiry() {
    let moto = Moto::start().await;
    let storage = Storage::from_config(&moto.bucket("lyceum-links").await).unwrap();
    let tenant = TenantId::new();
    let file = key("media/v1/download.mp4");
    storage.put(tenant, &file, pattern(4096), Some("video/mp4")).await.unwrap();

    let url = storage.presigned_get(tenant, &file, Duration::from_secs(90)).await.unwrap().expect("S3 signs URLs");
    let signed_at = chrono::Utc::now();
    assert!(url.starts_with(&format!("{}/lyceum-links/{tenant}/media/v1/download.mp4?", moto.endpoint)), "{url}");
    let client = reqwest::Client::new();
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "video/mp4");
    assert_eq!(&res.bytes().await.unwrap()[..], &pattern(4096)[..]);
    let res = client.get(&url).header("range", "bytes=100-199").send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::PARTIAL_CONTENT);
    assert_eq!(&res.bytes().await.unwrap()[..], &pattern(4096)[100..200]);

    // The expiry is part of the signed query: a real S3 service refuses the URL after it,
    // and refuses it if anyone changes it (moto serves it regardless, so check the query).
    let query: std::collections::HashMap<String, String> = url
        .split_once('?')
        .unwrap()
        .1
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    assert_eq!(query["X-Amz-Expires"], "90");
    assert!(query["X-Amz-SignedHeaders"] == "host" && query["X-Amz-Signature"].len() == 64);
    let date = chrono::NaiveDateTime::parse_from_str(&query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").unwrap().and_utc();
    assert!((signed_at - date).num_seconds().abs() <= 5, "signed now: {date}");
    assert!(query["X-Amz-Credential"].starts_with("test-key-id%2F"));
    assert!(!url.contains("test-secret"));

    // Another school's handle with the same key signs a URL to its own (empty) folder.
    let other = storage.presigned_get(TenantId::new(), &file, Duration::from_secs(90)).await.unwrap().unwrap();
    assert_eq!(client.get(&other).send().await.unwrap().status(), reqwest::StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_app_keeps_files_in_s3_and_still_sends_mail_over_smtp() {
    let moto = Moto::start().await;
    let bucket = moto.bucket("lyceum-app").await;
    let sink = kernel::testing::smtp::start().await.unwrap();
    let smtp = sink.url.clone();
    let app = TestApp::with(|c| {
        c.storage = bucket;
        c.smtp_url = Some(smtp.as_str().into());
    })
    .await;
    let acme = app.school("acme").await;

    // Storage reached over HTTP by the app's own handle.
    let file = key("media/v1/notes.pdf");
    app.state.storage.put(acme.school.id, &file, b"%PDF-1.7".to_vec(), Some("application/pdf")).await.unwrap();
    assert_eq!(&app.state.storage.get(acme.school.id, &file).await.unwrap()[..], b"%PDF-1.7");
    let listing =
        reqwest::get(format!("{}/lyceum-app?list-type=2", moto.endpoint)).await.unwrap().text().await.unwrap();
    assert!(listing.contains(&format!("<Key>{}/media/v1/notes.pdf</Key>", acme.school.id)), "{listing}");

    // Mail over SMTP in the same process.
    let b = app.browser("acme");
    b.post_form("/signup", &[("name", "Sam"), ("email", "sam@example.test"), ("password", PASSWORD)]).await;
    app.run_jobs().await;
    let received = sink.received.lock().unwrap().clone();
    assert!(received.iter().any(|m| m.to == vec!["sam@example.test".to_string()]), "mail sent over SMTP");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = vec![];
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}
