//! `POST /admin/settings/sender/verify`: checks the TXT record that lets the school send from
//! its own address.

use axum::response::{IntoResponse, Response};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, rate::Limit};

use crate::{sender, settings};

pub async fn verify(ctx: Ctx) -> AppResult<Response> {
    let user = ctx.require(Permission::ManageSettings)?.id;
    ctx.rate_limit("sender-verify", Limit { max: 30, window: std::time::Duration::from_secs(300) })?;
    let domain = ctx.school.sender_email.rsplit_once('@').map(|(_, d)| d.to_string()).unwrap_or_default();
    let (kind, key) = match sender::verify(&ctx.state, &ctx.school).await?.ok_or(AppError::NotFound)? {
        sender::Outcome::Verified => {
            let mut tx = ctx.tx().await?;
            settings::audit(&mut tx, user, "settings.sender_verified").await?;
            tx.commit().await?;
            ("success", "sender-verified")
        }
        sender::Outcome::NotFound => ("error", "sender-not-verified"),
        sender::Outcome::LookupFailed => ("error", "sender-check-failed"),
    };
    let msg = ctx.t_args(key, &[("domain", domain.into())]);
    Ok(ctx.redirect_with("/admin/settings", kind, msg).into_response())
}
