//! The school's logo: `POST /admin/settings/branding/logo` (multipart upload),
//! `POST /admin/settings/branding/logo/remove`, and `GET /brand/logo/{id}` to serve it.

use axum::{
    extract::{
        Multipart, Path,
        multipart::{MultipartError, MultipartRejection},
    },
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, web::FieldErrors};
use uuid::Uuid;

use crate::{
    branding::{self, LOGO_MAX_BYTES},
    settings::{self, BrandingForm},
};

pub async fn upload(ctx: Ctx, multipart: Result<Multipart, MultipartRejection>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let mut multipart = multipart.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let mut file: Option<Vec<u8>> = None;
    let mut too_large = false;
    while let Some(mut field) = multipart.next_field().await.map_err(rejected)? {
        if field.name() != Some("logo") || file.is_some() {
            while field.chunk().await.map_err(rejected)?.is_some() {}
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(rejected)? {
            if bytes.len() + chunk.len() > LOGO_MAX_BYTES {
                too_large = true;
            } else {
                bytes.extend_from_slice(&chunk);
            }
        }
        file = Some(bytes);
    }
    let checked = if too_large { Err("logo-too-large") } else { branding::check_logo(file.as_deref().unwrap_or(&[])) };
    let kind = match checked {
        Ok(kind) => kind,
        Err(key) => {
            let mut errors = FieldErrors::default();
            errors.add("logo", ctx.t_args(key, &[("max", ((LOGO_MAX_BYTES / (1024 * 1024)) as i64).into())]));
            return super::branding::page(&ctx, &BrandingForm::from_school(&ctx.school), &errors);
        }
    };
    let data = file.unwrap_or_default();
    let mut tx = ctx.tx().await?;
    branding::replace_logo(&mut tx, kind, &data).await?;
    settings::audit(&mut tx, user, "settings.logo_updated").await?;
    tx.commit().await?;
    crate::resolve::forget(&ctx.state);
    Ok(ctx.redirect_with("/admin/settings/branding", "success", ctx.t("logo-saved")).into_response())
}

fn rejected(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(e.body_text())
    }
}

pub async fn remove(ctx: Ctx) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let mut tx = ctx.tx().await?;
    if branding::remove_logo(&mut tx).await? {
        settings::audit(&mut tx, user, "settings.logo_removed").await?;
    }
    tx.commit().await?;
    crate::resolve::forget(&ctx.state);
    Ok(ctx.redirect_with("/admin/settings/branding", "success", ctx.t("logo-removed")).into_response())
}

pub async fn serve(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let asset = branding::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let content_type = HeaderValue::from_str(&asset.content_type).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ],
        asset.data,
    )
        .into_response())
}
