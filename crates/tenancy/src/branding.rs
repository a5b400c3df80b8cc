//! Logos: what counts as an image (decided by the file's first bytes, never by its name or the
//! type the browser claims), and where logos are kept (`brand_assets`, one row per upload).

use kernel::db::TenantTx;
use uuid::Uuid;

/// Largest logo accepted, in bytes.
pub const LOGO_MAX_BYTES: usize = 1024 * 1024;

/// The raster formats a logo may be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
    /// GIF.
    Gif,
}

impl ImageKind {
    /// The content type it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    /// Recognises a format from its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }
}

/// Checks an uploaded logo; `Err` holds the Fluent key of the message shown beside the field.
pub fn check_logo(bytes: &[u8]) -> Result<ImageKind, &'static str> {
    if bytes.is_empty() {
        return Err("logo-empty");
    }
    if bytes.len() > LOGO_MAX_BYTES {
        return Err("logo-too-large");
    }
    if let Some(kind) = ImageKind::sniff(bytes) {
        return Ok(kind);
    }
    if looks_like_svg(bytes) { Err("logo-svg") } else { Err("logo-not-image") }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    head.contains("<svg")
}

/// A stored logo.
pub struct Asset {
    /// Content type detected at upload.
    pub content_type: String,
    /// The image.
    pub data: Vec<u8>,
}

/// Stores a logo and makes it the school's; returns the new id and the replaced logo's id.
pub async fn replace_logo(tx: &mut TenantTx, kind: ImageKind, data: &[u8]) -> sqlx::Result<(Uuid, Option<Uuid>)> {
    let id = Uuid::now_v7();
    sqlx::query("insert into brand_assets (tenant_id, id, content_type, byte_size, data) values ($1, $2, $3, $4, $5)")
        .bind(tx.tenant())
        .bind(id)
        .bind(kind.content_type())
        .bind(data.len() as i64)
        .bind(data)
        .execute(&mut **tx)
        .await?;
    let old = set_logo(tx, Some(id)).await?;
    Ok((id, old))
}

/// Removes the school's logo; returns whether there was one.
pub async fn remove_logo(tx: &mut TenantTx) -> sqlx::Result<bool> {
    Ok(set_logo(tx, None).await?.is_some())
}

/// Points the settings at `logo` and deletes the asset it replaces.
async fn set_logo(tx: &mut TenantTx, logo: Option<Uuid>) -> sqlx::Result<Option<Uuid>> {
    let old: Option<String> =
        sqlx::query_scalar("select logo_key from tenant_settings where tenant_id = $1 for update")
            .bind(tx.tenant())
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query("update tenant_settings set logo_key = $2 where tenant_id = $1")
        .bind(tx.tenant())
        .bind(logo.map(|l| l.to_string()))
        .execute(&mut **tx)
        .await?;
    let old = old.and_then(|k| k.parse::<Uuid>().ok());
    if let Some(old) = old {
        sqlx::query("delete from brand_assets where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(old)
            .execute(&mut **tx)
            .await?;
    }
    Ok(old)
}

/// A logo of this school by id.
pub async fn find(tx: &mut TenantTx, id: Uuid) -> sqlx::Result<Option<Asset>> {
    let row: Option<(String, Vec<u8>)> =
        sqlx::query_as("select content_type, data from brand_assets where tenant_id = $1 and id = $2")
            .bind(tx.tenant())
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(content_type, data)| Asset { content_type, data }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(check_logo(b"\x89PNG\r\n\x1a\n rest"), Ok(ImageKind::Png));
        assert_eq!(check_logo(&[0xff, 0xd8, 0xff, 0xe0]), Ok(ImageKind::Jpeg));
        assert_eq!(check_logo(b"GIF89a...."), Ok(ImageKind::Gif));
        assert_eq!(check_logo(b"RIFF\0\0\0\0WEBPVP8 "), Ok(ImageKind::Webp));
        assert_eq!(check_logo(b""), Err("logo-empty"));
        assert_eq!(check_logo(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"), Err("logo-svg"));
        assert_eq!(check_logo(b"just some text pretending to be a png"), Err("logo-not-image"));
        let big = [b"\x89PNG\r\n\x1a\n".as_slice(), &vec![0u8; LOGO_MAX_BYTES]].concat();
        assert_eq!(check_logo(&big), Err("logo-too-large"));
    }
}
