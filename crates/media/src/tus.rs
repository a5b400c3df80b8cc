//! The tus 1.0 protocol (core, creation, termination, expiration) as HTTP: header parsing and
//! responses. The admin routes (session) and the API routes (key) share it.
//! Spec: <https://tus.io/protocols/resumable-upload>.

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::Engine;
use kernel::{
    AppState, TenantId,
    i18n::{self, ArgValue, Locale},
    plan::Plan,
};

use crate::{
    model::{MediaId, Upload, UploadId},
    service::{self, AppendError, CreateError, NewUpload, Refusal},
};

/// The protocol version spoken.
pub const VERSION: &str = "1.0.0";

/// The extensions supported.
pub const EXTENSIONS: &str = "creation,termination,expiration";

fn base(status: StatusCode) -> Response {
    let mut res = status.into_response();
    res.extensions_mut().insert(kernel::web::errors::Verbatim);
    let h = res.headers_mut();
    h.insert("tus-resumable", HeaderValue::from_static(VERSION));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn text(status: StatusCode, message: String) -> Response {
    let mut res = base(status);
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    *res.body_mut() = Body::from(message);
    res
}

fn set(res: &mut Response, name: &'static str, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().insert(name, v);
    }
}

/// `OPTIONS`: what this server supports.
pub fn options(plan: &str) -> Response {
    let mut res = base(StatusCode::NO_CONTENT);
    set(&mut res, "tus-version", VERSION.into());
    set(&mut res, "tus-extension", EXTENSIONS.into());
    set(&mut res, "tus-max-size", Plan::named(plan).max_upload_bytes.to_string());
    res
}

/// A request without the protocol header (except `OPTIONS`) is refused with 412.
pub fn check_version(headers: &HeaderMap) -> Result<(), Box<Response>> {
    match headers.get("tus-resumable").and_then(|v| v.to_str().ok()) {
        Some(VERSION) => Ok(()),
        _ => {
            let mut res = text(StatusCode::PRECONDITION_FAILED, "Tus-Resumable: 1.0.0 is required".into());
            set(&mut res, "tus-version", VERSION.into());
            Err(Box::new(res))
        }
    }
}

/// Reads `Upload-Metadata`: comma-separated `key base64(value)` pairs.
pub fn metadata(headers: &HeaderMap) -> Result<Vec<(String, String)>, String> {
    let Some(raw) = headers.get("upload-metadata") else { return Ok(vec![]) };
    let raw = raw.to_str().map_err(|_| "Upload-Metadata is not ASCII".to_string())?;
    let mut pairs = vec![];
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (key, value) = item.split_once(' ').unwrap_or((item, ""));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .map_err(|_| format!("Upload-Metadata value of {key} is not base64"))?;
        let value = String::from_utf8(bytes).map_err(|_| format!("Upload-Metadata value of {key} is not UTF-8"))?;
        pairs.push((key.to_string(), value));
    }
    Ok(pairs)
}

fn message(locale: Locale, r: &Refusal) -> String {
    let args: Vec<(&str, ArgValue)> = r.args.iter().map(|(k, v)| (*k, ArgValue::Str(v.clone()))).collect();
    i18n::t_args(locale, r.key, &args)
}

/// `POST`: creates an upload; `location` turns its id into the URL the client will `PATCH`.
pub async fn create(
    state: &AppState,
    tenant: TenantId,
    plan: &str,
    by: Option<kernel::ids::UserId>,
    locale: Locale,
    headers: &HeaderMap,
    location: impl Fn(UploadId) -> String,
) -> Response {
    if let Err(res) = check_version(headers) {
        return *res;
    }
    if headers.contains_key("upload-defer-length") {
        return text(StatusCode::BAD_REQUEST, "Upload-Defer-Length is not supported: send Upload-Length".into());
    }
    let Some(length) = headers.get("upload-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok())
    else {
        return text(StatusCode::BAD_REQUEST, "Upload-Length is required".into());
    };
    let meta = match metadata(headers) {
        Ok(m) => m,
        Err(e) => return text(StatusCode::BAD_REQUEST, e),
    };
    let get = |k: &str| meta.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let replace = match get("replace") {
        Some(id) => match id.parse::<MediaId>() {
            Ok(id) => Some(id),
            Err(_) => return text(StatusCode::NOT_FOUND, i18n::t(locale, "media-not-found")),
        },
        None => None,
    };
    let new = NewUpload {
        length,
        file_name: get("filename").or_else(|| get("name")).unwrap_or_default(),
        file_type: get("filetype").or_else(|| get("type")).unwrap_or_default(),
        replace,
        title: get("title"),
    };
    match service::create_upload(state, tenant, plan, by, new).await {
        Ok(upload) => {
            let mut res = base(StatusCode::CREATED);
            set(&mut res, "location", location(upload.id));
            set(&mut res, "upload-expires", http_date(&upload));
            set(&mut res, "upload-offset", "0".into());
            res
        }
        Err(CreateError::Refused(r)) => {
            text(StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST), message(locale, &r))
        }
        Err(CreateError::NotFound) => text(StatusCode::NOT_FOUND, i18n::t(locale, "media-not-found")),
        Err(CreateError::Db(e)) => {
            tracing::error!(error = %e, "creating an upload");
            text(StatusCode::INTERNAL_SERVER_ERROR, i18n::t(locale, "media-upload-server-error"))
        }
    }
}

fn http_date(upload: &Upload) -> String {
    upload.expires_at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// `HEAD`: where an upload is.
pub async fn head(state: &AppState, tenant: TenantId, id: UploadId, headers: &HeaderMap) -> Response {
    if let Err(res) = check_version(headers) {
        return *res;
    }
    let found = match state.db.tenant(tenant).await {
        Ok(mut tx) => crate::store::find_upload(&mut tx, id).await,
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(upload)) => {
            let mut res = base(StatusCode::OK);
            set(&mut res, "upload-offset", upload.received.to_string());
            set(&mut res, "upload-length", upload.length.to_string());
            if upload.state == "receiving" {
                set(&mut res, "upload-expires", http_date(&upload));
            }
            res
        }
        Ok(None) => base(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(error = %e, "reading an upload");
            base(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// `PATCH`: appends the body at `Upload-Offset`.
pub async fn patch(
    state: &AppState,
    tenant: TenantId,
    id: UploadId,
    locale: Locale,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    if let Err(res) = check_version(headers) {
        return *res;
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type != "application/offset+octet-stream" {
        return text(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/offset+octet-stream".into());
    }
    let Some(offset) = headers.get("upload-offset").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok())
    else {
        return text(StatusCode::BAD_REQUEST, "Upload-Offset is required".into());
    };
    match service::append(state, tenant, id, offset, body.into_data_stream()).await {
        Ok(new_offset) => {
            let mut res = base(StatusCode::NO_CONTENT);
            set(&mut res, "upload-offset", new_offset.to_string());
            res
        }
        Err(e) => append_error(e, locale),
    }
}

/// `DELETE`: cancels an unfinished upload.
pub async fn delete(state: &AppState, tenant: TenantId, id: UploadId, locale: Locale, headers: &HeaderMap) -> Response {
    if let Err(res) = check_version(headers) {
        return *res;
    }
    match service::terminate(state, tenant, id).await {
        Ok(()) => base(StatusCode::NO_CONTENT),
        Err(e) => append_error(e, locale),
    }
}

fn append_error(e: AppendError, locale: Locale) -> Response {
    match e {
        AppendError::NotFound => base(StatusCode::NOT_FOUND),
        AppendError::Conflict { actual, .. } => {
            let mut res = text(StatusCode::CONFLICT, i18n::t(locale, "media-upload-offset"));
            set(&mut res, "upload-offset", actual.to_string());
            res
        }
        AppendError::Closed => text(StatusCode::GONE, i18n::t(locale, "media-upload-closed")),
        AppendError::TooMuch => text(StatusCode::PAYLOAD_TOO_LARGE, i18n::t(locale, "media-upload-too-much")),
        AppendError::Interrupted(why) => {
            tracing::info!(%why, "upload chunk interrupted");
            text(StatusCode::BAD_REQUEST, i18n::t(locale, "media-upload-interrupted"))
        }
        AppendError::Internal(e) => {
            tracing::error!(error = ?e, "storing an upload chunk");
            text(StatusCode::INTERNAL_SERVER_ERROR, i18n::t(locale, "media-upload-server-error"))
        }
    }
}
