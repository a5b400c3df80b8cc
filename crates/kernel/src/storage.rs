//! Files for every domain: local disk by default, any S3-compatible service (AWS, DigitalOcean
//! Spaces, MinIO) when `LYCEUM_S3_BUCKET` is set.
//!
//! Every object lives under its school's id, `{tenant_id}/{key}`, and a key is a checked
//! [`StorageKey`] whose first segment is the owning domain (`media/…`, `courses/…`): no caller
//! can name another school's object, because no key can climb out of the school's folder.
//!
//! ```no_run
//! # async fn example(state: kernel::AppState, tenant: kernel::TenantId) -> Result<(), kernel::storage::StorageError> {
//! use std::time::Duration;
//! use kernel::storage::StorageKey;
//!
//! let storage = &state.storage;
//! let poster = StorageKey::parse("media/0192f3c4/poster.jpg")?;
//! storage.put(tenant, &poster, b"jpeg bytes".to_vec(), Some("image/jpeg")).await?;
//! let whole = storage.get(tenant, &poster).await?;
//! let first_kib = storage.get_range(tenant, &poster, 0..1024).await?; // HTTP Range requests
//! let meta = storage.head(tenant, &poster).await?; // Option<Meta>: size, last_modified, content_type
//!
//! // Large files go up in parts (5 MiB each, a few in flight at once).
//! let master = StorageKey::parse("media/0192f3c4/master.mp4")?;
//! let mut upload = storage.put_multipart(tenant, &master, Some("video/mp4")).await?;
//! upload.write(vec![0u8; 6 << 20]).await?;
//! let size = upload.finish().await?;
//! // or from any stream of chunks: storage.put_stream(tenant, &master, stream, Some("video/mp4"))
//!
//! let folder = StorageKey::parse("media/0192f3c4")?;
//! let entries = storage.list(tenant, &folder).await?; // every object under the folder
//! let used = storage.usage(tenant).await?; // bytes the school uses
//! let link = storage.presigned_get(tenant, &poster, Duration::from_secs(300)).await?; // Some(url) on S3
//! storage.delete(tenant, &poster).await?;
//! let removed = storage.delete_prefix(tenant, &folder).await?; // reclaim a whole video
//! # Ok(()) }
//! ```

mod backend;
mod error;
mod key;
mod upload;

use std::{fmt, ops::Range, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, TryStreamExt, stream::BoxStream};
use object_store::{
    Attribute, Attributes, GetOptions, GetResultPayload, ObjectStore, ObjectStoreExt, PutMultipartOptions, PutOptions,
    PutPayload, WriteMultipart, path::Path, signer::Signer,
};

pub use backend::{S3Config, StorageConfig};
/// Bytes as the storage API takes and returns them (re-exported so callers need no `bytes` crate).
pub use bytes::Bytes;
pub use error::StorageError;
pub use key::{MAX_KEY_BYTES, StorageKey};
pub use upload::Upload;

use crate::TenantId;

/// Size of each part of a multipart upload (S3's smallest part, except the last).
pub const PART_SIZE: usize = 5 * 1024 * 1024;

/// Longest life of a presigned URL (S3's limit).
pub const MAX_PRESIGNED: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// What is known about a stored object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// Size in bytes.
    pub size: u64,
    /// When it was last written.
    pub last_modified: DateTime<Utc>,
    /// The content type given when it was stored (S3 keeps it; local disk does not).
    pub content_type: Option<String>,
}

/// Part of an object, read by [`Storage::read_range`].
#[derive(Clone, Debug)]
pub struct RangeRead {
    /// The bytes.
    pub bytes: Bytes,
    /// Which bytes they are (the end is clamped to the object's size).
    pub range: Range<u64>,
    /// The whole object's metadata (`meta.size` is the total size).
    pub meta: Meta,
}

/// One object found by [`Storage::list`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its key within the school.
    pub key: StorageKey,
    /// Size in bytes.
    pub size: u64,
    /// When it was last written.
    pub last_modified: DateTime<Utc>,
}

/// How much of a local file [`Storage::get_stream`] reads per step: large enough that sending
/// a video segment takes a few steps, small enough that many concurrent streams stay light.
pub const LOCAL_CHUNK: u64 = 1024 * 1024;

/// `range` of a local file as a stream of [`LOCAL_CHUNK`]s, each read on the blocking pool.
fn local_chunks(file: std::fs::File, range: Range<u64>) -> BoxStream<'static, Result<Bytes, StorageError>> {
    futures::stream::try_unfold((file, range), |(mut file, range)| async move {
        if range.start >= range.end {
            return Ok(None);
        }
        let n = (range.end - range.start).min(LOCAL_CHUNK) as usize;
        let start = range.start;
        let read = tokio::task::spawn_blocking(move || {
            use std::io::{Read, Seek, SeekFrom};
            file.seek(SeekFrom::Start(start))?;
            let mut buf = vec![0u8; n];
            file.read_exact(&mut buf)?;
            Ok::<_, std::io::Error>((file, buf))
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|r| r);
        let (file, buf) = read.map_err(|e| {
            StorageError::Backend(object_store::Error::Generic { store: "LocalFileSystem", source: Box::new(e) })
        })?;
        Ok(Some((Bytes::from(buf), (file, start + n as u64..range.end))))
    })
    .boxed()
}

/// Installs ring as the process's rustls crypto provider (the tree's only one); idempotent.
/// `main` calls it first thing, and opening an S3 backend calls it too.
pub fn install_crypto_provider() {
    // An error only means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The storage service: cheap to clone, shared by every domain.
#[derive(Clone)]
pub struct Storage(Arc<Inner>);

struct Inner {
    store: Arc<dyn ObjectStore>,
    signer: Option<Arc<dyn Signer>>,
    keeps_attributes: bool,
    description: String,
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Storage({})", self.0.description)
    }
}

impl Storage {
    /// Opens the configured backend (creating the local folder when missing).
    pub fn from_config(config: &StorageConfig) -> Result<Self, StorageError> {
        let opened = backend::open(config).map_err(StorageError::Config)?;
        let description = match config {
            StorageConfig::Local { dir } => format!("local disk at {}", dir.display()),
            StorageConfig::S3(s3) => {
                format!("bucket {} at {}", s3.bucket, s3.endpoint.as_deref().unwrap_or("AWS S3"))
            }
        };
        Ok(Self(Arc::new(Inner {
            store: opened.store,
            signer: opened.signer,
            keeps_attributes: opened.keeps_attributes,
            description,
        })))
    }

    /// Stores `bytes` under `key`, replacing what was there.
    pub async fn put(
        &self,
        tenant: TenantId,
        key: &StorageKey,
        bytes: impl Into<Bytes>,
        content_type: Option<&str>,
    ) -> Result<(), StorageError> {
        let opts = PutOptions { attributes: self.attributes(content_type), ..Default::default() };
        let path = path(tenant, key);
        self.0
            .store
            .put_opts(&path, PutPayload::from_bytes(bytes.into()), opts)
            .await
            .map_err(|e| StorageError::from_backend(e, key.as_str()))?;
        Ok(())
    }

    /// Starts a multipart upload to `key`; nothing is visible until [`Upload::finish`].
    pub async fn put_multipart(
        &self,
        tenant: TenantId,
        key: &StorageKey,
        content_type: Option<&str>,
    ) -> Result<Upload, StorageError> {
        let opts = PutMultipartOptions { attributes: self.attributes(content_type), ..Default::default() };
        let upload = self
            .0
            .store
            .put_multipart_opts(&path(tenant, key), opts)
            .await
            .map_err(|e| StorageError::from_backend(e, key.as_str()))?;
        Ok(Upload { writer: WriteMultipart::new_with_chunk_size(upload, PART_SIZE), written: 0 })
    }

    /// Stores everything `chunks` yields under `key` as a multipart upload and returns the size.
    /// When the stream or the backend fails, the upload is abandoned and nothing is stored.
    pub async fn put_stream<S, E>(
        &self,
        tenant: TenantId,
        key: &StorageKey,
        chunks: S,
        content_type: Option<&str>,
    ) -> Result<u64, StorageError>
    where
        S: Stream<Item = Result<Bytes, E>> + Send,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let mut upload = self.put_multipart(tenant, key, content_type).await?;
        let mut chunks = std::pin::pin!(chunks);
        while let Some(chunk) = chunks.next().await {
            let written = match chunk {
                Ok(bytes) => upload.write(bytes).await,
                Err(e) => Err(StorageError::Source(e.into())),
            };
            if let Err(e) = written {
                upload.abort().await.ok();
                return Err(e);
            }
        }
        upload.finish().await
    }

    /// The whole object.
    pub async fn get(&self, tenant: TenantId, key: &StorageKey) -> Result<Bytes, StorageError> {
        let result = self.0.store.get(&path(tenant, key)).await;
        let result = result.map_err(|e| StorageError::from_backend(e, key.as_str()))?;
        result.bytes().await.map_err(|e| StorageError::from_backend(e, key.as_str()))
    }

    /// The object's metadata and its bytes as a stream, for sending large files without
    /// holding them in memory.
    pub async fn get_stream(
        &self,
        tenant: TenantId,
        key: &StorageKey,
    ) -> Result<(Meta, BoxStream<'static, Result<Bytes, StorageError>>), StorageError> {
        let result = self.0.store.get(&path(tenant, key)).await;
        let result = result.map_err(|e| StorageError::from_backend(e, key.as_str()))?;
        let meta = self.meta(&result.meta, &result.attributes);
        let stream = match result.payload {
            // object_store reads local files 8 KiB per blocking-pool hop, which halves the rate
            // at which video segments go out; read them in larger chunks instead.
            GetResultPayload::File(file, _) => local_chunks(file, result.range),
            GetResultPayload::Stream(s) => {
                let owned = key.as_str().to_string();
                s.map_err(move |e| StorageError::from_backend(e, &owned)).boxed()
            }
        };
        Ok((meta, stream))
    }

    /// Bytes `range.start..range.end` of the object; a range running past the end stops at the
    /// end (as HTTP Range does), one that is empty or starts at or past the end is refused.
    pub async fn get_range(
        &self,
        tenant: TenantId,
        key: &StorageKey,
        range: Range<u64>,
    ) -> Result<Bytes, StorageError> {
        Ok(self.read_range(tenant, key, range).await?.bytes)
    }

    /// Like [`Storage::get_range`], also saying which bytes came back and the object's metadata
    /// (what an HTTP `Content-Range` answer needs), in one request to the backend.
    pub async fn read_range(
        &self,
        tenant: TenantId,
        key: &StorageKey,
        range: Range<u64>,
    ) -> Result<RangeRead, StorageError> {
        let invalid = StorageError::InvalidRange { start: range.start, end: range.end };
        if range.start >= range.end {
            return Err(invalid);
        }
        let options = GetOptions::new().with_range(Some(range.clone()));
        match self.0.store.get_opts(&path(tenant, key), options).await {
            Ok(result) => {
                let meta = self.meta(&result.meta, &result.attributes);
                let range = result.range.clone();
                let bytes = result.bytes().await.map_err(|e| StorageError::from_backend(e, key.as_str()))?;
                Ok(RangeRead { bytes, range, meta })
            }
            Err(object_store::Error::NotFound { .. }) => Err(StorageError::NotFound(key.to_string())),
            // Backends word an unsatisfiable range differently; the object's size tells.
            Err(e) => match self.head(tenant, key).await? {
                None => Err(StorageError::NotFound(key.to_string())),
                Some(meta) if range.start >= meta.size => Err(invalid),
                Some(_) => Err(StorageError::Backend(e)),
            },
        }
    }

    /// The object's size, date and content type, or `None` when there is no such object.
    pub async fn head(&self, tenant: TenantId, key: &StorageKey) -> Result<Option<Meta>, StorageError> {
        match self.0.store.get_opts(&path(tenant, key), GetOptions::new().with_head(true)).await {
            Ok(result) => Ok(Some(self.meta(&result.meta, &result.attributes))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(StorageError::Backend(e)),
        }
    }

    /// Removes the object; removing one that does not exist is not an error.
    pub async fn delete(&self, tenant: TenantId, key: &StorageKey) -> Result<(), StorageError> {
        match self.0.store.delete(&path(tenant, key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(StorageError::Backend(e)),
        }
    }

    /// Removes every object under `prefix` (a whole folder: `media/{video}`) and says how many.
    pub async fn delete_prefix(&self, tenant: TenantId, prefix: &StorageKey) -> Result<usize, StorageError> {
        let listed = self.0.store.list(Some(&path(tenant, prefix))).map_ok(|meta| meta.location).boxed();
        let mut results = self.0.store.delete_stream(listed);
        let mut deleted = 0;
        while let Some(result) = results.next().await {
            match result {
                Ok(_) => deleted += 1,
                // Removed by someone else meanwhile: just as good.
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(StorageError::Backend(e)),
            }
        }
        Ok(deleted)
    }

    /// Every object under `prefix`, sorted by key.
    pub async fn list(&self, tenant: TenantId, prefix: &StorageKey) -> Result<Vec<Entry>, StorageError> {
        let root = format!("{tenant}/");
        let mut entries: Vec<Entry> = self
            .0
            .store
            .list(Some(&path(tenant, prefix)))
            .map_err(StorageError::Backend)
            .try_filter_map(|meta| {
                let key = meta.location.as_ref().strip_prefix(&root).and_then(|k| StorageKey::parse(k).ok());
                let entry = key.map(|key| Entry { key, size: meta.size, last_modified: meta.last_modified });
                async move { Ok(entry) }
            })
            .try_collect()
            .await?;
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(entries)
    }

    /// Bytes the school's objects take up.
    pub async fn usage(&self, tenant: TenantId) -> Result<u64, StorageError> {
        let root = Path::from(tenant.to_string());
        self.0
            .store
            .list(Some(&root))
            .map_err(StorageError::Backend)
            .try_fold(0, |n, m| async move { Ok(n + m.size) })
            .await
    }

    /// A URL anyone can GET the object from until `expires` has passed, when the backend can
    /// sign one (S3); `None` on local disk, where the application serves files itself.
    pub async fn presigned_get(
        &self,
        tenant: TenantId,
        key: &StorageKey,
        expires: Duration,
    ) -> Result<Option<String>, StorageError> {
        if expires < Duration::from_secs(1) || expires > MAX_PRESIGNED {
            return Err(StorageError::InvalidExpiry);
        }
        let Some(signer) = &self.0.signer else { return Ok(None) };
        let url = signer.signed_url(object_store::signer::Method::GET, &path(tenant, key), expires).await;
        Ok(Some(url.map_err(StorageError::Backend)?.to_string()))
    }

    fn attributes(&self, content_type: Option<&str>) -> Attributes {
        let mut attributes = Attributes::new();
        if let (true, Some(ct)) = (self.0.keeps_attributes, content_type) {
            attributes.insert(Attribute::ContentType, ct.to_string().into());
        }
        attributes
    }

    fn meta(&self, meta: &object_store::ObjectMeta, attributes: &Attributes) -> Meta {
        Meta {
            size: meta.size,
            last_modified: meta.last_modified,
            content_type: attributes.get(&Attribute::ContentType).map(|v| v.to_string()),
        }
    }
}

/// The object's place in the backend: the school's id, then the key.
fn path(tenant: TenantId, key: &StorageKey) -> Path {
    // Both parts are checked: a UUID, and a key without empty, `.` or `..` segments.
    Path::from_iter(std::iter::once(tenant.to_string()).chain(key.as_str().split('/').map(str::to_string)))
}
