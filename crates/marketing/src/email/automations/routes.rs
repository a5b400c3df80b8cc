//! `/admin/automations`: the list with the recipes, the visual editor (the island saves JSON
//! with the revision it read; a stale save gets 409), activate and pause, and the people page
//! (each contact's path and where they are now).

use std::collections::HashMap;

use axum::{
    Router,
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult, AppState,
    web::{Form as Posted, Json},
};
use minijinja::{context, value::Serde};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    model::{self, AutomationId, Step},
    outcome, recipes, runner, store,
};
use crate::{email::content, model::ContactId, store as mstore};

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/automations", get(list).post(create))
        .route("/admin/automations/recipes", post(from_recipe))
        .route("/admin/automations/{id}", get(show).put(save).post(save))
        .route("/admin/automations/{id}/activate", post(activate))
        .route("/admin/automations/{id}/pause", post(pause))
        .route("/admin/automations/{id}/people", get(people))
        .route("/admin/automations/{id}/emails", post(new_email))
}

async fn load(ctx: &Ctx, id: &str) -> AppResult<model::Automation> {
    let id: AutomationId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let a = store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(a)
}

async fn list(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let mut tx = ctx.tx().await?;
    let all = store::list(&mut tx).await?;
    let counts: HashMap<AutomationId, (i64, i64)> =
        store::counts(&mut tx).await?.into_iter().map(|(id, a, b)| (id, (a, b))).collect();
    let forms: Vec<(String, String)> = mstore::forms(&mut tx)
        .await?
        .into_iter()
        .filter(|f| f.archived_at.is_none())
        .map(|f| (f.id.to_string(), f.name))
        .collect();
    tx.commit().await?;
    let rows: Vec<_> = all
        .iter()
        .map(|a| {
            let (active, done) = counts.get(&a.id).copied().unwrap_or_default();
            let trigger = a.trigger["kind"].as_str().unwrap_or("manual").to_string();
            context! { a => Serde(a), active, done, trigger }
        })
        .collect();
    let recipes = recipes::RECIPES;
    Ok(ctx
        .render(
            "marketing/email/automations.html",
            context! { rows, recipes => Serde(recipes), forms => Serde(forms) },
        )?
        .into_response())
}

#[derive(Deserialize)]
struct NewForm {
    #[serde(default)]
    name: String,
}

async fn create(ctx: Ctx, Posted(f): Posted<NewForm>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let name: String = f.name.trim().chars().take(200).collect();
    let name = if name.is_empty() { ctx.t("automations-untitled") } else { name };
    let mut tx = ctx.tx().await?;
    let id = store::insert(&mut tx, &name, &json!({ "kind": "form_submitted" }), &json!([]), None).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(&format!("/admin/automations/{id}"), "success", ctx.t("automations-created")).into_response())
}

#[derive(Deserialize)]
struct RecipeForm {
    recipe: String,
    #[serde(default)]
    form_id: String,
}

async fn from_recipe(ctx: Ctx, Posted(f): Posted<RecipeForm>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let mut tx = ctx.tx().await?;
    let form = match f.form_id.parse::<crate::FormId>() {
        Ok(id) => Some(mstore::form(&mut tx, id).await?.ok_or(AppError::NotFound)?),
        Err(_) => None,
    };
    let Some(id) = recipes::create(&mut tx, &f.recipe, form.as_ref().map(|f| f.id.0), Some(user.0))
        .await
        .map_err(AppError::Internal)?
    else {
        return Err(AppError::NotFound);
    };
    // A form whose lead magnet is a sequence delivers it through this automation: it takes
    // the sequence's name.
    let sequence = form
        .as_ref()
        .filter(|form| f.recipe == "lead_magnet" && form.lead_magnet["kind"].as_str() == Some("sequence"))
        .and_then(|form| form.lead_magnet["name"].as_str());
    if let Some(name) = sequence {
        store::rename(&mut tx, id, name).await?;
    }
    tx.commit().await?;
    Ok(ctx
        .redirect_with(&format!("/admin/automations/{id}"), "success", ctx.t("automations-recipe-made"))
        .into_response())
}

async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let a = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let emails: Vec<Value> = sqlx::query_as::<_, (uuid::Uuid, String, String)>(
        "select id, name, subject from emails where tenant_id = $1 order by updated_at desc limit 500",
    )
    .bind(tx.tenant())
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|(id, name, subject)| json!({ "id": id, "label": if name.is_empty() { subject } else { name } }))
    .collect();
    let forms: Vec<Value> =
        mstore::forms(&mut tx).await?.into_iter().map(|f| json!({ "id": f.id, "label": f.name })).collect();
    let courses: Vec<Value> = courses::store::courses(&mut tx)
        .await?
        .into_iter()
        .map(|c| json!({ "id": c.id, "label": c.title, "free": c.is_free }))
        .collect();
    let offers: Vec<Value> = commerce::catalog_store::offers(&mut tx)
        .await?
        .into_iter()
        .map(|o| json!({ "id": o.id, "label": o.name }))
        .collect();
    let tags = crate::contacts_store::tag_names(&mut tx).await?;
    let counts = store::counts(&mut tx).await?;
    tx.commit().await?;
    let (active, done) = counts.iter().find(|c| c.0 == a.id).map(|c| (c.1, c.2)).unwrap_or_default();
    let labels: HashMap<String, String> =
        LABELS.iter().map(|k| (k.to_string(), ctx.t(&format!("automations-{k}")))).collect();
    let setup = json!({
        "automation": a, "emails": emails, "forms": forms, "courses": courses, "offers": offers, "tags": tags,
        "triggers": model::TRIGGERS, "steps": model::STEPS, "labels": labels,
    });
    let tree = a.tree();
    Ok(ctx
        .render(
            "marketing/email/automation.html",
            context! { a => Serde(&a), tree => Serde(&tree), setup => setup.to_string(), active, done },
        )?
        .into_response())
}

/// Label keys the island reads (`automations-<key>`).
const LABELS: &[&str] = &[
    "trigger",
    "add-step",
    "save",
    "saved",
    "saving",
    "conflict",
    "delete-step",
    "settings",
    "yes",
    "no",
    "event-came",
    "timed-out",
    "new-email",
    "edit-email",
    "step-send_email",
    "step-wait",
    "step-if_else",
    "step-add_tag",
    "step-remove_tag",
    "step-enrol_course",
    "step-notify_staff",
    "step-webhook",
    "step-end",
    "trigger-form_submitted",
    "trigger-tag_added",
    "trigger-purchase",
    "trigger-checkout_abandoned",
    "trigger-enrolled",
    "trigger-lesson_completed",
    "trigger-course_completed",
    "trigger-quiz_failed",
    "trigger-subscription_past_due",
    "trigger-subscription_canceled",
    "trigger-no_login",
    "trigger-date_field",
    "trigger-manual",
    "f-close",
    "f-form",
    "f-any-form",
    "f-tag",
    "f-offer",
    "f-any",
    "f-course",
    "f-days",
    "f-field",
    "f-days-after",
    "f-mode",
    "f-mode-duration",
    "f-mode-weekday",
    "f-mode-event",
    "f-event",
    "f-timeout-days",
    "f-weekday",
    "f-time",
    "f-hours",
    "f-condition",
    "f-cond-has-tag",
    "f-cond-purchased",
    "f-cond-opened",
    "f-cond-clicked",
    "f-anything",
    "f-to",
    "f-message",
    "f-url",
    "wd-0",
    "wd-1",
    "wd-2",
    "wd-3",
    "wd-4",
    "wd-5",
    "wd-6",
];

/// What the editor saves.
#[derive(Deserialize)]
pub struct Save {
    revision: i32,
    #[serde(default)]
    name: Option<String>,
    trigger: Value,
    steps: Vec<Step>,
    #[serde(default)]
    allow_reentry: bool,
}

async fn save(ctx: Ctx, Path(id): Path<String>, Json(s): Json<Save>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let id: AutomationId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let a = store::find_for_update(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if s.revision != a.revision {
        let body = json!({ "message": ctx.t("automations-conflict"), "revision": a.revision });
        return Ok((StatusCode::CONFLICT, Json(body)).into_response());
    }
    let kind = s.trigger["kind"].as_str().unwrap_or_default();
    if let Err(message) = model::validate(&s.steps)
        .and_then(|()| model::TRIGGERS.contains(&kind).then_some(()).ok_or_else(|| format!("unknown trigger {kind:?}")))
    {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "message": message }))).into_response());
    }
    let name: String = s.name.unwrap_or_else(|| a.name.clone()).trim().chars().take(200).collect();
    let name = if name.is_empty() { a.name.clone() } else { name };
    let revision = store::save(
        &mut tx,
        id,
        &name,
        &s.trigger,
        &serde_json::to_value(&s.steps).unwrap_or_default(),
        s.allow_reentry,
    )
    .await?;
    // People stay where they are; a run at a deleted step moves on to what followed it.
    let old = a.tree();
    let now = ctx.state.clock.now();
    for run in store::live_runs(&mut tx, id).await? {
        let Some(at) = run.current_step.clone() else { continue };
        if model::find(&s.steps, &at).is_some() {
            continue;
        }
        let to = model::relocate(&old, &s.steps, &at);
        let outcome = match &to {
            Some(to) => format!("moved to {to}: step deleted"),
            None => "exited: step deleted".to_string(),
        };
        store::record(&mut tx, run.id, &at, "edit", &outcome, now).await?;
        let status = if to.is_some() { "active" } else { "exited" };
        let seq = store::move_run(&mut tx, run.id, to.as_deref(), status, now).await?;
        if to.is_some() {
            runner::kick(&ctx.state, &mut tx, run.id, seq, None).await?;
        }
    }
    tx.commit().await?;
    Ok(Json(json!({ "revision": revision, "saved_at": now })).into_response())
}

async fn set_status(ctx: Ctx, id: String, status: &'static str) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let a = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    store::set_status(&mut tx, a.id, status).await?;
    if status == "active" {
        runner::schedule_sweep(&mut tx).await?;
        // Runs held while it was paused go on.
        let held: Vec<(model::RunId, i32)> = sqlx::query_as(
            "select id, seq from automation_runs where tenant_id = $1 and automation_id = $2 and status = 'active'",
        )
        .bind(tx.tenant())
        .bind(a.id)
        .fetch_all(&mut *tx)
        .await?;
        for (run, seq) in held {
            runner::kick(&ctx.state, &mut tx, run, seq, None).await?;
        }
    }
    tx.commit().await?;
    let key = if status == "active" { "automations-activated" } else { "automations-paused" };
    Ok(ctx.redirect_with(&format!("/admin/automations/{}", a.id), "success", ctx.t(key)).into_response())
}

async fn activate(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_status(ctx, id, "active").await
}

async fn pause(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_status(ctx, id, "paused").await
}

async fn people(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let a = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let runs = store::runs(&mut tx, a.id, 200).await?;
    let ids: Vec<_> = runs.iter().map(|r| r.id).collect();
    let paths = store::paths(&mut tx, &ids).await?;
    let mut rows = Vec::new();
    for r in &runs {
        let contact = mstore::contact(&mut tx, ContactId(r.contact_id)).await?;
        let path: Vec<minijinja::Value> = paths
            .iter()
            .filter(|p| p.run_id == r.id)
            .map(|p| context! { step => Serde(p), label => outcome::label(ctx.shell.locale, &p.outcome) })
            .collect();
        let at_kind = r.current_step.as_deref().and_then(|s| model::find(&a.tree(), s).map(|s| s.kind.clone()));
        rows.push(context! {
            run => Serde(r), email => contact.as_ref().map(|c| c.email.clone()), path, at_kind,
        });
    }
    tx.commit().await?;
    let step_kinds =
        ["send_email", "wait", "if_else", "add_tag", "remove_tag", "enrol_course", "notify_staff", "webhook", "end"];
    Ok(ctx
        .render("marketing/email/automation_people.html", context! { a => Serde(&a), rows, step_kinds })?
        .into_response())
}

/// Makes a blank email for a send step and answers where to edit it.
async fn new_email(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let a = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    let name = format!("{} — {}", a.name, ctx.t("automations-email"));
    let doc = json!({ "blocks": [{ "kind": "text", "html": "<p></p>" }, { "kind": "footer" }] });
    let email = content::create(&mut tx, &name, "", doc, Some(user.0)).await?;
    tx.commit().await?;
    let url = format!("/admin/emails/{email}?return=/admin/automations/{}", a.id);
    Ok(Json(json!({ "id": email, "label": name, "url": url })).into_response())
}
