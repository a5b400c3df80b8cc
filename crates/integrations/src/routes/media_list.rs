//! `GET /api/v1/media`: the school's media library, newest first, a page at a time.

use axum::{extract::RawQuery, http::StatusCode};
use kernel::{
    i18n,
    web::{FieldErrors, Json},
};
use media::{Kind, MediaId, store::Filter};
use serde::Deserialize;
use utoipa::IntoParams;

use super::media::{MediaKind, MediaList, items};
use crate::{
    auth::ApiCtx,
    paging::{self, encode_cursor},
    problem::{ApiResult, ProblemBody},
};

/// List media
///
/// The videos, audio and files of the school's library, newest first, with where each one is
/// in its processing. Filter by kind or search by title and file name; follow `next_cursor` to
/// walk through every page.
#[utoipa::path(
    get,
    path = "/media",
    operation_id = "listMedia",
    tag = "Media",
    params(MediaListParams),
    responses(
        (status = 200, description = "A page of the library.", body = MediaList),
        (status = 400, description = "A parameter is not valid; `errors` says which.", body = ProblemBody, content_type = "application/problem+json"),
    )
)]
pub async fn list(ctx: ApiCtx, RawQuery(query): RawQuery) -> ApiResult<Json<MediaList>> {
    let invalid = || ctx.problem(StatusCode::BAD_REQUEST).detail(ctx.t("api-error-invalid-params"));
    let Ok(params) = serde_urlencoded::from_str::<MediaListParams>(query.as_deref().unwrap_or("")) else {
        return Err(invalid().into());
    };
    let page = Page::parse(&params, ctx.shell.locale).map_err(|errors| invalid().errors(errors))?;
    let filter = Filter {
        query: page.q,
        kind: page.kind.map(|k| k.as_str().to_string()),
        before: page.before,
        limit: page.limit + 1,
    };
    let mut tx = ctx.tx().await?;
    let mut found = media::store::list(&mut tx, &filter).await?;
    let more = found.len() as i64 > page.limit;
    found.truncate(page.limit as usize);
    let next_cursor = found.last().filter(|_| more).map(|m| encode_cursor(m.id.0));
    let data = items(&mut tx, ctx.shell.locale, found).await?;
    tx.commit().await?;
    Ok(Json(MediaList { data, next_cursor }))
}

/// Filters and paging for the library.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MediaListParams {
    /// How many items to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only items of this kind.
    #[param(value_type = Option<MediaKind>, example = "video")]
    pub kind: Option<String>,
    /// Only items whose title or file name contains this text (any case).
    #[param(max_length = 200, example = "welcome")]
    pub q: Option<String>,
}

/// Validated paging and filters.
struct Page {
    limit: i64,
    before: Option<MediaId>,
    kind: Option<Kind>,
    q: Option<String>,
}

impl Page {
    fn parse(p: &MediaListParams, locale: i18n::Locale) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let limit = paging::limit(p.limit.as_deref(), locale, &mut errors);
        let before = paging::cursor(p.cursor.as_deref(), locale, &mut errors).map(MediaId);
        let kind = match p.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => {
                let kind = Kind::parse(&k.to_ascii_lowercase());
                if kind.is_none() {
                    errors.add(
                        "kind",
                        i18n::t_args(locale, "api-error-one-of", &[("values", "video, audio, file".into())]),
                    );
                }
                kind
            }
        };
        let q = paging::search(p.q.as_deref(), locale, &mut errors);
        if errors.is_empty() { Ok(Self { limit, before, kind, q }) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(limit: &str, kind: &str, q: &str) -> MediaListParams {
        MediaListParams { limit: Some(limit.into()), kind: Some(kind.into()), q: Some(q.into()), cursor: None }
    }

    #[test]
    fn limits_kinds_and_searches_are_checked() {
        let ok = Page::parse(&params("", " Audio ", " talk "), i18n::Locale::En).ok().unwrap();
        assert_eq!((ok.limit, ok.kind, ok.q.as_deref()), (25, Some(Kind::Audio), Some("talk")));
        let bad = Page::parse(&params("0", "podcast", &"x".repeat(201)), i18n::Locale::En).err().unwrap();
        assert!(bad.has("limit") && bad.has("kind") && bad.has("q"));
        let most = Page::parse(&params("100", "", ""), i18n::Locale::En).map(|p| p.limit);
        assert_eq!(most.ok(), Some(100));
        let cursor = MediaListParams { cursor: Some("nonsense".into()), ..Default::default() };
        assert!(Page::parse(&cursor, i18n::Locale::En).err().is_some_and(|e| e.has("cursor")));
    }
}
