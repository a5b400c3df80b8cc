//! `GET /dashboard`: the student's home.

use axum::response::Html;
use kernel::AppResult;
use minijinja::context;

use crate::Ctx;

pub async fn show(ctx: Ctx) -> AppResult<Html<String>> {
    let user = ctx.user()?;
    ctx.render("identity/dashboard.html", context! { verified => user.email_verified_at.is_some() })
}
