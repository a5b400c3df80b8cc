//! `/api/v1/media/uploads`: sending files to the media library over tus 1.0 (core, creation,
//! termination, expiration) with an API key. The protocol itself is media's ([`media::tus`]),
//! shared with the admin's uploader; its answers are plain text, as tus clients expect, and the
//! error renderer passes them through untouched.

use axum::{
    body::Body,
    extract::Path,
    http::{HeaderMap, HeaderValue},
    response::Response,
};
use kernel::AppError;
use media::model::UploadId;
use utoipa::{
    PartialSchema, ToSchema,
    openapi::{
        RefOr,
        schema::{ObjectBuilder, Schema, Type},
    },
};

use crate::{auth::ApiCtx, problem::ApiResult};

/// The bytes of one `PATCH`: the file from `Upload-Offset` on, in any number of chunks.
pub struct Chunk;

impl PartialSchema for Chunk {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .content_media_type("application/octet-stream")
            .description(Some("The file's bytes, from `Upload-Offset` on."))
            .into()
    }
}

impl ToSchema for Chunk {}

/// Where a finished upload's file goes: this API's tus URL for it.
fn location(id: UploadId) -> String {
    format!("/api/v1/media/uploads/{id}")
}

/// Tus asks for `Tus-Resumable` on every answer, including the key check's problems.
pub async fn tus_resumable(mut res: Response) -> Response {
    res.headers_mut().entry("tus-resumable").or_insert(HeaderValue::from_static(media::tus::VERSION));
    res
}

/// What uploads support
///
/// The tus protocol version and extensions spoken here, and the largest file the school's plan
/// takes (`Tus-Max-Size`, in bytes).
#[utoipa::path(
    options,
    path = "/media/uploads",
    operation_id = "describeMediaUploads",
    tag = "Media uploads",
    responses(
        (status = 204, description = "What the server supports.", headers(
            ("Tus-Resumable" = String, description = "The protocol version spoken: `1.0.0`."),
            ("Tus-Version" = String, description = "Protocol versions supported: `1.0.0`."),
            ("Tus-Extension" = String, description = "Extensions supported: `creation,termination,expiration`."),
            ("Tus-Max-Size" = i64, description = "The largest file the school's plan takes, in bytes."),
        )),
    )
)]
pub async fn options(ctx: ApiCtx) -> ApiResult<Response> {
    Ok(media::tus::options(&ctx.school.plan))
}

/// Start an upload
///
/// Creates an upload (tus creation) and, unless `replace` is given, a new library item for it.
/// Then `PATCH` the file's bytes to the `Location` given, in chunks of up to 64 MiB, and `GET`
/// the item until it is `ready`. Any tus 1.0 client works (tus-js-client, tus-py-client, …) with
/// the `Authorization` header added. Errors of the protocol come as plain text.
/// Needs a read and write key.
#[utoipa::path(
    post,
    path = "/media/uploads",
    operation_id = "createMediaUpload",
    tag = "Media uploads",
    params(
        ("Tus-Resumable" = String, Header, description = "The tus protocol version: `1.0.0`.", example = "1.0.0"),
        ("Upload-Length" = i64, Header, description = "The file's size in bytes. It must fit the plan's largest file and the school's free storage.", example = 104_857_600),
        ("Upload-Metadata" = Option<String>, Header, description = "Comma-separated `key base64(value)` pairs: `filename` (the file's name; its extension tells documents apart), `filetype` (its MIME type), `title` (the item's title; the file name without extension when left out), and `replace` (the id of an item whose file this replaces: the item keeps its id, title and where it is used).", example = "filename d2VsY29tZS5tcDQ=,filetype dmlkZW8vbXA0"),
    ),
    responses(
        (status = 201, description = "The upload was created; send the file to `Location`.", headers(
            ("Location" = String, description = "The upload's URL, to `PATCH` the file's bytes to."),
            ("Upload-Offset" = i64, description = "Bytes received: `0`."),
            ("Upload-Expires" = String, description = "When the upload is removed if no more bytes arrive (an HTTP date); each chunk moves it on by a day."),
            ("Tus-Resumable" = String, description = "`1.0.0`."),
        )),
        (status = 400, description = "`Upload-Length` is missing, the file is empty, or `Upload-Metadata` is malformed.", body = String, content_type = "text/plain"),
        (status = 404, description = "The item named by `replace` does not exist in this school.", body = String, content_type = "text/plain"),
        (status = 412, description = "`Tus-Resumable: 1.0.0` is missing.", body = String, content_type = "text/plain"),
        (status = 413, description = "The file is larger than the plan allows, or does not fit in the school's storage.", body = String, content_type = "text/plain"),
        (status = 415, description = "The library does not keep this type of file, or a replacement is of another kind than the item.", body = String, content_type = "text/plain"),
    )
)]
pub async fn create(ctx: ApiCtx, headers: HeaderMap) -> ApiResult<Response> {
    let school = &ctx.school;
    Ok(media::tus::create(&ctx.state, school.id, &school.plan, None, ctx.shell.locale, &headers, location).await)
}

/// Where an upload is
///
/// How many bytes of the file have arrived: resume an interrupted upload from `Upload-Offset`.
#[utoipa::path(
    head,
    path = "/media/uploads/{id}",
    operation_id = "getMediaUploadOffset",
    tag = "Media uploads",
    params(
        ("id" = uuid::Uuid, Path, description = "The upload's id (the end of its `Location`).", example = "0192f7c5-2b1d-7f00-8a3c-5d6e7f8091a2"),
        ("Tus-Resumable" = String, Header, description = "The tus protocol version: `1.0.0`.", example = "1.0.0"),
    ),
    responses(
        (status = 200, description = "Where the upload is.", headers(
            ("Upload-Offset" = i64, description = "Bytes received so far: send the rest from here."),
            ("Upload-Length" = i64, description = "The file's size in bytes."),
            ("Upload-Expires" = String, description = "While bytes are still expected: when the upload is removed if no more arrive."),
            ("Tus-Resumable" = String, description = "`1.0.0`."),
        )),
        (status = 404, description = "No upload in this school has that id; it may have expired or been cancelled."),
        (status = 412, description = "`Tus-Resumable: 1.0.0` is missing."),
    )
)]
pub async fn head(ctx: ApiCtx, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let id: UploadId = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(media::tus::head(&ctx.state, ctx.school.id, id, &headers).await)
}

/// Send part of a file
///
/// Appends the body at `Upload-Offset`. When the last byte arrives the file is checked and
/// converted; `GET /media/{id}` shows how far that is. Needs a read and write key.
#[utoipa::path(
    patch,
    path = "/media/uploads/{id}",
    operation_id = "sendMediaUploadChunk",
    tag = "Media uploads",
    params(
        ("id" = uuid::Uuid, Path, description = "The upload's id (the end of its `Location`).", example = "0192f7c5-2b1d-7f00-8a3c-5d6e7f8091a2"),
        ("Tus-Resumable" = String, Header, description = "The tus protocol version: `1.0.0`.", example = "1.0.0"),
        ("Upload-Offset" = i64, Header, description = "Where this chunk starts in the file: the `Upload-Offset` of the previous answer or of a `HEAD`.", example = 0),
    ),
    request_body(content = inline(Chunk), content_type = "application/offset+octet-stream", description = "Up to 64 MiB of the file, starting at `Upload-Offset`."),
    responses(
        (status = 204, description = "The chunk was stored.", headers(
            ("Upload-Offset" = i64, description = "Bytes received so far, this chunk included."),
            ("Tus-Resumable" = String, description = "`1.0.0`."),
        )),
        (status = 400, description = "`Upload-Offset` is missing, or the connection broke mid-chunk (nothing of the chunk was kept).", body = String, content_type = "text/plain"),
        (status = 404, description = "No upload in this school has that id; it may have expired or been cancelled."),
        (status = 409, description = "`Upload-Offset` is not where the upload is; continue from the `Upload-Offset` given.", body = String, content_type = "text/plain", headers(
            ("Upload-Offset" = i64, description = "Where the upload really is."),
        )),
        (status = 410, description = "The upload is already complete.", body = String, content_type = "text/plain"),
        (status = 412, description = "`Tus-Resumable: 1.0.0` is missing.", body = String, content_type = "text/plain"),
        (status = 413, description = "More bytes than the upload's `Upload-Length`, or more than 64 MiB in one request.", body = String, content_type = "text/plain"),
        (status = 415, description = "The body must be sent as `application/offset+octet-stream`.", body = String, content_type = "text/plain"),
    )
)]
pub async fn patch(ctx: ApiCtx, Path(id): Path<String>, headers: HeaderMap, body: Body) -> ApiResult<Response> {
    let id: UploadId = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(media::tus::patch(&ctx.state, ctx.school.id, id, ctx.shell.locale, &headers, body).await)
}

/// Cancel an upload
///
/// Stops an unfinished upload and removes what arrived of it (tus termination), and its item
/// when this was the item's first file. Needs a read and write key.
#[utoipa::path(
    delete,
    path = "/media/uploads/{id}",
    operation_id = "cancelMediaUpload",
    tag = "Media uploads",
    params(
        ("id" = uuid::Uuid, Path, description = "The upload's id (the end of its `Location`).", example = "0192f7c5-2b1d-7f00-8a3c-5d6e7f8091a2"),
        ("Tus-Resumable" = String, Header, description = "The tus protocol version: `1.0.0`.", example = "1.0.0"),
    ),
    responses(
        (status = 204, description = "The upload was cancelled and removed.", headers(
            ("Tus-Resumable" = String, description = "`1.0.0`."),
        )),
        (status = 404, description = "No upload in this school has that id; it may have expired or been cancelled."),
        (status = 410, description = "The upload is complete: delete its item instead.", body = String, content_type = "text/plain"),
        (status = 412, description = "`Tus-Resumable: 1.0.0` is missing.", body = String, content_type = "text/plain"),
    )
)]
pub async fn cancel(ctx: ApiCtx, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let id: UploadId = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(media::tus::delete(&ctx.state, ctx.school.id, id, ctx.shell.locale, &headers).await)
}
