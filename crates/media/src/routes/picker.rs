//! `GET /admin/media/picker`: the list inside the media picker's dialog (an htmx fragment,
//! searchable), and `GET /admin/media/{id}/image`: an image file shown to staff (a picker's
//! thumbnail, a course cover in the admin).

use axum::{
    extract::{Path, Query},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult};
use minijinja::{context, value::Serde};
use serde::Deserialize;

use super::parse;
use crate::{
    model::{MediaId, keys},
    picker::{self, PickKind},
    serve::{self, Delivery},
    store,
};

/// Staff who may choose library items: those who manage the library or build courses.
fn require_staff(ctx: &Ctx) -> AppResult<()> {
    if ctx.can(Permission::ManageMedia) || ctx.can(Permission::ManageCourses) {
        Ok(())
    } else {
        ctx.require(Permission::ManageMedia).map(|_| ())
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PickerQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    q: String,
    /// The form field the picker fills (so the fragment's buttons name it).
    #[serde(default)]
    name: String,
}

pub async fn list(ctx: Ctx, Query(q): Query<PickerQuery>) -> AppResult<Response> {
    require_staff(&ctx)?;
    let kind = PickKind::parse(&q.kind).ok_or_else(|| AppError::BadRequest("unknown kind".into()))?;
    let items = {
        let mut tx = ctx.tx().await?;
        picker::items(&mut tx, kind, &q.q, 60).await?
    };
    let name: String = q.name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect();
    let html = ctx
        .render("media/_picker_items.html", context! { items => Serde(&items), kind => Serde(kind), q => q.q, name })?;
    Ok(html.into_response())
}

pub async fn image(ctx: Ctx, Path(id): Path<String>, headers: HeaderMap) -> AppResult<Response> {
    require_staff(&ctx)?;
    let id: MediaId = parse(&id)?;
    let media = {
        let mut tx = ctx.tx().await?;
        store::find(&mut tx, id).await?.ok_or(AppError::NotFound)?
    };
    if !PickKind::Image.accepts(&media) {
        return Err(AppError::NotFound);
    }
    let version = media.current_upload.ok_or(AppError::NotFound)?;
    let key = keys::source(media.id, version).map_err(|_| AppError::NotFound)?;
    let content_type = media.content_type.as_deref().unwrap_or("application/octet-stream");
    let how = Delivery { content_type, cache: "private, max-age=3600", attachment: None };
    serve::object(&ctx.state.storage, ctx.school.id, &key, &headers, how).await
}
