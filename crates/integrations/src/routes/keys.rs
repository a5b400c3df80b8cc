//! `GET/POST /admin/settings/api-keys` and `POST /admin/settings/api-keys/{id}/revoke`: the
//! owner's API keys. A new key is shown once, on the page that answers its creation.

use axum::{
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{
    AppError, AppResult,
    i18n::ArgValue,
    web::{FieldErrors, Form},
};
use minijinja::{context, value::Serde};

use crate::{
    model::{ApiKeyId, KeyForm, MAX_ACTIVE_KEYS, NewKey},
    service, store,
};

const PAGE: &str = "/admin/settings/api-keys";

/// The keys and the form to create one.
pub async fn index(ctx: Ctx) -> AppResult<Response> {
    ctx.require(Permission::ManageApiKeys)?;
    page(&ctx, &KeyForm { scope: "read".into(), ..Default::default() }, &FieldErrors::default(), None).await
}

/// Renders the page; `created` is the key just made, shown this once.
async fn page(ctx: &Ctx, form: &KeyForm, errors: &FieldErrors, created: Option<(&str, &str)>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let keys = store::list(&mut tx).await?;
    tx.commit().await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = ctx.render(
        "integrations/api_keys.html",
        context! {
            keys => Serde(&keys),
            form => Serde(form),
            errors => Serde(errors),
            created_name => created.map(|c| c.0.to_string()),
            created_secret => created.map(|c| c.1.to_string()),
            api_base => format!("{}/api/v1", ctx.school.base_url),
        },
    )?;
    let mut res = (status, html).into_response();
    // The page may carry a secret: keep it out of every cache.
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Creates a key and shows it, this once.
pub async fn create(ctx: Ctx, Form(form): Form<KeyForm>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageApiKeys)?.id;
    let new = match NewKey::parse(&form, ctx.shell.locale) {
        Ok(n) => n,
        Err(errors) => return page(&ctx, &form, &errors, None).await,
    };
    let mut tx = ctx.tx().await?;
    if service::at_key_limit(&mut tx).await? {
        tx.commit().await?;
        let mut errors = FieldErrors::default();
        errors.add("name", ctx.t_args("api-keys-too-many", &[("max", ArgValue::from(MAX_ACTIVE_KEYS))]));
        return page(&ctx, &form, &errors, None).await;
    }
    let created = service::create_key(&mut tx, &new, actor).await?;
    tx.commit().await?;
    let fresh = KeyForm { scope: "read".into(), ..Default::default() };
    page(&ctx, &fresh, &FieldErrors::default(), Some((&created.key.name, &created.secret))).await
}

/// Revokes a key (the form asks for confirmation first).
pub async fn revoke(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageApiKeys)?.id;
    let id: ApiKeyId = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let revoked = service::revoke_key(&mut tx, id, actor).await?;
    tx.commit().await?;
    let message = if revoked { "api-keys-revoked" } else { "api-keys-already-revoked" };
    Ok(ctx.redirect_with(PAGE, "success", ctx.t(message)).into_response())
}
