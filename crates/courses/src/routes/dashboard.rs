//! `GET /dashboard`: the student's home: their courses and where to continue, what unlocks
//! next, their certificates, replies to their comments, and (for an unconfirmed address) the
//! verification notice.

use axum::response::Html;
use identity::Ctx;
use kernel::AppResult;
use minijinja::{context, value::Serde};

use crate::dashboard;

pub async fn show(ctx: Ctx) -> AppResult<Html<String>> {
    let user = ctx.user()?;
    let mut tx = ctx.tx().await?;
    let board = dashboard::load(&mut tx, user, ctx.state.clock.now()).await?;
    let certificates = crate::certificates::for_user(&mut tx, user.id).await?;
    tx.commit().await?;
    ctx.render(
        "courses/dashboard.html",
        context! {
            verified => user.email_verified_at.is_some(), board => Serde(&board),
            certificates => Serde(&certificates),
        },
    )
}
