//! `GET /assignments/files/{id}`: a file handed in, for staff who build courses and for the
//! student who handed it in; anyone else is told it does not exist.

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, storage::StorageKey};

use crate::assignments::{FileId, store};

/// Sends the file as a download, to its author or to staff who build courses.
pub async fn download(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.user()?;
    let id: FileId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let file = store::file(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let submission = store::submission(&mut tx, file.submission_id, false).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if submission.user_id != user.id && !ctx.can(Permission::ManageCourses) {
        return Err(AppError::NotFound);
    }
    let key = StorageKey::parse(&file.storage_key).map_err(|e| AppError::Internal(e.into()))?;
    let bytes = ctx.state.storage.get(ctx.school.id, &key).await.map_err(|e| AppError::Internal(e.into()))?;
    let content_type = HeaderValue::from_str(&file.content_type).map_err(|e| AppError::Internal(e.into()))?;
    let disposition = HeaderValue::from_str(&attachment(&file.file_name)).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        ],
        bytes,
    )
        .into_response())
}

/// `attachment` with an ASCII fallback name and the real one percent-encoded (RFC 6266).
fn attachment(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
