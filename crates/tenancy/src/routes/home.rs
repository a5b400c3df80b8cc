//! `GET /` on a school's site: the school's public home page, its hero as the creator wrote it.

use axum::response::Html;
use identity::Ctx;
use kernel::AppResult;
use minijinja::{context, value::Serde};

use crate::hero;

pub async fn show(ctx: Ctx) -> AppResult<Html<String>> {
    let mut tx = ctx.tx().await?;
    let saved = hero::load(&mut tx).await?;
    tx.commit().await?;
    ctx.render("tenancy/home.html", context! { hero => Serde(saved.shown(&ctx.school, ctx.shell.locale)) })
}
