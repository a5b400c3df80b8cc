//! `/admin/contacts/{id}`: one contact's details and custom fields (editable), tags (added and
//! taken off in place with htmx), source, consent record, purchases, course progress and
//! activity; staff unsubscribing or resubscribing them; and erasing them.

use axum::{
    extract::Path,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, ids::UserId, web::Form};
use minijinja::{context, value::Serde};
use serde_json::{Map, Value};

use crate::{
    contacts,
    contacts_store::{self as cs, Row},
    model::ContactId,
    store,
};

async fn load(ctx: &Ctx, id: &str) -> AppResult<Row> {
    let id: ContactId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let row = cs::row(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

fn htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

/// The contact's page.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let row = load(&ctx, &id).await?;
    page(&ctx, &row, None, StatusCode::OK).await
}

async fn page(ctx: &Ctx, row: &Row, error: Option<String>, status: StatusCode) -> AppResult<Response> {
    let c = &row.contact;
    let mut tx = ctx.tx().await?;
    let activity = cs::activity(&mut tx, c.id).await?;
    let all_tags = cs::tag_names(&mut tx).await?;
    let form = match c.source["form_id"].as_str().and_then(|s| s.parse().ok()) {
        Some(id) => store::form(&mut tx, id).await?.map(|f| f.name),
        None => None,
    };
    let courses = match c.user_id {
        Some(user) => match identity::store::find(&mut tx, UserId(user)).await? {
            Some(account) => courses::dashboard::load(&mut tx, &account, ctx.state.clock.now()).await?.courses,
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    tx.commit().await?;
    let purchases: Vec<_> = activity.iter().filter(|a| a.kind == "purchase" || a.kind == "refund").collect();
    let utm: Vec<(String, String)> = c
        .source
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| k.starts_with("utm_") || k.as_str() == "lp")
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let fields: Vec<(String, String)> = c
        .fields
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), String::from))).collect())
        .unwrap_or_default();
    let html = ctx.render(
        "marketing/admin/contact.html",
        context! {
            row => Serde(row), c => Serde(c), activity => Serde(&activity), purchases => Serde(&purchases),
            courses => Serde(&courses), all_tags, form, utm, fields, error,
        },
    )?;
    Ok((status, html).into_response())
}

/// Saves the name and custom fields (`field.{key}` inputs; a blank value removes the field;
/// `new_key`/`new_value` add one).
pub async fn save(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let row = load(&ctx, &id).await?;
    let get = |name: &str| f.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let (first, last) = (get("first_name"), get("last_name"));
    if first.chars().count() > 100 || last.chars().count() > 100 {
        return page(&ctx, &row, Some(ctx.t("contacts-name-too-long")), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let mut fields = Map::new();
    for (k, v) in &f {
        if let Some(key) = k.strip_prefix("field.") {
            let v = v.trim();
            if !v.is_empty() {
                fields.insert(key.to_string(), Value::String(v.chars().take(500).collect()));
            }
        }
    }
    let new_key = crate::contacts_import::field_key(&get("new_key"));
    let new_value = get("new_value");
    if !new_key.is_empty() && !new_value.is_empty() {
        fields.insert(new_key, Value::String(new_value.chars().take(500).collect()));
    }
    let mut tx = ctx.tx().await?;
    cs::set_details(&mut tx, row.contact.id, &first, &last, &Value::Object(fields)).await?;
    tx.commit().await?;
    let to = format!("/admin/contacts/{}", row.contact.id);
    Ok(ctx.redirect_with(&to, "success", ctx.t("contacts-saved")).into_response())
}

/// Adds (`/tags`) or takes off (`/tags/remove`) a tag; htmx gets the tags' fragment back.
pub async fn tags(
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    change_tags(ctx, headers, id, f, false).await
}

/// Takes a tag off.
pub async fn untag(
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    change_tags(ctx, headers, id, f, true).await
}

async fn change_tags(
    ctx: Ctx,
    headers: HeaderMap,
    id: String,
    f: Vec<(String, String)>,
    remove: bool,
) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let row = load(&ctx, &id).await?;
    let name: String =
        f.iter().find(|(k, _)| k == "tag").map(|(_, v)| v.trim().chars().take(60).collect()).unwrap_or_default();
    let mut tx = ctx.tx().await?;
    if !name.is_empty() {
        if remove {
            contacts::untag(&mut tx, row.contact.id, &[name]).await?;
        } else {
            contacts::tag(&ctx.state, &mut tx, row.contact.id, &[name]).await?;
        }
    }
    let row = cs::row(&mut tx, row.contact.id).await?.ok_or(AppError::NotFound)?;
    let all_tags = cs::tag_names(&mut tx).await?;
    tx.commit().await?;
    if htmx(&headers) {
        let html = ctx.render("marketing/admin/contacts_tags.html", context! { row => Serde(&row), all_tags })?;
        return Ok(html.into_response());
    }
    let to = format!("/admin/contacts/{}", row.contact.id);
    Ok(ctx.redirect_with(&to, "success", ctx.t("contacts-tags-saved")).into_response())
}

/// Staff turn marketing email off for the contact.
pub async fn unsubscribe(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_status(ctx, id, "unsubscribed").await
}

/// Staff turn it back on (the contact asked them to).
pub async fn resubscribe(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_status(ctx, id, "subscribed").await
}

async fn set_status(ctx: Ctx, id: String, status: &'static str) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageMarketing)?.id;
    let row = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    contacts::set_status(&ctx.state, &mut tx, &row.contact, status, Some(user.0)).await?;
    tx.commit().await?;
    let to = format!("/admin/contacts/{}", row.contact.id);
    Ok(ctx.redirect_with(&to, "success", ctx.t(&format!("contacts-now-{status}"))).into_response())
}

/// Erases the contact and their personal data.
pub async fn erase(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let row = load(&ctx, &id).await?;
    let mut tx = ctx.tx().await?;
    contacts::erase(&ctx.state, &mut tx, row.contact.id).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with("/admin/contacts", "success", ctx.t("contacts-erased")).into_response())
}
