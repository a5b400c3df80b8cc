//! `GET /admin/mailbox` and `GET /admin/mailbox/{id}`: in demo mode, a school's team reads the
//! email the school has sent, as each recipient would see it.

use axum::{extract::Path, response::Html};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, mail};
use minijinja::{context, value::Serde};
use uuid::Uuid;

fn ensure_demo(ctx: &Ctx) -> AppResult<()> {
    if ctx.state.config.demo { Ok(()) } else { Err(AppError::NotFound) }
}

pub async fn index(ctx: Ctx) -> AppResult<Html<String>> {
    ensure_demo(&ctx)?;
    ctx.require(Permission::ViewMailbox)?;
    let mut tx = ctx.tx().await?;
    let messages = mail::recent(&mut tx, 100).await?;
    tx.commit().await?;
    ctx.render("tenancy/mailbox/index.html", context! { messages => Serde(messages) })
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Html<String>> {
    ensure_demo(&ctx)?;
    ctx.require(Permission::ViewMailbox)?;
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let message = mail::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    ctx.render("tenancy/mailbox/show.html", crate::mailbox::view(&ctx.state, message))
}
