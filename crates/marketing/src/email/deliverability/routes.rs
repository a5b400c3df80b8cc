//! `/admin/settings/email` (postal address, tracking, sending domains with their DNS records
//! and check, the hold, the bounce webhook), `/admin/settings/email/suppressions` (the list,
//! search, add, remove a manual entry, CSV export) and the bounce webhook itself.

use std::collections::HashMap;

use axum::{
    Router,
    body::Bytes,
    extract::{Path, Query},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, AppState, secret::constant_eq, web::Form as Posted};
use minijinja::{context, value::Serde};

use super::{bounces, dkim, limits, ses, settings_store};
use crate::email::suppression;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/settings/email", get(show).post(save))
        .route("/admin/settings/email/domains", post(add_domain))
        .route("/admin/settings/email/domains/{id}/check", post(check_domain))
        .route("/admin/settings/email/domains/{id}/remove", post(remove_domain))
        .route("/admin/settings/email/hold/lift", post(lift_hold))
        .route("/admin/settings/email/suppressions", get(suppressions).post(add_suppression))
        .route("/admin/settings/email/suppressions.csv", get(export))
        .route("/admin/settings/email/suppressions/remove", post(remove_suppression))
        .route("/hooks/email/bounces/{token}", post(hook))
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

/// The settings page.
async fn show(ctx: Ctx) -> AppResult<Response> {
    page(&ctx, None, "").await
}

async fn page(ctx: &Ctx, error: Option<String>, domain_input: &str) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let mut tx = ctx.tx().await?;
    let settings = settings_store::ensure(&mut tx).await?;
    let domains = dkim::domains(&mut tx).await?;
    let now = ctx.state.clock.now();
    let rates = limits::rates(&mut tx, now).await?;
    tx.commit().await?;
    let plan = kernel::plan::Plan::named(&ctx.school.plan);
    let today = limits::daily_limit(&plan, settings.warmup_started_at.or(Some(now)), now);
    let rows: Vec<_> = domains.iter().map(|d| context! { domain => Serde(d), records => Serde(d.records()) }).collect();
    let hook_url = format!("{}/hooks/email/bounces/{}", ctx.school.base_url, settings.bounce_token);
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let html = ctx.render(
        "marketing/email/settings.html",
        context! {
            settings => Serde(&settings), domains => rows, hook_url, error, domain_input,
            plan_limit => plan.emails_per_day, today_limit => today, rates => Serde(rates),
            complaint_pct => rates.complaint_rate() * 100.0,
            bounce_pct => rates.bounce_rate() * 100.0,
        },
    )?;
    Ok((status, html).into_response())
}

/// Saves the postal address and the tracking switch.
async fn save(ctx: Ctx, Posted(pairs): Posted<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let address = value(&pairs, "postal_address").trim();
    if address.chars().count() > 500 {
        return page(&ctx, Some(ctx.t("deliverability-address-too-long")), "").await;
    }
    let tracking = value(&pairs, "tracking_enabled") == "on";
    let mut tx = ctx.tx().await?;
    settings_store::save(&mut tx, address, tracking).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/settings/email", "success", ctx.t("deliverability-saved")).into_response())
}

/// Adds a sending domain with a new DKIM key.
async fn add_domain(ctx: Ctx, Posted(pairs): Posted<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let domain = value(&pairs, "domain").trim().trim_end_matches('.').to_ascii_lowercase();
    if !dkim::valid_domain(&domain) {
        return page(&ctx, Some(ctx.t("deliverability-domain-invalid")), &domain).await;
    }
    let mut tx = ctx.tx().await?;
    let added = dkim::add(&ctx.state, &mut tx, &domain).await.map_err(AppError::from)?;
    tx.commit().await?;
    if added.is_none() {
        return page(&ctx, Some(ctx.t("deliverability-domain-taken")), &domain).await;
    }
    Ok(ctx.redirect_with("/admin/settings/email", "success", ctx.t("deliverability-domain-added")).into_response())
}

fn domain_id(id: &str) -> AppResult<uuid::Uuid> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// Looks the domain's records up.
async fn check_domain(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let id = domain_id(&id)?;
    let mut tx = ctx.tx().await?;
    let checked = dkim::check(&ctx.state, &mut tx, id).await.map_err(AppError::from)?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let all = [&checked.dkim_status, &checked.spf_status, &checked.dmarc_status]
        .iter()
        .all(|s| s.as_deref() == Some("found"));
    let (kind, key) =
        if all { ("success", "deliverability-check-ok") } else { ("error", "deliverability-check-problems") };
    Ok(ctx.redirect_with("/admin/settings/email", kind, ctx.t(key)).into_response())
}

/// Removes a sending domain and its key.
async fn remove_domain(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let id = domain_id(&id)?;
    let mut tx = ctx.tx().await?;
    if !dkim::remove(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/settings/email", "success", ctx.t("deliverability-domain-removed")).into_response())
}

/// Staff lift the hold after fixing the list (the rates count afresh from now).
async fn lift_hold(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageSettings)?;
    let mut tx = ctx.tx().await?;
    settings_store::lift_hold(&mut tx, ctx.state.clock.now()).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/settings/email", "success", ctx.t("deliverability-hold-lifted")).into_response())
}

/// The suppression list.
async fn suppressions(ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let search = q.get("q").map(|s| s.trim().to_string()).unwrap_or_default();
    let mut tx = ctx.tx().await?;
    let rows = suppression::list(&mut tx, Some(&search), 500).await?;
    let counts = suppression::counts(&mut tx).await?;
    tx.commit().await?;
    let html = ctx.render(
        "marketing/email/suppressions.html",
        context! { rows => Serde(rows), counts => Serde(counts), search },
    )?;
    Ok(html.into_response())
}

/// Adds an address by hand.
async fn add_suppression(ctx: Ctx, Posted(pairs): Posted<Vec<(String, String)>>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?;
    let email = value(&pairs, "email").trim().to_ascii_lowercase();
    let ok = email.len() <= 254 && email.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
    if !ok {
        return Ok(ctx
            .redirect_with("/admin/settings/email/suppressions", "error", ctx.t("deliverability-suppress-invalid"))
            .into_response());
    }
    let by = format!("added by {}", user.email);
    let mut tx = ctx.tx().await?;
    suppression::suppress(&mut tx, &email, "manual", &by).await?;
    tx.commit().await?;
    Ok(ctx
        .redirect_with("/admin/settings/email/suppressions", "success", ctx.t("deliverability-suppress-added"))
        .into_response())
}

/// Removes a manual entry.
async fn remove_suppression(ctx: Ctx, Posted(pairs): Posted<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let mut tx = ctx.tx().await?;
    let removed = suppression::unsuppress(&mut tx, value(&pairs, "email")).await?;
    tx.commit().await?;
    let (kind, key) = if removed {
        ("success", "deliverability-suppress-removed")
    } else {
        ("error", "deliverability-suppress-kept")
    };
    Ok(ctx.redirect_with("/admin/settings/email/suppressions", kind, ctx.t(key)).into_response())
}

/// The list as CSV.
async fn export(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let mut tx = ctx.tx().await?;
    let rows = suppression::list(&mut tx, None, i64::MAX).await?;
    tx.commit().await?;
    let mut body = kernel::csv::row(&["email", "reason", "detail", "added_at"]);
    for r in &rows {
        body.push_str(&kernel::csv::row(&[&r.email, &r.reason, &r.detail, &r.created_at.to_rfc3339()]));
    }
    let day = ctx.state.clock.now().format("%Y-%m-%d");
    let file = format!("attachment; filename=\"suppressions-{day}.csv\"");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, file)], body)
        .into_response())
}

/// Visits an SNS subscription's confirmation address (already checked to be Amazon's).
async fn confirm_sns(url: &str) -> AppResult<Response> {
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| AppError::Internal(e.into()))?;
    match client.get(url).send().await {
        Ok(res) if res.status().is_success() => Ok((StatusCode::OK, "subscription confirmed").into_response()),
        Ok(res) => {
            tracing::warn!(status = %res.status(), "SNS subscription confirmation refused");
            Ok((StatusCode::BAD_GATEWAY, "Amazon SNS refused the confirmation").into_response())
        }
        Err(e) => {
            tracing::warn!(error = %e, "SNS subscription confirmation failed");
            Ok((StatusCode::BAD_GATEWAY, "Amazon SNS could not be reached").into_response())
        }
    }
}

/// `POST /hooks/email/bounces/{token}`: a DSN, an ARF report, a Postmark webhook, or an Amazon
/// SES notification through SNS.
async fn hook(ctx: Ctx, Path(token): Path<String>, body: Bytes) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let settings = settings_store::settings(&mut tx).await?;
    if settings.bounce_token.is_empty() || !constant_eq(&settings.bounce_token, &token) {
        return Err(AppError::NotFound);
    }
    let report = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(json) => match bounces::parse_postmark(&json) {
            Some(report) => Some(report),
            None => match ses::parse(&json) {
                Some(ses::Ses::Report(report)) => Some(report),
                Some(ses::Ses::Confirm(url)) => {
                    tx.commit().await?;
                    return confirm_sns(&url).await;
                }
                Some(ses::Ses::BadConfirm) => {
                    return Ok((StatusCode::BAD_REQUEST, "the subscription address is not Amazon SNS").into_response());
                }
                Some(ses::Ses::Ignored) => return Ok((StatusCode::OK, "ignored").into_response()),
                None => None,
            },
        },
        Err(_) => bounces::parse_mime(&body),
    };
    let Some(report) = report else {
        tracing::info!(tenant = %ctx.school.id, "email report not understood");
        return Ok((StatusCode::BAD_REQUEST, "not a DSN, ARF report or known webhook").into_response());
    };
    let outcome = bounces::apply(&ctx.state, &mut tx, &report).await.map_err(AppError::from)?;
    tx.commit().await?;
    let status = if outcome == bounces::Outcome::Recorded { StatusCode::OK } else { StatusCode::ACCEPTED };
    Ok((status, [("content-type", "application/json")], format!("{{\"recorded\":{}}}", status == StatusCode::OK))
        .into_response())
}
