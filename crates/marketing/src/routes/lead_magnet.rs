//! `GET /lm/{token}`: a lead magnet's download, streamed from storage as an attachment while the
//! link has downloads and days left; otherwise a friendly page offering a fresh link by email
//! (`POST /lm/{token}/resend`).

use axum::{
    extract::Path,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppResult, rate::Limit, secret::hash_token};
use minijinja::context;

use crate::{forms_store, lead_magnet, store};

/// Fresh links asked for, per visitor address and school.
const RESEND_LIMIT: Limit = Limit { max: 3, window: std::time::Duration::from_secs(3600) };

fn notice(ctx: &Ctx, status: StatusCode, key: &str, resend: Option<&str>) -> AppResult<Response> {
    let html = ctx.render(
        "marketing/forms/notice.html",
        context! {
            title => ctx.t(&format!("forms-lm-{key}-title")), body => ctx.t(&format!("forms-lm-{key}-body")),
            resend_url => resend.map(|t| format!("/lm/{t}/resend")),
        },
    )?;
    Ok((status, html).into_response())
}

/// The download.
pub async fn download(ctx: Ctx, Path(token): Path<String>, headers: HeaderMap) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let Some(link) = forms_store::link_by_hash(&mut tx, &hash_token(&token)).await? else {
        return notice(&ctx, StatusCode::NOT_FOUND, "unknown", None);
    };
    if link.uses >= link.max_uses || link.expires_at < ctx.state.clock.now() {
        tx.commit().await?;
        return notice(&ctx, StatusCode::GONE, "expired", Some(&token));
    }
    let item = media::store::find(&mut tx, link.media_id).await?;
    let Some((item, version)) = item.and_then(|m| m.current_upload.map(|v| (m, v))) else {
        return notice(&ctx, StatusCode::NOT_FOUND, "gone", None);
    };
    forms_store::use_link(&mut tx, link.id).await?;
    tx.commit().await?;
    let key = media::model::keys::source(item.id, version).map_err(|e| anyhow::anyhow!("{e}"))?;
    let ct = item.content_type.clone().unwrap_or_else(|| "application/octet-stream".into());
    let how =
        media::serve::Delivery { content_type: &ct, cache: "private, no-store", attachment: Some(&item.file_name) };
    media::serve::object(&ctx.state.storage, ctx.school.id, &key, &headers, how).await
}

/// Mails a fresh link for an expired one to the address it was sent to.
pub async fn resend(ctx: Ctx, Path(token): Path<String>) -> AppResult<Response> {
    if ctx.rate_check("lm-resend", RESEND_LIMIT).is_err() {
        return notice(&ctx, StatusCode::TOO_MANY_REQUESTS, "wait", None);
    }
    let mut tx = ctx.tx().await?;
    let Some(link) = forms_store::link_by_hash(&mut tx, &hash_token(&token)).await? else {
        return notice(&ctx, StatusCode::NOT_FOUND, "unknown", None);
    };
    let (Some(form), Some(contact), Some(item)) = (
        store::form(&mut tx, link.form_id).await?,
        store::contact(&mut tx, link.contact_id).await?,
        media::store::find(&mut tx, link.media_id).await?,
    ) else {
        return notice(&ctx, StatusCode::NOT_FOUND, "gone", None);
    };
    lead_magnet::send_file(&ctx.state, &mut tx, &ctx.school, ctx.shell.locale, &form, &contact, &item).await?;
    tx.commit().await?;
    notice(&ctx, StatusCode::OK, "sent", None)
}
