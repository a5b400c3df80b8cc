//! `GET /admin/certificates/issued`: the certificates the school issued (searchable, or one
//! student's); `POST …/{id}/revoke` with a reason, and `POST …/{id}/reissue`.

use axum::{
    extract::{Path, Query},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    ids::UserId,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::certificates::{self, CertificateId, store};

/// How many certificates the list shows.
const PAGE: i64 = 200;

/// The list's filters.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    q: String,
    /// One student's certificates.
    #[serde(default)]
    student: Option<UserId>,
}

pub async fn list(ctx: Ctx, Query(filter): Query<Filter>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    page(&ctx, &filter, None, &FieldErrors::default(), "", StatusCode::OK).await
}

async fn page(
    ctx: &Ctx,
    filter: &Filter,
    open: Option<CertificateId>,
    errors: &FieldErrors,
    reason: &str,
    status: StatusCode,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let q = filter.q.trim();
    let (list, student) = match filter.student {
        Some(user) => {
            let student = identity::store::find(&mut tx, user).await?.ok_or(AppError::NotFound)?;
            (certificates::for_user(&mut tx, user).await?, Some(student.name))
        }
        None => (store::recent(&mut tx, q, PAGE).await?, None),
    };
    tx.commit().await?;
    let html = ctx.render(
        "courses/certificates/issued.html",
        context! {
            certificates => Serde(&list),
            q,
            student,
            open => open.map(|id| id.to_string()),
            errors => Serde(errors),
            reason,
        },
    )?;
    Ok((status, html).into_response())
}

/// The revoke form.
#[derive(Debug, Default, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
}

pub async fn revoke(ctx: Ctx, Path(id): Path<CertificateId>, Form(f): Form<RevokeForm>) -> AppResult<Response> {
    let by = ctx.require(Permission::ManageCourses)?.id;
    let mut tx = ctx.tx().await?;
    let c = store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let reason = f.reason.trim();
    let mut errors = FieldErrors::default();
    if reason.is_empty() {
        errors.add("reason", ctx.t("cert-error-reason-required"));
    } else if reason.chars().count() > 500 {
        errors.add("reason", ctx.t("cert-error-reason-long"));
    }
    if !errors.is_empty() {
        tx.commit().await?;
        let filter = Filter { q: c.code.clone(), student: None };
        return page(&ctx, &filter, Some(id), &errors, &f.reason, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    certificates::revoke(&ctx.state, &mut tx, id, reason, by).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/certificates/issued", "success", ctx.t("cert-revoked-flash")).into_response())
}

pub async fn reissue(ctx: Ctx, Path(id): Path<CertificateId>) -> AppResult<Response> {
    ctx.require(Permission::ManageCourses)?;
    let mut tx = ctx.tx().await?;
    let c = store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if c.is_valid() {
        tx.commit().await?;
        return Ok(ctx
            .redirect_with("/admin/certificates/issued", "error", ctx.t("cert-reissue-exists"))
            .into_response());
    }
    let issued = certificates::reissue(&ctx.state, &mut tx, &ctx.school, &c).await?;
    tx.commit().await?;
    let (kind, key) =
        if issued.is_some() { ("success", "cert-reissued-flash") } else { ("error", "cert-reissue-exists") };
    Ok(ctx.redirect_with("/admin/certificates/issued", kind, ctx.t(key)).into_response())
}
