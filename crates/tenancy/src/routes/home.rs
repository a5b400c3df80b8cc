//! `GET /` on a school's site: the school's public home page.

use axum::response::Html;
use identity::Ctx;
use kernel::AppResult;
use minijinja::context;

pub async fn show(ctx: Ctx) -> AppResult<Html<String>> {
    ctx.render("tenancy/home.html", context! {})
}
