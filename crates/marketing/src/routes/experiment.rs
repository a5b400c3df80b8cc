//! `/admin/pages/{id}/experiment`: the page's A/B test — start it (variant B starts as a copy
//! of the published version), edit variant B's texts and the goal, and end it keeping a winner.

use std::collections::BTreeMap;

use axum::{
    Router,
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, AppState, web::Form};
use minijinja::{context, value::Serde};

use crate::{
    Page,
    experiments::{self, ExperimentError},
    funnel_store,
    routes::admin_pages::{load, page_error},
    sections::Problems,
};

/// The experiment routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/pages/{id}/experiment", get(show).post(save))
        .route("/admin/pages/{id}/experiment/start", post(start))
        .route("/admin/pages/{id}/experiment/end", post(end))
}

fn refused(e: ExperimentError) -> AppError {
    match e {
        ExperimentError::Page(e) => page_error(e),
        ExperimentError::Db(e) => e.into(),
        other => AppError::Conflict(other.to_string()),
    }
}

async fn render(
    ctx: &Ctx,
    page: &Page,
    typed: Option<&BTreeMap<String, String>>,
    problems: &Problems,
) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let test = funnel_store::running(&mut tx, page.id).await?;
    let results = match &test {
        Some(t) => Some(experiments::results(&ctx.state, &mut tx, t).await?),
        None => None,
    };
    tx.commit().await?;
    let mut texts = test.as_ref().map(|t| experiments::editable(&t.variant_b)).unwrap_or_default();
    if let Some(typed) = typed {
        for t in &mut texts {
            if let Some(v) = typed.get(&t.name) {
                t.value.clone_from(v);
            }
        }
    }
    let errors: BTreeMap<&str, String> = problems.iter().map(|(k, v)| (k.as_str(), ctx.t(v))).collect();
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = ctx.render(
        "marketing/admin/experiment.html",
        context! {
            page => Serde(page), test => Serde(&test), texts => Serde(&texts), results => Serde(&results),
            errors => Serde(errors), published => page.published_version.is_some(),
        },
    )?;
    Ok((status, html).into_response())
}

/// The test's page.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    render(&ctx, &page, None, &Problems::new()).await
}

/// Starts a test.
pub async fn start(ctx: Ctx, Path(id): Path<String>, Form(f): Form<BTreeMap<String, String>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let goal = f.get("goal").map_or("optin", String::as_str);
    match experiments::start(&ctx.state, &mut tx, page.id, goal).await {
        Ok(_) => {
            tx.commit().await?;
            let to = format!("/admin/pages/{}/experiment", page.id);
            Ok(ctx.redirect_with(&to, "success", ctx.t("funnel-test-started")).into_response())
        }
        Err(ExperimentError::NotPublished) => {
            let to = format!("/admin/pages/{}/experiment", page.id);
            Ok(ctx.redirect_with(&to, "error", ctx.t("funnel-test-not-published")).into_response())
        }
        Err(ExperimentError::AlreadyRunning) => {
            Ok(axum::response::Redirect::to(&format!("/admin/pages/{}/experiment", page.id)).into_response())
        }
        Err(e) => Err(refused(e)),
    }
}

/// Saves variant B's texts and the goal.
pub async fn save(ctx: Ctx, Path(id): Path<String>, Form(f): Form<BTreeMap<String, String>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let page = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let test = funnel_store::running(&mut tx, page.id).await?.ok_or(AppError::NotFound)?;
    let goal = f.get("goal").map_or(test.goal.as_str(), String::as_str).to_string();
    match experiments::save_b(&ctx.state, &mut tx, &test, &f, &goal).await.map_err(refused)? {
        Ok(()) => {
            tx.commit().await?;
            let to = format!("/admin/pages/{}/experiment", page.id);
            Ok(ctx.redirect_with(&to, "success", ctx.t("funnel-variant-saved")).into_response())
        }
        Err(problems) => {
            drop(tx);
            render(&ctx, &page, Some(&f), &problems).await
        }
    }
}

/// Ends the test keeping the chosen winner, and publishes it.
pub async fn end(ctx: Ctx, Path(id): Path<String>, Form(f): Form<BTreeMap<String, String>>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let page = load(&ctx, &id).await?;
    let winner = f.get("winner").map_or("a", String::as_str);
    let mut tx = ctx.tx().await?;
    experiments::end(&ctx.state, &mut tx, page.id, winner, Some(user.0)).await.map_err(refused)?;
    tx.commit().await?;
    let msg = ctx.t(if winner == "b" { "funnel-test-ended-b" } else { "funnel-test-ended-a" });
    Ok(ctx.redirect_with(&format!("/admin/pages/{}/stats", page.id), "success", msg).into_response())
}
