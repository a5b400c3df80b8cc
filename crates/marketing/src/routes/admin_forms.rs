//! `/admin/forms`: the school's opt-in forms with how they convert, the form editor (fields,
//! consent, double opt-in, tags, lead magnet, thank-you step), archiving, and the embed panel.

use axum::{
    extract::Path,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, secret::random_token, web::Form as Posted};
use minijinja::{context, value::Serde};

use crate::{
    forms::{self, Draft, Problems},
    forms_store,
    model::{Form, FormId},
    store,
};

/// The list.
pub async fn list(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let mut tx = ctx.tx().await?;
    let all = store::forms(&mut tx).await?;
    let stats = forms_store::stats(&mut tx).await?;
    tx.commit().await?;
    let rows: Vec<_> = all
        .iter()
        .map(|f| {
            let s = stats.iter().find(|s| s.id == f.id);
            let (n, ok) = s.map_or((0, 0), |s| (s.submissions, s.confirmed));
            context! { form => Serde(f), submissions => n, confirmed => ok,
            magnet => f.lead_magnet.get("kind").and_then(|k| k.as_str()).unwrap_or("none") }
        })
        .collect();
    Ok(ctx.render("marketing/admin/forms.html", context! { rows })?.into_response())
}

/// The editor for a new form.
pub async fn new(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    editor(&ctx, None, &Draft::blank(), &Problems::new()).await
}

async fn editor(ctx: &Ctx, form: Option<&Form>, draft: &Draft, problems: &Problems) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let selected: Vec<media::MediaId> = draft.magnet_media_id.parse().ok().into_iter().collect();
    let files = media::picker::options(&mut tx, media::picker::PickKind::File, &selected).await?;
    let courses: Vec<_> =
        courses::store::courses(&mut tx).await?.into_iter().map(|c| (c.id.to_string(), c.title)).collect();
    let pages: Vec<_> = store::pages(&mut tx)
        .await?
        .into_iter()
        .filter(|p| p.published_version.is_some() && p.archived_at.is_none())
        .map(|p| (p.id.to_string(), p.title))
        .collect();
    tx.commit().await?;
    let errors: std::collections::BTreeMap<&str, String> =
        problems.iter().map(|(k, v)| (k.as_str(), ctx.t(v))).collect();
    let status =
        if problems.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let base = ctx.school.base_url.clone();
    let html = ctx.render(
        "marketing/admin/form.html",
        context! {
            form => Serde(form), draft => Serde(draft), errors => Serde(errors), files => Serde(files),
            courses => Serde(courses), pages => Serde(pages), kinds => Serde(forms::KINDS), base,
        },
    )?;
    Ok((status, html).into_response())
}

/// Saves a new form and opens it.
pub async fn create(ctx: Ctx, Posted(pairs): Posted<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let (draft, mut problems) = Draft::parse(&pairs);
    let mut tx = ctx.tx().await?;
    draft.check_refs(&mut tx, &mut problems).await?;
    if !problems.is_empty() {
        drop(tx);
        return editor(&ctx, None, &draft, &problems).await;
    }
    let id = FormId::new();
    forms_store::insert(&mut tx, id, &draft, &random_token(18)).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(&format!("/admin/forms/{id}"), "success", ctx.t("forms-created")).into_response())
}

async fn load(ctx: &Ctx, id: &str) -> AppResult<Form> {
    let id: FormId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let form = store::form(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(form)
}

/// A form's editor and embed panel.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let form = load(&ctx, &id).await?;
    editor(&ctx, Some(&form), &Draft::of(&form), &Problems::new()).await
}

/// Saves a form.
pub async fn update(
    ctx: Ctx,
    Path(id): Path<String>,
    Posted(pairs): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let form = load(&ctx, &id).await?;
    let (draft, mut problems) = Draft::parse(&pairs);
    let mut tx = ctx.tx().await?;
    draft.check_refs(&mut tx, &mut problems).await?;
    if !problems.is_empty() {
        drop(tx);
        return editor(&ctx, Some(&form), &draft, &problems).await;
    }
    forms_store::update(&mut tx, form.id, &draft).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(&format!("/admin/forms/{}", form.id), "success", ctx.t("forms-saved")).into_response())
}

/// Puts a form away (it stops taking submissions) or brings it back.
pub async fn archive(ctx: Ctx, Path((id, action)): Path<(String, String)>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let form = load(&ctx, &id).await?;
    let (at, key) = match action.as_str() {
        "archive" => (Some(ctx.state.clock.now()), "forms-archived"),
        "restore" => (None, "forms-restored"),
        _ => return Err(AppError::NotFound),
    };
    let mut tx = ctx.tx().await?;
    forms_store::set_archived(&mut tx, form.id, at).await?;
    tx.commit().await?;
    let msg = ctx.t_args(key, &[("name", form.name.clone().into())]);
    Ok(ctx.redirect_with("/admin/forms", "success", msg).into_response())
}
