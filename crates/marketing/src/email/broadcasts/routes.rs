//! `/admin/broadcasts`: the list, a new draft, a broadcast's page with its progress and report,
//! cancelling and resending to non-openers (the editor and confirmation: [`super::routes_edit`]).

use axum::{
    Router,
    extract::Path,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, AppState, web::Form as Posted};
use minijinja::{context, value::Serde};

use super::{Broadcast, BroadcastId, grouped, store};
use crate::email::content;

/// The routes of broadcasts.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/broadcasts", get(list).post(create))
        .route("/admin/broadcasts/new", get(new))
        .route("/admin/broadcasts/segment-count", get(super::routes_edit::segment_count))
        .route("/admin/broadcasts/segment-rule", get(super::routes_edit::segment_rule))
        .route("/admin/broadcasts/{id}", get(show))
        .route("/admin/broadcasts/{id}/edit", get(super::routes_edit::edit).post(super::routes_edit::save))
        .route("/admin/broadcasts/{id}/confirm", get(super::routes_edit::confirm))
        .route("/admin/broadcasts/{id}/send", post(super::routes_edit::send))
        .route("/admin/broadcasts/{id}/cancel", post(cancel))
        .route("/admin/broadcasts/{id}/resend", post(resend))
}

/// A rate in whole percent of `n` over `of`, `None` when nothing was sent.
fn rate(n: i64, of: i64) -> Option<i64> {
    (of > 0).then(|| (n * 100 + of / 2) / of)
}

fn row(l: &store::Listed, locale: kernel::i18n::Locale) -> minijinja::Value {
    let b = &l.broadcast;
    context! {
        b => Serde(b), total => grouped(l.total, locale), sent => grouped(l.sent, locale),
        sent_n => l.sent, total_n => l.total, queued => l.queued,
        open_rate => rate(l.opened, l.sent), click_rate => rate(l.clicked, l.sent),
        progress => rate(l.sent, l.total).unwrap_or(0),
    }
}

/// The list.
pub async fn list(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let mut tx = ctx.tx().await?;
    let all = store::list(&mut tx, None, 200).await?;
    tx.commit().await?;
    let rows: Vec<_> = all.iter().map(|l| row(l, ctx.shell.locale)).collect();
    Ok(ctx.render("marketing/email/broadcasts.html", context! { rows })?.into_response())
}

/// The first step of a new broadcast: its name and subject.
pub async fn new(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let html = ctx
        .render("marketing/email/broadcast_new.html", context! { name => "", subject => "", errors => context! {} })?;
    Ok(html.into_response())
}

/// Makes a draft with a blank email and opens it.
pub async fn create(ctx: Ctx, Posted(pairs): Posted<Vec<(String, String)>>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?;
    let by = Some(user.id.0);
    let field = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let (name, subject) = (field("name"), field("subject"));
    let mut errors = std::collections::BTreeMap::new();
    if name.is_empty() || name.chars().count() > 200 {
        errors.insert("name", ctx.t("broadcasts-error-name"));
    }
    if subject.is_empty() || subject.chars().count() > 300 {
        errors.insert("subject", ctx.t("broadcasts-error-subject"));
    }
    if !errors.is_empty() {
        let html =
            ctx.render("marketing/email/broadcast_new.html", context! { name, subject, errors => Serde(errors) })?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let mut tx = ctx.tx().await?;
    let doc = serde_json::json!({ "blocks": [] });
    let email = content::create(&mut tx, &name, &subject, doc, by).await?;
    let id = store::insert(&mut tx, email, &name, None, None, by).await?;
    tx.commit().await?;
    Ok(ctx
        .redirect_with(&format!("/admin/broadcasts/{id}/edit"), "success", ctx.t("broadcasts-created"))
        .into_response())
}

/// The broadcast of the path, or 404.
pub(super) async fn load(ctx: &Ctx, id: &str) -> AppResult<Broadcast> {
    let id: BroadcastId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let b = store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(b)
}

/// A broadcast's page: status, progress and the report.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let b = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let listed = store::listed(&mut tx, b.id).await?.ok_or(AppError::NotFound)?;
    let email = content::find(&mut tx, b.email_id).await?;
    let parent = match b.parent_id {
        Some(p) => store::find(&mut tx, p).await?,
        None => None,
    };
    tx.commit().await?;
    let subject = b.subject.clone().or_else(|| email.as_ref().map(|e| e.subject.clone())).unwrap_or_default();
    let html = ctx.render(
        "marketing/email/broadcast_show.html",
        context! { row => row(&listed, ctx.shell.locale), subject, parent => Serde(parent) },
    )?;
    Ok(html.into_response())
}

/// Cancels a scheduled or running send.
pub async fn cancel(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let b = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let done = super::cancel(&ctx.state, &mut tx, b.id).await?;
    tx.commit().await?;
    let to = format!("/admin/broadcasts/{}", b.id);
    Ok(match done {
        Some(_) => ctx.redirect_with(&to, "success", ctx.t("broadcasts-cancelled")),
        None => ctx.redirect_with(&to, "error", ctx.t("broadcasts-cannot-cancel")),
    }
    .into_response())
}

/// Makes a resend of a sent broadcast to those who did not open it, with a new subject.
pub async fn resend(
    ctx: Ctx,
    Path(id): Path<String>,
    Posted(pairs): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?;
    let by = Some(user.id.0);
    let b = load(&ctx, &id).await?;
    if !matches!(b.status.as_str(), "sending" | "sent") || b.parent_id.is_some() {
        return Ok(ctx
            .redirect_with(&format!("/admin/broadcasts/{}", b.id), "error", ctx.t("broadcasts-cannot-resend"))
            .into_response());
    }
    let field = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut tx = ctx.tx().await?;
    let email = content::find(&mut tx, b.email_id).await?.ok_or(AppError::NotFound)?;
    let subject = Some(field("subject")).filter(|s| !s.is_empty() && s.chars().count() <= 300).unwrap_or(email.subject);
    let name = ctx.t_args("broadcasts-resend-name", &[("name", b.name.clone().into())]);
    let name: String = name.chars().take(200).collect();
    let id = store::insert(&mut tx, b.email_id, &name, Some(b.id), Some(&subject), by).await?;
    tx.commit().await?;
    Ok(ctx
        .redirect_with(&format!("/admin/broadcasts/{id}/edit"), "success", ctx.t("broadcasts-resend-made"))
        .into_response())
}
