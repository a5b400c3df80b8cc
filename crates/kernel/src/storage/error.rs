//! [`StorageError`]: what can go wrong, with "not found" kept apart from the rest.

/// What can go wrong with storage.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No object under that key.
    #[error("no object at {0}")]
    NotFound(String),
    /// The key breaks a rule of [`StorageKey`](super::StorageKey).
    #[error("invalid storage key {key:?}: {reason}")]
    InvalidKey {
        /// The key as given (escaped).
        key: String,
        /// Which rule it broke.
        reason: &'static str,
    },
    /// The range is empty, or starts at or beyond the end of the object.
    #[error("range {start}..{end} is not inside the object")]
    InvalidRange {
        /// First byte asked for.
        start: u64,
        /// One past the last byte asked for.
        end: u64,
    },
    /// A presigned URL may live from one second to seven days.
    #[error("a presigned URL must expire within one second to seven days")]
    InvalidExpiry,
    /// The stream being uploaded failed.
    #[error("the upload's source failed")]
    Source(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The backend failed (disk, network, credentials).
    #[error("storage backend failed")]
    Backend(#[source] object_store::Error),
    /// The configuration cannot be used.
    #[error("storage is misconfigured")]
    Config(#[source] anyhow::Error),
}

impl StorageError {
    /// A backend error, with "not found" recognised.
    pub(super) fn from_backend(e: object_store::Error, key: &str) -> Self {
        match e {
            object_store::Error::NotFound { .. } => Self::NotFound(key.to_string()),
            e => Self::Backend(e),
        }
    }
}

impl From<StorageError> for crate::AppError {
    fn from(e: StorageError) -> Self {
        match e {
            // A key built from a request that breaks the rules names nothing that exists.
            StorageError::NotFound(_) | StorageError::InvalidKey { .. } => Self::NotFound,
            StorageError::InvalidRange { .. } => Self::BadRequest("range not satisfiable".into()),
            e => Self::Internal(anyhow::Error::new(e)),
        }
    }
}
