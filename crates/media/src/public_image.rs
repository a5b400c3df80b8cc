//! Library images on public pages: `GET /media/i/{id}/{version}/{width}.{ext}` serves an image
//! of the library resized to one of [`WIDTHS`], made once with the `image` crate and then kept
//! in storage beside the original. The URL names the version (the upload), so a replaced file
//! gets a new URL and the response may be cached for a year. Only images are public this way;
//! videos, audio and other files keep their guarded routes.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, imageops::FilterType};
use kernel::{AppState, TenantId, db::TenantTx, storage::StorageKey};
use serde::{Deserialize, Serialize};

use crate::{
    model::{Media, MediaId, UploadId, keys},
    picker::PickKind,
    store,
};

/// The widths an image is offered at (a `srcset`).
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// A library image as public pages use it.
#[derive(Clone, Debug, Serialize)]
pub struct PublicImage {
    /// The largest useful size's URL (the `src`).
    pub url: String,
    /// Every size, for `srcset`.
    pub srcset: String,
    /// Width of `url`.
    pub width: u32,
    /// Height of `url`.
    pub height: u32,
    /// The item's title, a default alternative text.
    pub alt: String,
}

/// The original's size, kept in storage after the first look.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Size {
    width: u32,
    height: u32,
}

/// The file extension served for an original of `content_type` (JPEG stays JPEG; the rest,
/// which may be transparent, becomes PNG).
pub fn extension(content_type: &str) -> &'static str {
    if content_type == "image/jpeg" { "jpg" } else { "png" }
}

fn cache_key(media: MediaId, version: UploadId, name: &str) -> Option<StorageKey> {
    keys::version(media, version).and_then(|k| k.join(&format!("public/{name}"))).ok()
}

/// `media` as a public image, when it is a ready library image whose file can be read.
pub async fn describe(state: &AppState, tenant: TenantId, media: &Media) -> anyhow::Result<Option<PublicImage>> {
    if !PickKind::Image.accepts(media) {
        return Ok(None);
    }
    let Some(version) = media.current_upload else { return Ok(None) };
    let Some(size) = size(state, tenant, media.id, version).await? else { return Ok(None) };
    let ext = extension(media.content_type.as_deref().unwrap_or_default());
    let mut srcset = Vec::new();
    let mut largest = (0, 0);
    for w in WIDTHS {
        let shown = w.min(size.width);
        srcset.push(format!("/media/i/{}/{version}/{w}.{ext} {shown}w", media.id));
        if shown > largest.0 {
            largest = (shown, w);
        }
        if w >= size.width {
            break;
        }
    }
    let height = ((u64::from(size.height) * u64::from(largest.0)) / u64::from(size.width.max(1))) as u32;
    Ok(Some(PublicImage {
        url: format!("/media/i/{}/{version}/{}.{ext}", media.id, largest.1),
        srcset: srcset.join(", "),
        width: largest.0,
        height: height.max(1),
        alt: media.title.clone(),
    }))
}

/// Looks up several ids at once: the public images among them, by id.
pub async fn describe_many(
    state: &AppState,
    tx: &mut TenantTx,
    ids: &[MediaId],
) -> anyhow::Result<Vec<(MediaId, PublicImage)>> {
    let mut out = Vec::new();
    for id in ids {
        if let Some(media) = store::find(tx, *id).await?
            && let Some(img) = describe(state, tx.tenant(), &media).await?
        {
            out.push((*id, img));
        }
    }
    Ok(out)
}

async fn size(state: &AppState, tenant: TenantId, media: MediaId, version: UploadId) -> anyhow::Result<Option<Size>> {
    let Some(meta_key) = cache_key(media, version, "size.json") else { return Ok(None) };
    if state.storage.head(tenant, &meta_key).await?.is_some() {
        let bytes = state.storage.get(tenant, &meta_key).await?;
        if let Ok(size) = serde_json::from_slice::<Size>(&bytes) {
            return Ok(Some(size));
        }
    }
    let source = keys::source(media, version)?;
    if state.storage.head(tenant, &source).await?.is_none() {
        return Ok(None);
    }
    let bytes = state.storage.get(tenant, &source).await?;
    let Ok(dims) = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(anyhow::Error::from)
        .and_then(|r| r.into_dimensions().map_err(anyhow::Error::from))
    else {
        return Ok(None);
    };
    let size = Size { width: dims.0, height: dims.1 };
    state.storage.put(tenant, &meta_key, serde_json::to_vec(&size)?, Some("application/json")).await?;
    Ok(Some(size))
}

/// The bytes of `media` at `width` (one of [`WIDTHS`]) in `ext`, made and kept on first use;
/// `None` when it is not a public image, the version is not the current one, or the name is wrong.
pub async fn resized(
    state: &AppState,
    tx: &mut TenantTx,
    id: MediaId,
    version: UploadId,
    width: u32,
    ext: &str,
) -> anyhow::Result<Option<(Vec<u8>, &'static str)>> {
    if !WIDTHS.contains(&width) {
        return Ok(None);
    }
    let Some(media) = store::find(tx, id).await? else { return Ok(None) };
    if !PickKind::Image.accepts(&media) || media.current_upload != Some(version) {
        return Ok(None);
    }
    let want = extension(media.content_type.as_deref().unwrap_or_default());
    if want != ext {
        return Ok(None);
    }
    let content_type = if want == "jpg" { "image/jpeg" } else { "image/png" };
    let tenant = tx.tenant();
    let Some(key) = cache_key(id, version, &format!("{width}.{ext}")) else { return Ok(None) };
    if state.storage.head(tenant, &key).await?.is_some() {
        return Ok(Some((state.storage.get(tenant, &key).await?.to_vec(), content_type)));
    }
    let source = keys::source(id, version)?;
    let original = state.storage.get(tenant, &source).await?;
    let encoded = tokio::task::spawn_blocking(move || encode(&original, width, want == "jpg")).await??;
    let Some(encoded) = encoded else { return Ok(None) };
    state.storage.put(tenant, &key, encoded.clone(), Some(content_type)).await?;
    Ok(Some((encoded, content_type)))
}

/// Decodes, shrinks to at most `width` (never enlarges) and encodes.
fn encode(original: &[u8], width: u32, jpeg: bool) -> anyhow::Result<Option<Vec<u8>>> {
    let Ok(img) = ImageReader::new(Cursor::new(original)).with_guessed_format()?.decode() else { return Ok(None) };
    let img = if img.width() > width {
        let height = ((u64::from(img.height()) * u64::from(width)) / u64::from(img.width())).max(1) as u32;
        img.resize_exact(width, height, FilterType::Lanczos3)
    } else {
        img
    };
    let mut out = Cursor::new(Vec::new());
    if jpeg {
        let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
        enc.encode_image(&rgb)?;
    } else {
        img.write_to(&mut out, ImageFormat::Png)?;
    }
    Ok(Some(out.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_shrink_but_never_grow() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::new(1000, 500));
        let mut png = Cursor::new(Vec::new());
        img.write_to(&mut png, ImageFormat::Png).unwrap();
        let out = encode(png.get_ref(), 480, true).unwrap().unwrap();
        let back = image::load_from_memory(&out).unwrap();
        assert_eq!((back.width(), back.height()), (480, 240));
        let out = encode(png.get_ref(), 1600, false).unwrap().unwrap();
        assert_eq!(image::load_from_memory(&out).unwrap().width(), 1000);
        assert!(encode(b"not an image", 480, true).unwrap().is_none());
    }
}
