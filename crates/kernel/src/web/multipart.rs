//! Reading the fields of a `multipart/form-data` form (an upload) without trusting their size.

use axum::extract::multipart::{Field, MultipartError};

/// A field's bytes, or `None` when it is longer than `max` (the rest is read and dropped, so the
/// fields after it can still be read).
pub async fn read_capped(mut field: Field<'_>, max: usize) -> Result<Option<Vec<u8>>, MultipartError> {
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await? {
        over |= bytes.len() + chunk.len() > max;
        if !over {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((!over).then_some(bytes))
}
