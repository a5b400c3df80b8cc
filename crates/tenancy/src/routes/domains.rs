//! `/admin/settings/domains`: connect the school to its own domain. Add a domain, publish the
//! records shown (see [`crate::dns_records`]), verify, or remove it.

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    dns_records::{self, Record, Target, Zone},
    domains::{self, AddError, Check, Domain, DomainRow, MAX_PER_SCHOOL, Status},
    settings,
};

/// The add-a-domain form.
#[derive(Deserialize, Serialize, Default)]
pub struct DomainForm {
    #[serde(default)]
    domain: String,
}

/// A domain with the DNS records the creator has to publish and where it stands.
#[derive(Serialize)]
struct DomainView {
    #[serde(flatten)]
    row: DomainRow,
    zone: Zone,
    records: Vec<Record>,
    status: Status,
    expires_at: chrono::DateTime<chrono::Utc>,
    stops_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub async fn index(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    page(&ctx, &DomainForm::default(), &FieldErrors::default(), None).await
}

async fn page(ctx: &Ctx, f: &DomainForm, errors: &FieldErrors, check: Option<&Check>) -> AppResult<Response> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut tx = ctx.tx().await?;
    let rows = domains::list(&mut tx).await?;
    tx.commit().await?;
    let count = rows.len() as i64;
    let config = &ctx.state.config;
    let host = format!("{}.{}", ctx.school.slug, config.platform_hostname());
    let target = Target { host: &host, ipv4: config.public_ipv4, ipv6: config.public_ipv6 };
    let views: Vec<DomainView> = rows
        .into_iter()
        .map(|row| {
            let zone = Zone::of(&row.domain);
            DomainView {
                records: dns_records::records(&zone, &row.txt_value(), target),
                zone,
                status: row.status(),
                expires_at: row.expires_at(),
                stops_at: row.stops_at(),
                row,
            }
        })
        .collect();
    let html = ctx.render(
        "tenancy/settings/domains.html",
        context! {
            domains => Serde(views),
            form => Serde(f),
            errors => Serde(errors),
            check => Serde(check),
            at_limit => count >= MAX_PER_SCHOOL,
            max => MAX_PER_SCHOOL,
        },
    )?;
    Ok((status, html).into_response())
}

pub async fn add(ctx: Ctx, Form(f): Form<DomainForm>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let fail = |key: &str| {
        let mut errors = FieldErrors::default();
        errors.add("domain", ctx.t_args(key, &[("max", MAX_PER_SCHOOL.into())]));
        errors
    };
    let domain = match Domain::parse(&f.domain, ctx.state.config.platform_hostname()) {
        Ok(d) => d,
        Err(key) => return page(&ctx, &f, &fail(key), None).await,
    };
    if domains::verified_elsewhere(&ctx.state, ctx.school.id, &domain).await? {
        return page(&ctx, &f, &fail("validation-domain-taken"), None).await;
    }
    let mut tx = ctx.tx().await?;
    match domains::add(&mut tx, &domain).await {
        Ok(_) => {}
        Err(AddError::AlreadyAdded) => return page(&ctx, &f, &fail("validation-domain-added-already"), None).await,
        Err(AddError::TooMany) => return page(&ctx, &f, &fail("validation-domain-limit"), None).await,
        Err(AddError::Other(e)) => return Err(e),
    }
    settings::audit(&mut tx, user, "settings.domain_added").await?;
    tx.commit().await?;
    crate::resolve::forget(&ctx.state);
    let msg = ctx.t_args("domain-added", &[("domain", domain.as_str().into())]);
    Ok(ctx.redirect_with("/admin/settings/domains", "success", msg).into_response())
}

pub async fn verify(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    ctx.rate_limit("domain-verify", kernel::rate::Limit { max: 30, window: std::time::Duration::from_secs(300) })?;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let check = domains::verify(&ctx.state, ctx.school.id, id).await?.ok_or(AppError::NotFound)?;
    if check.verified {
        crate::resolve::forget(&ctx.state);
        let msg = ctx.t_args("domain-verified", &[("domain", check.domain.domain.clone().into())]);
        return Ok(ctx.redirect_with("/admin/settings/domains", "success", msg).into_response());
    }
    page(&ctx, &DomainForm::default(), &FieldErrors::default(), Some(&check)).await
}

pub async fn remove(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    if !domains::remove(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    settings::audit(&mut tx, user, "settings.domain_removed").await?;
    tx.commit().await?;
    crate::resolve::forget(&ctx.state);
    Ok(ctx.redirect_with("/admin/settings/domains", "success", ctx.t("domain-removed")).into_response())
}
