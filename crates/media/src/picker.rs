//! Choosing an item of the library from another domain's form (a lesson's video, a course's
//! cover, an attachment): which items a picker offers, and whether a posted choice is one of
//! them. The page side is `routes/picker.rs` and the `media/_picker.html` macro.

use kernel::db::TenantTx;
use serde::Serialize;
use sqlx::AssertSqlSafe;

use crate::model::{Media, MediaId};

/// What a picker offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PickKind {
    /// Videos.
    Video,
    /// Audio.
    Audio,
    /// Any plain file (PDF, ZIP, image).
    File,
    /// Files that are images (PNG, JPEG, GIF, WebP): covers and photos.
    Image,
}

impl PickKind {
    /// From a query or template value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "video" => Some(Self::Video),
            "audio" => Some(Self::Audio),
            "file" => Some(Self::File),
            "image" => Some(Self::Image),
            _ => None,
        }
    }

    /// Whether `media` is something this picker offers (ready to use, of its kind).
    pub fn accepts(self, media: &Media) -> bool {
        let image = media.content_type.as_deref().is_some_and(|t| t.starts_with("image/"));
        media.is_ready()
            && match self {
                Self::Video => media.kind == "video",
                Self::Audio => media.kind == "audio",
                Self::File => media.kind == "file",
                Self::Image => media.kind == "file" && image,
            }
    }
}

/// Items a picker shows, newest first: ready items of the kind, optionally matching `query`.
pub async fn items(tx: &mut TenantTx, kind: PickKind, query: &str, limit: i64) -> sqlx::Result<Vec<Media>> {
    let query = query.trim();
    let pattern = (!query.is_empty())
        .then(|| format!("%{}%", query.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
    let (kind, image) = match kind {
        PickKind::Video => ("video", false),
        PickKind::Audio => ("audio", false),
        PickKind::File => ("file", false),
        PickKind::Image => ("file", true),
    };
    sqlx::query_as(AssertSqlSafe(format!(
        "select {} from media
         where tenant_id = $1 and kind = $2 and current_upload is not null and status <> 'failed'
           and (not $3 or content_type like 'image/%')
           and ($4::text is null or title ilike $4 or file_name ilike $4)
         order by id desc limit $5",
        crate::store::MEDIA_COLUMNS
    )))
    .bind(tx.tenant())
    .bind(kind)
    .bind(image)
    .bind(pattern)
    .bind(limit.clamp(1, 500))
    .fetch_all(&mut **tx)
    .await
}

/// The item a form posted for a picker of `kind`: `Ok(None)` when nothing was chosen, `Err(())`
/// when the value is not an item of the school the picker offers.
pub async fn chosen(tx: &mut TenantTx, kind: PickKind, value: &str) -> sqlx::Result<Result<Option<Media>, ()>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(Ok(None));
    }
    let Ok(id) = value.parse::<MediaId>() else { return Ok(Err(())) };
    Ok(match crate::store::find(tx, id).await? {
        Some(m) if kind.accepts(&m) => Ok(Some(m)),
        _ => Err(()),
    })
}

/// The items a form's pickers need: for the fallback `<select>` (without JavaScript) and to show
/// the current choice. `selected` is added when it is not among the newest.
pub async fn options(tx: &mut TenantTx, kind: PickKind, selected: &[MediaId]) -> sqlx::Result<Vec<Media>> {
    let mut list = items(tx, kind, "", 200).await?;
    for id in selected {
        if !list.iter().any(|m| m.id == *id)
            && let Some(m) = crate::store::find(tx, *id).await?
        {
            list.push(m);
        }
    }
    Ok(list)
}
