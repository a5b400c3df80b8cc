//! [`Upload`]: a large object sent in parts.

use bytes::Bytes;
use object_store::WriteMultipart;

use super::StorageError;

/// Parts of one multipart upload sent at the same time.
const PARTS_IN_FLIGHT: usize = 4;

/// A multipart upload in progress; send bytes with [`Upload::write`], then
/// [`Upload::finish`] (or [`Upload::abort`] to give up).
pub struct Upload {
    pub(super) writer: WriteMultipart,
    pub(super) written: u64,
}

impl Upload {
    /// Adds bytes; a part goes up each time [`PART_SIZE`](super::PART_SIZE) bytes are buffered, with a few in
    /// flight at once (this waits while too many are).
    pub async fn write(&mut self, bytes: impl Into<Bytes>) -> Result<(), StorageError> {
        let bytes = bytes.into();
        self.writer.wait_for_capacity(PARTS_IN_FLIGHT).await.map_err(StorageError::Backend)?;
        self.written += bytes.len() as u64;
        self.writer.put(bytes);
        Ok(())
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Completes the upload, making the object visible; returns its size.
    pub async fn finish(self) -> Result<u64, StorageError> {
        self.writer.finish().await.map_err(StorageError::Backend)?;
        Ok(self.written)
    }

    /// Abandons the upload and the parts sent so far.
    pub async fn abort(self) -> Result<(), StorageError> {
        self.writer.abort().await.map_err(StorageError::Backend)
    }
}
