//! The site's icons, on a school's site and on the platform host: `/favicon.ico` (32 px),
//! `/favicon.svg`, `/apple-touch-icon.png` (180 px), `/icon-192.png` and `/icon-512.png`.
//!
//! Each answer carries an ETag naming its source (the logo's id, or the letter and colour) and
//! a short max-age, since a school can change its logo or colour at any time; what was drawn
//! is kept in memory under that ETag.

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
};

use axum::{
    Extension,
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use kernel::{
    AppError, AppResult, AppState,
    web::{School, Site, school::PLATFORM_BRAND_COLOR},
};
use uuid::Uuid;

use crate::{
    branding,
    icons::{self, Initial},
};

/// How long a browser may use an icon without asking again.
const CACHE_CONTROL: &str = "public, max-age=3600";
/// Icons kept in memory before the cache starts over.
const CACHE_ENTRIES: usize = 256;

static DRAWN: LazyLock<Mutex<HashMap<String, (&'static str, Bytes)>>> = LazyLock::new(Default::default);

/// One of the files served.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Ico,
    Svg,
    Png(u32),
}

impl Shape {
    fn name(self) -> String {
        match self {
            Self::Ico => "ico".into(),
            Self::Svg => "svg".into(),
            Self::Png(size) => format!("png{size}"),
        }
    }
}

/// What an icon is drawn from.
enum Source {
    Logo(Arc<School>, Uuid),
    Initial(Initial),
}

pub async fn favicon_ico(state: State<AppState>, site: Extension<Site>, headers: HeaderMap) -> AppResult<Response> {
    serve(state, site, headers, Shape::Ico).await
}

pub async fn favicon_svg(state: State<AppState>, site: Extension<Site>, headers: HeaderMap) -> AppResult<Response> {
    serve(state, site, headers, Shape::Svg).await
}

pub async fn touch(state: State<AppState>, site: Extension<Site>, headers: HeaderMap) -> AppResult<Response> {
    serve(state, site, headers, Shape::Png(180)).await
}

pub async fn icon_192(state: State<AppState>, site: Extension<Site>, headers: HeaderMap) -> AppResult<Response> {
    serve(state, site, headers, Shape::Png(192)).await
}

pub async fn icon_512(state: State<AppState>, site: Extension<Site>, headers: HeaderMap) -> AppResult<Response> {
    serve(state, site, headers, Shape::Png(512)).await
}

async fn serve(
    State(state): State<AppState>,
    Extension(site): Extension<Site>,
    headers: HeaderMap,
    shape: Shape,
) -> AppResult<Response> {
    let source = match site {
        Site::Platform => Source::Initial(Initial::new("Lyceum", PLATFORM_BRAND_COLOR)),
        Site::School(school) => match logo_id(&school) {
            Some(id) => Source::Logo(school, id),
            None => Source::Initial(Initial::new(&school.name, &school.brand_color)),
        },
    };
    let version = match &source {
        Source::Logo(_, id) => format!("logo-{id}"),
        Source::Initial(initial) => initial.version(),
    };
    let etag = format!("\"{version}-{}\"", shape.name());
    let etag_value = HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.into()))?;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*"));
    let cached = [(header::ETAG, etag_value.clone()), (header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL))];
    if fresh {
        return Ok((StatusCode::NOT_MODIFIED, cached).into_response());
    }
    let known = DRAWN.lock().expect("icon cache").get(&etag).cloned();
    let (content_type, body) = match known {
        Some(drawn) => drawn,
        None => {
            let drawn = draw(&state, source, shape).await?;
            let mut cache = DRAWN.lock().expect("icon cache");
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(etag, drawn.clone());
            drawn
        }
    };
    Ok((cached, [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body).into_response())
}

/// Draws an icon off the async threads; a logo that cannot be read gives way to the initial.
async fn draw(state: &AppState, source: Source, shape: Shape) -> AppResult<(&'static str, Bytes)> {
    let (logo, initial) = match source {
        Source::Initial(initial) => (None, initial),
        Source::Logo(school, id) => {
            let mut tx = state.db.tenant(school.id).await?;
            let asset = branding::find(&mut tx, id).await?;
            tx.commit().await?;
            (asset.map(|a| a.data), Initial::new(&school.name, &school.brand_color))
        }
    };
    let drawn = tokio::task::spawn_blocking(move || {
        let from_logo = |size: u32, opaque: bool| {
            let png = logo.as_deref().map(|bytes| icons::logo_png(bytes, size, opaque))?;
            png.inspect_err(|e| tracing::warn!(error = %e, "a logo could not be made into an icon")).ok()
        };
        match shape {
            Shape::Ico => {
                let png = from_logo(32, false).unwrap_or_else(|| initial.png(32));
                ("image/x-icon", icons::ico(&png, 32))
            }
            Shape::Svg => {
                let svg = from_logo(64, false).map(|png| icons::svg_of_png(&png, 64)).unwrap_or_else(|| initial.svg());
                ("image/svg+xml", svg.into_bytes())
            }
            Shape::Png(size) => ("image/png", from_logo(size, true).unwrap_or_else(|| initial.png(size))),
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;
    Ok((drawn.0, Bytes::from(drawn.1)))
}

/// The id of the school's logo, from the address its settings give it.
fn logo_id(school: &School) -> Option<Uuid> {
    school.logo_url.as_deref()?.strip_prefix(crate::model::LOGO_PATH)?.parse().ok()
}
