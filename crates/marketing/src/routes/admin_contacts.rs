//! `/admin/contacts`: the school's leads and customers in one list, searched, filtered, sorted
//! and paged; a tag added to or taken off the selected contacts or every one matching; and
//! `/admin/contacts.csv`, the filtered list as a spreadsheet.

use axum::{
    extract::Query,
    http::header,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppResult, web::Form};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use crate::{
    contacts,
    contacts_store::{self as cs, Filter, SORTS, SOURCES, STATUSES},
    model::ContactId,
    store,
};

/// Contacts per page.
const PER_PAGE: i64 = 50;

/// `?page=N`.
#[derive(Debug, Default, Deserialize)]
pub struct PageNo {
    #[serde(default)]
    page: String,
}

/// The list.
pub async fn list(ctx: Ctx, Query(f): Query<Filter>, Query(p): Query<PageNo>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let f = f.cleaned();
    let mut tx = ctx.tx().await?;
    let counts = cs::counts(&mut tx).await?;
    let page = p.page.parse::<i64>().unwrap_or(1).max(1);
    let (rows, total) = cs::list(&mut tx, &f, (page - 1) * PER_PAGE, PER_PAGE).await?;
    let tags = cs::tag_names(&mut tx).await?;
    let forms = store::forms(&mut tx).await?;
    tx.commit().await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let query = f.query();
    let href = if query.is_empty() { "/admin/contacts?".to_string() } else { format!("/admin/contacts?{query}&") };
    let forms: Vec<_> = forms.iter().map(|f| context! { id => f.id.to_string(), name => f.name.clone() }).collect();
    let html = ctx.render(
        "marketing/admin/contacts.html",
        context! {
            rows => Serde(&rows), total, counts => Serde(&counts), filter => Serde(&f), narrowed => f.narrows(),
            page, pages, href, query, tags, forms, statuses => STATUSES.to_vec(), sources => SOURCES.to_vec(), sorts => SORTS.to_vec(),
        },
    )?;
    Ok(html.into_response())
}

/// Adds a tag to, or takes it off, the ticked contacts (`scope=selected`, `id` repeated) or
/// every contact the list's filter matches (`scope=all`).
pub async fn bulk(ctx: Ctx, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let get =
        |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let filter = Filter {
        q: get("q"),
        tag: get("tag"),
        status: get("status"),
        kind: get("kind"),
        source: get("source"),
        form: get("form"),
        sort: get("sort"),
    }
    .cleaned();
    let back = match filter.query() {
        q if q.is_empty() => "/admin/contacts".to_string(),
        q => format!("/admin/contacts?{q}"),
    };
    let name: String = get("bulk_tag").chars().take(60).collect();
    if name.is_empty() {
        return Ok(ctx.redirect_with(&back, "error", ctx.t("contacts-bulk-no-tag")).into_response());
    }
    let mut tx = ctx.tx().await?;
    let ids: Vec<ContactId> = if get("scope") == "all" {
        cs::matching_ids(&mut tx, &filter).await?
    } else {
        fields.iter().filter(|(k, _)| k == "id").filter_map(|(_, v)| v.parse().ok()).collect()
    };
    if ids.is_empty() {
        return Ok(ctx.redirect_with(&back, "error", ctx.t("contacts-bulk-none")).into_response());
    }
    let remove = get("action") == "remove";
    let mut changed = 0usize;
    for id in &ids {
        // Ids from the form are checked against the school: a stranger's id changes nothing.
        if store::contact(&mut tx, *id).await?.is_none() {
            continue;
        }
        let names = [name.clone()];
        let n = if remove {
            contacts::untag(&mut tx, *id, &names).await?.len()
        } else {
            contacts::tag(&ctx.state, &mut tx, *id, &names).await?.len()
        };
        changed += n;
    }
    tx.commit().await?;
    let key = if remove { "contacts-bulk-removed" } else { "contacts-bulk-added" };
    let msg = ctx.t_args(key, &[("count", (changed as i64).into()), ("tag", name.as_str().into())]);
    Ok(ctx.redirect_with(&back, "success", msg).into_response())
}

/// The filtered list as CSV.
pub async fn export(ctx: Ctx, Query(f): Query<Filter>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let f = f.cleaned();
    let mut body = kernel::csv::row(&[
        "email",
        "first_name",
        "last_name",
        "status",
        "customer",
        "tags",
        "source",
        "fields",
        "created_at",
    ]);
    let mut tx = ctx.tx().await?;
    let mut offset = 0;
    loop {
        let (rows, _) = cs::list(&mut tx, &f, offset, 1000).await?;
        for r in &rows {
            let c = &r.contact;
            let status = if c.suppressed_at.is_some() { "suppressed" } else { c.status.as_str() };
            body.push_str(&kernel::csv::row(&[
                c.email.as_str(),
                c.first_name.as_str(),
                c.last_name.as_str(),
                status,
                if c.is_customer { "yes" } else { "no" },
                r.tags.join(", ").as_str(),
                c.source["kind"].as_str().unwrap_or_default(),
                if c.fields.as_object().is_some_and(|o| !o.is_empty()) { c.fields.to_string() } else { String::new() }
                    .as_str(),
                c.created_at.to_rfc3339().as_str(),
            ]));
        }
        if rows.len() < 1000 {
            break;
        }
        offset += 1000;
    }
    tx.commit().await?;
    let day = ctx.state.clock.now().format("%Y-%m-%d");
    let file = format!("attachment; filename=\"contacts-{day}.csv\"");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, file)], body)
        .into_response())
}
