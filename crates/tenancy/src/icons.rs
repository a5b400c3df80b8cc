//! A site's icon in the sizes browsers and phones ask for: the school's logo fitted into a
//! square when it has one, otherwise its initial in its brand colour (the platform's icon is
//! Lyceum's initial in the platform colour). Pure functions: the routes fetch the logo and
//! cache what these make.

use std::io::Cursor;

use ab_glyph::{Font, FontRef, PxScale};
use image::{DynamicImage, ImageFormat, ImageReader, Limits, Rgba, RgbaImage, imageops::FilterType};
use kernel::web::school::{on_brand, parse_hex};

/// Poppins Bold cut down to Latin capitals and digits (see `assets/initials-LICENSE.txt`).
const FONT: &[u8] = include_bytes!("../assets/initials.ttf");
/// The same font's name, for the SVG (browsers fall back to their own sans-serif).
const SVG_FONT: &str = "Poppins, Inter, system-ui, sans-serif";
/// Largest logo dimension decoded; larger images are refused rather than risk memory.
const MAX_SIDE: u32 = 8192;

/// An icon made of a letter on a colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Initial {
    /// The letter shown: the name's first character, in capitals.
    pub letter: String,
    /// Background: the brand colour.
    pub background: (u8, u8, u8),
    /// The letter's colour, chosen for contrast with the background.
    pub foreground: (u8, u8, u8),
}

impl Initial {
    /// The initial of `name` on `brand` (`#rrggbb`; the platform colour when it is not one).
    pub fn new(name: &str, brand: &str) -> Self {
        let letter = name.trim().chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
        let background = parse_hex(brand)
            .or_else(|| parse_hex(kernel::web::school::PLATFORM_BRAND_COLOR))
            .expect("the platform colour is a colour");
        let foreground = parse_hex(on_brand(background)).expect("on_brand is a colour");
        Self { letter, background, foreground }
    }

    /// A short text that changes whenever the icon does, for its ETag.
    pub fn version(&self) -> String {
        let (r, g, b) = self.background;
        let letter: String = self.letter.chars().map(|c| format!("{:x}", c as u32)).collect();
        format!("{letter}-{r:02x}{g:02x}{b:02x}")
    }

    /// A square SVG with rounded corners; the browser draws the letter, in any script.
    pub fn svg(&self) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="{}"/><text x="32" y="32" dy="0.35em" text-anchor="middle" font-family="{SVG_FONT}" font-weight="700" font-size="36" fill="{}">{}</text></svg>"#,
            hex(self.background),
            hex(self.foreground),
            xml_escape(&self.letter),
        )
    }

    /// A full square PNG of `size` pixels (phones round the corners themselves). A letter the
    /// embedded font lacks leaves the plain colour.
    pub fn png(&self, size: u32) -> Vec<u8> {
        let (r, g, b) = self.background;
        let mut canvas = RgbaImage::from_pixel(size, size, Rgba([r, g, b, 255]));
        let font = FontRef::try_from_slice(FONT).expect("the embedded font parses");
        let glyph = self.letter.chars().next().map(|c| font.glyph_id(c)).filter(|id| id.0 != 0);
        let outlined = glyph.and_then(|id| font.outline_glyph(id.with_scale(PxScale::from(size as f32 * 0.75))));
        if let Some(outlined) = outlined {
            let bounds = outlined.px_bounds();
            let left = ((size as f32 - bounds.width()) / 2.0).round() as i64;
            let top = ((size as f32 - bounds.height()) / 2.0).round() as i64;
            let (fr, fg, fb) = self.foreground;
            outlined.draw(|x, y, coverage| {
                let (px, py) = (left + i64::from(x), top + i64::from(y));
                if (0..i64::from(size)).contains(&px) && (0..i64::from(size)).contains(&py) {
                    let pixel = canvas.get_pixel_mut(px as u32, py as u32);
                    let mix =
                        |under: u8, over: u8| (under as f32 + (over as f32 - under as f32) * coverage).round() as u8;
                    *pixel = Rgba([mix(pixel[0], fr), mix(pixel[1], fg), mix(pixel[2], fb), 255]);
                }
            });
        }
        encode(&DynamicImage::ImageRgba8(canvas))
    }
}

/// The logo fitted into a square PNG of `size` pixels, centred, on white when `opaque` (phones
/// show transparency as black) or on transparency.
pub fn logo_png(bytes: &[u8], size: u32, opaque: bool) -> Result<Vec<u8>, image::ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let logo = reader.decode()?.resize(size, size, FilterType::Lanczos3);
    let fill = if opaque { Rgba([255, 255, 255, 255]) } else { Rgba([0, 0, 0, 0]) };
    let mut canvas = RgbaImage::from_pixel(size, size, fill);
    let (x, y) = ((size - logo.width()) / 2, (size - logo.height()) / 2);
    image::imageops::overlay(&mut canvas, &logo.to_rgba8(), i64::from(x), i64::from(y));
    Ok(encode(&DynamicImage::ImageRgba8(canvas)))
}

/// An SVG showing a PNG, so that `/favicon.svg` can show a logo too.
pub fn svg_of_png(png: &[u8], size: u32) -> String {
    use base64::{Engine, engine::general_purpose::STANDARD};
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"><image width="{size}" height="{size}" href="data:image/png;base64,{}"/></svg>"#,
        STANDARD.encode(png)
    )
}

/// A `.ico` file holding one PNG image (the PNG-in-ICO form every current browser reads).
pub fn ico(png: &[u8], size: u32) -> Vec<u8> {
    // ICO stores 256 as 0 in its one-byte width and height.
    let side = if size >= 256 { 0 } else { size as u8 };
    let mut out = Vec::with_capacity(22 + png.len());
    out.extend_from_slice(&[0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&[side, side, 0, 0, 1, 0, 32, 0]);
    out.extend_from_slice(&(png.len() as u32).to_le_bytes());
    out.extend_from_slice(&22u32.to_le_bytes());
    out.extend_from_slice(png);
    out
}

fn encode(image: &DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).expect("encoding a PNG in memory cannot fail");
    out.into_inner()
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_initial_takes_the_brand_colour_and_a_readable_letter() {
        let light = Initial::new(" bloom yoga", "#fde047");
        assert_eq!((light.letter.as_str(), light.foreground), ("B", (0x0b, 0x10, 0x20)));
        assert!(light.svg().contains(r##"fill="#fde047""##) && light.svg().contains(">B</text>"));
        let dark = Initial::new("Élan", "#4f46e5");
        assert_eq!((dark.letter.as_str(), dark.foreground), ("É", (255, 255, 255)));
        assert_ne!(light.version(), dark.version());
        assert!(Initial::new("<", "nonsense").svg().contains("&lt;"));
    }

    #[test]
    fn the_initial_is_drawn_in_the_png() {
        let png = Initial::new("Acme", "#112233").png(180);
        let image = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(image.dimensions(), (180, 180));
        assert_eq!(image.get_pixel(2, 2).0, [0x11, 0x22, 0x33, 255], "the corner is the brand colour");
        let white = image.pixels().filter(|p| p.0 == [255, 255, 255, 255]).count();
        assert!(white > 180 * 180 / 40, "the letter is drawn in white ({white} pixels)");
    }

    #[test]
    fn a_logo_is_fitted_into_a_square() {
        let wide = RgbaImage::from_pixel(400, 100, Rgba([200, 0, 0, 255]));
        let png = logo_png(&encode(&DynamicImage::ImageRgba8(wide)), 32, false).unwrap();
        let icon = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(icon.dimensions(), (32, 32));
        assert_eq!(icon.get_pixel(16, 16).0, [200, 0, 0, 255]);
        assert_eq!(icon.get_pixel(16, 1).0[3], 0, "transparent above a wide logo");
        assert!(logo_png(b"not an image", 32, false).is_err());
        let ico = ico(&png, 32);
        assert_eq!((&ico[..4], ico[6], ico.len()), (&[0u8, 0, 1, 0][..], 32, png.len() + 22));
    }
}
