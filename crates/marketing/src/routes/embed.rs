//! Embedding a form on another site: `GET /f/{form_id}/embed` is the form alone for an
//! `<iframe>` (framable from anywhere, no session needed), and `GET /f/{form_id}/embed.js?key=…`
//! a script that puts that iframe where it is included.

use axum::{
    extract::{Path, Query},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use identity::Ctx;
use kernel::{AppError, AppResult, secret::constant_eq};
use serde::Deserialize;
use serde_json::Map;

use super::optin::{form_context, open_form};

/// The iframe page's policy: the school's own assets, framed by any site.
const FRAME_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                         script-src 'self'; font-src 'self'; connect-src 'self'; frame-ancestors *; \
                         base-uri 'self'; object-src 'none'; form-action 'self'";

/// Lets any site frame `res`.
pub(crate) fn frameable(res: &mut Response) {
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FRAME_CSP));
}

/// `GET /f/{form_id}/embed`.
pub async fn frame(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let form = open_form(&ctx, &id).await?;
    let c = form_context(&form, &Map::new(), &Default::default(), false, true);
    let mut res = ctx.render("marketing/forms/embed.html", c)?.into_response();
    frameable(&mut res);
    Ok(res)
}

/// The script's query.
#[derive(Deserialize)]
pub struct ScriptQuery {
    #[serde(default)]
    key: String,
}

/// `GET /f/{form_id}/embed.js?key=…`: inserts the iframe after the script tag that loaded it.
pub async fn script(ctx: Ctx, Path(id): Path<String>, Query(q): Query<ScriptQuery>) -> AppResult<Response> {
    let form = open_form(&ctx, &id).await?;
    if !constant_eq(&q.key, &form.embed_key) {
        return Err(AppError::NotFound);
    }
    let src = format!("{}/f/{}/embed", ctx.school.base_url, form.id);
    let title = serde_json::to_string(&form.name).unwrap_or_else(|_| "\"\"".into());
    let js = format!(
        "(function(){{var s=document.currentScript;var f=document.createElement('iframe');\
f.src={src};f.title={title};f.loading='lazy';\
f.style.cssText='width:100%;max-width:32rem;min-height:26rem;border:0;display:block;color-scheme:normal';\
if(s&&s.parentNode){{s.parentNode.insertBefore(f,s.nextSibling);}}else{{document.body.appendChild(f);}}}})();\n",
        src = serde_json::to_string(&src).unwrap_or_default(),
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        js,
    )
        .into_response())
}
