//! `/admin/products`: what the school sells. The list shows each product with the courses it
//! opens, its offers and its sales; a product's page edits its name, description and courses
//! (the school's own, in order) and lists its offers with their checkout links. Archiving a
//! product stops every sale of it; restoring brings it back.

use axum::{
    extract::{Path, Query},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, web::FieldErrors, web::Form};
use minijinja::{Value, context, value::Serde};
use serde::Serialize;

use super::form_status;
use crate::{
    catalog::{self, Fields},
    catalog_store as cs,
    model::{Offer, Product, ProductId},
    store,
};

/// A product as the list shows it.
#[derive(Serialize)]
struct Card {
    product: Product,
    courses: Vec<String>,
    offers: Vec<Offer>,
    sales: i64,
}

/// `?q=` searches names.
#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

impl ListQuery {
    /// The text searched for, as typed.
    pub fn text(&self) -> &str {
        &self.q
    }
}

/// The search text of a list, trimmed and bounded.
pub(super) fn search(q: &str) -> String {
    q.trim().chars().take(200).collect()
}

/// The list.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    list_page(&ctx, &search(q.text()), &Fields::default(), &FieldErrors::default()).await
}

async fn list_page(ctx: &Ctx, q: &str, f: &Fields, errors: &FieldErrors) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let products = cs::products(&mut tx).await?;
    let offers = cs::offers(&mut tx).await?;
    let sales = cs::product_sales(&mut tx).await?;
    let links = cs::product_courses(&mut tx).await?;
    let all_courses = courses::store::courses(&mut tx).await?;
    tx.commit().await?;
    let title = |id: courses::CourseId| all_courses.iter().find(|c| c.id == id).map(|c| c.title.clone());
    let cards: Vec<Card> = products
        .into_iter()
        .map(|p| Card {
            courses: links.iter().filter(|(pid, _)| *pid == p.id).filter_map(|(_, c)| title(*c)).collect(),
            offers: offers.iter().filter(|o| o.product_id == p.id && o.archived_at.is_none()).cloned().collect(),
            sales: sales.get(&p.id).copied().unwrap_or(0),
            product: p,
        })
        .collect();
    let total = cards.len();
    let needle = q.to_lowercase();
    let (live, archived): (Vec<&Card>, Vec<&Card>) = cards
        .iter()
        .filter(|c| needle.is_empty() || c.product.name.to_lowercase().contains(&needle))
        .partition(|c| c.product.archived_at.is_none());
    let html = ctx.render(
        "commerce/admin/products.html",
        context! {
            live => Serde(&live), archived => Serde(&archived), total, q,
            form => context! { name => f.get("name"), description => f.get("description") },
            errors => Serde(errors),
        },
    )?;
    Ok((form_status(errors), html).into_response())
}

/// Creates a product and opens its page to choose its courses and add offers.
pub async fn create(ctx: Ctx, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let f = Fields(fields);
    let (name, description) = match catalog::product_fields(&f, ctx.shell.locale) {
        Ok(v) => v,
        Err(errors) => return list_page(&ctx, "", &f, &errors).await,
    };
    let mut tx = ctx.tx().await?;
    let id = store::insert_product(&mut tx, &name, &description).await?;
    let payload = serde_json::json!({ "product_id": id, "name": name });
    ctx.state.events.publish(&mut tx, "product.created", payload).await?;
    tx.commit().await?;
    Ok(ctx.redirect_with(&format!("/admin/products/{id}"), "success", ctx.t("catalog-product-created")).into_response())
}

/// The product of the path, in this school (any other id is not found).
pub(super) async fn load(tx: &mut kernel::db::TenantTx, id: &str) -> AppResult<Product> {
    let id: ProductId = id.parse().map_err(|_| AppError::NotFound)?;
    store::product(tx, id).await?.ok_or(AppError::NotFound)
}

/// The product's page as stored.
pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let mut tx = ctx.tx().await?;
    let product = load(&mut tx, &id).await?;
    let chosen = store::product_course_ids(&mut tx, &[product.id]).await?;
    tx.commit().await?;
    let form = EditForm { name: product.name.clone(), description: product.description.clone(), courses: chosen };
    page(&ctx, &product, &form, &FieldErrors::default()).await
}

/// The edit form as typed (or as stored).
#[derive(Serialize)]
struct EditForm {
    name: String,
    description: String,
    courses: Vec<courses::CourseId>,
}

async fn page(ctx: &Ctx, product: &Product, form: &EditForm, errors: &FieldErrors) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let all_courses = courses::store::courses(&mut tx).await?;
    let offers = cs::offers_of(&mut tx, product.id).await?;
    let sales = cs::offer_sales(&mut tx).await?;
    tx.commit().await?;
    let chosen: Vec<Value> = form
        .courses
        .iter()
        .filter_map(|id| all_courses.iter().find(|c| c.id == *id))
        .map(|c| context! { id => c.id.to_string(), title => c.title.clone(), status => c.status.clone() })
        .collect();
    let others: Vec<Value> = all_courses
        .iter()
        .filter(|c| !form.courses.contains(&c.id))
        .map(|c| context! { id => c.id.to_string(), title => c.title.clone() })
        .collect();
    let offers: Vec<Value> = offers
        .iter()
        .map(|o| context! { offer => Serde(o), sales => sales.get(&o.id).copied().unwrap_or(0) })
        .collect();
    let html = ctx.render(
        "commerce/admin/products_edit.html",
        context! {
            product => Serde(product), form => Serde(form), chosen, others, offers,
            has_courses => !all_courses.is_empty(), errors => Serde(errors),
        },
    )?;
    Ok((form_status(errors), html).into_response())
}

/// Saves the name, description and courses; the course list's buttons (add, up, down, remove)
/// save too, and come back to the page.
pub async fn save(ctx: Ctx, Path(id): Path<String>, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let f = Fields(fields);
    let mut tx = ctx.tx().await?;
    let product = load(&mut tx, &id).await?;
    let mut ids = f.all("course");
    if let Some(added) = Some(f.get("add_course")).filter(|a| !a.is_empty() && f.get("action") == "add") {
        ids.push(added);
    }
    let mut chosen = catalog::school_courses(&mut tx, &ids).await?;
    reorder(&mut chosen, f.get("action"));
    let (name, description) = match catalog::product_fields(&f, ctx.shell.locale) {
        Ok(v) => v,
        Err(errors) => {
            tx.commit().await?;
            let form =
                EditForm { name: f.get("name").into(), description: f.get("description").into(), courses: chosen };
            return page(&ctx, &product, &form, &errors).await;
        }
    };
    cs::update_product(&mut tx, product.id, &name, &description).await?;
    store::set_product_courses(&mut tx, product.id, &chosen).await?;
    tx.commit().await?;
    let flash = if f.get("action").is_empty() { "catalog-product-saved" } else { "catalog-product-courses-saved" };
    Ok(ctx.redirect_with(&format!("/admin/products/{}", product.id), "success", ctx.t(flash)).into_response())
}

/// Applies a list action (`up:ID`, `down:ID`, `remove:ID`) to the chosen courses.
fn reorder(items: &mut Vec<courses::CourseId>, action: &str) {
    let Some((verb, id)) = action.split_once(':') else { return };
    let Some(at) = items.iter().position(|i| i.to_string() == id) else { return };
    match verb {
        "up" if at > 0 => items.swap(at, at - 1),
        "down" if at + 1 < items.len() => items.swap(at, at + 1),
        "remove" => {
            items.remove(at);
        }
        _ => {}
    }
}

/// Stops every sale of the product.
pub async fn archive(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_archived(ctx, id, true).await
}

/// Puts the product back on sale.
pub async fn restore(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    set_archived(ctx, id, false).await
}

async fn set_archived(ctx: Ctx, id: String, archived: bool) -> AppResult<Response> {
    ctx.require(Permission::ManageProducts)?;
    let mut tx = ctx.tx().await?;
    let product = load(&mut tx, &id).await?;
    cs::set_product_archived(&mut tx, product.id, archived.then(|| ctx.state.clock.now())).await?;
    tx.commit().await?;
    let (to, flash) = if archived {
        ("/admin/products".to_string(), "catalog-product-archived")
    } else {
        (format!("/admin/products/{}", product.id), "catalog-product-restored")
    };
    Ok(ctx.redirect_with(&to, "success", ctx.t_args(flash, &[("name", product.name.into())])).into_response())
}
