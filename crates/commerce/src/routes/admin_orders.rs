//! `GET /admin/orders`: every order, searched (address, name, start of the id), filtered by
//! derived state, offer and dates in the school's time zone, newest first, paged, with the
//! filtered set's totals; `GET /admin/orders.csv` is the same set as a spreadsheet; and
//! `POST /admin/orders/comp` gives a product to a student by address.

use axum::{
    extract::Query,
    http::header,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission, model::Email};
use kernel::{AppError, AppResult, web::Form};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    comp::{self, Given},
    model::ProductId,
    sales,
    sales_store::{self, OrderFilter},
};

/// Rows shown per page.
const PAGE: i64 = 50;
/// Rows read per query while writing the CSV.
const BATCH: i64 = 2_000;

/// The list's filters as in the address bar.
#[derive(Deserialize, Serialize, Default, Clone, Debug)]
pub struct OrdersQuery {
    #[serde(default)]
    pub q: String,
    /// `paid`, `partly_refunded`, `refunded`, `free` or empty.
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub offer: String,
    /// First day, `YYYY-MM-DD` in the school's time zone.
    #[serde(default)]
    pub from: String,
    /// Last day, included.
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: Option<i64>,
}

/// The states an order can be in, as the filter names them.
pub const STATES: [&str; 4] = ["paid", "partly_refunded", "refunded", "free"];

impl OrdersQuery {
    /// The filter the query asks for (unknown values are ignored).
    pub fn filter(&self, zone: &str) -> OrderFilter {
        let from = sales::parse_day(&self.from);
        let to = sales::parse_day(&self.to);
        OrderFilter {
            q: self.q.trim().chars().take(200).collect(),
            state: if STATES.contains(&self.state.as_str()) { self.state.clone() } else { String::new() },
            offer: self.offer.parse().ok(),
            from: from.map(|d| sales::start_of_day(d, zone)),
            until: to.and_then(|d| d.succ_opt()).map(|d| sales::start_of_day(d, zone)),
            ..Default::default()
        }
    }

    /// The query string of these filters (for paging and the CSV link).
    pub fn encoded(&self) -> String {
        let q = Self { page: None, ..self.clone() };
        serde_urlencoded::to_string(&q).unwrap_or_default()
    }

    fn is_filtered(&self) -> bool {
        !(self.q.trim().is_empty()
            && self.state.is_empty()
            && self.offer.is_empty()
            && self.from.is_empty()
            && self.to.is_empty())
    }
}

/// The "give a product" form.
#[derive(Deserialize, Default)]
pub struct GiveForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    product: String,
    /// Where to go back to (`/admin/people/{id}` or the orders list).
    #[serde(default)]
    back: String,
}

pub async fn list(ctx: Ctx, Query(q): Query<OrdersQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let filter = q.filter(&ctx.school.time_zone);
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let mut tx = ctx.tx().await?;
    let (rows, matched) = sales_store::orders(&mut tx, &filter, (page - 1) * PAGE, PAGE).await?;
    let totals = sales_store::totals(&mut tx, &filter).await?;
    let any = matched > 0 || sales_store::count(&mut tx, &OrderFilter::default()).await? > 0;
    let offers = sales_store::offers_sold(&mut tx).await?;
    let products = sales_store::giftable_products(&mut tx).await?;
    tx.commit().await?;
    let html = ctx.render(
        "commerce/admin/orders.html",
        context! {
            rows => Serde(&rows), totals => Serde(&totals), matched, any, query => Serde(&q),
            filtered => q.is_filtered(), encoded => q.encoded(), page, pages => ((matched + PAGE - 1) / PAGE).max(1),
            offers => Serde(&offers), products => Serde(&products), states => STATES,
        },
    )?;
    Ok(html.into_response())
}

pub async fn csv(ctx: Ctx, Query(q): Query<OrdersQuery>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let zone = ctx.school.time_zone.clone();
    let tz = kernel::format::tz(&zone);
    let filter = q.filter(&zone);
    let headers = [
        "order", "date", "name", "email", "product", "offer", "state", "source", "currency", "total", "paid",
        "refunded", "net",
    ]
    .map(|h| ctx.t(&format!("orders-csv-{h}")));
    let mut body = kernel::csv::row(&headers);
    let mut tx = ctx.tx().await?;
    let mut offset = 0;
    loop {
        let (rows, _) = sales_store::orders(&mut tx, &filter, offset, BATCH).await?;
        let done = (rows.len() as i64) < BATCH;
        for r in rows {
            body.push_str(&kernel::csv::row(&[
                r.id.to_string(),
                r.created_at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
                r.name,
                r.email,
                r.product_name,
                r.offer_name,
                ctx.t(&format!("orders-state-{}", r.state)),
                r.source,
                r.currency.clone(),
                crate::catalog::amount_input(r.total, &r.currency),
                crate::catalog::amount_input(r.paid, &r.currency),
                crate::catalog::amount_input(r.refunded, &r.currency),
                crate::catalog::amount_input(r.paid - r.refunded, &r.currency),
            ]));
        }
        if done {
            break;
        }
        offset += BATCH;
    }
    tx.commit().await?;
    let day = ctx.state.clock.now().with_timezone(&tz).format("%Y-%m-%d");
    let file = format!("attachment; filename=\"orders-{day}.csv\"");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, file)], body)
        .into_response())
}

/// Where a give form may send the browser back to: our own admin pages only.
fn back_to(raw: &str) -> String {
    let ok = raw.starts_with("/admin/people/") || raw.starts_with("/admin/orders");
    if ok && !raw.contains("//") && !raw.contains('\\') { raw.to_string() } else { "/admin/orders".to_string() }
}

pub async fn give(ctx: Ctx, Form(f): Form<GiveForm>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageSales)?.id;
    let back = back_to(&f.back);
    let Some(email) = Email::parse(&f.email) else {
        return Ok(ctx.redirect_with(&back, "error", ctx.t("orders-give-error-email")).into_response());
    };
    let Ok(product) = f.product.parse::<ProductId>() else {
        return Ok(ctx.redirect_with(&back, "error", ctx.t("orders-give-error-product")).into_response());
    };
    let mut tx = ctx.tx().await?;
    let Some(product_row) = crate::store::product(&mut tx, product).await? else {
        return Ok(ctx.redirect_with(&back, "error", ctx.t("orders-give-error-product")).into_response());
    };
    let (user, _) = identity::service::people::find_or_create_student(&mut tx, &email, &f.name).await?;
    let given = comp::give(&ctx.state, &mut tx, user.id, product, actor).await.map_err(|e| match e {
        crate::ledger::LedgerError::Unknown(_) => AppError::NotFound,
        other => AppError::Internal(anyhow::anyhow!(other)),
    })?;
    let args = [("name", user.name.clone().into()), ("product", product_row.name.clone().into())];
    let (kind, key, order) = match given {
        Given::Created(order) => {
            identity::store::audit(
                &mut tx,
                actor,
                "order.comp_given",
                serde_json::json!({ "order_id": order, "user_id": user.id, "product_id": product }),
            )
            .await?;
            ("success", "orders-give-done", order)
        }
        Given::AlreadyHas(order) => ("info", "orders-give-already", order),
    };
    tx.commit().await?;
    let to = if back.starts_with("/admin/people/") { back } else { format!("/admin/orders/{order}") };
    Ok(ctx.redirect_with(&to, kind, ctx.t_args(key, &args)).into_response())
}
