//! Staff pages: the report fragments the broadcast and automation pages embed (htmx), and
//! `/admin/emails/topics` (topics for the preference centre, and the attribution window).

use axum::{
    Router,
    extract::Path,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, web::Form};
use minijinja::{context, value::Serde};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    preferences,
    report::{self, Scope},
};

/// The routes.
pub fn router() -> Router<kernel::AppState> {
    Router::new()
        .route("/admin/broadcasts/{id}/report", get(broadcast_report))
        .route("/admin/automations/{id}/report", get(automation_report))
        .route("/admin/emails/topics", get(topics).post(add_topic))
        .route("/admin/emails/topics/attribution", post(set_attribution))
        .route("/admin/emails/topics/{key}/delete", post(remove_topic))
}

async fn render_report(ctx: &Ctx, scope: Scope) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let r = report::report(&mut tx, scope).await?;
    tx.commit().await?;
    if !r.exists {
        return Err(AppError::NotFound);
    }
    let t = &r.totals;
    let rates = context! {
        opens => t.rate(t.opens), machine => t.rate(t.machine_opens), clicks => t.rate(t.clicks),
        unsubscribes => t.rate(t.unsubscribes), bounces => if t.sent == 0 { 0.0 } else {
            (t.bounces as f64 * 1000.0 / t.sent as f64).round() / 10.0 },
        complaints => t.rate(t.complaints),
    };
    let steps: Vec<_> = r
        .steps
        .iter()
        .map(|s| {
            let t = &s.totals;
            context! { step => Serde(s), opens => t.rate(t.opens), clicks => t.rate(t.clicks) }
        })
        .collect();
    let currency = r.revenue.first().map_or_else(String::new, |(c, _)| c.clone());
    let html = ctx.render(
        "marketing/email/report.html",
        context! {
            report => Serde(&r), rates, steps, currency, bars => Serde(report::bars(&r.hours)),
            automation => matches!(scope, Scope::Automation(_)),
        },
    )?;
    Ok(html.into_response())
}

/// `GET /admin/broadcasts/{id}/report`.
pub async fn broadcast_report(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    render_report(&ctx, Scope::Broadcast(id)).await
}

/// `GET /admin/automations/{id}/report`.
pub async fn automation_report(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    render_report(&ctx, Scope::Automation(id)).await
}

/// The topics page.
pub async fn topics(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let mut tx = ctx.tx().await?;
    let all = preferences::topics(&mut tx).await?;
    let days = preferences::attribution_days(&mut tx).await?;
    tx.commit().await?;
    Ok(ctx.render("marketing/email/tracking_topics.html", context! { topics => Serde(all), days })?.into_response())
}

/// A new topic.
#[derive(Debug, Deserialize)]
pub struct NewTopic {
    name: String,
    #[serde(default)]
    description: String,
}

/// Adds a topic.
pub async fn add_topic(ctx: Ctx, Form(f): Form<NewTopic>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    if f.name.trim().is_empty() || f.name.chars().count() > 100 || f.description.chars().count() > 300 {
        return Ok(ctx.redirect_with("/admin/emails/topics", "error", ctx.t("tracking-topic-invalid")).into_response());
    }
    let mut tx = ctx.tx().await?;
    let made = preferences::add_topic(&mut tx, &f.name, &f.description).await?;
    tx.commit().await?;
    let (kind, key) =
        if made.is_some() { ("success", "tracking-topic-added") } else { ("error", "tracking-topic-taken") };
    Ok(ctx.redirect_with("/admin/emails/topics", kind, ctx.t(key)).into_response())
}

/// Removes a topic.
pub async fn remove_topic(ctx: Ctx, Path(key): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let mut tx = ctx.tx().await?;
    let gone = preferences::remove_topic(&mut tx, &key).await?;
    tx.commit().await?;
    if !gone {
        return Err(AppError::NotFound);
    }
    Ok(ctx.redirect_with("/admin/emails/topics", "success", ctx.t("tracking-topic-removed")).into_response())
}

/// The attribution window's form.
#[derive(Debug, Deserialize)]
pub struct Attribution {
    days: String,
}

/// Sets the attribution window.
pub async fn set_attribution(ctx: Ctx, Form(f): Form<Attribution>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let Some(days) = f.days.trim().parse::<i32>().ok().filter(|d| (1..=90).contains(d)) else {
        return Ok(ctx.redirect_with("/admin/emails/topics", "error", ctx.t("tracking-days-invalid")).into_response());
    };
    let mut tx = ctx.tx().await?;
    preferences::set_attribution_days(&mut tx, days).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/emails/topics", "success", ctx.t("tracking-days-saved")).into_response())
}
